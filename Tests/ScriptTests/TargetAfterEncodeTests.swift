import XCTest
@testable import Script

/// `target` after `encode onehot`: the loaded columns stay those of the file (the text column,
/// not its indicators), so `predict` takes raw values and a saved model names the raw columns.
/// (`window … target=` shares the same rule: WindowEncodedChannelsTests.)
final class TargetAfterEncodeTests: XCTestCase {
    func testPredictTakesTheTextColumnAsLoaded() throws {
        let path = try makeTemporaryFolder("target-after-encode") + "/p.dlm"
        let row = "Biscoe,39.1,18.7,181,male,2007"
        let (text, outcomes) = runLines(["load penguins", "dropna", "encode onehot island,sex", "target body_mass_g", "drop species",
                                         "scale standard", "dense 1", "train lr=0.01 epochs=2 verbose=0", "predict \(row)",
                                         "save model \"\(path)\"", "load model \"\(path)\"", "predict \(row)"])
        XCTAssertEqual(Set(outcomes), [.ok], text)
        XCTAssertTrue(text.contains("it takes 6 columns (island, bill_length_mm, bill_depth_mm, flipper_length_mm, sex, year) and predicts 'body_mass_g'"), text)
        let predictions = text.split(separator: "\n").filter { $0.hasPrefix("predicted body_mass_g: ") }
        XCTAssertEqual(predictions.count, 2, text)
        XCTAssertEqual(predictions.first, predictions.last, text)
    }
}
