/// A statement's arguments after checking against its table row: every value has
/// the type its parameter declares. With Parameters.swift this is the decoding layer: the
/// readers by name below serve the typed parameters (`args[Self.units]`) and the Checker;
/// commands read through the typed parameters only.
public struct Arguments {
    public var statement: Statement
    /// The table's name of the statement: "export torch" for `export torch "m.py"`.
    var statementName: String
    var positionals: [String: Value] = [:]
    var keys: [String: Argument] = [:]
    var flags: Set<String> = []
    /// The table's defaults of this statement's parameters, read when one is not given.
    var defaults: [String: Value.Kind] = [:]

    init(statement: Statement, statementName: String) {
        self.statement = statement
        self.statementName = statementName
    }

    /// The value as given in the source; nil when it was left out (defaults excepted).
    func value(_ name: String) -> Value? { positionals[name] ?? keys[name]?.value }

    /// Whether the parameter was given in the source.
    func has(_ name: String) -> Bool { value(name) != nil }

    func flag(_ word: String) -> Bool { flags.contains(word) }

    /// The given value's kind, or the table's default for it.
    private func kind(_ name: String) -> Value.Kind? { value(name)?.kind ?? defaults[name] }

    func number(_ name: String) -> Double? {
        if case .number(let n)? = kind(name) { return n }
        return nil
    }

    func integer(_ name: String) -> Int? { number(name).map { Int($0) } }

    /// The text of a word, string or name value (given, or the default).
    func text(_ name: String) -> String? {
        switch kind(name) {
        case .word(let w)?: return w
        case .string(let s)?: return s
        case .number?, .dimension?, .list?: return value(name)?.text
        case nil: return nil
        }
    }

    func dimension(_ name: String) -> [Int]? {
        if case .dimension(let sizes)? = value(name)?.kind { return sizes }
        return nil
    }

    func numbers(_ name: String) -> [Double]? {
        switch value(name)?.kind {
        case .number(let n)?: return [n]
        case .list(let items)?: return items.compactMap { if case .number(let n) = $0.kind { return n } else { return nil } }
        default: return nil
        }
    }

    /// The texts of a list of names (`a,b,"c d"`), or nil when absent.
    func names(_ name: String) -> [String]? {
        guard let value = value(name) else { return nil }
        if case .list(let items) = value.kind { return items.map(Self.text(of:)) }
        return [Self.text(of: value)]
    }

    static func text(of value: Value) -> String {
        switch value.kind {
        case .word(let w): return w
        case .string(let s): return s
        default: return value.text
        }
    }

    /// The file of a statement's `to PATH`, nil when it has none (`writesTo` statements).
    var destination: Placed<String?> { Placed(value: text("to"), range: range(of: "to"), given: has("to")) }

    /// Where a `key=value` argument is, key included; the statement when it was left out.
    func keyRange(of name: String) -> SourceRange { keys[name]?.range ?? statement.range }

    /// Where a parameter's value is, for runtime errors; the statement if absent.
    func range(of name: String) -> SourceRange {
        value(name)?.range ?? statement.range
    }
}
