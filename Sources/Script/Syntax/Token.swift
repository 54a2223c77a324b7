/// One lexeme of the dl language.
public enum TokenKind: Equatable, Sendable {
    case word(String)          // load, relu, datasets/iris.csv
    case number(Double)        // 3, 0.8, 1e-3, -1
    case string(String)        // "a b.csv" (escapes resolved)
    case dimension([Int])      // 5x5, 28x28x1
    case equals                // =
    case comma                 // ,
    case separator             // ; or end of line
    case end
}

public struct Token: Equatable, Sendable {
    public var kind: TokenKind
    /// The exact source text, for messages ("received '1.5x'").
    public var text: String
    public var range: SourceRange
}

/// The syntax tree: a script is a list of statements, each a word and arguments.
public struct Statement: Equatable, Sendable {
    public var name: String
    public var nameRange: SourceRange
    public var arguments: [Argument]
    /// From the statement name to its last argument.
    public var range: SourceRange
}

public struct Argument: Equatable, Sendable {
    /// `key` of `key=value`; nil for positional arguments and flags.
    public var key: String?
    public var keyRange: SourceRange?
    public var value: Value
    public var range: SourceRange
}

public struct Value: Equatable, Sendable {
    public indirect enum Kind: Equatable, Sendable {
        case number(Double)
        case string(String)
        case word(String)
        case dimension([Int])
        case list([Value])
    }
    public var kind: Kind
    public var text: String
    public var range: SourceRange
}
