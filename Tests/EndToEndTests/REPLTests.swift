import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The interactive prompt through a pseudo-terminal: typing, Tab, Ctrl-C, Ctrl-D.
final class REPLTests: XCTestCase {
    func testTypingTabCtrlCAndCtrlD() throws {
        let directory = try makeTemporaryDirectory()
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

    /// The history is saved whole, beside the file, and renamed over it: a symbolic link to
    /// it stays a link (as dotfile managers make), and no temporary file is left behind.
    func testHistoryIsSavedThroughASymbolicLink() throws {
        let directory = try makeTemporaryDirectory()
        let dotfiles = directory.appendingPathComponent("dotfiles")
        try FileManager.default.createDirectory(at: dotfiles, withIntermediateDirectories: true)
        // libedit's own format: a header, and spaces written as \040.
        try "_HiStOrY_V2_\nload\\040iris\n".write(to: dotfiles.appendingPathComponent("dl_history"), atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("history").path,
                                                   withDestinationPath: "dotfiles/dl_history")
        let session = try PseudoTerminalSession.dl(in: directory, history: "history")
        session.expectPrompt()
        session.type("columns\r")
        session.expectPrompt()
        session.type("\u{04}")
        XCTAssertEqual(session.waitForExit(timeout: 5), 0, session.transcript)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: directory.appendingPathComponent("history").path),
                       "dotfiles/dl_history")
        let saved = try String(contentsOf: dotfiles.appendingPathComponent("dl_history"), encoding: .utf8)
        XCTAssertTrue(saved.contains("load\\040iris\ncolumns"), saved)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dotfiles.path), ["dl_history"])
    }

    /// A full disk (here a file size limit of 8 KB under a 30 KB history) fails the save with
    /// one warning and leaves the old history exactly as it was.
    func testHistoryOnAFullDiskIsKeptWhole() throws {
        let directory = try makeTemporaryDirectory()
        let history = directory.appendingPathComponent("history")
        let old = "_HiStOrY_V2_\n" + (1...1000).map { "show\\040#\\040line\\040\($0)\n" }.joined()
        try old.write(to: history, atomically: false, encoding: .utf8)
        let session = try PseudoTerminalSession(path: "/bin/sh", arguments: ["-c", "ulimit -f 8; exec \"$0\"", DLBinary.path],
                                                environment: PseudoTerminalSession.dlEnvironment(in: directory))
        session.expectPrompt()
        session.type("load iris\r")
        session.expectPrompt()
        session.type("\u{04}")
        XCTAssertEqual(session.waitForExit(timeout: 5), 0, session.transcript)
        XCTAssertTrue(session.transcript.contains("cannot save the history"), session.transcript)
        XCTAssertEqual(try String(contentsOf: history, encoding: .utf8), old, "the old history was cut short")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["history"])
    }

    /// Text typed in UTF-8 reaches dl as typed, and Backspace removes a whole character
    /// (the key reader once handed libedit each byte as a character of its own).
    func testUTF8TypedAtThePromptArrivesWhole() throws {
        let directory = try makeTemporaryDirectory()
        let session = try PseudoTerminalSession.dl(in: directory)
        session.expectPrompt()
        session.type("help 日本語\r")
        session.expect("error: no statement named '日本語'")
        session.expectPrompt()
        session.type("help dense é\u{7F}\u{7F}\r") // two Backspaces: "é", then the space
        session.expect("dense UNITS [ACTIVATION]")
        session.expectPrompt()
        session.type("\u{04}")
        XCTAssertEqual(session.waitForExit(timeout: 5), 0, session.transcript)
    }

    /// A history file that cannot be written: one warning, and the session goes on.
    func testUnwritableHistoryWarnsOnce() throws {
        let directory = try makeTemporaryDirectory()
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
