/// The one generic parser: `statement = word { argument }`,
/// `argument = word "=" value | value`, `value = atom { "," atom }`.
/// Statement-specific checks happen afterwards, driven by the statement table.
public struct Parser {
    public private(set) var statements: [Statement] = []
    public private(set) var diagnostics: [Diagnostic] = []
    private let tokens: [Token]
    private var position = 0

    public init(source: String, firstLine: Int = 1) {
        let lexer = Lexer(source: source, firstLine: firstLine)
        tokens = lexer.tokens
        diagnostics = lexer.diagnostics
        let badLines = Set(lexer.diagnostics.compactMap { $0.range?.line })
        parseAll(skippingLines: badLines)
        diagnostics.sort { ($0.range?.line ?? 0, $0.range?.column ?? 0) < ($1.range?.line ?? 0, $1.range?.column ?? 0) }
    }

    private var current: Token { tokens[position] }

    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    private mutating func skipToSeparator() {
        while current.kind != .separator, current.kind != .end { advance() }
    }

    private mutating func parseAll(skippingLines badLines: Set<Int>) {
        while current.kind != .end {
            if current.kind == .separator { advance(); continue }
            if badLines.contains(current.range.line) { skipToSeparator(); continue }
            do {
                statements.append(try parseStatement())
            } catch let diagnostic as Diagnostic {
                diagnostics.append(diagnostic)
                skipToSeparator()
            } catch {
                skipToSeparator()
            }
        }
    }

    private mutating func parseStatement() throws -> Statement {
        guard case .word(let name) = current.kind else {
            throw Diagnostic("expected a statement name but found '\(current.text)'", at: current.range,
                             hint: "each statement starts with a word such as `load`, `dense` or `train`; type `help` for the list",
                             id: "expected-statement-name")
        }
        let nameRange = current.range
        advance()
        var arguments: [Argument] = []
        while current.kind != .separator, current.kind != .end {
            arguments.append(try parseArgument())
        }
        let end = arguments.last?.range ?? nameRange
        return Statement(name: name, nameRange: nameRange, arguments: arguments, range: nameRange.through(end))
    }

    private mutating func parseArgument() throws -> Argument {
        if case .word(let key) = current.kind, tokens[position + 1].kind == .equals {
            let keyToken = current
            advance() // key
            let equals = current
            advance() // =
            guard isAtom(current.kind) else {
                throw Diagnostic("expected a value after '\(key)=' but found \(describe(current))",
                                 at: current.kind == .separator || current.kind == .end ? equals.range : current.range,
                                 hint: "write it without spaces, like `\(key)=0.1`", id: "missing-value")
            }
            let value = try parseValue()
            return Argument(key: key, keyRange: keyToken.range, value: value, range: keyToken.range.through(value.range))
        }
        if current.kind == .equals {
            throw Diagnostic("'=' needs a name before it", at: current.range,
                             hint: "write arguments as key=value without spaces, like `lr=0.1`", id: "missing-key")
        }
        let value = try parseValue()
        return Argument(key: nil, keyRange: nil, value: value, range: value.range)
    }

    private mutating func parseValue() throws -> Value {
        let first = try parseAtom()
        guard current.kind == .comma else { return first }
        var items = [first]
        while current.kind == .comma {
            let comma = current
            advance()
            guard isAtom(current.kind) else {
                throw Diagnostic("expected a value after ',' but found \(describe(current))", at: comma.range,
                                 hint: "lists are values separated by commas, like `0.1,0.001`", id: "missing-list-item")
            }
            items.append(try parseAtom())
        }
        let range = first.range.through(items.last!.range)
        return Value(kind: .list(items), text: items.map(\.text).joined(separator: ","), range: range)
    }

    private mutating func parseAtom() throws -> Value {
        let token = current
        let kind: Value.Kind
        switch token.kind {
        case .number(let n): kind = .number(n)
        case .string(let s): kind = .string(s)
        case .word(let w): kind = .word(w)
        case .dimension(let d): kind = .dimension(d)
        default:
            throw Diagnostic("expected a value but found \(describe(token))", at: token.range, id: "expected-value")
        }
        advance()
        return Value(kind: kind, text: token.text, range: token.range)
    }

    private func isAtom(_ kind: TokenKind) -> Bool {
        switch kind {
        case .number, .string, .word, .dimension: return true
        default: return false
        }
    }

    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .separator, .end: return "the end of the statement"
        default: return "'\(token.text)'"
        }
    }
}
