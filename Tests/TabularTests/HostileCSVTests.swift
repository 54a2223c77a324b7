import Foundation
import XCTest
@testable import Tabular

/// Files a reader meets in the wild: each gives the right table or an error that names the
/// line and the problem and says how to fix it. Every input small enough goes through both
/// pass-1 paths (the sequential scanner and the split, two-thread parser) and must come out
/// the same. Bytes that are not UTF-8 text are in HostileCSVTests+Bytes.swift, named pipes
/// and devices in `SpecialFileTests`.
final class HostileCSVTests: XCTestCase {
    // MARK: Helpers

    func read(_ bytes: [UInt8], parts: Int) -> Result<Table, TabularError> {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = CSVReader(bytes: buffer, source: "t.csv")
            reader.parts = parts
            reader.minimumChunkBytes = 1
            do { return .success(try reader.read()) } catch { return .failure(error as! TabularError) }
        }
    }

    /// The sequential read, after checking that split reads give the same table or error.
    func outcome(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> Result<Table, TabularError> {
        let sequential = read(bytes, parts: 1)
        for parts in [2, 3] {
            switch (sequential, read(bytes, parts: parts)) {
            case (.success(let a), .success(let b)): assertSame(a, b, "\(parts) parts", file: file, line: line)
            case (.failure(let a), .failure(let b)): XCTAssertEqual(a, b, "\(parts) parts", file: file, line: line)
            case (let a, let b): XCTFail("\(parts) parts: \(a) vs sequential \(b)", file: file, line: line)
            }
        }
        return sequential
    }

    func table(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> Table {
        try table(Array(text.utf8), file: file, line: line)
    }

    func table(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> Table {
        try outcome(bytes, file: file, line: line).get()
    }

    func error(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> TabularError? {
        error(Array(text.utf8), file: file, line: line)
    }

    func error(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> TabularError? {
        switch outcome(bytes, file: file, line: line) {
        case .success(let table):
            XCTFail("expected an error, got \(table.rowCount) rows of \(table.columnNames)", file: file, line: line)
            return nil
        case .failure(let error):
            return error
        }
    }

    private func assertSame(_ a: Table, _ b: Table, _ note: String, file: StaticString, line: UInt) {
        XCTAssertEqual(a.rowCount, b.rowCount, note, file: file, line: line)
        XCTAssertEqual(a.rowLines, b.rowLines, note, file: file, line: line)
        XCTAssertEqual(a.columnNames, b.columnNames, note, file: file, line: line)
        for (x, y) in zip(a.columns, b.columns) {
            XCTAssertEqual(x.nonNumericCell, y.nonNumericCell, note, file: file, line: line)
            switch (x.data, y.data) {
            case (.numeric(let u), .numeric(let v)):
                XCTAssertEqual(u.map(\.bitPattern), v.map(\.bitPattern), "\(note) column \(x.name)", file: file, line: line)
            case (.text(let u), .text(let v)):
                XCTAssertEqual(u, v, "\(note) column \(x.name)", file: file, line: line)
            default:
                XCTFail("\(note): column \(x.name) has different types", file: file, line: line)
            }
        }
    }

    /// The column's numbers, failing when it is not numeric.
    func numbers(_ table: Table, _ name: String, file: StaticString = #filePath, line: UInt = #line) -> [Double] {
        guard case .numeric(let values)? = table.column(named: name)?.data else {
            XCTFail("column '\(name)' is not numeric: \(String(describing: table.column(named: name)?.data))", file: file, line: line)
            return []
        }
        return Array(values)
    }

    func texts(_ table: Table, _ name: String, file: StaticString = #filePath, line: UInt = #line) -> [String?] {
        guard case .text(let values)? = table.column(named: name)?.data else {
            XCTFail("column '\(name)' is not text", file: file, line: line)
            return []
        }
        return values
    }

    /// NaN-aware equality of number lists (NaN is a missing cell).
    func assertNumbers(_ got: [Double], _ want: [Double], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.count, want.count, "\(got) vs \(want)", file: file, line: line)
        for (x, y) in zip(got, want) {
            XCTAssertTrue(x == y || (x.isNaN && y.isNaN), "\(got) vs \(want)", file: file, line: line)
        }
    }

    func temporaryFile(_ bytes: [UInt8], name: String = "hostile.csv") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(name).path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Foundation.Data(bytes)))
        return path
    }

    func readError(path: String) -> TabularError? {
        do {
            _ = try CSV.read(path: path)
            XCTFail("expected an error reading \(path)")
            return nil
        } catch {
            return error as? TabularError
        }
    }

    private static let emptyMessage = "'t.csv' is empty; expected a header row and at least one data row"
    private static let noRowsMessage = "'t.csv' has a header but no data rows"
    private static let fieldsHint = "check for a missing or extra comma, or quote fields that contain commas"
    static let utf8Hint = "save the file as UTF-8 (a spreadsheet's 'CSV UTF-8'), or convert it, e.g. iconv -f latin1 -t utf-8 old.csv > new.csv"

    // MARK: Empty and header-only files

    func testAnEmptyFileIsAnError() throws {
        XCTAssertEqual(error("")?.message, Self.emptyMessage)
        let path = try temporaryFile([], name: "t.csv")
        XCTAssertEqual(readError(path: path)?.message, Self.emptyMessage)
    }

    func testBlankLinesAndSpacesAloneAreAnEmptyFile() {
        XCTAssertEqual(error("\n\r\n\r \t\n")?.message, Self.emptyMessage)
        XCTAssertEqual(error([0xEF, 0xBB, 0xBF])?.message, Self.emptyMessage, "a byte order mark alone")
    }

    func testAHeaderAloneIsAnError() {
        for text in ["a,b\n", "a,b", "a,b\r\n\r\n\n", "a,b\r"] {
            let error = self.error(text)
            XCTAssertEqual(error?.message, Self.noRowsMessage, text)
            XCTAssertEqual(error?.hint, "add data rows below the header line", text)
        }
    }

    // MARK: Byte order marks and line ends

    func testAByteOrderMarkIsNotPartOfTheFirstName() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        for text in ["id,v\n1,2\n3,4\n", "\"id\",v\r\n1,2\r\n3,4\r\n", "id,v\r1,2\r3,4"] {
            let table = try self.table(bom + Array(text.utf8))
            XCTAssertEqual(table.columnNames, ["id", "v"], text)
            assertNumbers(numbers(table, "id"), [1, 3])
            XCTAssertEqual(table.rowLines, [2, 3], text)
        }
    }

    func testCRLFLineEnds() throws {
        let table = try self.table("x,name\r\n1.5,a\r\n-2,b\r\n\r\n3,\"c\r\nd\"\r\n")
        XCTAssertEqual(table.columnNames, ["x", "name"])
        assertNumbers(numbers(table, "x"), [1.5, -2, 3])
        XCTAssertEqual(texts(table, "name"), ["a", "b", "c\r\nd"])
        XCTAssertEqual(table.rowLines, [2, 3, 5])
    }

    func testLoneCarriageReturnsEndLinesAsPandasReadsThem() throws {
        // Old Mac line ends: pandas' C reader takes a lone CR as a line end, and so do we.
        let table = try self.table("a,b\r1,x\r2,y\r\r3,z\r")
        XCTAssertEqual(table.columnNames, ["a", "b"])
        assertNumbers(numbers(table, "a"), [1, 2, 3])
        XCTAssertEqual(texts(table, "b"), ["x", "y", "z"])
        XCTAssertEqual(table.rowLines, [2, 3, 5])
        // Lines are counted at lone CRs, so an error names the right one.
        XCTAssertEqual(error("a,b\r1,2\r3\r")?.message, "line 3 of 't.csv' has 1 field but the header has 2")
    }

    func testMixedLineEnds() throws {
        let table = try self.table("a,b\n1,2\r\n3,4\r5,6\n\r\n7,8")
        assertNumbers(numbers(table, "b"), [2, 4, 6, 8])
        XCTAssertEqual(table.rowLines, [2, 3, 4, 6])
    }

    // MARK: Quotes

    func testQuotedCommasAndQuotes() throws {
        let table = try self.table("name,n\n\"Smith, John\",1\n\"say \"\"hi\"\"\",2\n\"\",3\n\" 4 \",5\n")
        XCTAssertEqual(texts(table, "name"), ["Smith, John", "say \"hi\"", nil, "4"])
        assertNumbers(numbers(table, "n"), [1, 2, 3, 5])
    }

    func testNewlinesInsideQuotesCountAsLines() throws {
        let table = try self.table("note,n\n\"two\nlines\",1\n\"three\r\nlines\rhere\",2\nplain,3\n")
        XCTAssertEqual(texts(table, "note"), ["two\nlines", "three\r\nlines\rhere", "plain"])
        XCTAssertEqual(table.rowLines, [2, 4, 7])
        // A later error names the file's line, not the record's number.
        XCTAssertEqual(error("note,n\n\"a\nb\",1\nc,2,3\n")?.message, "line 4 of 't.csv' has 3 fields but the header has 2")
    }

    func testAnUnterminatedQuoteNamesTheLineItOpensOn() {
        let hint = "add the closing quote; to put a quote inside a quoted field, double it (\"\")"
        for (text, line) in [("a,b\n1,\"open\n2,3\n4,5\n", 2), ("a,b\n1,2\n3,\"", 3), ("\"a,b\n1,2\n", 1)] {
            let error = self.error(text)
            XCTAssertEqual(error?.message, "line \(line) of 't.csv' opens a quoted field that is never closed", text)
            XCTAssertEqual(error?.hint, hint, text)
        }
    }

    func testTextAfterAClosingQuoteIsAnError() {
        let error = self.error("a,b\n1,2\n\"x\"y,3\n")
        XCTAssertEqual(error?.message, "line 3 of 't.csv' has text after the closing quote of a field")
        XCTAssertEqual(error?.hint, "a quoted field must end at its closing quote; to put a quote inside it, double it (\"\")")
    }

    func testAQuoteInsideAnUnquotedCellIsText() throws {
        // Only a quote that opens a field quotes it (RFC 4180, and pandas): 5'11" is a height.
        let table = try self.table("height,n\n5'11\",1\n6',2\n")
        XCTAssertEqual(texts(table, "height"), ["5'11\"", "6'"])
    }

    // MARK: Ragged rows and blank lines

    func testTooFewFieldsNamesTheLine() {
        var text = "a,b,c\n"
        for i in 0..<50 { text += "\(i),\(i),\(i)\n" }
        let error = self.error(text + "1,2\n")
        XCTAssertEqual(error?.message, "line 52 of 't.csv' has 2 fields but the header has 3")
        XCTAssertEqual(error?.hint, Self.fieldsHint)
    }

    func testTooManyFieldsNamesTheLine() {
        let error = self.error("a,b\n1,2\n3,4,5\n6,7\n")
        XCTAssertEqual(error?.message, "line 3 of 't.csv' has 3 fields but the header has 2")
        XCTAssertEqual(error?.hint, Self.fieldsHint)
        XCTAssertEqual(self.error("a,b\n1,2,\n")?.message, "line 2 of 't.csv' has 3 fields but the header has 2",
                       "a trailing comma is one more (empty) field")
    }

    func testBlankLinesAnywhereAreSkipped() throws {
        let table = try self.table("\n\r\nx,y\n\n1,2\n\n\n3,4\r\n\r\n")
        XCTAssertEqual(table.columnNames, ["x", "y"])
        assertNumbers(numbers(table, "y"), [2, 4])
        XCTAssertEqual(table.rowLines, [5, 8])
    }

    // MARK: Column names

    func testDuplicateNamesAreAnErrorNamingTheColumns() {
        let twice = error("a,b,a\n1,2,3\n")
        XCTAssertEqual(twice?.message, "line 1 of 't.csv' (the header) names column 'a' twice (columns 1 and 3)")
        XCTAssertEqual(twice?.hint, "rename them so that every column has its own name")
        XCTAssertEqual(error("\nx,x,y,x\n1,2,3,4\n")?.message,
                       "line 2 of 't.csv' (the header) names column 'x' 3 times (columns 1, 2 and 4)")
        XCTAssertEqual(error("a, a ,b\n1,2,3\n")?.message,
                       "line 1 of 't.csv' (the header) names column 'a' twice (columns 1 and 2)", "names are trimmed")
    }

    func testEmptyNamesAreAnErrorNamingTheColumns() {
        let index = error(",a,b\n0,1,2\n1,3,4\n")
        XCTAssertEqual(index?.message, "line 1 of 't.csv' (the header) has no name for column 1")
        XCTAssertEqual(index?.hint, "write a name for it in the header line; if it holds row numbers written by pandas' to_csv, save without them (index=False) or delete the column")
        let trailing = error("a,b,\n1,2,\n")
        XCTAssertEqual(trailing?.message, "line 1 of 't.csv' (the header) has no name for column 3")
        XCTAssertEqual(trailing?.hint, "write a name for it in the header line; if every line ends with a comma, remove the commas at the ends")
        let several = error("a,  ,\"\",b\n1,2,3,4\n")
        XCTAssertEqual(several?.message, "line 1 of 't.csv' (the header) has no name for columns 2 and 3")
        XCTAssertEqual(several?.hint, "write a name for each in the header line")
    }

    func testSemicolonsOrTabsInsteadOfCommasAreNamed() throws {
        // Read with commas, such a file would be one text column, or fail at the first
        // decimal comma with "line 2 has 2 fields".
        let semicolons = error("a;b;y\n1,5;2;p\n3;4;q\n")
        XCTAssertEqual(semicolons?.message, "line 1 of 't.csv' (the header) is one column named 'a;b;y': the fields seem to be separated by ';', not commas")
        XCTAssertEqual(semicolons?.hint, "read it with sep=';'")
        XCTAssertEqual(semicolons?.problem, .otherSeparator(UInt8(ascii: ";")))
        XCTAssertEqual(error("a\tb\n1\t2\n")?.message, "line 1 of 't.csv' (the header) is one column named 'a\tb': the fields seem to be separated by tabs, not commas")
        XCTAssertEqual(try self.table("a;b,c\n1;2,3\n").columnNames, ["a;b", "c"], "with commas, a semicolon is part of a name")
    }

    // MARK: Special numbers

    func testNaNWrittenAsTextIsMissing() throws {
        // pandas reads nan and NaN as missing; so do we, in numeric and text columns alike.
        var text = "x,name\n"
        for (x, name) in [("1", "a"), ("nan", "NaN"), ("NaN", "b"), ("-nan", "nan"), (" NAN ", "c"), ("2.5", "d")] {
            text += "\(x),\(name)\n"
        }
        let table = try self.table(text)
        assertNumbers(numbers(table, "x"), [1, .nan, .nan, .nan, .nan, 2.5])
        XCTAssertEqual(table.column(named: "x")?.missingCount, 4)
        XCTAssertEqual(texts(table, "name"), ["a", nil, "b", nil, "c", "d"])
        XCTAssertEqual(table.column(named: "name")?.missingCount, 2)
        XCTAssertNil(table.column(named: "name")?.nonNumericCell)
    }

    func testInfinityWrittenAsTextIsInfinite() throws {
        // pandas reads inf, -inf and Infinity (any case) as infinite numbers; the session
        // then refuses them before training (see DegenerateDataTests).
        let words = ["inf", "-inf", "+inf", "Infinity", "-Infinity", "INF", "infinity", "1"]
        let table = try self.table("v,w\n" + words.map { "\($0),1" }.joined(separator: "\n") + "\n")
        assertNumbers(numbers(table, "v"), [.infinity, -.infinity, .infinity, .infinity, -.infinity, .infinity, .infinity, 1])
        // Near misses stay text, so the column is text with the first one pointed at.
        let near = try self.table("v\n1\n2\ninfinit\n3\n")
        XCTAssertEqual(near.column(named: "v")?.nonNumericCell, NonNumericCell(row: 2, line: 4, value: "infinit"))
        XCTAssertEqual(texts(try self.table("v\n1\n2\n-in\n"), "v"), ["1", "2", "-in"])
    }

    func testNumbersBeyondFloatAreKeptAsDoubles() throws {
        let table = try self.table("v\n1e39\n-1e39\n3.4028236e38\n1\n")
        assertNumbers(numbers(table, "v"), [1e39, -1e39, 3.4028236e38, 1])
        guard case .numeric(let values)? = table.column(named: "v")?.data, case .double = values.storage else {
            return XCTFail("values beyond Float must be stored as Doubles")
        }
    }

    func testNumbersBeyondDoubleAreInfiniteAndTinyOnesZero() throws {
        let table = try self.table("v\n1e400\n-1e400\n1e-400\n2\n")
        assertNumbers(numbers(table, "v"), [.infinity, -.infinity, 0, 2])
    }

    // MARK: Shapes

    func testTenThousandColumns() throws {
        let width = 10_000
        var text = (0..<width).map { "c\($0)" }.joined(separator: ",") + "\n"
        for r in 0..<3 { text += (0..<width).map { String(r * width + $0) }.joined(separator: ",") + "\n" }
        let table = try self.table(text)
        XCTAssertEqual(table.columns.count, width)
        XCTAssertEqual(table.rowCount, 3)
        XCTAssertEqual(table.columnNames.last, "c9999")
        assertNumbers(numbers(table, "c9999"), [9999, 19999, 29999])
        assertNumbers(numbers(table, "c0"), [0, 10000, 20000])
    }

    func testOneColumn() throws {
        let table = try self.table("y\n1\nNA\n\n3\n")
        XCTAssertEqual(table.columnNames, ["y"])
        assertNumbers(numbers(table, "y"), [1, .nan, 3])
        XCTAssertEqual(table.rowLines, [2, 3, 5], "the blank line is skipped, as pandas skips it")
        XCTAssertEqual(texts(try self.table("word\nspam\n\"eggs, ham\"\n"), "word"), ["spam", "eggs, ham"])
    }

    func testTooManyColumnsIsAnErrorNotAnAllocation() {
        let header = [UInt8](repeating: UInt8(ascii: ","), count: CSVReader.maximumColumns) + Array("\n1\n".utf8)
        let start = Date()
        let error = self.error(header)
        XCTAssertEqual(error?.message, "line 1 of 't.csv' (the header) has more than 1,000,000 columns")
        XCTAssertEqual(error?.hint, "dl reads at most 1,000,000 columns: check that this is a CSV file, with commas between fields and a line end after each row")
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
    }

    func testA64MegabyteLineFinishesWithATableOrAnError() throws {
        // Built at run time, written to a temporary folder that is removed afterwards.
        let size = 64 << 20
        let start = Date()
        // One text cell of 64 MB.
        let cell = try CSV.read(path: temporaryFile(Array("a,b\n1,".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: size)))
        XCTAssertEqual(cell.rowCount, 1)
        XCTAssertEqual(texts(cell, "b").first??.utf8.count, size)
        // The whole file one line "1,1,1,…": a header of 32 million names and no data.
        XCTAssertEqual(readError(path: try temporaryFile(Self.ones(fields: size / 2)))?.message,
                       "line 1 of 'hostile.csv' (the header) has more than 1,000,000 columns")
        // (Debug builds scan slowly: the two below are a quarter as long.)
        // A data line of 4 million fields under a header of two.
        XCTAssertEqual(readError(path: try temporaryFile(Array("a,b\n".utf8) + Self.ones(fields: size / 8)))?.message,
                       "line 2 of 'hostile.csv' has 8388608 fields but the header has 2")
        // A number of 16 million digits is beyond any float.
        let digits = try CSV.read(path: temporaryFile(Array("n\n".utf8) + [UInt8](repeating: UInt8(ascii: "7"), count: size / 4)))
        assertNumbers(numbers(digits, "n"), [.infinity])
        XCTAssertLessThan(Date().timeIntervalSince(start), 60, "each is a pass or two over the bytes")
    }

    /// "1,1,…,1": `fields` ones.
    private static func ones(fields: Int) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "1"), UInt8(ascii: ",")]
        while bytes.count < 2 * fields { bytes += bytes }
        return Array(bytes[0 ..< 2 * fields - 1])
    }
}
