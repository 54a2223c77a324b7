import XCTest
import Script

/// The regression pictures: `plot predictions`, `plot residuals`, `plot X vs TARGET`, and the
/// log axes of `plot loss log` and `plot sweep log`.
final class RegressionPlotTests: XCTestCase {
    private let cars = ["load cars", "dropna mpg", "drop name,year", "split 0.8 seed=42", "impute median", "encode onehot origin",
                        "scale standard", "scale target standard"]

    func testPredictionsAndResidualsOfTheTestRows() {
        let (text, outcomes) = runLines(cars + ["dense 16 relu", "dense 1", "train lr=0.1 epochs=20 verbose=0",
                                                "plot predictions", "plot residuals", "plot loss log"])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: outcomes.count), text)
        XCTAssertTrue(text.contains("Predicted vs actual mpg, 80 test rows"), text)
        XCTAssertTrue(text.contains("actual mpg"), text)
        XCTAssertTrue(text.contains("Residuals of mpg, 80 test rows"), text)
        XCTAssertTrue(text.contains("actual - predicted"), text)
        // The pictures are in mpg's units (10 to 45 or so), not the scaled target's (about -2 to 3).
        let axis = text.components(separatedBy: "Predicted vs actual").last!.components(separatedBy: "actual mpg").first!
        XCTAssertTrue(axis.contains(" 40 "), axis)
        XCTAssertTrue(text.contains("Loss (log scale)"), text)
        XCTAssertTrue(text.contains("mse (scaled target)"), text)
    }

    func testThePredictionPicturesNeedARegressionAndATrainedModel() {
        let (text, outcomes) = runLines(["load iris", "dense 3 softmax", "train epochs=1", "plot predictions",
                                         "load diabetes", "plot residuals", "show"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .runtimeError, .ok, .runtimeError, .ok], text)
        XCTAssertTrue(text.contains("error: plot predictions draws a regression's predictions, but 'species' holds classes"), text)
        XCTAssertTrue(text.contains("error: plot residuals shows what the model predicts, but it has not been trained yet"), text)
    }

    func testARegressionTargetCanBeAnAxis() {
        let (text, outcomes) = runLines(Array(cars.prefix(6)) + ["plot horsepower vs mpg", "plot mpg vs weight_lbs to \"/dev/null\""])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: outcomes.count), text)
        XCTAssertTrue(text.contains("mpg vs horsepower"), text)
        XCTAssertTrue(text.contains("wrote /dev/null (weight_lbs vs mpg"), text)
        // Classes are the colours, not an axis; the session goes on.
        let (iris, second) = runLines(["load iris", "plot petal_length_cm vs species", "plot petal_length_cm vs petal_width_cm"])
        XCTAssertEqual(second, [.ok, .runtimeError, .ok], iris)
        XCTAssertTrue(iris.contains("'species' is the target and holds classes: they are the colours of the points, not an axis"), iris)
    }

    func testSweepRunsOfDifferentLengthsGetANoteOrLogAxes() {
        let (text, outcomes) = runLines(["load diabetes", "scale standard", "scale target standard", "dense 1",
                                         "sweep lr=0.1,0.01 epochs=2,40", "plot sweep", "plot sweep log"])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: outcomes.count), text)
        XCTAssertTrue(text.contains("note: the runs last 2 to 40 epochs; on this linear axis the short ones take 5% of the width: `plot sweep log` gives each tenfold of epochs the same width"), text)
        XCTAssertTrue(text.contains("loss per combination (log scales)"), text)
        XCTAssertEqual(text.components(separatedBy: "note: the runs last").count, 2, "no note under the log axes:\n\(text)")
    }
}
