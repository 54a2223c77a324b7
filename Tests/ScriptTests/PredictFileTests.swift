import XCTest
import Engine
import Tabular
@testable import Script

/// `predict "rows.csv" [to "out.csv"]`: every row through the pipeline and the model, and
/// every problem named by its line.
final class PredictFileTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder("dl-predict")
    }

    private func write(_ name: String, _ text: String) throws -> String { try writeFile(name, text, in: folder) }

    private func penguins() -> (Interpreter, CapturedOutput) {
        let output = CapturedOutput(width: 100)
        let interpreter = Interpreter(output: output)
        for line in ["load penguins", "split 0.8 seed=42 stratify", "impute median", "encode onehot island,sex",
                     "drop year", "scale minmax", "dense 8 relu", "dense 3 softmax", "train lr=0.1 epochs=3"] {
            XCTAssertEqual(interpreter.runInteractive(line), .ok, output.text)
        }
        return (interpreter, output)
    }

    func testEveryRowIsPredictedAsTheModelSeesIt() throws {
        let (interpreter, output) = penguins()
        let source = try String(contentsOfFile: DLBinaryFolder.datasets + "/penguins.csv", encoding: .utf8)
        let input = try write("new.csv", source)
        let out = folder + "/out.csv"
        XCTAssertEqual(interpreter.runInteractive("predict \"\(input)\" to \"\(out)\""), .ok, output.text)
        let written = try CSV.read(path: out)
        let loaded = try CSV.read(path: input)
        XCTAssertEqual(written.rowCount, loaded.rowCount, "no row is dropped")
        XCTAssertEqual(written.columnNames, loaded.columnNames + ["predicted_species", "prob_Adelie", "prob_Chinstrap", "prob_Gentoo"])
        for (out, input) in zip(written.columns, loaded.columns) {
            // Compared as text, so that missing cells (NaN) compare equal.
            XCTAssertTrue(Table(columns: [out], rowCount: written.rowCount, source: "").csv() == Table(columns: [input], rowCount: loaded.rowCount, source: "").csv(),
                          "input column \(input.name) comes out as it went in")
        }

        let session = interpreter.session
        let raw = Table(columns: loaded.columns.filter { $0.name != "species" }, rowCount: loaded.rowCount, source: "raw")
        let (features, _) = try XCTUnwrap(session.data).features(ofRaw: raw)
        let model = try XCTUnwrap(session.model)
        let expected = model.network.predict(Tensor(shape: [raw.rowCount, features.count / raw.rowCount], data: features))
        for (k, name) in ["prob_Adelie", "prob_Chinstrap", "prob_Gentoo"].enumerated() {
            guard case .numeric(let p)? = written.column(named: name)?.data else { return XCTFail("\(name) is not numeric") }
            for r in 0..<raw.rowCount {
                XCTAssertEqual(Float(p[r]), expected.data[r * 3 + k], "row \(r) \(name): the shortest text of the Float reads back as it")
            }
        }
        guard case .text(let classes)? = written.column(named: "predicted_species")?.data else { return XCTFail() }
        XCTAssertEqual(classes.compactMap { $0 }.count, raw.rowCount)

        // Without `to`, a table of the first rows.
        XCTAssertEqual(interpreter.runInteractive("predict \"\(input)\""), .ok)
        XCTAssertTrue(output.text.contains("add `to \"predictions.csv\"` to write all \(raw.rowCount) rows"), output.text)
    }

    func testProblemsAreNamedByTheirLine() throws {
        let (interpreter, output) = penguins()
        let header = "species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year\n"
        let good = "Adelie,Torgersen,39.1,18.7,181,3750,male,2007\n"
        let cases: [(String, String)] = [
            (header + good + "Adelie,Torgersen,39.1,18.7,181\n", "line 3 of 'bad1.csv' has 5 fields but the header has 8"),
            (header + good + good + "Adelie,Torgersen,39.1,abc,181,3750,male,2007\n", "line 4 of 'bad2.csv' has 'abc' in numeric column 'bill_depth_mm'"),
            ("island,bill_length_mm,bill_depth_mm,flipper_length_mm,sex,colour\nTorgersen,39.1,18.7,181,male,red\n",
             "'bad3.csv' lacks column body_mass_g and has column colour that the model does not take"),
        ]
        for (k, (text, expected)) in cases.enumerated() {
            let path = try write("bad\(k + 1).csv", text)
            let before = output.text.count
            XCTAssertEqual(interpreter.runInteractive("predict \"\(path)\""), .runtimeError)
            XCTAssertTrue(output.text.dropFirst(before).contains(expected), "expected «\(expected)» in:\n\(output.text.dropFirst(before))")
        }
        // An unseen category is encoded as zeros and named with its line; the row is still predicted.
        let unseen = try write("unseen.csv", header + good + "Adelie,Atlantis,39.1,18.7,181,3750,male,2007\n")
        XCTAssertEqual(interpreter.runInteractive("predict \"\(unseen)\""), .ok, output.text)
        XCTAssertTrue(output.text.contains("'Atlantis' (first at line 3) was never seen in island during training"), output.text)
        XCTAssertTrue(output.text.contains("[2 of 2 rows") || output.text.contains("1  Adelie"), output.text)
        // `to` belongs to a file of rows; a folder is no place to write.
        XCTAssertEqual(interpreter.runInteractive("predict Torgersen,39.1,18.7,181,3750,male to \"x.csv\""), .runtimeError)
        XCTAssertTrue(output.text.contains("`to` writes the predictions of a file of rows"), output.text)
        XCTAssertEqual(interpreter.runInteractive("predict \"\(unseen)\" to \"\(folder)\""), .runtimeError)
        XCTAssertTrue(output.text.contains("it is a folder"), output.text)
    }

    func testAMissingValueNothingFillsIsNamedByItsLine() throws {
        let output = CapturedOutput(width: 100)
        let interpreter = Interpreter(output: output)
        for line in ["load iris", "dense 3 softmax", "train epochs=1"] { XCTAssertEqual(interpreter.runInteractive(line), .ok, output.text) }
        let path = try write("gaps.csv", "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm\n5.1,3.5,1.4,0.2\n\n4.9,,1.4,0.2\n")
        XCTAssertEqual(interpreter.runInteractive("predict \"\(path)\""), .runtimeError)
        XCTAssertTrue(output.text.contains("the value for 'sepal_width_cm' is missing at line 4 and nothing fills it"), output.text)
    }
}

/// Where the repository's data sets are, from this file's place.
enum DLBinaryFolder {
    static let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("datasets").path
}
