import XCTest
@testable import Tabular

final class CSVTests: XCTestCase {
    private func parse(_ text: String, source: String = "t.csv") throws -> Table {
        try CSV.parse(bytes: Array(text.utf8), source: source)
    }

    private func error(_ text: String) -> TabularError? {
        do { _ = try parse(text); return nil } catch { return error as? TabularError }
    }

    func testParsesCellsAndInfersTypes() throws {
        // input → expected columns
        let cases: [(String, [Column])] = [
            ("a,b\n1,x\n2,y\n", [Column(name: "a", data: .numeric([1, 2])), Column(name: "b", data: .text(["x", "y"]))]),
            ("a,b\n1,x\n2,y", [Column(name: "a", data: .numeric([1, 2])), Column(name: "b", data: .text(["x", "y"]))]),
            ("a,b\r\n1,x\r\n2,y\r\n", [Column(name: "a", data: .numeric([1, 2])), Column(name: "b", data: .text(["x", "y"]))]),
            ("a,b\n1,x\n\n2,y\n\n\n", [Column(name: "a", data: .numeric([1, 2])), Column(name: "b", data: .text(["x", "y"]))]),
            ("n\n1e-3\n-0.5\n.5\n+2\n1.\n1E2\n", [Column(name: "n", data: .numeric([0.001, -0.5, 0.5, 2, 1, 100]))]),
            ("q\n\"a,b\"\n\"say \"\"hi\"\"\"\n\"two\nlines\"\n", [Column(name: "q", data: .text(["a,b", "say \"hi\"", "two\nlines"]))]),
            ("x,y\n1,\nNA,b\n,NA\n", [Column(name: "x", data: .numeric([1, .nan, .nan])), Column(name: "y", data: .text([nil, "b", nil]))]),
            ("x\n\"12\"\n 3 \n", [Column(name: "x", data: .numeric([12, 3]))]),
            ("x\ninf\n1\n", [Column(name: "x", data: .numeric([.infinity, 1]))]),
            ("x\nnan\n1\n", [Column(name: "x", data: .numeric([.nan, 1]))]),
            ("\u{FEFF}id,v\n1,2\n", [Column(name: "id", data: .numeric([1])), Column(name: "v", data: .numeric([2]))]),
        ]
        for (input, expected) in cases {
            let table = try parse(input)
            XCTAssertEqual(table.columns.count, expected.count, input)
            for (got, want) in zip(table.columns, expected) {
                XCTAssertEqual(got.name, want.name, input)
                switch (got.data, want.data) {
                case (.numeric(let a), .numeric(let b)):
                    XCTAssertEqual(a.count, b.count, input)
                    for (x, y) in zip(a, b) { XCTAssertTrue(x == y || (x.isNaN && y.isNaN), "\(input): \(a) vs \(b)") }
                case (.text(let a), .text(let b)):
                    XCTAssertEqual(a, b, input)
                default:
                    XCTFail("\(input): column \(got.name) is \(got.data), expected \(want.data)")
                }
            }
            XCTAssertEqual(table.rowCount, expected[0].data.count, input)
        }
    }

    func testMissingCountsAndLines() throws {
        let table = try parse("a,b\n1,\"multi\nline\"\nNA,x\n3,\n")
        XCTAssertEqual(table.rowCount, 3)
        XCTAssertEqual(table.column(named: "a")?.missingCount, 1)
        XCTAssertEqual(table.column(named: "b")?.missingCount, 1)
        XCTAssertEqual(table.rowLines, [2, 4, 5])
        XCTAssertEqual(table.columnNames, ["a", "b"])
        XCTAssertNil(table.column(named: "c"))
    }

    func testFirstNonNumericNamesTheLine() throws {
        let table = try parse("x,name\n1,a\n2,b\n3,\"c\nc\"\nabc,d\n5,e\n")
        let x = try XCTUnwrap(table.column(named: "x"))
        let stray = try XCTUnwrap(x.firstNonNumeric)
        XCTAssertEqual(stray.row, 3)
        XCTAssertEqual(stray.line, 6)    // the quoted "c\nc" spans lines 4-5
        XCTAssertEqual(stray.value, "abc")
        XCTAssertNil(table.column(named: "name")?.firstNonNumeric, "a genuinely text column has no stray cell")
        XCTAssertEqual(x.data, .text(["1", "2", "3", "abc", "5"]))
    }

    func testColumnInitFindsStrayCell() {
        let mostlyNumbers = Column(name: "x", data: .text(["1", nil, "2.5", "oops", "4"]))
        XCTAssertEqual(mostlyNumbers.nonNumericCell, NonNumericCell(row: 3, line: 5, value: "oops"))
        XCTAssertEqual(mostlyNumbers.missingCount, 1)
        XCTAssertNil(Column(name: "y", data: .text(["a", "b", "1"])).firstNonNumeric)
        XCTAssertNil(Column(name: "z", data: .numeric([1, .nan])).firstNonNumeric)
        XCTAssertEqual(Column(name: "z", data: .numeric([1, .nan])).missingCount, 1)
    }

    func testLoneCarriageReturnsEndLines() throws {
        let table = try parse("a,b\r1,2\r3,4")
        XCTAssertEqual(table.rowCount, 2)
        XCTAssertEqual(table.columns[1].data, .numeric([2, 4]))
        XCTAssertEqual(table.rowLines, [2, 3])
    }

    func testNumbersMatchSwiftParsing() throws {
        let samples = ["0", "-0", "0.1", "0.3", "123456789012345678", "1234567890123456789012", "3.14159265358979323846",
                       "1e22", "1e23", "2.2250738585072014e-308", "4.9e-324", "1.7976931348623157e308",
                       "0.000001", "9007199254740993", "-7.25e-5", "17.99", "0.07871", "00012.500"]
        let table = try parse("v\n" + samples.joined(separator: "\n"))
        guard case .numeric(let values) = table.columns[0].data else { return XCTFail("not numeric") }
        for (text, value) in zip(samples, values) {
            XCTAssertEqual(value.bitPattern, Double(text)!.bitPattern, text)
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let text = String(format: "%.\(Int.random(in: 0...17, using: &rng))f",
                              Double.random(in: -1e6...1e6, using: &rng))
            let bytes = Array(text.utf8)
            let parsed = bytes.withUnsafeBufferPointer { NumberParser.parse($0, 0, $0.count) }
            XCTAssertEqual(parsed?.bitPattern, Double(text)!.bitPattern, text)
        }
    }

    func testErrors() {
        let cases: [(String, String, String?)] = [
            ("", "'t.csv' is empty; expected a header row and at least one data row", nil),
            ("\n\n", "'t.csv' is empty; expected a header row and at least one data row", nil),
            ("a,b\n", "'t.csv' has a header but no data rows", nil),
            ("a,b,c,d,e\n1,2,3,4,5\n1,2,3,4,5\n1,2,3,4,5\n1,2,3,4,5\n1,2,3,4,5\n1,2,3,4\n",
             "line 7 of 't.csv' has 4 fields but the header has 5",
             "check for a missing or extra comma, or quote fields that contain commas"),
            ("a,b\n1,2,3\n", "line 2 of 't.csv' has 3 fields but the header has 2",
             "check for a missing or extra comma, or quote fields that contain commas"),
            ("a,b\n1,2\n3,\"open\n4,5\n", "line 3 of 't.csv' opens a quoted field that is never closed",
             "add the closing quote; to put a quote inside a quoted field, double it (\"\")"),
            ("a,b\n\"x\"y,2\n", "line 2 of 't.csv' has text after the closing quote of a field",
             "a quoted field must end at its closing quote; to put a quote inside it, double it (\"\")"),
            ("a,a\n1,2\n", "line 1 of 't.csv' (the header) names column 'a' twice (columns 1 and 2)",
             "rename them so that every column has its own name"),
        ]
        for (input, message, hint) in cases {
            let error = self.error(input)
            XCTAssertEqual(error?.message, message, input)
            if let hint { XCTAssertEqual(error?.hint, hint, input) }
        }
    }

    func testMissingFile() {
        XCTAssertThrowsError(try CSV.read(path: "/no/such/x.csv")) { error in
            XCTAssertEqual(error as? TabularError, TabularError(
                "cannot open '/no/such/x.csv': no such file",
                hint: "check the path; bundled data sets are: iris, breast_cancer, digits, diabetes, penguins, seattle, cars, airline"))
        }
    }

    func testReadsFileAndNamesSourceByFileName() throws {
        let path = NSTemporaryDirectory() + "tabular-test-\(getpid()).csv"
        try "a,b\n1,2\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let table = try CSV.read(path: path)
        XCTAssertEqual(table.source, "tabular-test-\(getpid()).csv")
        XCTAssertEqual(table.columns[1].data, .numeric([2]))
    }
}
