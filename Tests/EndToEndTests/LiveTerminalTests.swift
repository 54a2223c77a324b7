import Foundation
import XCTest

/// `train … live` on a terminal keeps a pace a class can watch; in a pipe nothing waits; a
/// resized terminal gets pictures of its new width.
final class LiveTerminalTests: XCTestCase {
    private let moons = ["load moons", "dense 8 relu", "dense 2 softmax"]
    private let live = "train lr=0.1 epochs=300 live"

    /// A terminal session with the moons model built (the terminal is 120 × 30).
    private func moonsSession() throws -> PseudoTerminalSession {
        let session = try PseudoTerminalSession.dl(in: try makeTemporaryDirectory())
        session.expectPrompt()
        for line in moons {
            session.type(line + "\r")
            session.expectPrompt()
        }
        return session
    }

    /// 300 epochs train in well under a second, but on a terminal the run is spread over
    /// about 5 seconds; `pace=fast` waits for nothing, and in a pipe nothing waits either.
    func testThreeHundredEpochsTakeFourSecondsOnATerminalAndUnderOneInAPipe() throws {
        let session = try moonsSession()
        var start = Date()
        session.type(live + "\r")
        session.expect("trained 300 epochs", timeout: 30)
        session.expectPrompt()
        let paced = Date().timeIntervalSince(start)
        XCTAssertGreaterThanOrEqual(paced, 4, session.transcript)
        XCTAssertLessThan(paced, 15, session.transcript)
        XCTAssertTrue(session.transcript.contains("Decision regions, epoch 300/300"), session.transcript)
        // More than a few pictures: the class sees the regions move.
        XCTAssertGreaterThanOrEqual(session.transcript.components(separatedBy: "Decision regions, epoch").count - 1, 10)
        XCTAssertTrue(session.transcript.contains("drawn over"), "the closing line tells the time trained from the time shown")

        start = Date()
        session.type(live + " pace=fast\r")
        session.expect("trained 300 epochs", timeout: 30)
        session.expectPrompt()
        XCTAssertLessThan(Date().timeIntervalSince(start), 3, "pace=fast does not wait")

        // pace=N: 20 epochs at 10 a second.
        start = Date()
        session.type("train lr=0.1 epochs=20 live pace=10\r")
        session.expect("trained 20 epochs", timeout: 30)
        session.expectPrompt()
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 1.8)

        let directory = try makeTemporaryDirectory()
        start = Date()
        let piped = try DLBinary.run([], input: (moons + [live]).joined(separator: "\n") + "\n", in: directory)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertTrue(piped.stdout.contains("trained 300 epochs"), piped.stdout)
        XCTAssertFalse(piped.stdout.contains("drawn over"), piped.stdout)
        XCTAssertLessThan(elapsed, 1, "nothing waits in a pipe:\n\(piped.stdout)")
    }

    /// Ctrl-C during the pace stops training at once, as it does without it.
    func testCtrlCStopsAPacedRunAtOnce() throws {
        let session = try moonsSession()
        session.type(live + "\r")
        session.expect("Decision regions")
        usleep(500_000)
        let start = Date()
        session.type("\u{03}")
        session.expect("interrupted at epoch")
        session.expectPrompt()
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.5, session.transcript)
    }

    /// Narrowed from 120 to 90 columns mid-run: the next picture clears the screen and is drawn
    /// at 90 columns, so nothing of the wider one is left beside it; the last picture stays.
    func testAResizedTerminalGetsPicturesOfItsNewWidth() throws {
        let session = try moonsSession()
        session.type(live + "\r")
        session.expect("Decision regions")
        usleep(1_000_000)
        session.resize(columns: 90, rows: 30)
        session.expect("trained 300 epochs", timeout: 30)
        session.expectPrompt()
        let transcript = session.transcript
        let clear = try XCTUnwrap(transcript.range(of: "\u{1B}[2J", options: .backwards), "the screen is cleared once resized")
        let after = String(transcript[clear.upperBound...])
        XCTAssertTrue(after.contains("Decision regions, epoch 300/300"), "the last picture stays:\n\(after)")
        let picture = after.components(separatedBy: "trained 300 epochs")[0]
        let widths = Self.lines(of: picture).map(Self.visibleWidth)
        XCTAssertLessThanOrEqual(widths.max() ?? 0, 90, picture)
        XCTAssertGreaterThan(widths.max() ?? 0, 60, "the picture uses the new width:\n\(picture)")
        // Before the resize the pictures were wider than 90 columns.
        let before = Self.lines(of: String(transcript[..<clear.lowerBound])).map(Self.visibleWidth)
        XCTAssertGreaterThan(before.max() ?? 0, 90)
    }

    /// Lines split at "\n" by Unicode scalars ("\r\n" is one Character).
    private static func lines(of text: String) -> [String] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
    }

    /// Columns a line takes with the escape sequences removed (each character one column, as
    /// every character of dl's pictures is).
    private static func visibleWidth(_ line: String) -> Int {
        var width = 0
        var scalars = line.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            if scalar == "\u{1B}" {
                // CSI: parameters, then one final letter.
                guard scalars.next() == "[" else { continue }
                while let next = scalars.next(), !(next.properties.isAlphabetic) {}
                continue
            }
            if scalar == "\r" { continue }
            width += 1
        }
        return width
    }
}
