/// `predict V1,V2,…` takes a row of raw values, and the lexer reads them as numbers and words.
/// A value with a space (`West Germany`, `1982-01-01 14:00`) falls apart into two arguments,
/// and one that starts with a digit but is no number (`3-cyl`, `01/02/1982`, `82-01-01`)
/// stops the lexer. Their errors get the hint to quote that value, with the statement
/// rewritten so it can be copied: `predict 4,97,"1982-01-01 14:00",Japan`.
enum PredictValueQuoting {
    /// The diagnostic with the quoting hint when it points into a value of a `predict` row in
    /// `line` (the source line it was found on) that is not one number or word; else unchanged.
    static func hinting(_ diagnostic: Diagnostic, line: String) -> Diagnostic {
        guard let range = diagnostic.range, let quoted = quotedStatement(line: Array(line), at: range.column - 1) else {
            return diagnostic
        }
        var copy = diagnostic
        copy.hint = "put \(quoted.value) in double quotes: \(quoted.statement)"
        return copy
    }

    /// The `predict` statement around `column` (0-based) with the value there quoted, and that
    /// value; nil when the column is not in such a value.
    static func quotedStatement(line: [Character], at column: Int) -> (statement: String, value: String)? {
        guard column >= 0, column < line.count else { return nil }
        // The statement holding the column: between `;`s outside quotes, before a `#`.
        var start = 0, end = line.count, inQuotes = false
        for (index, character) in line.enumerated() {
            if character == "\"" { inQuotes.toggle() }
            guard !inQuotes, character == ";" || character == "#" else { continue }
            if index < column {
                if character == "#" { return nil }
                start = index + 1
            } else {
                end = index
                break
            }
        }
        let statement = Array(line[start..<end])
        let local = column - start
        // `predict`, then the values up to the end of the statement.
        guard let first = statement.firstIndex(where: { $0 != " " && $0 != "\t" }),
              String(statement[first...].prefix(8)) == "predict " || String(statement[first...].prefix(8)) == "predict\t" else {
            return nil
        }
        let valuesStart = first + 8
        guard local >= valuesStart, !statement.contains("=") else { return nil }
        // The comma-separated item holding the column.
        var items: [Range<Int>] = []
        var itemStart = valuesStart
        inQuotes = false
        for index in valuesStart..<statement.count {
            if statement[index] == "\"" { inQuotes.toggle() }
            if statement[index] == ",", !inQuotes {
                items.append(itemStart..<index)
                itemStart = index + 1
            }
        }
        items.append(itemStart..<statement.count)
        guard items.count > 1, // one value in quotes is a file to read, not a value
              let item = items.first(where: { $0.contains(local) || $0.upperBound == local }) else { return nil }
        let value = trim(String(statement[item]))
        guard !value.isEmpty, !value.hasPrefix("\""), !isOneToken(value) else { return nil }
        let escaped = value.flatMap { $0 == "\\" || $0 == "\"" ? ["\\", $0] : [$0] }
        let rewritten = String(statement[first..<item.lowerBound]) + "\"" + String(escaped) + "\"" + String(statement[item.upperBound...])
        return (trim(rewritten), "'\(value)'")
    }

    private static func trim(_ text: String) -> String {
        String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    /// True when the text is one number, word or dimension, which needs no quotes.
    private static func isOneToken(_ text: String) -> Bool {
        let lexer = Lexer(source: text)
        return lexer.diagnostics.isEmpty && lexer.tokens.filter { $0.kind != .separator && $0.kind != .end }.count == 1
    }
}
