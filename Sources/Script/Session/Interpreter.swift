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
    let session: Session

    /// Print each statement before its output (`--echo`).
    public var echo: Bool {
        get { session.context.echo }
        set { session.context.echo = newValue }
    }

    /// `shouldInterrupt` is polled during long work (training, sweeps); true asks it to stop
    /// after the current batch. `clearInterrupt` is called once an interrupt is honoured.
    public init(output: OutputSink,
                shouldInterrupt: @escaping @Sendable () -> Bool = { false },
                clearInterrupt: @escaping @Sendable () -> Void = {}) {
        self.output = output
        session = Session(context: SessionContext(output: output, shouldInterrupt: shouldInterrupt,
                                                  clearInterrupt: clearInterrupt))
    }

    /// Batch mode: the whole source is parsed and checked first; any error ⇒ all
    /// diagnostics printed and `.badScript` with nothing run. Then statements run in
    /// order, stopping at the first runtime error (`.runtimeError`).
    public func runScript(_ source: String, fileName: String) -> RunOutcome {
        session.run(source, fileName: fileName, firstLine: 1, execute: true)
    }

    /// `--check`: parse and check only.
    public func check(_ source: String, fileName: String) -> RunOutcome {
        session.run(source, fileName: fileName, firstLine: 1, execute: false)
    }

    /// One line typed at the prompt (or `-e`): parsed, checked and run; errors are
    /// printed and the session carries on. Returns `.quit` after `quit`.
    public func runInteractive(_ line: String, fileName: String = "<stdin>", lineNumber: Int = 1) -> RunOutcome {
        session.run(line, fileName: fileName, firstLine: lineNumber, execute: true)
    }

    /// Tab completion: the candidates (whole words, e.g. "dense", "epochs=", "relu",
    /// "datasets/") for the word that ends at `cursor` (a UTF-8 offset into `line`).
    public func completions(line: String, cursor: Int) -> [String] {
        let session = session.active // the tour's, while a tour runs
        return Completer(table: table, columns: session.table?.columnNames ?? session.dataset?.featureNames ?? [])
            .candidates(line: line, cursor: cursor)
    }

    /// Where the word that `completions(line:cursor:)` completes starts (a UTF-8 offset into
    /// `line`): each candidate replaces the text from there to the cursor.
    public func completionWordStart(line: String, cursor: Int) -> Int {
        StatementResolver(table: table).statement(in: line, cursor: cursor).partialStart
    }

    /// `help NAME`'s text for a statement (`dense`, `plot loss`) or a family (`plot`: all its
    /// statements); nil when no statement has that name.
    public func help(for name: String) -> String? {
        let known = name.contains(" ") ? table[name] != nil : !table.members(of: name).isEmpty
        return known ? HelpText.render(name, table: table) : nil
    }
}
