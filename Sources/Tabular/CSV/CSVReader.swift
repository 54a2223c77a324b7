import DLCore
import Dispatch

/// Turns scanned CSV fields into typed columns in two passes.
///
/// Pass 1 parses every cell as a number straight from the bytes (no Strings) and notes
/// where each record starts. Columns that turned out to hold text are read again in
/// pass 2, which only then builds Strings — so a numeric file never creates one per cell.
/// A large quote-free file is split at line ends and pass 1 runs on each part at once
/// (see `CSVChunks`); the result is the same as reading it in one piece.
///
/// Numeric columns hold Floats where every value is exactly one (see `NumericColumn`).
package struct CSVReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let source: String
    /// Parts to split large data into (one per core the load can use).
    package var parts = 2
    /// Data smaller than this is read in one piece.
    package var minimumChunkBytes = CSVChunks.defaultMinimumBytes
    /// When set, `bytes` is a buffer of the reader's own that a split pass 1 hands back to
    /// the system as it passes it, so that the file and the table it becomes are never
    /// both whole in memory; this puts the bytes back for pass 2, if there is one.
    var rereadBytes: (() throws -> Void)?
    /// Looked at every `cancellationStride` bytes; when it asks, `read` throws `Interrupted`.
    var cancel = Cancellation.never
    var cancellationStride = CSVChunks.cancellationStride

    /// The separators and missing spellings the file is written with.
    let dialect: CSVDialect
    let cells: CellReader

    package init(bytes: UnsafeBufferPointer<UInt8>, source: String, dialect: CSVDialect = .standard) {
        self.bytes = bytes
        self.source = source
        self.dialect = dialect
        cells = CellReader(dialect)
    }

    package func read() throws -> Table {
        try CSVContent.check(bytes, source: source)
        var scanner = CSVScanner(bytes: bytes, source: source, separator: dialect.separator)
        guard scanner.skipBlankLines(), !isAllWhitespace(from: scanner.position) else {
            throw TabularError("'\(source)' is empty; expected a header row and at least one data row",
                               hint: "check that this is the right file and that it was saved completely")
        }
        let names = try readHeader(&scanner)
        let width = names.count
        // Before any column is made: a header of many names and nothing else is quick to refuse.
        var rest = scanner
        guard rest.skipBlankLines() else {
            throw TabularError("'\(source)' has a header but no data rows",
                               hint: "add data rows below the header line")
        }

        var rowCount = 0
        var rowStarts: [Int] = []
        var rowLines: [Int] = []
        var counts = CellCounts(width: width)
        var discarded = false
        let values: [NumericColumn]
        if let chunks = try CSVChunks.plan(bytes, start: scanner.position, line: scanner.line,
                                       parts: parts, minimumBytes: minimumChunkBytes,
                                           cancel: cancel, cancellationStride: cancellationStride) {
            rowCount = chunks.reduce(0) { $0 + $1.rows }
            rowStarts = [Int](repeating: 0, count: rowCount)
            rowLines = rowStarts
            var outcomes: [CSVChunkParser.Outcome?] = Array(repeating: nil, count: chunks.count)
            var parser = CSVChunkParser(bytes: bytes, source: source, width: width, dialect: dialect, cells: cells)
            parser.discardsPassedBytes = rereadBytes != nil
            parser.cancel = cancel
            parser.cancellationStride = cancellationStride
            discarded = parser.discardsPassedBytes
            let floats: [[Float]] = ColumnArrays.make(count: width, capacity: rowCount) { columns in
                // The column pages are left to fault in as they are first written: backed
                // at once, they and the whole file would be in memory together.
                rowStarts.withUnsafeMutableBufferPointer { starts in
                    rowLines.withUnsafeMutableBufferPointer { lines in
                        outcomes.withUnsafeMutableBufferPointer { out in
                            DispatchQueue.concurrentPerform(iterations: chunks.count) { k in
                                out[k] = parser.parse(chunks[k], columns: columns,
                                                      rowStarts: starts.baseAddress!, rowLines: lines.baseAddress!)
                            }
                        }
                    }
                }
                return rowCount
            }
            if outcomes.contains(where: { $0!.interrupted }) { throw Interrupted() }
            // The first error in file order, as a sequential read would have stopped there.
            for outcome in outcomes {
                if let error = outcome!.error { throw error }
                counts.add(outcome!.counts)
            }
            var doubles = outcomes.map { $0!.doubles }
            outcomes = []
            values = Self.merge(floats, doubles: &doubles, chunks: chunks, rowCount: rowCount)
        } else {
            let doubles: [[Double]] = try ColumnArrays.make(count: width, capacity: lineCount(from: scanner.position)) { columns in
                try readSequentially(&scanner, columns: columns, rowStarts: &rowStarts,
                                     rowLines: &rowLines, counts: &counts)
            }
            values = doubles.map(NumericColumn.compact)
            rowCount = rowStarts.count
        }
        let textColumns = (0..<width).filter { counts.text[$0] > 0 }
        if discarded, !textColumns.isEmpty { try rereadBytes?() }
        try cancel.check()
        let texts = try readTexts(columns: textColumns, names: names, rowStarts: rowStarts, rowLines: rowLines)
        var columns: [Column] = []
        columns.reserveCapacity(width)
        for c in 0..<width {
            if let cells = texts[c] {
                // Only a mostly-numeric column keeps its stray cell: that is a typo to point
                // at, while a genuinely text column is simply text.
                let stray = counts.numeric[c] > counts.text[c] ? counts.firstText[c] : nil
                columns.append(Column(name: names[c], data: .text(cells), nonNumericCell: stray))
            } else {
                columns.append(Column(name: names[c], data: .numeric(values[c]), nonNumericCell: nil))
            }
        }
        return Table(columns: columns, rowCount: rowCount, source: source, rowLines: rowLines)
    }

    /// The columns of a split pass 1: each column's Floats, or where a range found values
    /// that are not exactly Floats, all its values as Doubles, put together from the ranges
    /// (each range's Doubles freed once copied, so they are never held twice).
    private static func merge(_ floats: [[Float]], doubles: inout [[[Double]]], chunks: [CSVChunks.Chunk],
                              rowCount: Int) -> [NumericColumn] {
        floats.indices.map { c in
            guard doubles.contains(where: { !$0[c].isEmpty }) else { return NumericColumn(floats: floats[c]) }
            var values: [Double] = []
            values.reserveCapacity(rowCount)
            for (k, chunk) in chunks.enumerated() {
                if doubles[k][c].isEmpty {
                    values += floats[c][chunk.firstRow ..< chunk.firstRow + chunk.rows].lazy.map { Double($0) }
                } else {
                    values += doubles[k][c]
                    doubles[k][c] = []
                }
            }
            return NumericColumn(values)
        }
    }

    /// Pass 1 in one piece, through `CSVScanner` (any file, quotes included); returns
    /// the number of rows written to `columns`.
    private func readSequentially(_ scanner: inout CSVScanner, columns values: UnsafePointer<UnsafeMutablePointer<Double>>,
                                  rowStarts: inout [Int], rowLines: inout [Int], counts: inout CellCounts) throws -> Int {
        let width = counts.numeric.count
        var checkedAt = scanner.position
        while scanner.skipBlankLines() {
            if scanner.position - checkedAt >= cancellationStride {
                checkedAt = scanner.position
                try cancel.check()
            }
            let row = rowStarts.count
            let recordLine = scanner.line
            rowStarts.append(scanner.position)
            rowLines.append(recordLine)
            var column = 0
            while true {
                let cellLine = scanner.line
                let field = try scanner.nextField()
                if column < width {
                    let (s, e) = scanner.trimmed(field)
                    switch cells.value(bytes, s, e, quotedEscapes: field.escaped) {
                    case .missing:
                        values[column][row] = .nan
                    case .number(let number):
                        values[column][row] = number
                        counts.numeric[column] += 1
                    case .text:
                        values[column][row] = .nan
                        counts.text[column] += 1
                        if counts.firstText[column] == nil {
                            counts.firstText[column] = NonNumericCell(row: row, line: cellLine,
                                                                      value: scanner.text(of: field))
                        }
                    }
                }
                column += 1
                if field.endsRecord { break }
            }
            if column != width {
                throw Self.fieldCountError(line: recordLine, fields: column, width: width, source: source, separator: dialect.separator)
            }
        }
        return rowStarts.count
    }

    /// A record whose field count differs from the header's.
    static func fieldCountError(line: Int, fields: Int, width: Int, source: String, separator: UInt8) -> TabularError {
        let name = separator == CSVDialect.comma ? "comma" : "'\(CSVDialect.shown(separator))'"
        let plural = separator == CSVDialect.comma ? "commas" : "'\(CSVDialect.shown(separator))'"
        return TabularError(
            "line \(line) of '\(source)' has \(fields) field\(fields == 1 ? "" : "s") but the header has \(width)",
            hint: "check for a missing or extra \(name), or quote fields that contain \(plural)")
    }

    /// Pass 2: the Strings of the given columns, missing cells nil; nil for other columns.
    /// A cell that is not UTF-8 text is an error naming its line (numbers are ASCII, so only
    /// these cells need the check).
    private func readTexts(columns: [Int], names: [String], rowStarts: [Int], rowLines: [Int]) throws -> [[String?]?] {
        var texts = [[String?]?](repeating: nil, count: names.count)
        guard let last = columns.last else { return texts }
        for c in columns {
            texts[c] = []
            texts[c]!.reserveCapacity(rowStarts.count)
        }
        var wanted = [Bool](repeating: false, count: texts.count)
        for c in columns { wanted[c] = true }
        var checkedAt = 0
        for (row, start) in rowStarts.enumerated() {
            if start - checkedAt >= cancellationStride {
                checkedAt = start
                try cancel.check()
            }
            var scanner = CSVScanner(bytes: bytes, source: source, position: start, line: rowLines[row],
                                     separator: dialect.separator)
            var column = 0
            // Pass 1 already validated every record, so `nextField` cannot throw.
            while column <= last {
                let line = scanner.line
                guard let field = try? scanner.nextField() else { break }
                if wanted[column] {
                    let (s, e) = scanner.trimmed(field)
                    if s == e || cells.missing.isMissing(bytes, s, e) {
                        texts[column]!.append(nil)
                    } else if let text = scanner.validText(of: field) {
                        texts[column]!.append(text)
                    } else {
                        throw CSVContent.textError(scanner.fault(in: field), line: line, source: source, header: false,
                                                   column: column, name: names[column])
                    }
                }
                column += 1
                if field.endsRecord { break }
            }
        }
        return texts
    }

    /// Line ends (LF, CRLF or lone CR) from `start` on, plus one for an unterminated last line.
    private func lineCount(from start: Int) -> Int {
        var count = 1
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if b == 10 || (b == 13 && !(i + 1 < bytes.count && bytes[i + 1] == 10)) { count += 1 }
            i += 1
        }
        return count
    }

    private func isAllWhitespace(from start: Int) -> Bool {
        for i in start..<bytes.count where !(bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13) {
            return false
        }
        return true
    }
}
