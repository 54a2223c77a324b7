import Script
#if canImport(Glibc)
import Glibc
#endif

/// The interactive prompt: one line at a time, errors printed, the session kept.
struct REPL {
    static let prompt = "dl> "
    static let welcome = "dl 0.1 — type 'help' for statements, 'quit' or Ctrl-D to leave\n"

    let interpreter: Interpreter

    /// How a prompt session ended.
    enum End { case endOfInput, quit }

    func run() -> ExitStatus {
        write(REPL.welcome)
        _ = loop()
        return .ok
    }

    /// Reads and runs lines until Ctrl-D or `quit` (presenter mode's `e` comes back after it).
    func loop() -> End {
        // Let libedit edit UTF-8 text as characters, not bytes.
        setlocale(LC_CTYPE, "")
        let editor = LineEditor(historyPath: REPL.historyPath(),
                                complete: { [interpreter] line, cursor in
                                    interpreter.completions(line: line, cursor: cursor)
                                })
        var lineNumber = 0
        while true {
            // A Ctrl-C that arrived while a statement ran (and was not honoured by
            // training) must not cancel the next line.
            _ = takeInterrupt()
            switch editor.readLine(prompt: REPL.prompt) {
            case .endOfInput:
                write("\n")
                return .endOfInput
            case .interrupted:
                // Throw the line away and start afresh on a new line.
                write("^C\n")
            case .line(let line):
                lineNumber += 1
                editor.remember(line)
                guard !line.allSatisfy(\.isWhitespace) else { continue }
                if interpreter.runInteractive(line, fileName: "<stdin>", lineNumber: lineNumber) == .quit {
                    return .quit
                }
            }
        }
    }

    /// `$DL_HISTORY` (empty: no history file), else `~/.dl_history`.
    static func historyPath() -> String? {
        if let value = getenv("DL_HISTORY") {
            let path = String(cString: value)
            return path.isEmpty ? nil : path
        }
        if let home = getenv("HOME"), home.pointee != 0 {
            return String(cString: home) + "/.dl_history"
        }
        if let entry = getpwuid(getuid()), let home = entry.pointee.pw_dir {
            return String(cString: home) + "/.dl_history"
        }
        return nil
    }

    private func write(_ text: String) {
        fputs(text, stdout)
        fflush(stdout)
    }
}
