import XCTest
import Foundation
@testable import Script

/// `why N` on series data: the contributions per step and channel, the series drawn with its
/// steps coloured, completeness, the runs of steps that pushed most, and the errors.
final class SeriesWhyTests: XCTestCase {
    private func interpreter(_ lines: [String], color: Bool = false, file: StaticString = #filePath, line: UInt = #line) -> (Interpreter, CapturedOutput) {
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        for text in lines {
            XCTAssertEqual(interpreter.runInteractive(text), .ok, output.text, file: file, line: line)
        }
        return (interpreter, output)
    }

    private let lstmOnWaves = ["load waves n=120 steps=24 seed=3", "split 0.8", "lstm 8", "dense 3 softmax", "train lr=0.05 epochs=8 verbose=0"]

    /// On an LSTM over waves: every test row's contributions (one per step) add up to
    /// prediction - baseline within 1e-3, and `why 0` draws the series with its strip and
    /// names the runs of steps that pushed most.
    func testLSTMOnWavesDrawsTheStepsAndIsComplete() throws {
        let (interpreter, output) = interpreter(lstmOnWaves)
        XCTAssertEqual(interpreter.session.data?.testRows.count, 24)
        var worst = 0.0
        for row in 0..<24 {
            XCTAssertEqual(interpreter.runInteractive("why \(row)"), .ok, String(output.text.suffix(2000)))
            let record = try XCTUnwrap(interpreter.session.insight.why)
            XCTAssertEqual(record.contributions.count, 24, "one contribution per step of the one channel")
            XCTAssertEqual(record.contributions.reduce(0, +), record.total, accuracy: 1e-9)
            worst = max(worst, abs(record.total - (record.output - record.baselineOutput)))
        }
        XCTAssertLessThanOrEqual(worst, 1e-3, "largest completeness gap over the 24 test rows")
        let before = output.text.count
        XCTAssertEqual(interpreter.runInteractive("why 0"), .ok)
        let text = String(output.text.dropFirst(before))
        XCTAssertTrue(text.contains("contributions to p("), text)
        XCTAssertTrue(text.contains("from the mean training series"), text)
        XCTAssertTrue(text.contains("step"), "the x axis is the step: \(text)")
        XCTAssertTrue(text.contains("contributions add up to"), text)
        XCTAssertTrue(text.contains("steps that pushed most:"), text)
        XCTAssertNotNil(text.range(of: #"\n  (step \d+|steps \d+–\d+) pushed (towards|away from) \d_cycles? \([+-]\d"#, options: .regularExpression), text)
        // The ASCII strip under the plot: the strongest step gets a sign.
        XCTAssertNotNil(text.range(of: #"\n +\|[ .+-]*[+-][ .+-]*\n"#, options: .regularExpression), "the strip of step sums: \(text)")
        let record = try XCTUnwrap(interpreter.session.insight.why)
        XCTAssertNotNil(record.strongest?.name.range(of: #"^(step \d+|the run of steps \d+–\d+)$"#, options: .regularExpression), "\(String(describing: record.strongest))")
    }

    /// The SVG has one band per step, tinted red where the step pushed towards the prediction
    /// and blue where away, the strongest fully, and a dot per step and channel.
    func testTheSVGColoursEachStepBySign() throws {
        let folder = try makeTemporaryFolder("serieswhy")
        let (interpreter, output) = interpreter(lstmOnWaves + ["why 2 to \"\(folder)/why.svg\""])
        let svg = try String(contentsOfFile: folder + "/why.svg", encoding: .utf8)
        let record = try XCTUnwrap(interpreter.session.insight.why)
        let pattern = try NSRegularExpression(pattern: ##"<rect class="step" [^>]*fill="#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})" data-step="(\d+)" data-contribution="([-0-9.e]+)""##)
        let bands = pattern.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)).map { match -> (red: Int, blue: Int, step: Int, value: Double) in
            func group(_ i: Int) -> String { String(svg[Range(match.range(at: i), in: svg)!]) }
            return (Int(group(1), radix: 16)!, Int(group(3), radix: 16)!, Int(group(4))!, Double(group(5))!)
        }
        XCTAssertEqual(bands.map(\.step), Array(0..<24), output.text)
        XCTAssertEqual(bands.map(\.value).reduce(0, +), record.total, accuracy: 1e-3, "the bands carry the contributions")
        let strongest = try XCTUnwrap(bands.max { abs($0.value) < abs($1.value) })
        XCTAssertGreaterThan(abs(strongest.red - strongest.blue), 60, "the strongest step has the full (pale) tint: \(strongest)")
        for band in bands where abs(band.value) > abs(strongest.value) / 20 {
            if band.value > 0 { XCTAssertGreaterThan(band.red, band.blue, "step \(band.step) pushed towards: red") }
            else { XCTAssertGreaterThan(band.blue, band.red, "step \(band.step) pushed away: blue") }
        }
        XCTAssertEqual(svg.components(separatedBy: "class=\"contribution\"").count - 1, 24, "a dot per step")
        XCTAssertEqual(svg.components(separatedBy: "class=\"series\"").count - 1, 1, "one line for the one channel")
        XCTAssertTrue(output.text.contains("contributions add up to"), "the completeness line still prints: \(output.text)")
    }

    /// Two channels through a dense model: a contribution per step and channel, a line per channel.
    func testTwoChannelsThroughADenseModel() throws {
        let folder = try makeTemporaryFolder("serieswhy")
        let (interpreter, output) = interpreter(["load blobs n=150 features=20 classes=3", "input 10x2", "split 0.8", "scale standard",
                                                 "dense 16 relu", "dense 3 softmax", "train lr=0.1 epochs=10 verbose=0",
                                                 "why 4", "why 5 to \"\(folder)/two.svg\""])
        let record = try XCTUnwrap(interpreter.session.insight.why)
        XCTAssertEqual(record.contributions.count, 20)
        XCTAssertEqual(record.total, record.output - record.baselineOutput, accuracy: 1e-3)
        let svg = try String(contentsOfFile: folder + "/two.svg", encoding: .utf8)
        XCTAssertEqual(svg.components(separatedBy: "class=\"series\"").count - 1, 2, "a line per channel")
        XCTAssertEqual(svg.components(separatedBy: "class=\"step\"").count - 1, 10, "a band per step")
        XCTAssertEqual(svg.components(separatedBy: "class=\"contribution\"").count - 1, 20, "a dot per step and channel")
        XCTAssertTrue(svg.contains("channel 1"), "the legend names the channels")
        XCTAssertTrue(output.text.contains("steps that pushed most:"), output.text)
    }

    func testRunsOfStepsThatPushedMost() {
        let runs = Session.strongestRuns([0.1, 0.2, -0.05, 0, 0.5, 0.4, -0.3, -0.3, 0.001])
        XCTAssertEqual(runs.map(\.from), [4, 6, 0])
        XCTAssertEqual(runs.map(\.to), [5, 7, 1])
        XCTAssertEqual(runs[0].total, 0.9, accuracy: 1e-12)
        XCTAssertEqual(runs[1].total, -0.6, accuracy: 1e-12)
        XCTAssertTrue(Session.strongestRuns([0, 0]).isEmpty)
        XCTAssertEqual(Session.strongestRuns([1, -0.05]).count, 1, "runs under a tenth of the largest are left out")
    }

    // MARK: - Errors

    func testWhyOfASeriesRowThatDoesNotExist() {
        let (text, outcomes) = runLines(lstmOnWaves + ["why 9999", "why 24", "why 1.5", "why 0"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok, .ok, .runtimeError, .runtimeError, .runtimeError, .ok], text)
        XCTAssertTrue(text.contains("there is no test row 9999: the 24 test rows are numbered 0 to 23"), text)
        XCTAssertTrue(text.contains("there is no test row 24"), text)
        XCTAssertTrue(text.contains("there is no test row 1.5"), text)
        XCTAssertTrue(text.contains("steps that pushed most:"), "the session goes on: \(text)")
    }

    func testWhyOfASeriesBeforeTraining() {
        let (text, outcomes) = runLines(["load waves n=60 steps=16", "split 0.8", "lstm 4", "dense 3 softmax", "why 0"])
        XCTAssertEqual(outcomes.last, .runtimeError, text)
        XCTAssertTrue(text.contains("why explains a trained model, but the model is not trained yet"), text)
    }
}
