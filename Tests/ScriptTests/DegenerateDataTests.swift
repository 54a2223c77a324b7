import Foundation
import XCTest
import Script

/// Data a network cannot learn from, or a scaler cannot divide by: said plainly, never
/// trained on silently and never divided by zero.
final class DegenerateDataTests: XCTestCase {
    private func csv(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("degenerate-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testAConstantColumnIsScaledWithoutDividingByZeroAndSaidSo() throws {
        let path = try csv("a,b,y\n1,5,p\n2,5,q\n3,5,p\n4,5,q\n5,5,p\n6,5,q\n")
        let (text, outcomes) = runLines(["load \"\(path)\"", "split 0.5 seed=1", "scale minmax", "dense 2 softmax", "train epochs=2"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok, .ok], text)
        XCTAssertTrue(text.contains("note: constant on the training rows: b; max = min, so the values become 0"), text)
        XCTAssertTrue(text.contains("consider `drop b`"), text)
        XCTAssertFalse(text.contains("nan"), "no NaN from a division by zero:\n\(text)")
        let (standard, _) = runLines(["load \"\(path)\"", "split 0.5 seed=1", "scale standard"])
        XCTAssertTrue(standard.contains("std = 0, so the values are centred to 0 and not divided"), standard)
        let (varying, _) = runLines(["load iris", "split 0.8", "scale minmax"])
        XCTAssertFalse(varying.contains("constant"), varying)
    }

    func testASingleClassTargetIsAnErrorBeforeTraining() throws {
        let path = try csv("a,b,y\n1,2,x\n2,3,x\n3,4,x\n4,5,x\n")
        let (text, outcomes) = runLines(["load \"\(path)\"", "dense 2 relu", "dense 1 softmax", "train epochs=1"])
        XCTAssertEqual(outcomes.last, .runtimeError, text)
        XCTAssertTrue(text.contains("target 'y': 1 class (x)"), text)
        XCTAssertTrue(text.contains("error: the target 'y' holds a single class ('x'): there is nothing to tell apart"), text)
        XCTAssertFalse(text.contains("Epoch 1/1"), "nothing was trained:\n\(text)")
    }

    /// A number beyond Float's range is never trained on as infinity: the error names it.
    func testNumbersThatOverflowFloatAreRefusedBeforeTraining() throws {
        let features = try csv("a,b,y\n1,1e39,p\n2,3,q\n3,4,p\n4,5,q\n")
        let (text, outcomes) = runLines(["load \"\(features)\"", "dense 2 softmax", "train epochs=1"])
        XCTAssertEqual(outcomes.last, .runtimeError, text)
        XCTAssertTrue(text.contains("error: feature 'b' holds 1e+39, beyond the ±3.4e38 of a 32-bit float, in row 0"), text)
        XCTAssertFalse(text.contains("Epoch 1/1"), text)

        let target = try csv("a,y\n1,2\n2,-1e39\n3,4\n")
        let (regression, results) = runLines(["load \"\(target)\"", "dense 1", "train epochs=1"])
        XCTAssertEqual(results.last, .runtimeError, regression)
        XCTAssertTrue(regression.contains("error: the target 'y' holds a value beyond the ±3.4e38 of a 32-bit float (read as -inf) in row 1"), regression)
    }

    /// `nan` and `inf` written as text are read as pandas reads them (missing, infinite),
    /// not as a text column; neither is ever trained on.
    func testNaNAndInfinityWrittenAsTextAreNeverTrainedOn() throws {
        let missing = try csv("a,b,y\n1,nan,p\n2,3,q\n3,NaN,p\n4,5,q\n")
        let (text, outcomes) = runLines(["load \"\(missing)\"", "dense 2 softmax", "train epochs=1"])
        XCTAssertTrue(text.contains("note: 2 missing values in b (2)"), text)
        XCTAssertEqual(outcomes.last, .runtimeError, text)
        XCTAssertTrue(text.contains("error: missing values reach train: b (2)"), text)
        XCTAssertFalse(text.contains("Epoch 1/1"), text)
        let (imputed, results) = runLines(["load \"\(missing)\"", "impute median", "dense 2 softmax", "train epochs=1"])
        XCTAssertEqual(results, [.ok, .ok, .ok, .ok], imputed)

        let infinite = try csv("a,b,y\n1,3,p\n2,-inf,q\n3,4,p\n4,5,q\n")
        let (features, featureOutcomes) = runLines(["load \"\(infinite)\"", "dense 2 softmax", "train epochs=1"])
        XCTAssertEqual(featureOutcomes.last, .runtimeError, features)
        XCTAssertTrue(features.contains("error: feature 'b' holds -inf in row 1"), features)
        XCTAssertFalse(features.contains("holds text"), features)

        let target = try csv("a,y\n1,2\n2,Infinity\n3,4\n")
        let (regression, regressionOutcomes) = runLines(["load \"\(target)\"", "dense 1", "train epochs=1"])
        XCTAssertEqual(regressionOutcomes.last, .runtimeError, regression)
        XCTAssertTrue(regression.contains("error: the target 'y' holds a value beyond the ±3.4e38 of a 32-bit float (read as inf) in row 1"), regression)
    }
}
