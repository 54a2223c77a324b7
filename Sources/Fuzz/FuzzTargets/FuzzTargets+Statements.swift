import Script

extension FuzzTargets {
    /// Statements run for real on a session that has iris split, scaled and trained: each
    /// line of the input runs when every statement on it is quick and writes nothing (see
    /// `runnable`), so that predict, evaluate, the explorations and the preprocessing and
    /// layer statements meet any arguments the checker lets through.
    public static func statements(_ input: UnsafeBufferPointer<UInt8>) {
        let interpreter = Interpreter(output: CapturedOutput(width: 80))
        let prefix = ["load iris", "split 0.8 seed=1", "scale minmax", "dense 8 relu", "dense 3 softmax",
                      "train epochs=1 verbose=0"]
        for (number, line) in prefix.enumerated() {
            precondition(interpreter.runInteractive(line, lineNumber: number + 1) == .ok, "the session could not be set up")
        }
        let source = String(decoding: input, as: UTF8.self)
        for (number, line) in source.split(separator: "\n", omittingEmptySubsequences: false).prefix(32).enumerated() {
            let parsed = Parser(source: String(line))
            guard parsed.diagnostics.isEmpty, parsed.statements.allSatisfy(runnable) else { continue }
            _ = interpreter.runInteractive(String(line), lineNumber: prefix.count + number + 1)
        }
    }

    /// Statements that finish in milliseconds on iris and touch no file: not train, sweep,
    /// load, run, save, export, report or tour, no `… to FILE`, and no quoted text (a path
    /// for `predict "file.csv"`, which could name any file on the machine).
    private static func runnable(_ statement: Statement) -> Bool {
        let quick: Set = ["predict", "evaluate", "describe", "columns", "missing", "head", "tail", "show", "summary",
                          "history", "corr", "outliers", "plot", "help", "explain", "split", "scale", "impute", "dropna",
                          "drop", "keep", "encode", "clip", "target", "task", "set", "dense", "conv", "pool", "flatten",
                          "dropout", "input", "reset", "loss", "optimizer", "schedule"]
        return quick.contains(statement.name) && !statement.arguments.contains { argument in
            if case .string = argument.value.kind { return true }
            return argument.key == nil && argument.value.text == "to"
        }
    }
}
