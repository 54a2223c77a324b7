import Foundation
import XCTest
import Script

/// Warnings that teach: each names what went wrong in the session and the statement that
/// fixes it, and each stays quiet where nothing is wrong.
final class TeachingWarningsTests: XCTestCase {
    func testSoftmaxOnAHiddenLayer() {
        assertOutput(["load iris", "dense 3 softmax", "dense 3 softmax"],
                     ["warning: `dense 3 softmax` (line 2) is now a hidden layer, and softmax belongs on the output"])
        let (quiet, _) = runLines(["load iris", "dense 8 relu", "dense 3 softmax"])
        XCTAssertFalse(quiet.contains("warning"), quiet)
    }

    func testNewDataWhileTheLayersOfThePreviousModelRemain() {
        assertOutput(["load iris", "dense 8 relu", "dense 3 softmax", "load moons"],
                     ["warning: the model keeps its 2 layers (dense 8 relu, dense 3 softmax); `reset model` starts a new one"])
        let (quiet, _) = runLines(["load iris", "dense 8 relu", "reset model", "load moons", "load iris"])
        XCTAssertFalse(quiet.contains("warning"), quiet)
    }

    func testScaleAfterTraining() {
        assertOutput(["load iris", "split 0.8", "dense 8 relu", "dense 3 softmax", "train epochs=1", "scale minmax"],
                     ["warning: the model was trained before this `scale`", "the next `train` starts from fresh weights"])
        let (quiet, _) = runLines(["load iris", "split 0.8", "scale minmax", "dense 8 relu", "dense 3 softmax", "train epochs=1"])
        XCTAssertFalse(quiet.contains("warning"), quiet)
    }

    /// A terminal (or a pipe) shows a warning as the line dl always printed, in its place among
    /// the statement's output; the report keeps it there too.
    func testAWarningPrintsAsBeforeAndTheReportKeepsIt() throws {
        let (text, outcomes) = runLines(["load iris", "dense 8 relu", "load moons"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.suffix(3), [
            "loaded moons(n: 500, noise: 0.1): 500 rows, 2 features; target 'class': 2 classes (0, 1)",
            "warning: the model keeps its layer (dense 8 relu); `reset model` starts a new one",
            "",
        ], text)
        let path = NSTemporaryDirectory() + "dl-warning-\(UUID().uuidString).html"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (reported, _) = runLines(["load iris", "dense 8 relu", "load moons", "report \"\(path)\""])
        let page = try String(contentsOfFile: path, encoding: .utf8)
        let loaded = try XCTUnwrap(page.range(of: "loaded moons"), reported)
        let warning = try XCTUnwrap(page.range(of: "warning: the model keeps its layer (dense 8 relu)"), page)
        XCTAssertLessThan(loaded.lowerBound, warning.lowerBound, "after the load's own line")
    }

    /// A sink that takes warnings gets each as a value with its stable id, and nothing as text.
    func testASinkGetsEachWarningAsAValueWithItsId() {
        let sink = WarningSink()
        let interpreter = Interpreter(output: sink)
        for (number, line) in ["load iris", "dense 3 softmax", "split 0.8", "dense 3 softmax", "train epochs=1",
                               "scale minmax", "load moons"].enumerated() {
            XCTAssertEqual(interpreter.runInteractive(line, lineNumber: number + 1), .ok, sink.text)
        }
        XCTAssertEqual(sink.warnings.map(\.id), ["softmax-hidden-layer", "scaled-after-training", "model-kept-after-load"])
        XCTAssertEqual(sink.warnings.map(\.severity), [.warning, .warning, .warning])
        XCTAssertEqual(sink.warnings.map(\.line), [4, 6, 7])
        XCTAssertEqual(sink.warnings.first?.message.hasPrefix("`dense 3 softmax` (line 2) is now a hidden layer"), true)
        XCTAssertEqual(sink.warnings.map(\.rendered), sink.warnings.map { "warning: \($0.message)\n" })
        XCTAssertFalse(sink.text.contains("warning"), sink.text)
    }
}

/// Collects the text and, apart, the warnings.
private final class WarningSink: OutputSink {
    var text = ""
    var warnings: [ReportedError] = []
    let isTerminal = false
    let useColor = false
    let width = 80
    func write(_ text: String, to stream: OutputChannel) { self.text += text }
    func report(warning: ReportedError) { warnings.append(warning) }
}
