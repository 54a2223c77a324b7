/// Turns scanned CSV fields into typed columns in two passes.
///
/// Pass 1 parses every cell as a number straight from the bytes (no Strings) and notes
/// where each record starts. Columns that turned out to hold text are read again in
/// pass 2, which only then builds Strings — so a numeric file never creates one per cell.
struct CSVReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let source: String

    init(bytes: UnsafeBufferPointer<UInt8>, source: String) {
        self.bytes = bytes
        self.source = source
    }

    func read() throws -> Table {
        var scanner = CSVScanner(bytes: bytes, source: source)
        guard scanner.skipBlankLines(), !isAllWhitespace(from: scanner.position) else {
            throw TabularError("'\(source)' is empty; expected a header row and at least one data row",
                               hint: "check that this is the right file and that it was saved completely")
        }
        let names = try readHeader(&scanner)
        let width = names.count

        // One buffer per column, sized once from the line count (an upper bound on records):
        // no regrowth, and raw memory rather than [[Double]], whose appends cost a
        // uniqueness check per cell. Each is copied into its column's array at the end.
        let capacity = max(1, lineCount(from: scanner.position))
        var values = (0..<width).map { _ in UnsafeMutablePointer<Double>.allocate(capacity: capacity) }
        defer { values.forEach { $0.deallocate() } }
        var numericCounts = [Int](repeating: 0, count: width)
        var textCounts = [Int](repeating: 0, count: width)
        var firstText = [NonNumericCell?](repeating: nil, count: width)
        var rowStarts: [Int] = []
        var rowLines: [Int] = []

        while scanner.skipBlankLines() {
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
                    if scanner.isMissing(s, e) {
                        values[column][row] = .nan
                    } else if !field.escaped, let number = NumberParser.parse(bytes, s, e) {
                        values[column][row] = number
                        numericCounts[column] += 1
                    } else {
                        values[column][row] = .nan
                        textCounts[column] += 1
                        if firstText[column] == nil {
                            firstText[column] = NonNumericCell(row: row, line: cellLine,
                                                               value: scanner.text(of: field))
                        }
                    }
                }
                column += 1
                if field.endsRecord { break }
            }
            if column != width {
                throw TabularError(
                    "line \(recordLine) of '\(source)' has \(column) field\(column == 1 ? "" : "s") but the header has \(width)",
                    hint: "check for a missing or extra comma, or quote fields that contain commas")
            }
        }
        guard !rowStarts.isEmpty else {
            throw TabularError("'\(source)' has a header but no data rows",
                               hint: "add data rows below the header line")
        }

        let textColumns = (0..<width).filter { textCounts[$0] > 0 }
        let texts = readTexts(columns: textColumns, width: width, rowStarts: rowStarts, rowLines: rowLines)
        var columns: [Column] = []
        columns.reserveCapacity(width)
        for c in 0..<width {
            if let cells = texts[c] {
                // Only a mostly-numeric column keeps its stray cell: that is a typo to point
                // at, while a genuinely text column is simply text.
                let stray = numericCounts[c] > textCounts[c] ? firstText[c] : nil
                columns.append(Column(name: names[c], data: .text(cells), nonNumericCell: stray))
            } else {
                let cells = Array(UnsafeBufferPointer(start: values[c], count: rowStarts.count))
                // Free as we go, so the copies never double the peak memory.
                values[c].deallocate()
                values[c] = UnsafeMutablePointer<Double>.allocate(capacity: 1)
                columns.append(Column(name: names[c], data: .numeric(cells), nonNumericCell: nil))
            }
        }
        return Table(columns: columns, rowCount: rowStarts.count, source: source, rowLines: rowLines)
    }

    /// Header names, trimmed; an empty name becomes `columnN`; duplicates are an error.
    private func readHeader(_ scanner: inout CSVScanner) throws -> [String] {
        var names: [String] = []
        while true {
            let field = try scanner.nextField()
            let name = scanner.text(of: field)
            names.append(name.isEmpty ? "column\(names.count + 1)" : name)
            if field.endsRecord { break }
        }
        var seen: [String: Int] = [:]
        for (i, name) in names.enumerated() {
            if let first = seen[name] {
                throw TabularError(
                    "the header of '\(source)' names column '\(name)' twice (columns \(first + 1) and \(i + 1))",
                    hint: "rename one of them so every column has its own name")
            }
            seen[name] = i
        }
        return names
    }

    /// Pass 2: the Strings of the given columns, missing cells nil; nil for other columns.
    private func readTexts(columns: [Int], width: Int, rowStarts: [Int], rowLines: [Int]) -> [[String?]?] {
        var texts = [[String?]?](repeating: nil, count: width)
        guard let last = columns.last else { return texts }
        for c in columns {
            texts[c] = []
            texts[c]!.reserveCapacity(rowStarts.count)
        }
        var wanted = [Bool](repeating: false, count: texts.count)
        for c in columns { wanted[c] = true }
        for (row, start) in rowStarts.enumerated() {
            var scanner = CSVScanner(bytes: bytes, source: source, position: start, line: rowLines[row])
            var column = 0
            // Pass 1 already validated every record, so this cannot throw.
            while column <= last, let field = try? scanner.nextField() {
                if wanted[column] {
                    let (s, e) = scanner.trimmed(field)
                    texts[column]!.append(scanner.isMissing(s, e) ? nil : scanner.text(of: field))
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
