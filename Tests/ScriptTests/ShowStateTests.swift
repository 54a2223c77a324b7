import XCTest
import Script

/// `show state` is one line that recreates the session: run in a fresh session, it gives
/// the same `show` and the same trained numbers.
final class ShowStateTests: XCTestCase {
    func testTheLineRecreatesTheSession() throws {
        let lines = ["set seed=7", "load iris", "split 0.8 stratify", "head", "scale minmax", "dense 8 relu", "dense 3 softmax",
                     "summary", "optimizer sgd momentum=0.9", "train lr=0.05 epochs=3", "evaluate", "plot loss", "show"]
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        for line in lines { XCTAssertEqual(interpreter.runInteractive(line), .ok, output.text) }
        let session = output.text
        // A failed statement is not part of the state.
        XCTAssertEqual(interpreter.runInteractive("load \"missing.csv\""), .runtimeError)
        let before = output.text
        XCTAssertEqual(interpreter.runInteractive("show state"), .ok)
        let state = String(output.text.dropFirst(before.count)).trimmingCharacters(in: .newlines)
        XCTAssertEqual(state, "set seed=7; load iris; split 0.8 stratify; scale minmax; dense 8 relu; dense 3 softmax; "
                            + "optimizer sgd momentum=0.9; train lr=0.05 epochs=3")

        let (replayed, outcomes) = runLines([state, "evaluate", "show"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok], replayed)
        // The same evaluation and the same `show`, number for number.
        func evaluation(_ text: String) -> [Substring] { text.split(separator: "\n").filter { $0.contains("correct)") } }
        XCTAssertEqual(evaluation(replayed), evaluation(before))
        XCTAssertEqual(evaluation(before).count, 1, before)
        let show = session.components(separatedBy: "data      ").last!
        XCTAssertTrue(replayed.hasSuffix(show), "the replayed `show`:\n\(replayed)\nthe original:\n\(show)")
    }

    func testAnEmptySession() {
        assertOutput(["show state"], ["# an empty session"])
    }
}
