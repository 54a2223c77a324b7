import XCTest
@testable import Script

/// A terminal as `train … live` sees it: its width can change between pictures (as when the
/// window is resized), and everything written is kept.
private final class FakeTerminal: OutputSink {
    var text = ""
    var isTerminal: Bool { true }
    var useColor: Bool { false }
    var width = 120
    var height: Int { 40 }
    /// Called with each text written, to resize the terminal at a chosen moment.
    var afterWrite: (FakeTerminal, String) -> Void = { _, _ in }
    func write(_ text: String, to stream: OutputChannel) {
        self.text += text
        afterWrite(self, text)
    }
}

/// `pace=` and the pacing of `train … live` on a terminal; checked, decoded and timed.
final class LivePaceTests: XCTestCase {
    private let moons = ["load moons", "dense 8 relu", "dense 2 softmax"]

    private func run(_ lines: [String], on terminal: FakeTerminal) -> [RunOutcome] {
        let interpreter = Interpreter(output: terminal)
        return lines.map { interpreter.runInteractive($0) }
    }

    func testPaceSetsEpochsPerSecondOnATerminal() {
        let terminal = FakeTerminal()
        let start = Date()
        XCTAssertEqual(run(moons + ["train lr=0.1 epochs=20 live pace=40"], on: terminal).last, .ok, terminal.text)
        // 20 epochs at 40 a second: half a second at least, however fast training is.
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.5)
        XCTAssertTrue(terminal.text.contains("Decision regions, epoch 20/20"), terminal.text)
        XCTAssertTrue(terminal.text.contains("(drawn over "), terminal.text)
    }

    func testPaceFastAndAPipeDoNotWait() {
        let terminal = FakeTerminal()
        XCTAssertEqual(run(moons + ["train lr=0.1 epochs=300 live pace=fast"], on: terminal).last, .ok, terminal.text)
        XCTAssertFalse(terminal.text.contains("drawn over"), terminal.text)
        let (text, outcomes) = runLines(moons + ["train lr=0.1 epochs=300 live"])
        XCTAssertEqual(outcomes.last, .ok, text)
        XCTAssertFalse(text.contains("drawn over"), "nothing waits in a pipe:\n\(text)")
    }

    /// The default spreads the run over about 5 seconds: 300 epochs at 60 a second.
    func testTheDefaultSpreadsTheRunOverFiveSeconds() {
        XCTAssertEqual(LivePace.spread.rate(epochs: 300), 60)
        XCTAssertEqual(LivePace.epochsPerSecond(12).rate(epochs: 300), 12)
        XCTAssertNil(LivePace.fast.rate(epochs: 300))
    }

    /// Narrowed from 120 to 80 columns after the second picture: the next clears the screen and
    /// is 80 columns wide at most.
    func testAResizedTerminalIsClearedAndDrawnAtItsNewWidth() {
        let terminal = FakeTerminal()
        var pictures = 0
        terminal.afterWrite = { terminal, text in
            if text.contains("Decision regions") { pictures += 1 }
            if pictures == 2 { terminal.width = 80 }
        }
        XCTAssertEqual(run(moons + ["train lr=0.1 epochs=30 live pace=30"], on: terminal).last, .ok, terminal.text)
        let parts = terminal.text.components(separatedBy: "\u{1B}[2J\u{1B}[H")
        XCTAssertEqual(parts.count, 2, "one clear, at the resize:\n\(terminal.text)")
        let before = parts[0].components(separatedBy: "\n").map(Self.visibleWidth).max() ?? 0
        let after = parts[1].components(separatedBy: "\n").filter { !$0.hasPrefix("trained ") }.map(Self.visibleWidth).max() ?? 0
        XCTAssertGreaterThan(before, 80)
        XCTAssertLessThanOrEqual(after, 80, parts[1])
        XCTAssertTrue(parts[1].contains("Decision regions, epoch 30/30"), "the last picture is drawn after the resize")
        XCTAssertGreaterThanOrEqual(pictures, 3, terminal.text)
    }

    func testPaceIsCheckedAndBelongsToLive() {
        let cases: [(String, String)] = [
            ("train epochs=5 pace=10", "'pace=' sets how fast `live` redraws, but this train is not live"),
            ("train live pace=fats", "unknown value for 'pace=' 'fats'; did you mean 'fast'?"),
            ("train live pace=0", "'pace=' expects a number > 0 and <= 1000000, or fast but got '0'"),
            ("train live pace=-3", "'pace=' expects a number > 0 and <= 1000000, or fast but got '-3'"),
            ("sweep lr=0.1,0.2 pace=fast", "unknown key 'pace' for sweep"),
        ]
        for (line, message) in cases {
            let (text, outcomes) = runLines(moons + [line, "show"])
            XCTAssertEqual(outcomes.suffix(2), [.badScript, .ok], "\(line): the session goes on\n\(text)")
            XCTAssertTrue(text.contains(message), "\(line):\n\(text)")
        }
    }

    private static func visibleWidth(_ line: String) -> Int {
        var width = 0, inEscape = false
        for scalar in line.unicodeScalars {
            if scalar == "\u{1B}" { inEscape = true; continue }
            if inEscape {
                if scalar.properties.isAlphabetic { inEscape = false }
                continue
            }
            if scalar != "\r" { width += 1 }
        }
        return width
    }
}
