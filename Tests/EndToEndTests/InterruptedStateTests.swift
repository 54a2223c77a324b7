import Foundation
import XCTest

/// The case, as a user meets it: `train lr=0.01 epochs=10000000` on iris, stopped with
/// Ctrl-C at the prompt. `show state` then asks for the epochs that ran, not ten million, and
/// `dl -e` of the line gives the same `evaluate` within seconds, not minutes.
final class InterruptedStateTests: XCTestCase {
    func testAStoppedTrainReplaysTheEpochsItRan() throws {
        let directory = try makeTemporaryDirectory()
        let session = try PseudoTerminalSession.dl(in: directory)
        session.expectPrompt()
        for line in ["load iris", "split 0.8", "scale minmax", "dense 8 relu", "dense 3 softmax"] {
            session.type(line + "\r")
            session.expectPrompt()
        }
        session.type("train lr=0.01 epochs=10000000\r")
        session.expect("left")
        sleep(1)
        session.type("\u{03}")
        session.expect("(the unfinished epoch is undone)")
        session.expectPrompt()
        session.type("evaluate\r")
        session.expectPrompt()
        session.type("show state\r")
        session.expectPrompt()
        let shown = session.transcript
        guard let line = shown.split(whereSeparator: \.isNewline).map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) })
                .last(where: { $0.hasPrefix("load iris;") }),
              let epochs = Int(line.components(separatedBy: "train lr=0.01 epochs=").last!) else {
            return XCTFail("no state line with the train:\n\(shown)")
        }
        XCTAssertEqual(line, "load iris; split 0.8; scale minmax; dense 8 relu; dense 3 softmax; train lr=0.01 epochs=\(epochs)")
        XCTAssertLessThan(epochs, 10_000_000)
        XCTAssertTrue(shown.contains("interrupted at epoch \(epochs + 1) of 10000000; the weights of epoch \(epochs) are kept"), shown)
        session.type("quit\r")
        _ = session.waitForExit(timeout: 10)

        let started = Date()
        let replay = try DLBinary.run(["-e", line, "-e", "evaluate"], in: directory, timeout: 120)
        XCTAssertEqual(replay.status, 0, replay.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 60, "the replay trains the epochs that ran, no more")
        func figures(_ text: String) -> [String] {
            text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("loss ") && $0.contains("correct") }
        }
        XCTAssertEqual(figures(replay.stdout).count, 1, replay.stdout)
        XCTAssertEqual(figures(replay.stdout), figures(shown), "the same evaluate figures:\n\(replay.stdout)")
    }
}
