import Foundation
import XCTest

/// A long `train` leaves a screenful, not thousands of lines: in a pipe and on a terminal.
final class ProgressTests: XCTestCase {
    private let iris = "load iris\nsplit 0.8 seed=42\nscale minmax\ndense 16 relu\ndense 3 softmax\n"

    /// The seed workflow's 4000-epoch run and the tuning example, piped.
    func testFourThousandEpochsPipedPrintAtMostFiftyEpochLines() throws {
        let directory = try makeTemporaryDirectory(with: [
            "long.dl": iris + "train lr=0.001 epochs=4000 batch=32\nhistory\n",
        ])
        let result = try DLBinary.run(["long.dl"], in: directory, timeout: 120)
        XCTAssertEqual(result.status, 0, result.stderr)
        let epochLines = result.stdout.split(separator: "\n").filter { $0.hasPrefix("Epoch ") }
        XCTAssertLessThanOrEqual(epochLines.count, 50, result.stdout)
        XCTAssertGreaterThanOrEqual(epochLines.count, 40, "about 40 evenly spaced lines:\n\(result.stdout)")
        XCTAssertTrue(epochLines.last?.hasPrefix("Epoch 4000/4000") ?? false, result.stdout)
        XCTAssertFalse(result.stdout.contains("\r"), "no redrawing in a pipe")
        // `history` still has every epoch: its table ends on epoch 4000 (elided in the middle).
        XCTAssertTrue(result.stdout.contains("trained 4000 epochs"), result.stdout)

        let tuning = try DLBinary.run([DLBinary.packageRoot.appendingPathComponent("examples/tuning.dl").path],
                                      in: directory, timeout: 300)
        XCTAssertEqual(tuning.status, 0, tuning.stderr)
        XCTAssertLessThanOrEqual(tuning.stdout.split(separator: "\n").filter { $0.hasPrefix("Epoch ") }.count, 50)
    }

    /// 100,000 epochs interrupted after two seconds on a terminal: the live line redraws in
    /// place, and the screen gains at most 50 lines.
    func testInterruptedHundredThousandEpochsLeaveAtMostFiftyLines() throws {
        let directory = try makeTemporaryDirectory()
        let session = try PseudoTerminalSession.dl(in: directory)
        session.expectPrompt()
        for line in iris.split(separator: "\n") {
            session.type(line + "\r")
            session.expectPrompt()
        }
        let before = session.transcript.utf8.count
        session.type("train lr=0.01 epochs=100000\r")
        XCTAssertTrue(session.expect("left"), "the live line estimates the time left:\n\(session.transcript)")
        sleep(2)
        session.type("\u{03}")
        session.expect("interrupted at epoch")
        session.expectPrompt()
        let shown = String(decoding: Array(session.transcript.utf8)[before...], as: UTF8.self)
        let lines = shown.split(separator: "\n", omittingEmptySubsequences: false).count
        XCTAssertLessThanOrEqual(lines, 50, shown)
        XCTAssertTrue(shown.contains("Epoch      1/100000"), shown)
        XCTAssertTrue(session.isRunning, "the session lives on after Ctrl-C")
    }
}
