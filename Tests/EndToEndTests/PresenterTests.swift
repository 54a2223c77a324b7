import Foundation
import XCTest

/// `dl --step`: presenter mode through a pseudo-terminal, keys as a teacher presses them.
final class PresenterTests: XCTestCase {
    func testEnterSkipBackAndExplore() throws {
        let directory = try makeTemporaryDirectory(with: [
            "lesson.dl": """
                # The iris flowers.
                load iris
                # Keep a fifth for testing.
                split 0.8 seed=1
                describe
                dense 3 softmax

                """,
        ])
        let lesson = directory.appendingPathComponent("lesson.dl").path
        let session = try PseudoTerminalSession.dl(["--step", lesson], in: directory)

        // The first step: the position, the note above it, the statement; nothing run yet.
        XCTAssertTrue(session.expect("[step 1 of 4]"))
        session.expect("# The iris flowers.")
        session.expect("load iris")
        session.expect("Enter runs it")
        XCTAssertFalse(session.transcript.contains("loaded iris"), session.transcript)

        session.type("\r")                      // Enter runs it
        session.expect("loaded iris.csv: 150 rows")
        session.expect("[step 2 of 4]")
        session.expect("# Keep a fifth for testing.")
        session.type("\r")
        session.expect("split: 120 training rows, 30 test rows (seed 1)")
        session.expect("[step 3 of 4]")

        session.type("s")                       // s skips describe
        session.expect("skipped line 5: describe")
        session.expect("[step 4 of 4]")
        XCTAssertFalse(session.transcript.contains("mean"), "describe must not have run:\n\(session.transcript)")

        session.type("b")                       // b goes back to describe, the session rebuilt from load and split
        session.expect("back to step 3: the session was rebuilt from 2 statements")
        session.expect("[step 3 of 4]")

        session.type("e")                       // e: the prompt on the session as it stands
        session.expect("Ctrl-D returns to")
        session.expectPrompt()
        session.type("show\r")
        session.expect("120 training / 30 test rows (seed 1)")
        session.expectPrompt()
        session.type("\u{04}")                  // Ctrl-D: back to the lesson, at the same step
        session.expect("back in")
        session.expect("[step 3 of 4]")

        session.type("\r")                      // describe runs now
        session.expect("mean")
        session.expect("[step 4 of 4]")
        session.type("q")
        XCTAssertEqual(session.waitForExit(timeout: 10), 0, session.transcript)
    }

    func testALessonWithAnErrorRunsNothing() throws {
        let directory = try makeTemporaryDirectory(with: ["bad.dl": "load iris\ndens 3\n"])
        let result = try DLBinary.run(["--step", "bad.dl"], in: directory)
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("bad.dl:2:1: error: unknown statement 'dens'"), result.stderr)
        XCTAssertEqual(result.stdout, "")
    }

    /// From a pipe each line is a key: an empty line is Enter.
    func testKeysFromAPipe() throws {
        let directory = try makeTemporaryDirectory(with: ["lesson.dl": "load iris\nsplit 0.8\n"])
        let result = try DLBinary.run(["--step", "lesson.dl"], input: "\ns\n\n", in: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("loaded iris.csv"), result.stdout)
        XCTAssertTrue(result.stdout.contains("skipped line 2: split 0.8"), result.stdout)
        XCTAssertTrue(result.stdout.contains("[end of lesson.dl: 2 steps]"), result.stdout)
        XCTAssertFalse(result.stdout.contains("split: 120"), result.stdout)
    }
}
