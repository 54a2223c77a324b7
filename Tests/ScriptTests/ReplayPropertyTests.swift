import Foundation
import PropertyBased
import Testing
@testable import Script

/// The replay property of `show state`: for random sessions built from a grammar of statements
/// (loads and reloads, splits, scaling, imputing and encoding, layers, optimizers, schedules,
/// trains with validation and early stopping, trains interrupted after some batches, resets,
/// sweeps and `use best`, and statements that only look or that fail), the state line run in a
/// fresh session gives the same weights, bit for bit, and prints the same `evaluate`.
///
/// 200 sessions in the normal run; `DL_PROPERTY_COUNT=10000 swift test --filter ReplayPropertyTests`
/// runs more by hand.
@Suite struct ReplayPropertyTests {
    static let count = ProcessInfo.processInfo.environment["DL_PROPERTY_COUNT"].flatMap(Int.init) ?? 200

    @Test func theStateLineReplaysTheSession() async throws {
        let csv = try SessionGrammar.writeCSV()
        defer { try? FileManager.default.removeItem(atPath: csv) }
        let coverage = Coverage()
        await propertyCheck(count: Self.count, input: SessionGrammar.session(csv: csv)) { steps in
            let original = ReplaySession()
            for step in steps { original.run(step) }
            let state = original.stateLine()
            let evaluated = original.evaluate()
            coverage.count(original, state: state)

            let replay = ReplaySession()
            let outcome = replay.interpreter.runInteractive(state)
            #expect(outcome == .ok, "the state line failed on replay:\n\(state)\n\(replay.output.text.suffix(1500))")
            #expect(replay.evaluate() == evaluated,
                    "`evaluate` differs after replaying\n\(state)\nsession:\n\(steps.map(\.text).joined(separator: "\n"))")
            #expect(replay.weights == original.weights, "the weights differ after replaying\n\(state)")
            #expect(replay.stateLine() == state, "the replayed session's own state line differs")
        }
        // The property says something only if the sessions get far: most end trained, and
        // interrupts, early stops, adopted sweeps and failed statements all happen.
        let seen = coverage.seen
        print("replay property: \(Self.count) sessions; \(seen)")
        guard Self.count >= 100 else { return }
        #expect(seen["trained"]! > Self.count * 2 / 5, "\(seen)")
        for what in ["interrupted", "stopped early", "use best", "failed", "reloaded"] {
            #expect(seen[what]! > Self.count / 25, "too few sessions where \(what): \(seen)")
        }
    }
}

/// What the generated sessions did, to check that they reach what the property is about.
final class Coverage: @unchecked Sendable {
    private(set) var seen = ["trained": 0, "interrupted": 0, "stopped early": 0, "use best": 0, "failed": 0, "reloaded": 0]

    func count(_ session: ReplaySession, state: String) {
        let text = session.output.text
        if session.weights != nil { seen["trained"]! += 1 }
        if text.contains("interrupted at epoch") { seen["interrupted"]! += 1 }
        if text.contains("stopped early at epoch") { seen["stopped early"]! += 1 }
        if text.contains("using the best combination") { seen["use best"]! += 1 }
        if text.contains("error: ") { seen["failed"]! += 1 }
        if text.components(separatedBy: "\nloaded ").count > 2 { seen["reloaded"]! += 1 }
    }
}

/// A session run as at the prompt, with an interrupt that can be armed to fire on the Nth poll
/// (`train` polls after every batch), as Ctrl-C would.
final class ReplaySession {
    let output = CapturedOutput(width: 100)
    let interrupt = InterruptSwitch()
    let interpreter: Interpreter

    init() {
        let interrupt = self.interrupt
        interpreter = Interpreter(output: output, shouldInterrupt: { interrupt.poll() }, clearInterrupt: { interrupt.disarm() })
    }

    func run(_ step: SessionStep) {
        if let polls = step.interruptAfter { interrupt.arm(after: polls) }
        _ = interpreter.runInteractive(step.text)
        interrupt.disarm()
    }

    func stateLine() -> String {
        let before = output.text.count
        _ = interpreter.runInteractive("show state")
        return String(output.text.dropFirst(before)).trimmingCharacters(in: .newlines)
    }

    func evaluate() -> String {
        let before = output.text.count
        _ = interpreter.runInteractive("evaluate")
        return String(output.text.dropFirst(before))
    }

    /// The trained weights, bit for bit (untrained ones are built when first needed, from the seed).
    var weights: [[Float]]? {
        guard let model = interpreter.session.model, model.isTrained else { return nil }
        return model.network.weights().map(\.data)
    }
}

/// Ctrl-C for a test: armed with a count, it answers true from that poll on, until cleared.
final class InterruptSwitch: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: Int?

    func arm(after polls: Int) { lock.withLock { remaining = polls } }
    func disarm() { lock.withLock { remaining = nil } }
    func poll() -> Bool {
        lock.withLock {
            guard let left = remaining else { return false }
            remaining = left - 1
            return left <= 1
        }
    }
}

/// One line typed at the prompt; `interruptAfter` arms Ctrl-C for it.
struct SessionStep: Sendable, CustomStringConvertible {
    var text: String
    var interruptAfter: Int?
    var description: String { interruptAfter.map { "\(text)  # Ctrl-C at poll \($0)" } ?? text }
}
