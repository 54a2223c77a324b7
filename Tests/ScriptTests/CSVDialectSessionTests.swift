import XCTest
import Tabular
@testable import Script

/// `load … sep= decimal= thousands= na=` in a session: the bad inputs are errors that name
/// the key that reads the file and leave the session as it was; the dialect goes with the
/// model to `predict "FILE"`, `save model` and the exported scripts.
final class CSVDialectSessionTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder("dl-dialect")
    }

    private func write(_ name: String, _ text: String) throws -> String { try writeFile(name, text, in: folder) }

    /// A European export: semicolons, decimal commas, thousands points, NULL for a gap.
    private func european(rows: Int = 60) throws -> String {
        var text = "size;weight;kind\n"
        for r in 0..<rows {
            let big = r % 2 == 0
            let weight = big ? "1.\(String(format: "%03d", 200 + r)),5" : "\(r % 10),25"
            text += "\(r % 5 == 1 ? "NULL" : big ? "\(10 + r % 3),5" : "\(r % 4),0");\(weight);\(big ? "big" : "small")\n"
        }
        return try write("eu.csv", text)
    }

    func testASeparatorThatYieldsOneColumnNamesTheKeyAndKeepsTheSession() throws {
        let comma = try write("comma.csv", "a,b,y\n1,2,p\n3,4,q\n")
        let (text, outcomes) = runLines(["load iris", "load \"\(comma)\" sep=\";\"", "columns"])
        XCTAssertEqual(outcomes, [.ok, .runtimeError, .ok], text)
        XCTAssertTrue(text.contains("error: line 1 of 'comma.csv' (the header) is one column named 'a,b,y' with sep=';': the fields seem to be separated by ','"), text)
        XCTAssertTrue(text.contains("hint: read it with `load \"\(comma)\"` (a comma is the default separator)"), text)
        XCTAssertTrue(text.contains("sepal_length_cm"), "iris is still loaded:\n\(text)")
    }

    func testAFileWithAnotherSeparatorNamesTheKeyThatReadsIt() throws {
        let path = try european()
        let (text, outcomes) = runLines(["load \"\(path)\"", "load \"\(path)\" sep=\";\" decimal=\",\" thousands=\".\" na=\"NULL\""])
        XCTAssertEqual(outcomes, [.runtimeError, .ok], text)
        XCTAssertTrue(text.contains("the fields seem to be separated by ';', not commas"), text)
        XCTAssertTrue(text.contains("hint: read it with `load \"\(path)\" sep=\";\"`"), text)
        XCTAssertTrue(text.contains("loaded eu.csv: 60 rows, 2 features; target 'kind': 2 classes (big, small)"), text)
    }

    func testThousandsEqualToDecimalIsRefusedAtTheKey() {
        let (text, outcomes) = runLines(["load iris", "load iris decimal=\",\" thousands=\",\"", "split 0.8"])
        XCTAssertEqual(outcomes, [.ok, .badScript, .ok], text)
        XCTAssertTrue(text.contains("2:33: error: thousands=',' is also the decimal separator, so '1,234' could be either"), text)
        XCTAssertTrue(text.contains("split: 120 training rows"), "the session goes on with iris:\n\(text)")
        let (other, _) = runLines(["load iris sep=\"ab\"", "load iris decimal=\"5\""])
        XCTAssertTrue(other.contains("error: sep= takes one character, but got 'ab'"), other)
        XCTAssertTrue(other.contains("error: decimal='5' is a digit"), other)
    }

    func testNumbersWrittenAnotherWayAreNamedWithTheKeysThatReadThem() throws {
        let grouped = try write("grouped.csv", "x,y\n\"1,234\",a\n\"12,345\",b\n")
        assertOutput(["load \"\(grouped)\""],
                     ["note: column 'x' holds numbers written like '1,234', read as text; load with `thousands=\",\"` to read them as numbers"])
        assertOutput(["load \"\(grouped)\" thousands=\",\"", "describe"], ["x           2  6790  7857  1234  4012  6790  9567  12345"])
        let stray = try write("stray.csv", "x,y\n1.5,a\n2.5,b\n\"3,5\",a\n")
        assertOutput(["load \"\(stray)\""], ["error: column 'x' holds numbers, but line 4 of 'stray.csv' has '3,5'",
                                            "hint: if numbers are written like that in this file, load it with `decimal=\",\"`; else fix or remove that cell"])
    }

    func testPandasMissingSpellingsAndNaAreMissing() throws {
        let path = try write("gaps.csv", "a,b,y\n1,None,p\nNULL,2,q\n#N/A,?,p\n4,5,q\n")
        assertOutput(["load \"\(path)\" na=\"?\"", "missing"], ["a             2    50.0%", "b             2    50.0%", "4 missing values in 3 of 4 rows"])
    }

    func testTheDialectGoesWithTheModelToPredictSaveAndExports() throws {
        let path = try european()
        let model = folder + "/m.safetensors", out = folder + "/out.csv", script = folder + "/train.py"
        let new = try write("new.csv", "size;weight;kind\n10,5;1.300,5;big\n2,0;3,25;small\n")
        let comma = try write("comma_rows.csv", "size,weight\n10.5,1300.5\n")
        let output = CapturedOutput(width: 100)
        let interpreter = Interpreter(output: output)
        for line in ["load \"\(path)\" sep=\";\" decimal=\",\" thousands=\".\" na=\"NULL\"", "impute median", "scale minmax",
                     "dense 4 relu", "dense 2 softmax", "train lr=0.1 epochs=2",
                     "predict \"\(new)\" to \"\(out)\"", "save model \"\(model)\"", "export keras \"\(script)\""] {
            XCTAssertEqual(interpreter.runInteractive(line), .ok, output.text)
        }
        XCTAssertEqual(try CSV.read(path: out).rowCount, 2, "the new rows were read with semicolons and decimal commas")
        let exported = try String(contentsOfFile: script, encoding: .utf8)
        XCTAssertTrue(exported.contains("pd.read_csv(DATA, sep=\";\", decimal=\",\", thousands=\".\", na_values=[\"NA\", \"NULL\"])"), exported)

        // The saved model remembers the dialect; keys given to predict replace it.
        let (text, outcomes) = runLines(["load model \"\(model)\"", "predict \"\(new)\"", "predict \"\(comma)\"",
                                         "predict \"\(comma)\" sep=\",\" decimal=\".\""])
        XCTAssertEqual(outcomes, [.ok, .ok, .runtimeError, .ok], text)
        XCTAssertTrue(text.contains("hint: read it with `predict \"\(comma)\" sep=\",\"`"), text)
        XCTAssertTrue(text.contains("(without keys, predict reads files as the training data was read: sep=\";\" decimal=\",\" thousands=\".\" na=\"NULL\")"), text)
    }

    func testDialectKeysTakeAFileOfRowsNotOneRow() {
        let (text, outcomes) = runLines(["predict 1,2 sep=\";\""])
        XCTAssertEqual(outcomes, [.badScript], text)
        XCTAssertTrue(text.contains("sep=, decimal=, thousands= and na= say how a file of rows is written, not one row"), text)
    }

    func testADialectRecordReadsBackAndRefusesNonsense() {
        let dialect = CSVDialect(separator: 9, decimal: UInt8(ascii: ","), thousands: UInt8(ascii: " "), missing: ["?"])
        XCTAssertEqual(DialectRecord(dialect).dialect, dialect)
        var broken = DialectRecord(dialect)
        broken.thousands = ","
        XCTAssertNil(broken.dialect, "thousands equal to decimal")
        broken.thousands = nil
        broken.sep = ";;"
        XCTAssertNil(broken.dialect)
    }
}
