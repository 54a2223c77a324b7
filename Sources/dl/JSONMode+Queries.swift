import Script

/// The two `dl --json` requests that ask rather than run: nothing in them runs a statement
/// or changes the session. Cursors count Unicode code points (as Jupyter and Python count),
/// from 0, and default to the end of the text.
extension JSONMode {
    /// `{"complete": TEXT, "cursor": N}`: Tab's candidates for the word ending at the cursor
    /// (statements, keys, allowed words, column names, paths), each replacing the text from
    /// `cursor_start` to `cursor_end`. TEXT may be a whole cell: the cursor's line is completed.
    func complete(_ text: String, cursor: Int?) -> [String: Any] {
        let scalars = Array(text.unicodeScalars)
        let end = min(cursor ?? scalars.count, scalars.count)
        let lineStart = (scalars[..<end].lastIndex { $0 == "\n" } ?? -1) + 1
        let lineEnd = scalars[end...].firstIndex { $0 == "\n" } ?? scalars.count
        var line = String(String.UnicodeScalarView(scalars[lineStart..<lineEnd]))
        if line.hasSuffix("\r") { line.removeLast() }
        let cursorInLine = String(String.UnicodeScalarView(scalars[lineStart..<end]))
        let utf8Cursor = cursorInLine.utf8.count
        let matches = interpreter.completions(line: line, cursor: utf8Cursor)
        let wordStart = interpreter.completionWordStart(line: line, cursor: utf8Cursor)
        // The word start as code points: the scalars of the line's first `wordStart` bytes.
        let startInLine = String(decoding: Array(line.utf8).prefix(wordStart), as: UTF8.self).unicodeScalars.count
        var seen = Set<String>()
        return ["status": "ok", "matches": matches.filter { seen.insert($0).inserted },
                "cursor_start": lineStart + startInLine, "cursor_end": end]
    }

    /// `{"inspect": TEXT, "cursor": N}`: `help NAME`'s text for the statement the cursor is in
    /// (its first word, with the second for a multi-word statement such as `plot loss`);
    /// `found` false, with empty help, when that is no statement.
    func inspect(_ text: String, cursor: Int?) -> [String: Any] {
        let scalars = Array(text.unicodeScalars)
        let end = min(cursor ?? scalars.count, scalars.count)
        // The statement holding the cursor: between the `;` or newline before it and the one after.
        let isBreak: (Unicode.Scalar) -> Bool = { $0 == "\n" || $0 == ";" }
        func statementWords(endingAt end: Int) -> [String] {
            let start = (scalars[..<end].lastIndex(where: isBreak) ?? -1) + 1
            let stop = scalars[end...].firstIndex(where: isBreak) ?? scalars.count
            let statement = String(String.UnicodeScalarView(scalars[start..<stop]))
            let code = statement.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return code.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
        }
        var words = statementWords(endingAt: end)
        // A cursor just after a `;` (`dense 3;|`) asks about the statement it ends.
        if words.isEmpty, end > 0, scalars[end - 1] == ";" { words = statementWords(endingAt: end - 1) }
        var help: String?
        if let first = words.first {
            if words.count > 1, let text = interpreter.help(for: "\(first) \(words[1])") {
                help = text
            } else {
                help = interpreter.help(for: first)
            }
        }
        return ["status": "ok", "found": help != nil, "help": help ?? ""]
    }
}
