/// What a parameter accepts. Drives checking, `help`, completion and grammar.md.
public enum ParameterType: Equatable, Sendable {
    /// A number in a range; `exclusive` bounds say "> 0" rather than ">= 0".
    case number(min: Double?, max: Double?, minExclusive: Bool = false, maxExclusive: Bool = false)
    /// A whole number >= min (and <= max when given).
    case integer(min: Int, max: Int? = nil)
    /// One of these words.
    case word([String])
    /// A file path: a "quoted string" or a bare word.
    case path
    /// A data set: a bundled or generated name, or a path to a CSV file.
    case dataSource
    /// Any bare word or string (a column name, a statement name).
    case name
    /// One or more numbers separated by commas.
    case numberList
    /// A dimension with this many sizes, each >= 1: `5x5` (2), `28x28x1` (3).
    case dimension(Int)
    /// The shape of a row: steps x channels (`150x1`, a series) or height x width x channels
    /// (`28x28x1`, an image).
    case shape
    /// One or more names (words or strings) separated by commas: column lists.
    case nameList
    /// One or more numbers, words or strings separated by commas: a raw row for `predict`.
    case valueList
    /// A number > `min` and <= `max`, or one of these words: `pace=30`, `pace=fast`.
    case numberOrWord(min: Double, max: Double, words: [String])

    /// A short phrase for messages: "a number > 0", "one of relu, tanh".
    var phrase: String {
        switch self {
        case .number(let lo, let hi, let loEx, let hiEx):
            switch (lo, hi) {
            case let (lo?, hi?): return "a number \(loEx ? ">" : ">=") \(lo.clean) and \(hiEx ? "<" : "<=") \(hi.clean)"
            case let (lo?, nil): return "a number \(loEx ? ">" : ">=") \(lo.clean)"
            case let (nil, hi?): return "a number \(hiEx ? "<" : "<=") \(hi.clean)"
            default: return "a number"
            }
        case .integer(let lo, let hi):
            if let hi { return "a whole number from \(lo) to \(hi)" }
            return "a whole number >= \(lo)"
        case .word(let words): return "one of \(words.joined(separator: ", "))"
        case .path: return "a file path"
        case .dataSource: return "a data set name or a CSV file path"
        case .name: return "a name"
        case .numberList: return "numbers separated by commas"
        case .dimension(let count): return count == 2 ? "a size like 5x5" : "a shape like 28x28x1"
        case .shape: return "a shape like 150x1 (steps x channels) or 28x28x1 (height x width x channels)"
        case .nameList: return "names separated by commas"
        case .valueList: return "values separated by commas"
        case .numberOrWord(let lo, let hi, let words):
            return ParameterType.number(min: lo, max: hi, minExclusive: true).phrase + ", or " + words.joined(separator: " or ")
        }
    }
}

/// A parameter's default, declared once in the table next to its type. Actions read it
/// through `Arguments` exactly as they read a given value, and usage, `help` and
/// grammar.md show it; a test checks that each default passes its own parameter's check.
public enum DefaultValue: Equatable, Sendable, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
                          ExpressibleByStringLiteral {
    case number(Double)
    case word(String)

    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .word(value) }

    /// As usage and help show it: "0.01", "8", "valid".
    public var text: String {
        switch self {
        case .number(let n): return n.clean
        case .word(let w): return w
        }
    }

    /// The value an action reads when the parameter is not given.
    var kind: Value.Kind {
        switch self {
        case .number(let n): return .number(n)
        case .word(let w): return .word(w)
        }
    }
}

/// A positional parameter, e.g. UNITS of `dense UNITS [ACTIVATION]`.
public struct PositionalSpec: Sendable {
    public var name: String
    public var type: ParameterType
    public var optional: Bool
    /// What an optional parameter stands for when it is left out; nil when its absence
    /// means something of its own (e.g. "every column").
    public var defaultValue: DefaultValue?
    public var doc: String

    public init(_ name: String, _ type: ParameterType, optional: Bool = false,
                default defaultValue: DefaultValue? = nil, doc: String) {
        self.name = name; self.type = type; self.optional = optional || defaultValue != nil
        self.defaultValue = defaultValue; self.doc = doc
    }
}

extension PositionalSpec {
    /// A required parameter that takes one word only reads as that word in usage lines
    /// (`plot X vs Y`, `use best`), and needs no row of its own in `help`.
    var isLiteralWord: Bool {
        if case .word(let words) = type, words.count == 1, !optional { return true }
        return false
    }
}

/// A `key=value` parameter, e.g. `lr=0.01`.
public struct KeySpec: Sendable {
    public var key: String
    public var type: ParameterType
    /// The value when the key is not given; nil when there is none (the key's absence
    /// means something of its own, or the default depends on other arguments).
    public var defaultValue: DefaultValue?
    public var doc: String
    /// Only allowed together with this positional word (e.g. momentum with sgd), or one of several
    /// separated by commas ("step,plateau").
    public var onlyWith: String?

    public init(_ key: String, _ type: ParameterType, default defaultValue: DefaultValue? = nil,
                onlyWith: String? = nil, doc: String) {
        self.key = key; self.type = type; self.defaultValue = defaultValue; self.onlyWith = onlyWith; self.doc = doc
    }

    /// The default as shown in usage and help ("0.01"); nil when there is none.
    public var defaultText: String? { defaultValue?.text }
}

/// A bare word switch, e.g. `stratify` in `split 0.8 stratify`.
public struct FlagSpec: Sendable {
    public var word: String
    public var doc: String
    public init(_ word: String, doc: String) { self.word = word; self.doc = doc }
}

public enum StatementCategory: String, CaseIterable, Sendable {
    case data = "Data"
    case explore = "Exploration"
    case model = "Model"
    case training = "Training"
    case session = "Session"
}

/// One row of the statement table: everything dl knows about a statement.
public struct StatementSpec: Sendable {
    public var name: String
    public var category: StatementCategory
    public var positionals: [PositionalSpec] = []
    public var keys: [KeySpec] = []
    public var flags: [FlagSpec] = []
    /// Takes a trailing `to PATH` (the file to write), e.g. `plot loss to "loss.svg"`.
    public var writesTo = false
    /// One line for `help`.
    public var summary: String
    /// A few sentences for `help NAME`, written for learners.
    public var explanation: String
    public var examples: [String]
    /// The command that decodes, checks, runs and explains the statement.
    var command: any Command.Type

    /// The first word of a multi-word statement ("plot" of "plot loss"), or the name.
    public var family: String { String(name.prefix { $0 != " " }) }

    /// Every declared default, by parameter name (positional NAME or key).
    var defaults: [String: Value.Kind] {
        var all = Self.defaults(of: keys)
        for p in positionals { if let d = p.defaultValue { all[p.name] = d.kind } }
        return all
    }

    static func defaults(of keys: [KeySpec]) -> [String: Value.Kind] {
        var all: [String: Value.Kind] = [:]
        for k in keys { if let d = k.defaultValue { all[k.key] = d.kind } }
        return all
    }

    /// One row per parameter for `help NAME` and grammar.md: its label as written
    /// (`UNITS`, `lr=`, `stratify`), its type with the default, and its doc.
    var parameterRows: [(label: String, type: String, doc: String)] {
        func typed(_ type: ParameterType, _ value: DefaultValue?) -> String {
            type.phrase + (value.map { ", default \($0.text)" } ?? "")
        }
        return positionals.filter { !$0.isLiteralWord }.map { ($0.name, typed($0.type, $0.defaultValue), $0.doc) }
            + keys.map { ("\($0.key)=", typed($0.type, $0.defaultValue), $0.doc) }
            + flags.map { ($0.word, "flag", $0.doc) }
            + (writesTo ? [("to PATH", "a file path", "write the result to this file instead of the terminal")] : [])
    }

    /// `dense UNITS [ACTIVATION]`, `train [lr=0.01] [epochs=10] [batch=32]`.
    public var usage: String {
        var parts = [name]
        for p in positionals {
            if p.isLiteralWord, case .word(let words) = p.type {
                parts.append(words[0])
                continue
            }
            parts.append(p.optional ? "[\(p.name)]" : p.name)
        }
        for k in keys { parts.append("[\(k.key)=\(k.defaultText ?? k.type.placeholder)]") }
        for f in flags { parts.append("[\(f.word)]") }
        if writesTo { parts.append("[to PATH]") }
        return parts.joined(separator: " ")
    }
}

extension ParameterType {
    /// What to show after `key=` in usage lines when there is no default.
    var placeholder: String {
        switch self {
        case .number: return "X"
        case .integer: return "N"
        case .word(let words): return words.joined(separator: "|")
        case .path: return "PATH"
        case .dataSource: return "SOURCE"
        case .name: return "NAME"
        case .numberList: return "X,Y,…"
        case .dimension(let count): return count == 2 ? "KxK" : "HxWxC"
        case .shape: return "STEPSxCHANNELS|HxWxC"
        case .nameList: return "COL,…"
        case .valueList: return "V1,V2,…"
        case .numberOrWord(_, _, let words): return (["N"] + words).joined(separator: "|")
        }
    }
}

extension Double {
    /// 0.8 → "0.8", 3.0 → "3", for messages.
    var clean: String {
        if self == rounded(), abs(self) < 1e15 { return String(Int(self)) }
        return String(self)
    }
}
