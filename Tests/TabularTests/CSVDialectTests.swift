import XCTest
@testable import Tabular

/// `sep=`, `decimal=`, `thousands=` and `na=`, read as pandas reads them, by the one-piece
/// and the split parser alike; pandas' own missing spellings in every dialect.
final class CSVDialectTests: XCTestCase {
    private func read(_ text: String, _ dialect: CSVDialect = .standard, parts: Int = 1) throws -> Table {
        let bytes = Array(text.utf8)
        if let problem = dialect.problem { throw problem }
        return try bytes.withUnsafeBufferPointer { buffer in
            var reader = CSVReader(bytes: buffer, source: "t.csv", dialect: dialect)
            reader.parts = parts
            reader.minimumChunkBytes = 1
            return try reader.read()
        }
    }

    private func numbers(_ table: Table, _ name: String, file: StaticString = #filePath, line: UInt = #line) -> [Double] {
        guard case .numeric(let values)? = table.column(named: name)?.data else {
            XCTFail("column \(name) is not numeric: \(String(describing: table.column(named: name)?.data))", file: file, line: line)
            return []
        }
        return Array(values)
    }

    private func same(_ a: [Double], _ b: [Double], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.map { $0.isNaN ? "NaN" : String($0) }, b.map { $0.isNaN ? "NaN" : String($0) }, file: file, line: line)
    }

    static let european = CSVDialect(separator: UInt8(ascii: ";"), decimal: UInt8(ascii: ","), thousands: UInt8(ascii: "."))

    func testASpreadsheetExportFromEuropeReadsAsNumbersOnBothPaths() throws {
        let text = "price;qty;name\n1.234,5;1;a\n2,5;NULL;b\n1.000.000;3;c\n-0,25;N/A;d\n7;4;e\n"
        for parts in [1, 2, 3] {
            let table = try read(text, Self.european, parts: parts)
            same(numbers(table, "price"), [1234.5, 2.5, 1_000_000, -0.25, 7])
            same(numbers(table, "qty"), [1, .nan, 3, .nan, 4])
            XCTAssertEqual(table.column(named: "name")?.data, .text(["a", "b", "c", "d", "e"]))
        }
    }

    func testQuotedNumbersWithThousandsSeparatorsAreNumbersOnlyWithThousands() throws {
        let text = "x,y\n\"1,234\",a\n\"12,345.5\",b\n\"-1,000,000\",c\n"
        let plain = try read(text)
        XCTAssertEqual(plain.column(named: "x")?.data, .text(["1,234", "12,345.5", "-1,000,000"]))
        let grouped = try read(text, CSVDialect(thousands: UInt8(ascii: ",")))
        same(numbers(grouped, "x"), [1234, 12345.5, -1_000_000])
    }

    func testThousandsSeparatorsMustSeparateGroupsOfThree() {
        let dialect = CSVDialect(decimal: UInt8(ascii: ","), thousands: UInt8(ascii: "."))
        XCTAssertEqual(dialect.number("1.234.567,25"), 1_234_567.25)
        XCTAssertEqual(dialect.number("1234,5"), 1234.5)
        XCTAssertEqual(dialect.number("12.345"), 12345)
        // pandas would read these as 15 and 1234; a wrong number is worse than a cell pointed at.
        XCTAssertNil(dialect.number("1.5"))
        XCTAssertNil(dialect.number("12.34"))
        XCTAssertNil(dialect.number("1234.567"))
        XCTAssertNil(dialect.number(".123"))
        XCTAssertNil(dialect.number("1..234"))
        XCTAssertNil(dialect.number("1.234.5"))
        XCTAssertNil(CSVDialect.standard.number("1,5"))
    }

    func testADecimalCommaGoesThroughTheSlowPathToo() throws {
        // 20 digits exceed the fast path's exact range: strtod must get a point, not a comma.
        let dialect = CSVDialect(separator: UInt8(ascii: ";"), decimal: UInt8(ascii: ","))
        XCTAssertEqual(dialect.number("0,12345678901234567890"), 0.12345678901234567890)
        XCTAssertEqual(dialect.number("1,5e3"), 1500)
        XCTAssertNil(dialect.number("1.5"))
    }

    func testPandasMissingSpellingsAreMissingInNumbersAndText() throws {
        let words = ["", "NA", "N/A", "NULL", "None", "NaN", "nan", "-nan", "#N/A", "n/a", "null", "<NA>", "-NaN",
                     "1.#IND", "1.#QNAN", "#NA", "#N/A N/A", "-1.#IND", "-1.#QNAN"]
        let text = "x,t\n" + words.map { "\($0),\($0)" }.joined(separator: "\n") + "\n1,a\n"
        for parts in [1, 2] {
            let table = try read(text, parts: parts)
            same(numbers(table, "x"), [Double](repeating: .nan, count: words.count) + [1])
            XCTAssertEqual(table.column(named: "t")?.data, .text([String?](repeating: nil, count: words.count) + ["a"]))
        }
        // Only the exact spellings: a category that merely contains one stays.
        let kept = try read("t,y\nNone yet,1\nNULLS,2\nnull,3\n")
        XCTAssertEqual(kept.column(named: "t")?.data, .text(["None yet", "NULLS", nil]))
    }

    func testNaAddsSpellingsAndMatchesNumbersByValue() throws {
        let dialect = CSVDialect(missing: ["-999", "missing", "?"])
        let text = "x,t\n-999,missing\n-999.0,a\n5,?\n999,b\n"
        for parts in [1, 2] {
            let table = try read(text, dialect, parts: parts)
            same(numbers(table, "x"), [.nan, .nan, 5, 999])
            XCTAssertEqual(table.column(named: "t")?.data, .text([nil, "a", nil, "b"]))
        }
        // Plain digit cells take the fast path: a missing number among them is still found.
        let digits = "x,y\n" + (0..<200).map { "\($0 % 7 == 0 ? 42 : $0),1" }.joined(separator: "\n") + "\n"
        let table = try read(digits, CSVDialect(missing: ["42"]), parts: 2)
        XCTAssertEqual(numbers(table, "x").filter(\.isNaN).count, (0..<200).filter { $0 % 7 == 0 }.count)
    }

    func testTabsAndOtherSeparatorsSplitFieldsOnBothPaths() throws {
        let text = (0..<50).map { "\($0)\t\($0 * 2).5\tname \($0)" }.joined(separator: "\n")
        for parts in [1, 2, 4] {
            let table = try read("a\tb\tc\n" + text + "\n", CSVDialect(separator: 9), parts: parts)
            XCTAssertEqual(table.columnNames, ["a", "b", "c"])
            same(numbers(table, "b"), (0..<50).map { Double($0 * 2) + 0.5 })
        }
        let piped = try read("a|b\n\"1|2\"|3\n", CSVDialect(separator: UInt8(ascii: "|")))
        XCTAssertEqual(piped.column(named: "a")?.data, .text(["1|2"]))
    }

    func testAFieldCountErrorNamesTheSeparator() {
        XCTAssertThrowsError(try read("a;b\n1;2;3\n", CSVDialect(separator: UInt8(ascii: ";")))) { error in
            XCTAssertEqual((error as? TabularError)?.message, "line 2 of 't.csv' has 3 fields but the header has 2")
            XCTAssertEqual((error as? TabularError)?.hint, "check for a missing or extra ';', or quote fields that contain ';'")
        }
    }

    func testASeparatorThatYieldsOneColumnIsAnErrorNamingTheSeparatorSeen() {
        let semicolons = CSVDialect(separator: UInt8(ascii: ";"))
        XCTAssertThrowsError(try read("a,b,c\n1,2,3\n", semicolons)) { error in
            let error = error as? TabularError
            XCTAssertEqual(error?.message, "line 1 of 't.csv' (the header) is one column named 'a,b,c' with sep=';': the fields seem to be separated by ','")
            XCTAssertEqual(error?.problem, .otherSeparator(CSVDialect.comma))
        }
        XCTAssertThrowsError(try read("abc\n1\n", semicolons)) { error in
            XCTAssertEqual((error as? TabularError)?.message, "line 1 of 't.csv' (the header) is one column named 'abc' with sep=';': the separator splits nothing")
            XCTAssertEqual((error as? TabularError)?.problem, .otherSeparator(nil))
        }
        XCTAssertThrowsError(try read("a;b\n1;2\n")) { error in
            XCTAssertEqual((error as? TabularError)?.problem, .otherSeparator(UInt8(ascii: ";")))
        }
        // A one-column file with commas is a table of one column, as before.
        XCTAssertEqual(try read("abc\n1\n").columnNames, ["abc"])
    }

    func testConflictingSettingsAreRefusedBeforeAnythingIsRead() {
        let same = CSVDialect(decimal: UInt8(ascii: ","), thousands: UInt8(ascii: ","))
        XCTAssertEqual(same.conflict?.key, "thousands")
        XCTAssertEqual(same.problem?.message, "thousands=',' is also the decimal separator, so '1,234' could be either")
        XCTAssertThrowsError(try CSV.parse(bytes: Array("a\n1\n".utf8), source: "t.csv", dialect: same))
        XCTAssertEqual(CSVDialect(separator: UInt8(ascii: "\"")).conflict?.key, "sep")
        XCTAssertEqual(CSVDialect(decimal: UInt8(ascii: "5")).problem?.message, "decimal='5' is a digit")
        XCTAssertEqual(CSVDialect(separator: 10).problem?.message, "sep='\\n' is a line end")
        // The field separator may also be the decimal or thousands separator: quotes carry it.
        XCTAssertNil(CSVDialect(decimal: UInt8(ascii: ",")).problem)
        XCTAssertNil(CSVDialect(thousands: UInt8(ascii: ",")).problem)
    }

    func testRandomFilesReadTheSameInOnePieceAndSplitInEveryDialect() throws {
        // Cells drawn from digits, separators, signs and missing spellings: the split reader's
        // fast path and the general one must agree cell for cell, or fail alike.
        let pieces = ["1", "23", "4567", "0,5", "1.234", "1.234,5", "-7", "NULL", "?", "-999", "-999,0", "x", "", " 8 ", "12345678", "9,"]
        var state: UInt64 = 42
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let dialects = [Self.european, CSVDialect(separator: UInt8(ascii: ";"), decimal: UInt8(ascii: ","), missing: ["-999", "?"]),
                        CSVDialect(separator: 9, thousands: UInt8(ascii: ","))]
        for trial in 0..<60 {
            let dialect = dialects[trial % dialects.count]
            let sep = String(UnicodeScalar(dialect.separator))
            let width = 1 + next(4)
            var text = (0..<width).map { "c\($0)" }.joined(separator: sep) + "\n"
            for _ in 0..<(20 + next(200)) {
                text += (0..<width).map { _ in pieces[next(pieces.count)] }.joined(separator: sep) + (next(10) == 0 ? "\r\n" : "\n")
            }
            let whole = Result { try read(text, dialect, parts: 1) }
            let split = Result { try read(text, dialect, parts: 3) }
            switch (whole, split) {
            case (.success(let a), .success(let b)):
                XCTAssertEqual(a.rowLines, b.rowLines, "trial \(trial)")
                for (x, y) in zip(a.columns, b.columns) {
                    XCTAssertEqual(x.nonNumericCell, y.nonNumericCell, "trial \(trial)")
                    switch (x.data, y.data) {
                    case (.numeric(let u), .numeric(let v)): XCTAssertEqual(u.map(\.bitPattern), v.map(\.bitPattern), "trial \(trial)")
                    case (.text(let u), .text(let v)): XCTAssertEqual(u, v, "trial \(trial)")
                    default: XCTFail("trial \(trial): column \(x.name) has different types")
                    }
                }
            case (.failure(let a), .failure(let b)):
                XCTAssertEqual((a as? TabularError)?.message, (b as? TabularError)?.message, "trial \(trial)")
            default:
                XCTFail("trial \(trial): only one read failed")
            }
        }
    }

    func testMissingIsAskedOfTrimmedText() {
        let dialect = CSVDialect(missing: ["?"])
        XCTAssertTrue(dialect.isMissing(" NULL "))
        XCTAssertTrue(dialect.isMissing("?"))
        XCTAssertTrue(dialect.isMissing(""))
        XCTAssertFalse(dialect.isMissing("0"))
        XCTAssertFalse(CSVDialect.standard.isMissing("?"))
    }
}
