import XCTest
import Engine
import Tabular
@testable import Script

/// `features`: crosses as new columns, a recorded step that `predict`, saved models and
/// `show state` replay; and its errors, after which the session goes on.
final class FeatureCrossTests: XCTestCase {
    let irisCrosses = "features petal_length_cm*petal_width_cm, sepal_length_cm^2, petal_width_cm^3, sin(sepal_width_cm), cos(petal_width_cm), abs(sepal_width_cm), log1p(petal_length_cm)"

    private func interpreter(_ lines: [String], file: StaticString = #filePath, line: UInt = #line) -> (Interpreter, CapturedOutput) {
        let output = CapturedOutput(width: 100)
        let interpreter = Interpreter(output: output)
        for text in lines { XCTAssertEqual(interpreter.runInteractive(text), .ok, output.text, file: file, line: line) }
        return (interpreter, output)
    }

    func testParsesEachAllowedFormAndNamesItCanonically() {
        let cases: [(String, FeatureCross.Operation, [String])] = [
            ("x1*x2", .product, ["x1", "x2"]), ("a*b*c", .product, ["a", "b", "c"]), ("x1^2", .square, ["x1"]),
            ("x1^3", .cube, ["x1"]), ("sin(x1)", .sin, ["x1"]), ("cos(x2)", .cos, ["x2"]), ("abs(x1)", .abs, ["x1"]),
            ("log1p(age)", .log1p, ["age"]),
        ]
        for (text, operation, columns) in cases {
            let cross = FeatureCross.parse(text).cross
            XCTAssertEqual(cross?.operation, operation, text)
            XCTAssertEqual(cross?.columns, columns, text)
            XCTAssertEqual(cross?.name, text)
        }
        for bad in ["x1^x2", "x1^4", "exp(x1)", "sin(x1*x2)", "x1", "x1*", "sin(x1", "(x1)"] {
            XCTAssertNil(FeatureCross.parse(bad).cross, bad)
            XCTAssertNotNil(FeatureCross.parse(bad).problem, bad)
        }
    }

    /// The new columns hold what their expressions compute, row by row, from the raw columns.
    func testColumnsAreComputedFromTheRawColumns() throws {
        let (interpreter, output) = interpreter(["load iris", irisCrosses])
        XCTAssertTrue(output.text.contains("11 features now"), output.text)
        let data = try XCTUnwrap(interpreter.session.dataset)
        let table = try BundledData.load("iris").table
        func raw(_ name: String) -> [Double] {
            guard case .numeric(let cells)? = table.column(named: name)?.data else { return [] }
            return cells.doubles
        }
        func feature(_ name: String) -> [Float] { data.featureMatrix.column(data.featureNames.firstIndex(of: name)!) }
        let length = raw("petal_length_cm"), width = raw("petal_width_cm"), sepal = raw("sepal_width_cm")
        for row in [0, 57, 149] {
            XCTAssertEqual(feature("petal_length_cm*petal_width_cm")[row], Float(length[row] * width[row]))
            XCTAssertEqual(feature("petal_width_cm^3")[row], Float(width[row] * width[row] * width[row]))
            XCTAssertEqual(feature("sin(sepal_width_cm)")[row], Float(sin(sepal[row])))
            XCTAssertEqual(feature("log1p(petal_length_cm)")[row], Float(log1p(length[row])))
        }
    }

    /// `predict` computes the crosses from raw values: the saved model predicts every raw row
    /// bit for bit as the session did, and `show state` replays to the same weights.
    func testPredictSavedModelAndShowStateReplayTheCrosses() throws {
        let folder = try makeTemporaryFolder("dl-features")
        let path = folder + "/iris.safetensors"
        let lines = ["load iris", "split 0.8", irisCrosses, "scale minmax", "dense 8 relu", "dense 3 softmax",
                     "train lr=0.1 epochs=5 verbose=0", "save model \"\(path)\"", "predict 5.1,3.5,1.4,0.2"]
        let (trained, output) = interpreter(lines)
        let (loaded, loadedOutput) = interpreter(["load model \"\(path)\"", "predict 5.1,3.5,1.4,0.2"])
        let answer = { (text: String) in text.split(separator: "\n").last { $0.contains("setosa") }.map(String.init) }
        XCTAssertNotNil(answer(output.text), output.text)
        XCTAssertEqual(answer(output.text), answer(loadedOutput.text))
        let loadedTable = try BundledData.load("iris").table
        let raw = Table(columns: loadedTable.columns.filter { $0.name != "species" }, rowCount: loadedTable.rowCount, source: "raw")
        func predictions(_ session: Session) throws -> [Float] {
            let model = try XCTUnwrap(session.model)
            let (features, _) = try XCTUnwrap(session.data).features(ofRaw: raw)
            return model.network.predict(Tensor(shape: [raw.rowCount] + model.inputShape, data: features)).data
        }
        XCTAssertEqual(try predictions(loaded.session).map(\.bitPattern), try predictions(trained.session).map(\.bitPattern))
        let state = trained.session.stateLine()
        XCTAssertTrue(state.contains("features petal_length_cm*petal_width_cm,sepal_length_cm^2"), state)
        let (replayed, _) = interpreter(state.components(separatedBy: "; "))
        XCTAssertEqual(replayed.session.network?.weights(), trained.session.network?.weights(), state)
    }

    /// Generated data has no table: the crosses become columns of its numbers, and predict computes them.
    func testGeneratedDataTakesCrossesAndPredictComputesThem() throws {
        let (interpreter, output) = interpreter(["load spiral", "split 0.8", "features x1*x2, x1^2, x2^2, sin(x1), sin(x2)", "scale standard",
                                                 "dense 8 tanh", "dense 2 softmax", "train lr=0.1 epochs=20 verbose=0", "predict 0.1,-0.2"])
        XCTAssertEqual(interpreter.session.dataset?.featureNames, ["x1", "x2", "x1*x2", "x1^2", "x2^2", "sin(x1)", "sin(x2)"])
        XCTAssertEqual(interpreter.session.model?.inputShape, [7])
        XCTAssertTrue(output.text.contains("7 features now"), output.text)
        let data = try XCTUnwrap(interpreter.session.dataset)
        let x1 = data.featureMatrix.column(0), x2 = data.featureMatrix.column(1), product = data.featureMatrix.column(2)
        for row in 0..<5 { XCTAssertEqual(product[row], Float(Double(x1[row]) * Double(x2[row]))) }
        XCTAssertTrue(interpreter.session.stateLine().contains("features x1*x2,x1^2,x2^2,sin(x1),sin(x2)"), interpreter.session.stateLine())
        XCTAssertEqual(interpreter.runInteractive("explain on"), .ok)
        XCTAssertEqual(interpreter.runInteractive("features x1^3"), .ok)
        XCTAssertTrue(output.text.contains("  | Added x1^3 (8 features now): on the 400 training rows x1^3 runs from"), output.text)
    }

    func testUnknownColumnSaysDidYouMeanAndTheSessionGoesOn() {
        let (text, outcomes) = runLines(["load iris", "features petal_lenght_cm*petal_width_cm", "features petal_length_cm*petal_width_cm"])
        XCTAssertEqual(outcomes, [.ok, .runtimeError, .ok], text)
        XCTAssertTrue(text.contains("petal_lenght_cm*petal_width_cm reads 'petal_lenght_cm', but there is no column named 'petal_lenght_cm'; did you mean 'petal_length_cm'?"), text)
        XCTAssertTrue(text.contains("5 features now"), text)
    }

    func testAnOperationNotAllowedListsTheAllowedOnes() {
        let (text, outcomes) = runLines(["load spiral", "features x1^x2", "features exp(x1)", "features x1*x2"])
        XCTAssertEqual(outcomes, [.ok, .runtimeError, .runtimeError, .ok], text)
        XCTAssertTrue(text.contains("features takes crosses of columns, but 'x1^x2' raises to the power 'x2'; only ^2 and ^3 are allowed"), text)
        XCTAssertTrue(text.contains("'exp(x1)' uses 'exp', which is not one of the operations"), text)
        XCTAssertTrue(text.contains("the operations are a*b (a product of columns), a^2, a^3, sin(a), cos(a), abs(a), log1p(a)"), text)
    }

    func testTargetTextColumnsDuplicatesAndLog1pDomainAreRefused() throws {
        let csv = try writeFile("signed.csv", "a,b,y\n0.5,1,p\n-2,2,q\n3,0,p\n", in: try makeTemporaryFolder("dl-features"))
        let (text, outcomes) = runLines(["load penguins", "features species*bill_length_mm", "features island^2",
                                         "features bill_length_mm^2, bill_length_mm^2", "load \"\(csv)\"", "features log1p(a)", "features log1p(b)"])
        XCTAssertEqual(outcomes, [.ok, .runtimeError, .runtimeError, .runtimeError, .ok, .runtimeError, .ok], text)
        XCTAssertTrue(text.contains("reads 'species', the target"), text)
        XCTAssertTrue(text.contains("island^2 needs numbers, but 'island' holds text"), text)
        XCTAssertTrue(text.contains("'bill_length_mm^2' is a column already"), text)
        XCTAssertTrue(text.contains("log1p(a) needs values above -1, but 'a' holds -2 in row 1 (as `head` counts)"), text)
    }
}
