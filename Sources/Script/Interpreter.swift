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

/// The entry point of the Script layer: parses, checks and runs statements
/// against one session. Never exits the process and never loses the session.
public final class Interpreter {
    public let output: OutputSink
    /// Print each statement before its output (`--echo`).
    public var echo = false
    /// Polled during long work (training); true asks it to stop after the current batch.
    public var shouldInterrupt: () -> Bool
    /// Called once an interrupt has been honoured, so the flag can be cleared.
    public var clearInterrupt: () -> Void

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
        fatalError("not yet")
    }

    /// `--check`: parse and check only.
    public func check(_ source: String, fileName: String) -> RunOutcome {
        fatalError("not yet")
    }

    /// One line typed at the prompt (or `-e`): parsed, checked and run; errors are
    /// printed and the session carries on. Returns `.quit` after `quit`.
    public func runInteractive(_ line: String, fileName: String = "<stdin>", lineNumber: Int = 1) -> RunOutcome {
        fatalError("not yet")
    }

    /// Tab completion: the candidates (whole words, e.g. "dense", "epochs=", "relu",
    /// "datasets/") for the word that ends at `cursor` (a UTF-8 offset into `line`).
    public func completions(line: String, cursor: Int) -> [String] {
        []
    }
}
