import XCTest
import DLCore
import Engine
import Tabular
@testable import Script

/// `importance` and `why` in a session: what they find, completeness, the folding of encoded
/// features back to raw columns, and their errors.
final class InsightTests: XCTestCase {
    private func interpreter(_ lines: [String], file: StaticString = #filePath, line: UInt = #line) -> (Interpreter, CapturedOutput) {
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        for text in lines {
            XCTAssertEqual(interpreter.runInteractive(text), .ok, output.text, file: file, line: line)
        }
        return (interpreter, output)
    }

    /// A table whose class depends on x1 and x2 only; x3 to x6 are noise.
    private func signalTable() throws -> String {
        var rng = SeededRandom(seed: 2027)
        var text = "x1,x2,x3,x4,x5,x6,class\n"
        for _ in 0..<500 {
            let x = (0..<6).map { _ in rng.normal() }
            text += x.map { Format.fixed($0, 4) }.joined(separator: ",") + (x[0] + x[1] > 0 ? ",up" : ",down") + "\n"
        }
        return try writeFile("signal.csv", text, in: try makeTemporaryFolder("insight"))
    }

    func testImportanceRanksTheSignalFirstAndTheNoiseNearZero() throws {
        let path = try signalTable()
        let (interpreter, output) = interpreter(["load \"\(path)\"", "split 0.8", "scale standard", "dense 16 relu", "dense 2 softmax",
                                                 "train lr=0.1 epochs=40 verbose=0", "importance repeats=10"])
        let record = try XCTUnwrap(interpreter.session.insight.importance)
        XCTAssertEqual(record.metric, "accuracy")
        XCTAssertEqual(record.repeats, 10)
        XCTAssertEqual(Set(record.ranking.prefix(2).map(\.name)), ["x1", "x2"], output.text)
        XCTAssertGreaterThan(record.ranking[1].mean, 0.1, output.text)
        for noise in record.ranking.dropFirst(2) {
            XCTAssertLessThanOrEqual(abs(noise.mean), 2 * noise.std + 1e-12, "\(noise.name): \(output.text)")
        }
        XCTAssertTrue(output.text.contains("importance on 100 test rows"), output.text)
        XCTAssertTrue(output.text.contains("+/-"), "ASCII output spells ± as +/-: \(output.text)")
    }

    /// The contributions add up to prediction - baseline prediction, to 1e-3, on every test row.
    private func assertCompleteness(_ lines: [String], rows: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let (interpreter, output) = interpreter(lines, file: file, line: line)
        XCTAssertEqual(interpreter.session.data?.testRows.count, rows, file: file, line: line)
        var worst = 0.0
        for row in 0..<rows {
            XCTAssertEqual(interpreter.runInteractive("why \(row)"), .ok, String(output.text.suffix(2000)), file: file, line: line)
            let record = try XCTUnwrap(interpreter.session.insight.why, file: file, line: line)
            worst = max(worst, abs(record.total - (record.output - record.baselineOutput)))
        }
        XCTAssertLessThanOrEqual(worst, 1e-3, "largest completeness gap over \(rows) test rows", file: file, line: line)
    }

    func testCompletenessOnEveryTestRowOfIris() throws {
        try assertCompleteness(["load iris", "split 0.8", "scale standard", "dense 16 relu", "dense 3 softmax", "train lr=0.05 epochs=60 verbose=0"],
                               rows: 30)
    }

    func testCompletenessOnEveryTestRowOfDigits() throws {
        try assertCompleteness(["load digits", "split 0.8", "scale minmax", "dense 32 relu", "dense 10 softmax", "train lr=0.1 epochs=10 verbose=0"],
                               rows: 359)
    }

    /// In the target's units (about 77 per scaled unit), so the steps must be halved where ReLUs switch.
    func testCompletenessOnEveryTestRowOfARegression() throws {
        try assertCompleteness(["load diabetes", "split 0.8", "scale standard", "scale target standard", "dense 32 relu", "dense 1",
                                "train lr=0.01 epochs=60 verbose=0"], rows: 88)
    }

    /// One dense layer with a linear output: each column's contribution is its weight times
    /// (x - baseline), the baseline the mean training row after scaling.
    func testLinearModelContributionsAreWeightTimesDifference() throws {
        let (interpreter, _) = interpreter(["load diabetes", "split 0.8", "scale standard", "dense 1", "train lr=0.05 epochs=30 verbose=0",
                                            "why 7"])
        let session = interpreter.session
        let pipeline = try XCTUnwrap(session.data)
        let kernel = try XCTUnwrap(session.model?.network.layers[0].parameters[0].value)
        let width = pipeline.dataset!.featureCount
        let baseline = session.meanTrainingRow(pipeline, featureCount: width)
        let row = pipeline.testRows[7]
        let contributions = try XCTUnwrap(session.insight.why?.contributions)
        XCTAssertEqual(contributions.count, width)
        for i in 0..<width {
            let x = pipeline.scaledFeatures[row * width + i]
            XCTAssertEqual(contributions[i], Double(kernel.data[i]) * (Double(x) - Double(baseline[i])), accuracy: 1e-5, "feature \(i)")
        }
    }

    /// One-hot groups and date parts count as the raw column they came from, and `why` names its raw value.
    func testEncodedColumnsFoldBackToTheirRawColumn() throws {
        let (interpreter, output) = interpreter(["load cars", "dropna mpg", "drop name", "impute median", "encode onehot origin", "encode date year",
                                                 "split 0.8", "scale standard", "scale target standard", "dense 16 relu", "dense 1",
                                                 "train lr=0.01 epochs=20 verbose=0", "importance", "why 0", "why 8,300,150,3500,12,1975-01-01,USA"])
        let pipeline = try XCTUnwrap(interpreter.session.data)
        XCTAssertEqual(pipeline.featureGroups.map(\.name), pipeline.predictColumns.map(\.name))
        XCTAssertEqual(pipeline.featureGroups.first { $0.name == "origin" }?.indices.count, 3)
        XCTAssertEqual(pipeline.featureGroups.first { $0.name == "year" }?.indices.count, 5)
        XCTAssertEqual(interpreter.session.insight.importance?.ranking.count, 7)
        XCTAssertEqual(interpreter.session.insight.importance?.metric, "R²")
        XCTAssertTrue(output.text.contains("origin (3 features)"), output.text)
        XCTAssertTrue(output.text.contains("year = 1975-01-01 pushed mpg"), output.text)
        XCTAssertTrue(output.text.contains("origin = USA pushed mpg"), output.text)
        XCTAssertEqual(interpreter.session.insight.why?.contributions.count, 7)
        // The test row's category is read back from its one-hot features.
        XCTAssertNotNil(output.text.range(of: #"origin = (USA|Europe|Japan) pushed"#, options: .regularExpression), output.text)
    }

    /// Images: `importance` draws the occlusion map, `why` the attributions over the picture.
    func testImagesGetAnOcclusionMapAndAHeatmap() throws {
        let (interpreter, output) = interpreter(["load digits", "split 0.8", "scale minmax", "dense 32 relu", "dense 10 softmax",
                                                 "train lr=0.1 epochs=10 verbose=0", "importance", "why 0"])
        XCTAssertTrue(output.text.contains("occlusion: drop in the true class's probability"), output.text)
        XCTAssertTrue(output.text.contains("a 2x2 patch (stride 1)"), output.text)
        XCTAssertEqual(interpreter.session.insight.why?.contributions.count, 64)
        let record = try XCTUnwrap(interpreter.session.insight.importance)
        XCTAssertTrue(record.isOcclusion)
        XCTAssertGreaterThan(record.ranking[0].mean, 0.01, "hiding the most telling patch costs the true class")
    }

    /// `why` and `importance` only look: the weights, the moving statistics and the training
    /// that follows are those of a session that never asked (dropout and batchnorm included).
    func testLookingInsideChangesNothing() throws {
        let setup = ["load iris", "split 0.8", "scale standard", "dense 16", "batchnorm", "activation relu", "dropout 0.3",
                     "dense 3 softmax", "train lr=0.05 epochs=5 verbose=0"]
        let (looked, _) = interpreter(setup + ["why 0", "importance", "why 6,3,5,2", "train lr=0.05 epochs=5 verbose=0"])
        let (plain, _) = interpreter(setup + ["train lr=0.05 epochs=5 verbose=0"])
        let a = try XCTUnwrap(looked.session.model?.network.weights()), b = try XCTUnwrap(plain.session.model?.network.weights())
        XCTAssertEqual(a, b)
    }

    /// One sigmoid unit: a prediction of class 0 is explained as its probability, 1 - p.
    func testOneSigmoidUnitExplainsThePredictedClass() throws {
        let (interpreter, output) = interpreter(["load breast_cancer", "split 0.8", "scale standard", "dense 8 relu", "dense 1 sigmoid",
                                                 "train lr=0.05 epochs=10 verbose=0"])
        var seen = Set<String>()
        for row in 0..<20 {
            XCTAssertEqual(interpreter.runInteractive("why \(row)"), .ok, output.text)
            let record = try XCTUnwrap(interpreter.session.insight.why)
            XCTAssertGreaterThan(record.output, 0.5, "the predicted class's probability")
            XCTAssertEqual(record.total, record.output - record.baselineOutput, accuracy: 1e-3)
            seen.insert(record.towards)
        }
        XCTAssertEqual(seen, ["towards benign", "towards malignant"], "both classes among the first 20 test rows")
    }

    // MARK: - Errors

    func testWhyOfARowThatDoesNotExist() {
        let (text, outcomes) = runLines(["load iris", "split 0.8", "dense 3 softmax", "train epochs=5 verbose=0", "why 9999", "why 30", "evaluate"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok, .runtimeError, .runtimeError, .ok], text)
        XCTAssertTrue(text.contains("there is no test row 9999: the 30 test rows are numbered 0 to 29"), text)
        XCTAssertTrue(text.contains("there is no test row 30"), text)
        XCTAssertTrue(text.contains("why V1,V2,"), "the hint offers raw values: \(text)")
    }

    func testWhyBeforeTraining() {
        let (text, outcomes) = runLines(["load iris", "split 0.8", "why 0", "importance", "dense 3 softmax", "why 0",
                                         "train epochs=2 verbose=0", "why 0"])
        XCTAssertEqual(outcomes, [.ok, .ok, .runtimeError, .runtimeError, .ok, .runtimeError, .ok, .ok], text)
        XCTAssertTrue(text.contains("why explains a trained model, but the model is not trained yet"), text)
        XCTAssertTrue(text.contains("importance explains a trained model"), text)
        XCTAssertTrue(text.contains("run `train` first"), text)
    }

    /// Without a split, importance measures the training rows, warns, and marks them so.
    func testImportanceWithoutASplitSaysItUsesTheTrainingRows() {
        let (text, outcomes) = runLines(["load iris", "scale standard", "dense 8 relu", "dense 3 softmax", "train lr=0.1 epochs=20 verbose=0",
                                         "importance", "why 149", "why 150"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok, .ok, .ok, .ok, .runtimeError], text)
        XCTAssertTrue(text.contains("warning: importance: there is no split, so it shuffles the 150 training rows"), text)
        XCTAssertTrue(text.contains("importance on 150 training rows (no split)"), text)
        XCTAssertTrue(text.contains("there is no row 150: without a split the 150 rows are numbered 0 to 149"), text)
    }

    func testWhyWithTheWrongNumberOfValues() {
        let (text, outcomes) = runLines(["load iris", "split 0.8", "dense 3 softmax", "train epochs=2 verbose=0", "why 1,2",
                                         "why 5.1,3.5,1.4,0.2,9", "why 5.1,3.5,1.4,abc", "why 5.1,3.5,1.4,0.2"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok, .runtimeError, .runtimeError, .runtimeError, .ok], text)
        XCTAssertTrue(text.contains("why expects 4 values (sepal_length_cm, sepal_width_cm, petal_length_cm, petal_width_cm) but got 2"), text)
        XCTAssertTrue(text.contains("but got 5"), text)
        XCTAssertTrue(text.contains("'petal_width_cm' holds numbers, but the value given is 'abc'"), text)
        XCTAssertTrue(text.contains("pushed towards"), text)
    }

    /// `explain` speaks in the session's numbers.
    func testExplainUsesTheSessionsNumbers() {
        let (text, _) = runLines(["load iris", "split 0.8", "scale standard", "dense 8 relu", "dense 3 softmax",
                                  "train lr=0.1 epochs=30 verbose=0", "explain on", "importance", "why 0"])
        XCTAssertTrue(text.contains("over 30 test rows and 5 repeats"), text)
        XCTAssertNotNil(text.range(of: #"The model relies most on \w+: shuffled, it costs 0\.\d{4}"#, options: .regularExpression), text)
        XCTAssertNotNil(text.range(of: #"The prediction for test row 0 \(row \d+ of the data\), truly \w+ is 0\.\d{4}"#, options: .regularExpression), text)
    }
}
