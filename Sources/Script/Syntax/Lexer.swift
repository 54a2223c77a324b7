/// Turns source text into tokens, line by line. Errors become diagnostics and the
/// rest of that line is skipped, so one bad line never hides the others' errors.
public struct Lexer {
    public private(set) var tokens: [Token] = []
    public private(set) var diagnostics: [Diagnostic] = []

    public init(source: String, firstLine: Int = 1) {
        var lineNumber = firstLine
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            lexLine(Array(line.hasSuffix("\r") ? line.dropLast() : line), lineNumber: lineNumber)
            tokens.append(Token(kind: .separator, text: "\n",
                                range: SourceRange(line: lineNumber, column: line.count + 1, length: 1)))
            lineNumber += 1
        }
        tokens.append(Token(kind: .end, text: "", range: SourceRange(line: lineNumber - 1, column: 1, length: 1)))
    }

    private mutating func lexLine(_ chars: [Character], lineNumber: Int) {
        var i = 0
        func range(_ start: Int, _ end: Int) -> SourceRange {
            SourceRange(line: lineNumber, column: start + 1, length: end - start)
        }
        func add(_ kind: TokenKind, _ start: Int, _ end: Int) {
            tokens.append(Token(kind: kind, text: String(chars[start..<end]), range: range(start, end)))
        }
        while i < chars.count {
            let c = chars[i]
            let start = i
            if c == " " || c == "\t" { i += 1; continue }
            if c == "#" { return }
            if c == ";" { add(.separator, i, i + 1); i += 1; continue }
            if c == "=" { add(.equals, i, i + 1); i += 1; continue }
            if c == "," { add(.comma, i, i + 1); i += 1; continue }
            if c == "\"" {
                guard let (text, next) = Lexer.scanString(chars, from: i) else {
                    diagnostics.append(Diagnostic("unterminated string", at: range(start, chars.count),
                                                  hint: "close the string with a \" on the same line", id: "unterminated-string"))
                    return
                }
                add(.string(text), start, next)
                i = next
                continue
            }
            if Lexer.startsDate(chars, i) {
                // A date (2016-01-31, 2016-01-31T14:00:00Z) is a word, as text in a CSV cell is;
                // whether it is a real date is for the statement that reads it to say.
                while i < chars.count, !Lexer.isDelimiter(chars[i]) { i += 1 }
                add(.word(String(chars[start..<i])), start, i)
                continue
            }
            if Lexer.startsNumber(chars, i) {
                let (kind, next) = Lexer.scanNumberOrDimension(chars, from: i)
                i = next
                if let kind, i >= chars.count || Lexer.isDelimiter(chars[i]) {
                    add(kind, start, i)
                    continue
                }
                while i < chars.count, !Lexer.isDelimiter(chars[i]) { i += 1 }
                let text = String(chars[start..<i])
                diagnostics.append(Diagnostic("'\(text)' is not a number, a dimension or a word",
                                              at: range(start, i),
                                              hint: "write numbers like 0.8 or 1e-3, dimensions like 5x5, and words starting with a letter",
                                              id: "malformed-number"))
                return
            }
            if Lexer.isWordCharacter(c) {
                while i < chars.count, Lexer.isWordCharacter(chars[i]) || Lexer.isCrossCharacter(chars[i]) { i += 1 }
                add(.word(String(chars[start..<i])), start, i)
                continue
            }
            diagnostics.append(Diagnostic("unexpected character \(Self.describe(c))", at: range(i, i + 1),
                                          hint: "put file names with unusual characters in double quotes", id: "unexpected-character"))
            return
        }
    }

    /// A character for a message: quoted when it can be seen, else by its code point, so
    /// that a NUL, a control code or a direction override is named rather than printed.
    static func describe(_ c: Character) -> String {
        let codes = c.unicodeScalars.map { scalar in
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        guard c.isVisible else { return codes.joined(separator: " ") + " (an invisible or control character)" }
        return c.isASCII ? "'\(c)'" : "'\(c)' (\(codes.joined(separator: " ")))"
    }

    static func isDelimiter(_ c: Character) -> Bool {
        c == " " || c == "\t" || c == ";" || c == "=" || c == "," || c == "#"
    }

    static func isWordCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_" || c == "." || c == "/" || c == "-" || c == "~" || c == "+"
    }

    /// Inside a word (never first): the operators of a feature cross, `x1*x2`, `x1^2`, `sin(x1)`.
    static func isCrossCharacter(_ c: Character) -> Bool {
        c == "*" || c == "^" || c == "(" || c == ")"
    }

    /// Four digits, a hyphen and a digit: the start of a date, which no number is.
    static func startsDate(_ chars: [Character], _ i: Int) -> Bool {
        guard i + 5 < chars.count, chars[i + 4] == "-" else { return false }
        return [0, 1, 2, 3, 5].allSatisfy { chars[i + $0].isASCII && chars[i + $0].isNumber }
    }

    static func startsNumber(_ chars: [Character], _ i: Int) -> Bool {
        func digit(_ j: Int) -> Bool { j < chars.count && chars[j].isASCII && chars[j].isNumber }
        let c = chars[i]
        if c.isASCII && c.isNumber { return true }
        if c == "-" || c == "+" { return digit(i + 1) || (i + 2 < chars.count && chars[i + 1] == "." && digit(i + 2)) }
        if c == "." { return digit(i + 1) }
        return false
    }

    /// Scans `12`, `-0.5`, `1e-3`, `.5` or `28x28x1`. Returns nil kind when the text
    /// is malformed (the caller reports the whole run of characters).
    static func scanNumberOrDimension(_ chars: [Character], from start: Int) -> (TokenKind?, Int) {
        var i = start
        func digits() -> Int {
            let from = i
            while i < chars.count, chars[i].isASCII, chars[i].isNumber { i += 1 }
            return i - from
        }
        if chars[i] == "-" || chars[i] == "+" { i += 1 }
        let integerDigits = digits()
        // Dimensions: integer 'x' integer ['x' integer ...]
        if integerDigits > 0, i < chars.count, chars[i] == "x", chars[start] != "-", chars[start] != "+" {
            var sizes = [Int(String(chars[start..<i]))]
            while i < chars.count, chars[i] == "x" {
                i += 1
                let from = i
                guard digits() > 0 else { return (nil, i) }
                sizes.append(Int(String(chars[from..<i])))
            }
            if sizes.contains(where: { $0 == nil }) { return (nil, i) }
            return (.dimension(sizes.map { $0! }), i)
        }
        var fractionDigits = 0
        if i < chars.count, chars[i] == "." {
            i += 1
            fractionDigits = digits()
        }
        if integerDigits + fractionDigits == 0 { return (nil, i) }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            i += 1
            if i < chars.count, chars[i] == "-" || chars[i] == "+" { i += 1 }
            if digits() == 0 { return (nil, i) }
        }
        guard let value = Double(String(chars[start..<i])), value.isFinite else { return (nil, i) }
        return (.number(value), i)
    }

    /// Scans a double-quoted string with `\"` and `\\` escapes; nil if unterminated.
    static func scanString(_ chars: [Character], from start: Int) -> (String, Int)? {
        var i = start + 1
        var text = ""
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count {
                let next = chars[i + 1]
                switch next {
                case "n": text.append("\n")
                case "t": text.append("\t")
                default: text.append(next)
                }
                i += 2
                continue
            }
            if c == "\"" { return (text, i + 1) }
            text.append(c)
            i += 1
        }
        return nil
    }
}
