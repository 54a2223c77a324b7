import Script
#if canImport(Glibc)
import Glibc
#endif

/// `dl --step lesson.dl`: presenter mode. Each statement line is shown with the comment
/// lines above it (the teacher's notes) and runs only when asked: Enter runs it, `s`
/// skips it, `b` goes back one (the session is rebuilt up to there), `e` opens the prompt
/// on the session as it stands (Ctrl-D returns), `q` quits.
struct Presenter {
    /// One statement line of the lesson and the notes above it.
    struct Step {
        var notes: [String]
        var statement: String
        var line: Int
    }

    let path: String
    let steps: [Step]
    let output: MutableOutput
    let makeInterpreter: (OutputSink) -> Interpreter

    /// Splits a lesson into steps: each line that holds statements is one, and the comment
    /// lines since the previous one are its notes. Blank lines only separate.
    static func steps(of source: String) -> [Step] {
        var steps: [Step] = [], notes: [String] = []
        for (index, raw) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = raw.trimmed
            if text.isEmpty { continue }
            if text.hasPrefix("#") {
                notes.append(String(text.drop { $0 == "#" }.drop { $0 == " " }))
                continue
            }
            steps.append(Step(notes: notes, statement: String(raw), line: index + 1))
            notes = []
        }
        return steps
    }

    func run() -> ExitStatus {
        let keys = KeyReader()
        var interpreter = makeInterpreter(output)
        var ran = [Bool](repeating: false, count: steps.count)
        var position = 0
        while true {
            show(position)
            _ = takeInterrupt()
            switch keys.next() {
            case .endOfInput, .character("q"):
                write("\n")
                return .ok
            case .enter where position < steps.count:
                clearHint()
                let step = steps[position]
                _ = interpreter.runInteractive(step.statement, fileName: path, lineNumber: step.line)
                ran[position] = true
                position += 1
            case .enter:
                write("\n")
                return .ok
            case .character("s") where position < steps.count:
                clearHint()
                write(dim("skipped line \(steps[position].line): \(steps[position].statement)") + "\n")
                position += 1
            case .character("b"):
                clearHint()
                guard position > 0 else {
                    write(dim("this is the first step") + "\n")
                    continue
                }
                position -= 1
                // A fresh session, then the steps before this one that were run, unseen.
                output.muted = true
                interpreter = makeInterpreter(output)
                for index in 0..<position where ran[index] {
                    _ = interpreter.runInteractive(steps[index].statement, fileName: path, lineNumber: steps[index].line)
                }
                output.muted = false
                for index in position..<steps.count { ran[index] = false }
                let count = ran.filter { $0 }.count
                write(dim("back to step \(position + 1): the session was rebuilt from \(count) statement\(count == 1 ? "" : "s")") + "\n")
            case .character("e"):
                clearHint()
                guard keys.isTerminal else {
                    write("`e` needs a terminal\n")
                    continue
                }
                write(dim("the prompt, on the session as it stands; Ctrl-D returns to \(path)") + "\n")
                installInterruptHandler(.interactive)
                if REPL(interpreter: interpreter).loop() == .quit { return .ok }
                write(dim("back in \(path)") + "\n")
            default:
                clearHint()
            }
        }
    }

    /// The step waiting to run: its position, its notes, the statement, and the keys.
    private func show(_ position: Int) {
        write("\n")
        guard position < steps.count else {
            write(reverse(" end of \(path): \(steps.count) steps ") + "\n")
            hint("Enter or q leaves · b goes back · e explores the session")
            return
        }
        let step = steps[position]
        write(reverse(" step \(position + 1) of \(steps.count) ") + dim("  \(path):\(step.line)") + "\n")
        for note in step.notes { write(dim("  # \(note)") + "\n") }
        write("  " + bold(step.statement) + "\n")
        hint("Enter runs it · s skips · b goes back · e explores · q quits")
    }

    private func hint(_ text: String) {
        // On a terminal the hint stays on one line and is wiped once a key is pressed.
        write(dim(text) + (output.isTerminal ? "" : "\n"))
    }

    private func clearHint() {
        if output.isTerminal { write("\r\u{1B}[2K") }
    }

    private func write(_ text: String) { output.write(text, to: .output) }
    private func bold(_ text: String) -> String { output.useColor ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    private func dim(_ text: String) -> String { output.useColor ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    private func reverse(_ text: String) -> String { output.useColor ? "\u{1B}[7m\(text)\u{1B}[0m" : "[\(text.trimmed)]" }
}

/// Standard output that can be silenced, for rebuilding a session without showing it again.
final class MutableOutput: OutputSink {
    private let target = StandardOutput()
    var muted = false

    /// Muted, nobody watches: `train … live` must not keep its pace while a session is rebuilt.
    var isTerminal: Bool { target.isTerminal && !muted }
    var useColor: Bool { target.useColor }
    var width: Int { target.width }
    var height: Int { target.height }

    func write(_ text: String, to stream: OutputChannel) {
        if !muted { target.write(text, to: stream) }
    }
}
