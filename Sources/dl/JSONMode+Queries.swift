import Script

/// The two `dl --json` requests that ask rather than run: nothing in them runs a statement
/// or changes the session. Cursors count Unicode code points (as Jupyter and Python count),
/// from 0, and default to the end of the text.
extension JSONMode {
    /// `{"complete": TEXT, "cursor": N}`: Tab's candidates for the word ending at the cursor
    /// (statements, keys, allowed words, column names, paths), each replacing the text from
    /// `cursor_start` to `cursor_end`. TEXT may be a whole cell: the cursor's line is completed.
    func complete(_ text: String, cursor: Int?) -> [String: Any] {
        let (end, utf8Cursor) = Self.cursor(cursor, in: text)
        let matches = interpreter.completions(line: text, cursor: utf8Cursor)
        let wordStart = interpreter.completionWordStart(line: text, cursor: utf8Cursor)
        var seen = Set<String>()
        return ["status": "ok", "matches": matches.filter { seen.insert($0).inserted },
                "cursor_start": Self.codePoints(in: text, before: wordStart), "cursor_end": end]
    }

    /// `{"inspect": TEXT, "cursor": N}`: `help NAME`'s text for the statement the cursor is in
    /// (its first word, with the second for a multi-word statement such as `plot loss`);
    /// `found` false, with empty help, when that is no statement.
    func inspect(_ text: String, cursor: Int?) -> [String: Any] {
        let (_, utf8Cursor) = Self.cursor(cursor, in: text)
        let resolver = StatementResolver(table: interpreter.table)
        var statement = resolver.statement(in: text, cursor: utf8Cursor)
        // A cursor just after a `;` (`dense 3;|`) asks about the statement it ends.
        if statement.words.isEmpty, utf8Cursor > 0, Array(text.utf8)[utf8Cursor - 1] == UInt8(ascii: ";") {
            statement = resolver.statement(in: text, cursor: utf8Cursor - 1)
        }
        let help = (statement.name ?? statement.words.first?.text).flatMap(interpreter.help(for:))
        return ["status": "ok", "found": help != nil, "help": help ?? ""]
    }

    /// A request's cursor (code points, nil: the end) clamped to the text, and as a UTF-8 offset.
    private static func cursor(_ cursor: Int?, in text: String) -> (codePoints: Int, utf8: Int) {
        let scalars = text.unicodeScalars
        let end = min(cursor ?? scalars.count, scalars.count)
        return (end, scalars.prefix(end).reduce(0) { $0 + UTF8.width($1) })
    }

    /// The code points in the text's first `offset` UTF-8 bytes.
    private static func codePoints(in text: String, before offset: Int) -> Int {
        String(decoding: Array(text.utf8).prefix(offset), as: UTF8.self).unicodeScalars.count
    }
}
