import Foundation
import XCTest

/// Tab at the real prompt: a word completed whole gets a space after it, so the next
/// argument can be typed at once; a key waiting for its value gets none.
final class TabCompletionTerminalTests: XCTestCase {
    func testTabAfterACompletedWordAddsASpace() throws {
        let session = try PseudoTerminalSession.dl(in: try makeTemporaryDirectory())
        session.expectPrompt()
        // First a Tab with several candidates (train's keys), then Ctrl-U: a stale slot of that
        // completion's array once made the next single match lose its space (`den<Tab>64` gave
        // `dense64`, an unknown statement).
        session.type("train \t\u{15}")
        session.type("den\t")
        session.expectOnCurrentLine("dl> dense")
        session.type("64\r")
        session.expectPrompt()
        // A statement typed whole, then Tab: the space too.
        session.type("train \t\u{15}dense\t3 softmax\r")
        session.expectPrompt()
        session.type("load ir\t\r")
        session.expect("loaded iris.csv")
        session.expectPrompt()
        // A flag.
        session.type("split 0.8 str\tseed=7\r")
        session.expect("stratified")
        session.expectPrompt()
        session.type("show\r")
        session.expect("dense 64 → dense 3 softmax")
        session.expectPrompt()
        // A key waits for its value: no space after `epochs=`.
        session.type("train epo\t")
        session.expectOnCurrentLine("dl> train epochs=")
        session.type("2\r")
        session.expect("trained 2 epochs")
        session.expectPrompt()
        XCTAssertFalse(session.transcript.contains("error"), session.transcript)
        session.type("\u{04}")
        XCTAssertEqual(session.waitForExit(timeout: 5), 0, session.transcript)
    }
}
