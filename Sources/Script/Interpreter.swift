/// How a run ended; the dl executable maps these to sysexits codes.
public enum RunOutcome: Equatable, Sendable {
    case ok
    /// Syntax or check errors: nothing was run (exit 65).
    case badScript
    /// A statement failed while running (exit 70).
    case runtimeError
    /// `quit` was run.
    case quit
}

/// A failure whose message has been printed already (by a script that `run` ran).
struct AlreadyReported: Error {}

/// The entry point of the Script layer: parses, checks and runs statements
/// against one session. Never exits the process and never loses the session.
public final class Interpreter {
    public let output: OutputSink
    public let table = StatementTable.standard
    /// Print each statement before its output (`--echo`).
    public var echo = false
    /// Polled during long work (training); true asks it to stop after the current batch.
    public var shouldInterrupt: () -> Bool
    /// Called once an interrupt has been honoured, so the flag can be cleared.
    public var clearInterrupt: () -> Void

    /// Passes output on and keeps a copy of each statement's for `report`.
    lazy var recorder = SessionRecorder(target: output)
    lazy var session = Session(output: recorder, interpreter: self)
    /// The source being run (innermost `run` last), for diagnostics and layer lines.
    private var sources: [DiagnosticRenderer] = []

    public init(output: OutputSink,
                shouldInterrupt: @escaping () -> Bool = { false },
                clearInterrupt: @escaping () -> Void = {}) {
        self.output = output
        self.shouldInterrupt = shouldInterrupt
        self.clearInterrupt = clearInterrupt
    }

    /// Batch mode: the whole source is parsed and checked first; any error ⇒ all
    /// diagnostics printed and `.badScript` with nothing run. Then statements run in
    /// order, stopping at the first runtime error (`.runtimeError`).
    public func runScript(_ source: String, fileName: String) -> RunOutcome {
        run(source, fileName: fileName, firstLine: 1, execute: true)
    }

    /// `--check`: parse and check only.
    public func check(_ source: String, fileName: String) -> RunOutcome {
        run(source, fileName: fileName, firstLine: 1, execute: false)
    }

    /// One line typed at the prompt (or `-e`): parsed, checked and run; errors are
    /// printed and the session carries on. Returns `.quit` after `quit`.
    public func runInteractive(_ line: String, fileName: String = "<stdin>", lineNumber: Int = 1) -> RunOutcome {
        run(line, fileName: fileName, firstLine: lineNumber, execute: true)
    }

    /// Tab completion: the candidates (whole words, e.g. "dense", "epochs=", "relu",
    /// "datasets/") for the word that ends at `cursor` (a UTF-8 offset into `line`).
    public func completions(line: String, cursor: Int) -> [String] {
        Completer(table: table, columns: session.table?.columnNames ?? session.dataset?.featureNames ?? [])
            .candidates(line: line, cursor: cursor)
    }

    // MARK: - Running

    private func run(_ source: String, fileName: String, firstLine: Int, execute: Bool) -> RunOutcome {
        let renderer = DiagnosticRenderer(fileName: fileName, source: source, firstLine: firstLine, useColor: output.useColor)
        let parser = Parser(source: source, firstLine: firstLine)
        var diagnostics = parser.diagnostics
        var checked: [(StatementSpec, Arguments)] = []
        let checker = Checker(table: table)
        for statement in parser.statements {
            do {
                checked.append(try checker.check(statement))
            } catch let diagnostic as Diagnostic {
                diagnostics.append(diagnostic)
            } catch {
                diagnostics.append(Diagnostic("\(error)", at: statement.range))
            }
        }
        if !diagnostics.isEmpty {
            diagnostics.sort { ($0.range?.line ?? 0, $0.range?.column ?? 0) < ($1.range?.line ?? 0, $1.range?.column ?? 0) }
            for diagnostic in diagnostics { output.write(renderer.render(diagnostic), to: .error) }
            return .badScript
        }
        guard execute else { return .ok }
        sources.append(renderer)
        defer { sources.removeLast() }
        for (spec, arguments) in checked {
            let range = arguments.statement.range
            let statementText = renderer.line(range.line).map { text in
                String(text.dropFirst(range.column - 1).prefix(range.length))
            } ?? spec.name
            if echo { output.write("> \(statementText)\n", to: .output) }
            // A `run` is recorded through the statements of its file.
            if spec.name != "run" { recorder.begin(statement: statementText, fileName: fileName, line: range.line) }
            do {
                try spec.action(session, arguments)
            } catch let diagnostic as Diagnostic {
                recorder.write(renderer.render(diagnostic.placed(at: range)), to: .error)
                return .runtimeError
            } catch is AlreadyReported {
                return .runtimeError
            } catch {
                recorder.write(renderer.render(Diagnostic("\(error)", at: range)), to: .error)
                return .runtimeError
            }
            if session.quitRequested { return .quit }
        }
        return .ok
    }

    /// The name of the file whose statements are running ("<stdin>" at the prompt).
    var currentFileName: String { sources.last?.fileName ?? "<stdin>" }

    /// The text of a line of the source that is running.
    func currentLineText(_ line: Int) -> String? { sources.last?.line(line) }
}
