import Foundation
import XCTest
import Engine
@testable import Script
import Tabular

/// Regression as issue 23 asks for it: evaluate's MSE, RMSE, MAE and R² (as scikit-learn
/// computes them), `scale target` fitted on the training rows with every value the user sees
/// back in the target's units, the divergence hint that points at it, and the pictures.
final class RegressionTests: XCTestCase {
    /// y = 1000·x1 − 400·x2 + 20000 plus a little deterministic noise: a target far from 0 and
    /// thousands wide, which makes SGD at lr=0.1 diverge unless the target is scaled.
    private func wideTarget() throws -> String {
        var csv = "x1,x2,price\n"
        for i in 0..<200 {
            let x1 = Double(i * 37 % 101) / 10, x2 = Double(i * 53 % 89) / 10
            let noise = Double(i * 7 % 13 - 6) * 10
            csv += "\(x1),\(x2),\(1000 * x1 - 400 * x2 + 20000 + noise)\n"
        }
        let path = try makeTemporaryFolder("regression") + "/wide.csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// MSE, RMSE, MAE and R² of evaluate's line (not the baseline's).
    private func figures(_ text: String) -> (mse: Double, rmse: Double, mae: Double, r2: Double)? {
        guard let line = text.split(separator: "\n").last(where: { $0.hasPrefix("MSE ") }) else { return nil }
        let words = line.split(separator: " ")
        func value(_ label: String) -> Double? { words.firstIndex(of: Substring(label)).flatMap { Double(words[$0 + 1]) } }
        guard let mse = value("MSE"), let rmse = value("RMSE"), let mae = value("MAE"), let r2 = value("R²") else { return nil }
        return (mse, rmse, mae, r2)
    }

    private func number(after label: String, in text: String) -> Double? {
        guard let range = text.range(of: label + " ", options: .backwards) else { return nil }
        return Double(text[range.upperBound...].prefix { "-0123456789.".contains($0) })
    }

    // MARK: - evaluate

    func testTheReportMatchesScikitLearn() {
        // sklearn.metrics on y_true = [3, -0.5, 2, 7], y_pred = [2.5, 0, 2, 8]:
        // mean_squared_error 0.375, root_mean_squared_error 0.61237, mean_absolute_error 0.5, r2_score 0.948608.
        let report = RegressionReport(truth: [3, -0.5, 2, 7], predicted: [2.5, 0, 2, 8])
        XCTAssertEqual(report.mse, 0.375, accuracy: 1e-12)
        XCTAssertEqual(report.rmse, 0.6123724, accuracy: 1e-6)
        XCTAssertEqual(report.mae, 0.5, accuracy: 1e-12)
        XCTAssertEqual(report.r2, 0.9486081, accuracy: 1e-6)
        XCTAssertEqual(report.render(), "MSE 0.3750  RMSE 0.6124  MAE 0.5000  R² 0.9486  (4 rows)\n")
        // r2_score of a constant truth: 1 when predicted exactly, else 0 (force_finite).
        XCTAssertEqual(RegressionReport(truth: [2, 2, 2], predicted: [2, 2, 2]).r2, 1)
        XCTAssertEqual(RegressionReport(truth: [2, 2, 2], predicted: [2, 3, 2]).r2, 0)
    }

    func testEvaluatePrintsTheFiguresAndTheMeanBaseline() throws {
        let (text, outcomes) = runLines(["load diabetes", "split 0.8", "scale standard", "dense 1", "train lr=0.05 epochs=30", "evaluate"])
        XCTAssertEqual(outcomes.last, .ok, text)
        XCTAssertTrue(text.contains("loss (mse) "), text)
        XCTAssertTrue(text.contains("(88 rows)"), text)
        XCTAssertTrue(text.contains("baseline (always the training mean, "), text)
        let report = try XCTUnwrap(figures(text), text)
        XCTAssertEqual(report.rmse * report.rmse, report.mse, accuracy: report.mse * 1e-3)
        XCTAssertLessThan(report.mae, report.rmse)
        // A linear model on diabetes explains about half the variance (scikit-learn's LinearRegression: 0.45 on its own splits).
        XCTAssertGreaterThan(report.r2, 0.3, text)
    }

    // MARK: - scale target

    func testAWideTargetDivergesUntilItIsScaled() throws {
        let path = try wideTarget()
        let start = ["load \"\(path)\"", "split 0.8 seed=1", "scale standard", "dense 16 relu", "dense 1"]
        let (diverged, first) = runLines(start + ["train lr=0.1 epochs=50", "show"])
        XCTAssertEqual(first.suffix(2), [.runtimeError, .ok], diverged)
        XCTAssertTrue(diverged.contains("is likely too high, or the target 'price' (values up to"), diverged)
        XCTAssertTrue(diverged.contains("or `scale target standard`, so the network learns 'price' on a small scale"), diverged)

        let (text, outcomes) = runLines(start + ["scale target standard", "train lr=0.1 epochs=200 verbose=0", "evaluate",
                                                 "predict 5,3", "show"])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: outcomes.count), text)
        XCTAssertTrue(text.contains("scale target: standard, fitted on the 160 training rows (price: mean "), text)
        XCTAssertTrue(text.contains("loss (mse on the scaled target) "), text)
        let report = try XCTUnwrap(figures(text), text)
        XCTAssertGreaterThan(report.r2, 0.98, text)
        // RMSE in price's units: the noise is ±60, the target spans about 13,000.
        XCTAssertLessThan(report.rmse, 700, text)
        XCTAssertGreaterThan(report.rmse, 10, text)
        // predict answers in price's units: 1000·5 − 400·3 + 20000 = 23800.
        let predicted = number(after: "predicted price:", in: text)!
        XCTAssertEqual(predicted, 23800, accuracy: 800, text)
        XCTAssertTrue(text.contains("target    scaled standard (mean "), text)
    }

    func testScalingTheTargetOfClassesIsAnError() {
        let (text, outcomes) = runLines(["load iris", "scale target standard", "dense 3 softmax", "train epochs=1", "show"])
        XCTAssertEqual(outcomes, [.ok, .runtimeError, .ok, .ok, .ok], text)
        XCTAssertTrue(text.contains("error: scale target rescales a regression target, but 'species' holds 3 classes (setosa, versicolor, virginica)"), text)
        XCTAssertTrue(text.contains("hint: classes need no scaling"), text)
        XCTAssertFalse(text.contains("target    scaled"), text)
        // A numeric 0/1 target said to be classes is refused as well.
        let (binary, second) = runLines(["load breast_cancer", "scale target minmax", "show"])
        XCTAssertEqual(second, [.ok, .runtimeError, .ok], binary)
        XCTAssertTrue(binary.contains("holds 2 classes"), binary)
    }

    func testTargetScalingEndsWhenTheTaskBecomesClassification() throws {
        let (text, outcomes) = runLines(["load diabetes", "scale target standard", "task classification", "show"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok], text)
        XCTAssertFalse(text.contains("target    scaled"), text)
    }

    func testScaleTargetNoneRemovesItAndASplitRefitsIt() {
        let (text, outcomes) = runLines(["load diabetes", "scale target minmax", "split 0.8", "show", "scale target none", "show"])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: 6), text)
        XCTAssertTrue(text.contains("scale target: minmax, fitted on all 442 rows (no split yet; `split` refits it on the training rows) (progression: min 25, max 346)"), text)
        XCTAssertTrue(text.contains("scale target: minmax refitted on the 354 training rows"), text)
        XCTAssertTrue(text.contains("target    scaled minmax (min "), text)
        XCTAssertTrue(text.contains("scale target: none (the network learns progression as loaded)"), text)
        XCTAssertEqual(text.components(separatedBy: "target    scaled").count, 2, "the second `show` has no target scaling:\n\(text)")
    }

    func testTheTargetScalerIsFittedOnTheTrainingRowsOnly() throws {
        var pipeline = try DataPipeline(table: try CSV.parse(bytes: Array("x,y\n1,10\n2,20\n3,30\n4,1000\n".utf8), source: "t.csv"), target: "y", knownTask: nil,
                                        knownImageShape: nil, taskOverride: nil)
        try pipeline.setSplit(Split(train: [0, 1, 2], test: [3], description: "test"))
        try pipeline.scaleTarget(.standard)
        let scaler = try XCTUnwrap(pipeline.targetScaler)
        XCTAssertEqual(scaler.offsets, [20])   // the mean of 10, 20, 30: the test row's 1000 plays no part
        XCTAssertEqual(Double(1 / scaler.scales[0]), (200.0 / 3).squareRoot(), accuracy: 1e-4)
        let data = pipeline.trainingData(rows: [0, 1, 2, 3], outputUnits: 1, inputShape: [1])
        XCTAssertEqual(Double(data.y.data[1]), 0, accuracy: 1e-6)
        XCTAssertEqual(pipeline.targetValues(ofOutputs: data.y.data).map { Double($0) }, [10, 20, 30, 1000].map { $0 },
                       "outputs map back exactly onto the target's values")
    }

    // MARK: - predict files, saved models, the state line

    func testPredictFilesAndSavedModelsGiveTheTargetsUnits() throws {
        let path = try wideTarget()
        let folder = try makeTemporaryFolder("regression-files")
        let rows = folder + "/rows.csv", out = folder + "/out.csv", model = folder + "/m.safetensors"
        try "x1,x2\n5,3\n0,0\n".write(toFile: rows, atomically: true, encoding: .utf8)
        let (text, outcomes) = runLines(["load \"\(path)\"", "split 0.8 seed=1", "scale standard", "scale target standard", "dense 16 relu",
                                         "dense 1", "train lr=0.1 epochs=200 verbose=0", "predict 5,3", "predict \"\(rows)\" to \"\(out)\"",
                                         "save model \"\(model)\""])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: outcomes.count), text)
        let written = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(written.first, "x1,x2,predicted_price")
        let first = Double(written[1].split(separator: ",")[2])!, second = Double(written[2].split(separator: ",")[2])!
        XCTAssertEqual(first, 23800, accuracy: 800)
        XCTAssertEqual(second, 20000, accuracy: 1500)
        XCTAssertEqual(first, number(after: "predicted price:", in: text)!, accuracy: 1)

        // The file keeps the target's scaler; it says so with format version 2, which an older dl refuses.
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: model)))
        let metadata = try Safetensors.decode(bytes).metadata
        XCTAssertEqual(metadata["format_version"], "2")
        XCTAssertTrue(metadata["pipeline"]!.contains("\"target_scaling\":\"standard\""), metadata["pipeline"]!)
        let (loaded, again) = runLines(["load model \"\(model)\"", "predict 5,3", "show"])
        XCTAssertEqual(again, [.ok, .ok, .ok], loaded)
        XCTAssertEqual(number(after: "predicted price:", in: loaded)!, number(after: "predicted price:", in: text)!)
        XCTAssertTrue(loaded.contains("target    scaled standard (mean "), loaded)
    }

    func testAModelWithoutTargetScalingKeepsFormatVersion1() throws {
        let model = try makeTemporaryFolder("regression-v1") + "/d.safetensors"
        let (text, outcomes) = runLines(["load diabetes", "scale standard", "dense 1", "train lr=0.001 epochs=1", "save model \"\(model)\""])
        XCTAssertEqual(outcomes.last, .ok, text)
        let metadata = try Safetensors.decode(try Array(Data(contentsOf: URL(fileURLWithPath: model)))).metadata
        XCTAssertEqual(metadata["format_version"], "1")
        XCTAssertFalse(metadata["pipeline"]!.contains("target_scaling"))
    }

    func testAMalformedTargetScalingIsRefused() {
        let fitted = FittedPipeline(rawColumns: [RawColumn(name: "x", isText: false)], droppedColumns: [], targetName: "y", steps: [],
                                    featureNames: ["x"], scaler: nil, classNames: nil, imageShape: nil,
                                    targetScaler: Scaler(method: .standard, offsets: [5], scales: [0.5]))
        var record = PipelineRecord(fitted)
        XCTAssertEqual(record.fitted, fitted)
        record.targetScale = 0
        XCTAssertNil(record.fitted, "a scale of 0 has no inverse")
        record.targetScale = 0.5
        record.targetScaling = "sideways"
        XCTAssertNil(record.fitted)
    }

    func testTheStateLineReplaysTheTargetScaling() {
        let (text, outcomes) = runLines(["load diabetes", "split 0.8", "scale standard", "scale target standard", "dense 8 relu", "dense 1",
                                         "train lr=0.1 epochs=5", "evaluate", "show state"])
        XCTAssertEqual(outcomes.last, .ok, text)
        let state = String(text.split(separator: "\n").last!)
        XCTAssertEqual(state, "load diabetes; split 0.8; scale standard; scale target standard; dense 8 relu; dense 1; train lr=0.1 epochs=5")
        let (replayed, again) = runLines([state, "evaluate"])
        XCTAssertEqual(again, [.ok, .ok], replayed)
        func lines(_ text: String) -> [Substring] { text.split(separator: "\n").filter { $0.hasPrefix("MSE ") } }
        XCTAssertEqual(lines(replayed), lines(text))
        XCTAssertEqual(lines(text).count, 1, text)
    }

    func testCrossValidationScoresAScaledTargetInItsUnits() throws {
        // R² of outputs left on the scaled target (near 0) against diabetes's 25 to 346 would be far below 0.
        let (text, outcomes) = runLines(["load diabetes", "scale standard", "scale target standard", "dense 1", "crossval 3"])
        XCTAssertEqual(outcomes.last, .ok, text)
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("crossval R²: ") }, text)
        let mean = try XCTUnwrap(Double(line.dropFirst("crossval R²: ".count).prefix { "-0123456789.".contains($0) }))
        XCTAssertGreaterThan(mean, 0.2, String(line))
    }

    // MARK: - the divergence hint

    func testTheDivergenceHintLeavesTheTargetOutForClassesAndAScaledTarget() throws {
        // Cross-entropy rarely overflows, so the classes' case is asked of the session directly.
        let interpreter = Interpreter(output: CapturedOutput())
        XCTAssertEqual(interpreter.runInteractive("load iris"), .ok)
        let advice = interpreter.session.divergenceAdvice(for: try XCTUnwrap(interpreter.session.dataset))
        XCTAssertEqual(advice.cause, "")
        XCTAssertEqual(advice.fix, "")
        let (scaled, _) = runLines(["load diabetes", "scale target standard", "dense 64 relu", "dense 1", "train lr=50 epochs=50"])
        XCTAssertTrue(scaled.contains("loss became"), scaled)
        XCTAssertFalse(scaled.contains("needs scaling"), scaled)
        XCTAssertFalse(scaled.contains("`scale target standard`;"), scaled)
    }
}
