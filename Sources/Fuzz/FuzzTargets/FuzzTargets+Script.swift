import Script

extension FuzzTargets {
    /// The front end: lexer, parser and checker on any text (as `dl --check` runs them,
    /// diagnostics rendered with their carets), then tab completion at the end of each line
    /// and at a cursor inside the first one. Nothing is run: statements could train for
    /// hours or write files.
    public static func script(_ input: UnsafeBufferPointer<UInt8>) {
        let source = String(decoding: input, as: UTF8.self)
        let interpreter = Interpreter(output: CapturedOutput(width: 80))
        _ = interpreter.check(source, fileName: "fuzz.dl")
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).prefix(4)
        for line in lines {
            _ = interpreter.completions(line: String(line), cursor: line.utf8.count)
        }
        if let first = lines.first {
            let text = String(first)
            _ = interpreter.completions(line: text, cursor: text.utf8.count / 2)
        }
    }
}
