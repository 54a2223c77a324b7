import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The interactive prompt through a pseudo-terminal: typing, Tab, Ctrl-C, Ctrl-D.
final class REPLTests: XCTestCase {
    func testTypingTabCtrlCAndCtrlD() throws {
        let directory = try DLBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let session = try PseudoTerminalSession.dl(in: directory)

        XCTAssertTrue(session.expect("type 'help'"), "the welcome line")
        session.expectPrompt()

        // A mistake is reported and the prompt comes back.
        session.type("dens 64 relu\r")
        session.expect("did you mean 'dense'")
        session.expectPrompt()

        // Tab completes a statement name.
        session.type("den\t")
        session.expectOnCurrentLine("dl> dense")

        // Ctrl-C throws the line away and shows a fresh prompt; the session lives on.
        session.type("\u{03}")
        session.expectPrompt()
        usleep(100_000)
        XCTAssertTrue(session.isRunning, "Ctrl-C at the prompt must not end dl:\n\(session.transcript)")

        session.type("help\r")
        session.expect("dense")
        session.expectPrompt()

        // Ctrl-D on an empty line leaves with status 0.
        session.type("\u{04}")
        XCTAssertEqual(session.waitForExit(timeout: 5), 0,
                       "Ctrl-D at an empty prompt must exit 0:\n\(session.transcript)")

        // The lines typed were saved in $DL_HISTORY.
        let history = try String(contentsOf: directory.appendingPathComponent("history"), encoding: .utf8)
        XCTAssertTrue(history.contains("help"), history)
    }

    /// A history file that cannot be written: one warning, and the session goes on.
    func testUnwritableHistoryWarnsOnce() throws {
        let directory = try DLBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let session = try PseudoTerminalSession.dl(in: directory, history: "missing-folder/history")
        session.expectPrompt()
        for line in ["load iris", "split 0.8", "show"] {
            session.type(line + "\r")
            session.expectPrompt()
        }
        XCTAssertTrue(session.transcript.contains("120 training / 30 test rows"), session.transcript)
        XCTAssertEqual(session.transcript.components(separatedBy: "cannot save the history").count - 1, 1, session.transcript)
        session.type("\u{04}")
        XCTAssertEqual(session.waitForExit(timeout: 5), 0)
    }
}
