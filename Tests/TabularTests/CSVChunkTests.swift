import XCTest
@testable import Tabular

/// The split, multi-threaded read of large quote-free files must give exactly what the
/// one-piece read gives: the same cells bit for bit, rows, lines and errors.
final class CSVChunkTests: XCTestCase {
    /// Reads `text` in `parts` pieces (1 = the sequential path), splitting however small.
    private func read(_ text: String, parts: Int) throws -> Table {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer in
            var reader = CSVReader(bytes: buffer, source: "t.csv")
            reader.parts = parts
            reader.minimumChunkBytes = 1
            return try reader.read()
        }
    }

    private func outcome(_ text: String, parts: Int) -> Result<Table, TabularError> {
        do { return .success(try read(text, parts: parts)) } catch { return .failure(error as! TabularError) }
    }

    /// Same columns (numbers compared by bit pattern, so NaN equals NaN), rows and lines.
    private func assertSame(_ a: Table, _ b: Table, _ note: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.rowCount, b.rowCount, note, file: file, line: line)
        XCTAssertEqual(a.rowLines, b.rowLines, note, file: file, line: line)
        XCTAssertEqual(a.columns.count, b.columns.count, note, file: file, line: line)
        for (x, y) in zip(a.columns, b.columns) {
            XCTAssertEqual(x.name, y.name, note, file: file, line: line)
            XCTAssertEqual(x.nonNumericCell, y.nonNumericCell, note, file: file, line: line)
            switch (x.data, y.data) {
            case (.numeric(let u), .numeric(let v)):
                XCTAssertEqual(u.map(\.bitPattern), v.map(\.bitPattern), "\(note) column \(x.name)", file: file, line: line)
                XCTAssertEqual(isFloat(u), isFloat(v), "\(note) column \(x.name) storage", file: file, line: line)
            case (.text(let u), .text(let v)):
                XCTAssertEqual(u, v, "\(note) column \(x.name)", file: file, line: line)
            default:
                XCTFail("\(note): column \(x.name) has different types", file: file, line: line)
            }
        }
    }

    private func isFloat(_ column: NumericColumn) -> Bool {
        if case .float = column.storage { return true } else { return false }
    }

    /// Every split agrees with the sequential read, success or error.
    private func assertSplitsAgree(_ text: String, _ note: String, file: StaticString = #filePath, line: UInt = #line) {
        let expected = outcome(text, parts: 1)
        for parts in [2, 3, 5, 16] {
            switch (expected, outcome(text, parts: parts)) {
            case (.success(let a), .success(let b)): assertSame(a, b, "\(note), \(parts) parts", file: file, line: line)
            case (.failure(let a), .failure(let b)): XCTAssertEqual(a, b, "\(note), \(parts) parts", file: file, line: line)
            case (let a, let b): XCTFail("\(note), \(parts) parts: \(a) vs \(b)", file: file, line: line)
            }
        }
    }

    /// A small deterministic generator, so a failure can be reproduced.
    private struct Generator {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    /// Cells of every kind the fast and slow paths must agree on.
    private func randomCell(_ g: inout Generator) -> String {
        switch g.next(20) {
        case 0: return ""
        case 1: return "NA"
        case 2: return " \(g.next(1000)) "
        case 3: return "-\(g.next(100))"
        case 4: return "\(g.next(1000)).\(g.next(100))"
        case 5: return String(repeating: "9", count: 1 + g.next(20))   // 1 to 20 digits
        case 6: return "00\(g.next(10))"
        case 7: return "1e\(g.next(30))"
        case 8: return "\t7"
        case 9: return "1234567"
        case 10: return "12345678"
        default: return "\(g.next(256))"
        }
    }

    func testRandomNumericFilesMatchTheSequentialRead() {
        var g = Generator(state: 42)
        for trial in 0..<40 {
            let width = 1 + g.next(12)
            let ends = ["\n", "\r\n", "\r"]
            let end = ends[g.next(3)]
            var text = (0..<width).map { "c\($0)" }.joined(separator: ",") + end
            for _ in 0..<(1 + g.next(60)) {
                if g.next(10) == 0 { text += end }   // a blank line
                text += (0..<width).map { _ in randomCell(&g) }.joined(separator: ",") + end
            }
            if g.next(2) == 0 { text.removeLast(end.count) }   // no newline at the end
            assertSplitsAgree(text, "trial \(trial)")
        }
    }

    func testDigitRunsOfEveryLengthMatch() {
        // Cells of 0 to 80 digits put cell ends at every offset of the 64-byte windows the
        // fast path scans, and make cells longer than a window.
        var g = Generator(state: 11)
        for end in ["\n", "\r\n", "\r"] {
            var text = "a,b,c,d" + end
            for _ in 0..<150 {
                text += (0..<4).map { _ in String((0..<g.next(81)).map { _ in Character(String(g.next(10))) }) }
                    .joined(separator: ",") + end
            }
            assertSplitsAgree(text, "digit runs, line end \(end.utf8.map { $0 })")
        }
    }

    func testTextAndStrayCellsMatch() {
        var text = "id,name,x\n"
        for i in 0..<200 { text += "\(i),n\(i % 7),\(i == 150 ? "oops" : String(i * 3))\n" }
        assertSplitsAgree(text, "text columns")
        let split = try! read(text, parts: 2)
        XCTAssertEqual(split.column(named: "x")?.nonNumericCell, NonNumericCell(row: 150, line: 152, value: "oops"))
    }

    func testLargeFileIsSplitAndMatches() throws {
        // Over the default threshold, through the public entry point.
        var text = "label," + (0..<99).map { "px\($0)" }.joined(separator: ",") + "\r\n"
        var g = Generator(state: 7)
        while text.utf8.count < 3 * CSVChunks.defaultMinimumBytes / 2 {
            text += (0..<100).map { _ in String(g.next(256)) }.joined(separator: ",") + "\r\n"
        }
        let bytes = Array(text.utf8)
        let dataStart = bytes.firstIndex(of: 10)! + 1
        let plan = try bytes.withUnsafeBufferPointer {
            try CSVChunks.plan($0, start: dataStart, line: 2, parts: 2, minimumBytes: CSVChunks.defaultMinimumBytes)
        }
        XCTAssertEqual(plan?.count, 2)
        let whole = try CSV.parse(bytes: bytes, source: "t.csv")
        assertSame(whole, try read(text, parts: 1), "large file")
        XCTAssertEqual(whole.rowLines?.last, whole.rowCount + 1)
    }

    func testColumnsAreFloatsExactlyWhenEveryValueIsOne() throws {
        // c: inexact only in the last row, so only the last part of a split sees it; d: 2^24 + 1.
        var text = "a,b,c,d,e\n"
        for i in 0..<300 {
            text += "\(i),\(Double(i) / 4),\(i == 299 ? "0.1" : String(i)),\(i == 7 ? 16777217 : i),\(i % 3 == 0 ? "" : "2.5")\n"
        }
        assertSplitsAgree(text, "storage")
        for parts in [1, 2, 5] {
            let table = try read(text, parts: parts)
            let kinds = table.columns.map { column -> Bool in
                guard case .numeric(let values) = column.data else { return false }
                return isFloat(values)
            }
            XCTAssertEqual(kinds, [true, true, false, false, true], "\(parts) parts")
            guard case .numeric(let c) = table.columns[2].data, case .numeric(let d) = table.columns[3].data else {
                return XCTFail("numeric columns expected")
            }
            XCTAssertEqual(c[299], 0.1)
            XCTAssertEqual(c[298], 298)
            XCTAssertEqual(d[7], 16777217)
        }
    }

    func testLargeFileWithTextIsReadAgainAfterItsBytesAreGivenBack() throws {
        // Large enough that each half's parser hands pages of the buffer back, then the text
        // column needs the bytes again: it must read the file, not the zeroed pages.
        var text = "id,name,x\n"
        var g = Generator(state: 5)
        var i = 0
        while text.utf8.count < 12 << 20 {
            text += "\(i),name\(g.next(1000)),\(g.next(100_000)).\(g.next(10))\n"
            i += 1
        }
        let path = NSTemporaryDirectory() + "dl-reread-\(getpid()).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = try CSV.read(path: path)
        assertSame(fromFile, try CSV.parse(bytes: Array(text.utf8), source: "t.csv"), "reread")
        guard case .text(let names) = fromFile.columns[1].data else { return XCTFail("text column expected") }
        XCTAssertEqual(names.count, i)
        XCTAssertTrue(names.allSatisfy { $0?.hasPrefix("name") == true })
    }

    func testQuotedNewlinesReadInOnePiece() throws {
        var text = "a,b\n"
        for i in 0..<100 { text += i == 60 ? "\(i),\"two\nlines\"\n" : "\(i),x\n" }
        text += "1,2,3\n"
        let bytes = Array(text.utf8)
        let plan = try bytes.withUnsafeBufferPointer { try CSVChunks.plan($0, start: 4, line: 2, parts: 2, minimumBytes: 1) }
        XCTAssertNil(plan)
        assertSplitsAgree(text, "quoted newline")
        // The newline inside quotes moves later lines down by one.
        XCTAssertEqual(outcome(text, parts: 2).failureMessage, "line 103 of 't.csv' has 3 fields but the header has 2")
    }

    func testErrorsReportTheFirstBadLine() {
        for end in ["\n", "\r\n"] {
            var text = "a,b" + end
            for i in 0..<300 { text += "\(i),\(i)" + end }
            let late = text + "1,2,3" + end + "5,6" + end   // in the last part
            assertSplitsAgree(late, "late error")
            for parts in [2, 3] {
                XCTAssertEqual(outcome(late, parts: parts).failureMessage,
                               "line 302 of 't.csv' has 3 fields but the header has 2")
            }
            let twice = "a,b" + end + "7" + end + text.dropFirst(3 + end.utf8.count) + "8" + end // one in each part
            assertSplitsAgree(twice, "two errors")
            XCTAssertEqual(outcome(twice, parts: 2).failureMessage, "line 2 of 't.csv' has 1 field but the header has 2")
        }
    }

    func testWideTablesGoThroughCopiedColumns() throws {
        // More columns than `ColumnArrays` nests initializers for.
        let width = ColumnArrays.inPlaceLimit + 5
        var text = (0..<width).map { "c\($0)" }.joined(separator: ",") + "\n"
        for r in 0..<40 { text += (0..<width).map { String(r * 1000 + $0) }.joined(separator: ",") + "\n" }
        assertSplitsAgree(text, "wide")
        let table = try read(text, parts: 2)
        XCTAssertEqual(table.columns.count, width)
        XCTAssertEqual(table.columns[width - 1].data, .numeric(NumericColumn((0..<40).map { Double($0 * 1000 + width - 1) })))
    }

    func testTallyCountsLikeTheScanner() {
        var g = Generator(state: 3)
        let alphabet: [UInt8] = [10, 13, 34, 44, 49, 50, 32]
        for _ in 0..<300 {
            let bytes = (0..<g.next(90)).map { _ in alphabet[g.next(alphabet.count)] }
            let tally = bytes.withUnsafeBufferPointer { CSVChunks.tally($0, 0, $0.count) }
            // Reference: byte by byte, the way CSVScanner consumes line ends.
            var records = 0, lineEnds = 0, i = 0
            while i < bytes.count {
                if bytes[i] == 10 || bytes[i] == 13 {
                    i += bytes[i] == 13 && i + 1 < bytes.count && bytes[i + 1] == 10 ? 2 : 1
                    lineEnds += 1
                } else {
                    records += 1
                    while i < bytes.count, bytes[i] != 10 && bytes[i] != 13 { i += 1 }
                }
            }
            XCTAssertEqual(tally.records, records, "\(bytes)")
            XCTAssertEqual(tally.lineEnds, lineEnds, "\(bytes)")
            XCTAssertEqual(tally.hasQuote, bytes.contains(34), "\(bytes)")
            // Counted a few bytes at a time (as it is between looks at Ctrl-C), the same.
            for pieceBytes in [1, 2, 7] {
                let pieces = bytes.withUnsafeBufferPointer { CSVChunks.tally($0, 0, $0.count, cancel: .never, pieceBytes: pieceBytes) }
                XCTAssertEqual(pieces.records, records, "\(bytes) in pieces of \(pieceBytes)")
                XCTAssertEqual(pieces.lineEnds, lineEnds, "\(bytes) in pieces of \(pieceBytes)")
                XCTAssertEqual(pieces.hasQuote, tally.hasQuote, "\(bytes) in pieces of \(pieceBytes)")
                XCTAssertFalse(pieces.interrupted)
            }
        }
    }

    func testDigitWords() {
        for text in ["0,", "7,", "255,", "1234567,", "00012,", "12\n", "9999999,"] {
            var bytes = Array(text.utf8)
            bytes += [UInt8](repeating: 120, count: 8 - bytes.count)
            let word = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
            let length = CSVChunkParser.leadingDigits(word)
            let digits = text.prefix { $0.isNumber }
            XCTAssertEqual(length, digits.count, text)
            XCTAssertEqual(CSVChunkParser.digitsValue(word, length), Int64(digits), text)
        }
        XCTAssertEqual(CSVChunkParser.leadingDigits(0x3030_3030_3030_3030), 8)
        // Eight digits fill the whole word (the window path reads cells of up to eight).
        let eight = Array("98765432".utf8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        XCTAssertEqual(CSVChunkParser.digitsValue(eight, 8), 98_765_432)
    }

    func testNonDigitMask() {
        var g = Generator(state: 3)
        for _ in 0..<200 {
            let bytes = (0..<64).map { _ in g.next(3) == 0 ? UInt8(g.next(256)) : UInt8(48 + g.next(10)) }
            let mask = bytes.withUnsafeBufferPointer { CSVChunkParser.nonDigits($0.baseAddress!) }
            for (k, b) in bytes.enumerated() {
                XCTAssertEqual(mask >> UInt64(k) & 1 == 1, !(48...57).contains(b), "byte \(k) = \(b)")
            }
        }
    }
}

private extension Result where Failure == TabularError {
    var failureMessage: String? {
        if case .failure(let error) = self { return error.message }
        return nil
    }
}
