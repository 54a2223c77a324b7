import Foundation
import XCTest

/// The tour from start to finish at the real prompt, typing what it asks.
final class TourTerminalTests: XCTestCase {
    func testTourCanBeCompletedAtThePrompt() throws {
        let directory = try makeTemporaryDirectory()
        let session = try PseudoTerminalSession.dl(in: directory)
        session.expectPrompt()
        session.type("tour\r")
        // Read each task's suggestion off the screen and type it, as a learner would.
        var typed = 0
        while typed < 13 {
            guard session.expect("  type: ", timeout: 60) else { return }
            guard session.expect("\n", timeout: 10) else { return }
            let lines = session.transcript.components(separatedBy: "  type: ")
            let suggestion = lines.last!.components(separatedBy: "\r\n").first!.components(separatedBy: "\n").first!
                .trimmingCharacters(in: .whitespacesAndNewlines)
            session.expectPrompt()
            session.type(suggestion + "\r")
            typed += 1
        }
        XCTAssertTrue(session.expect("tour complete", timeout: 60), session.transcript)
        XCTAssertFalse(session.transcript.contains("still waiting"), "every suggestion was accepted:\n\(session.transcript)")
        session.expectPrompt()
        session.type("\u{04}")
        XCTAssertEqual(session.waitForExit(timeout: 5), 0)
    }
}
