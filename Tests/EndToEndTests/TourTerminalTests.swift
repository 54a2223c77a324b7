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

    /// `tour 3` after building other layers: inside the tour `summary` shows only the tour's
    /// layers; a wrong answer is declined in a wrapped paragraph; after `tour off` the user's
    /// layers are back.
    func testTourRunsInItsOwnSessionAndHandsTheUsersBack() throws {
        let directory = try makeTemporaryDirectory()
        let session = try PseudoTerminalSession.dl(in: directory)
        session.expectPrompt()
        for line in ["load iris", "split 0.8", "dense 5 tanh", "dense 3 softmax"] {
            session.type(line + "\r")
            session.expectPrompt()
        }
        session.type("tour 3\r")
        guard session.expect("  type: dense 16 relu", timeout: 30) else { return }
        session.expectPrompt()
        XCTAssertFalse(session.transcript.contains("the model keeps"), session.transcript)
        XCTAssertEqual(session.transcript.components(separatedBy: "done for you: ").count - 1, 6, session.transcript)
        XCTAssertFalse(session.transcript.contains("still waiting"), session.transcript)

        session.type("dense 16 relu\r")
        guard session.expect("  type: dense 3 softmax") else { return }
        session.expectPrompt()
        // Wrong: not applied, and the reason wraps at the terminal's 120 columns with a hanging indent.
        session.type("dense 3 relu\r")
        guard session.expect("leaves the tour.") else { return }
        session.expectPrompt()
        let declined = lines(of: session.transcript, from: "tour: `dense 3 relu` is not applied", to: "leaves the tour.")
        XCTAssertGreaterThan(declined.count, 1, session.transcript)
        XCTAssertTrue(declined[0].contains("the output layer needs softmax"), session.transcript)
        XCTAssertTrue(declined.allSatisfy { $0.count <= 120 }, "\(declined)")
        XCTAssertTrue(declined.dropFirst().allSatisfy { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }, "\(declined)")

        session.type("dense 3 softmax\r")
        guard session.expect("  type: summary") else { return }
        session.expectPrompt()
        session.type("summary\r")
        guard session.expect("Total params: 131") else { return }
        session.expectPrompt()
        let tourSummary = lines(of: session.transcript, from: "Model: sequential", to: "Total params: 131")
        XCTAssertTrue(tourSummary.contains { $0.contains("(None, 16)") && $0.contains("relu") }, "\(tourSummary)")
        XCTAssertEqual(tourSummary.filter { $0.contains("(Dense)") }.count, 2, "only the tour's two layers: \(tourSummary)")
        XCTAssertFalse(tourSummary.contains { $0.contains("tanh") }, "\(tourSummary)")

        session.type("tour off\r")
        guard session.expect("Your session is back as you left it") else { return }
        session.expectPrompt()
        session.type("summary\r")
        guard session.expect("Total params: 43") else { return }
        session.expectPrompt()
        let userSummary = lines(of: session.transcript, from: "Model: sequential", to: "Total params: 43")
        XCTAssertTrue(userSummary.contains { $0.contains("(None, 5)") && $0.contains("tanh") }, "\(userSummary)")
        XCTAssertEqual(userSummary.filter { $0.contains("(Dense)") }.count, 2, "the user's two layers: \(userSummary)")
        session.type("\u{04}")
        XCTAssertEqual(session.waitForExit(timeout: 5), 0)
    }

    /// The terminal's lines from the last `start` through the first `end` after it.
    private func lines(of transcript: String, from start: String, to end: String) -> [String] {
        guard let from = transcript.range(of: start, options: .backwards),
              let to = transcript.range(of: end, range: from.lowerBound..<transcript.endIndex) else { return [] }
        return transcript[from.lowerBound..<to.upperBound].replacingOccurrences(of: "\r\n", with: "\n")
            .components(separatedBy: "\n")
    }
}
