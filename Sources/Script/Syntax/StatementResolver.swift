/// The statement a cursor is in, its words and the word being typed at the cursor, found
/// with the Lexer itself, so that a `;` or `#` inside a quoted path is text as it is when
/// the line runs. Tab completion, the JSON mode's `complete` and `inspect` and the word that
/// a completion replaces all ask this one resolver.
public struct StatementResolver: Sendable {
    public let table: StatementTable

    public init(table: StatementTable = .standard) { self.table = table }

    /// The statement holding `cursor`, a UTF-8 offset into `text` (clamped to it). `text` may
    /// hold several lines: the cursor's line is read.
    public func statement(in text: String, cursor: Int) -> ResolvedStatement {
        let line = SourceLineAtCursor(text, cursor: cursor)
        let before = Lexer(source: String(line.characters[..<line.cursor]))
        let whole = Lexer(source: String(line.characters))
        let scan = PrefixScan(before, line: line)
        // The statement is the one after as many `;` as come before the cursor.
        let index = before.tokens.filter { $0.text == ";" && $0.kind == .separator }.count
        let words = ResolvedStatement.group(Self.statements(of: whole.tokens).dropFirst(index).first ?? [], in: line)
        var resolved = ResolvedStatement(words: words.isEmpty ? scan.words : words, wordsBeforeCursor: scan.words,
                                         partial: scan.partial, partialStart: line.offset(scan.partialStart),
                                         partialKind: scan.kind)
        if resolved.words.count < resolved.wordsBeforeCursor.count { resolved.words = resolved.wordsBeforeCursor }
        resolved.family = resolved.words.first.flatMap { $0.key == nil && table.families.contains($0.text) ? $0.text : nil }
        if let family = resolved.family, resolved.words.count > 1, resolved.words[1].key == nil, !resolved.words[1].isString,
           table.member(of: family, named: resolved.words[1].text) != nil {
            resolved.member = resolved.words[1].text
        }
        return resolved
    }

    /// The tokens of each statement (without its `;` or end of line), in order.
    private static func statements(of tokens: [Token]) -> [[Token]] {
        var statements: [[Token]] = [[]]
        for token in tokens {
            switch token.kind {
            case .separator where token.text == ";": statements.append([])
            case .separator, .end: continue
            default: statements[statements.count - 1].append(token)
            }
        }
        return statements
    }
}

/// What the resolver found: the statement's words, those before the cursor, and the word
/// being typed there.
public struct ResolvedStatement: Equatable, Sendable {
    /// One argument as written: `epochs=5`, `0.1,0.01` and `"a b.csv"` (with its quotes) are
    /// one word each.
    public struct Word: Equatable, Sendable {
        public var text: String
        /// `epochs` of `epochs=5`; nil for a plain word, number or string.
        public var key: String?
        /// True for a double-quoted string (which never names a statement or a flag).
        public var isString: Bool
    }

    /// What the word at the cursor is.
    public enum PartialKind: Equatable, Sendable {
        /// The statement's first word.
        case name
        /// A later word: a positional value, a flag or a `key=` being typed.
        case argument
        /// The value after `key=`.
        case value(key: String)
        /// An item after a `,` of a list, of `key=` or (nil) of a positional.
        case listItem(key: String?)
        /// Inside a string not closed before the cursor: `load "data/ir`.
        case string
        /// After a `#`: nothing to complete.
        case comment
    }

    /// Every word of the statement holding the cursor, up to its `;`, comment or line end.
    public var words: [Word]
    /// The words wholly before the word being typed (a list being typed is not among them).
    public var wordsBeforeCursor: [Word]
    /// The text of the word being typed, up to the cursor (in a string, after its quote).
    public var partial: String
    /// Where that text starts: a UTF-8 offset into the resolved text. A completion replaces
    /// the text from here to the cursor.
    public var partialStart: Int
    public var partialKind: PartialKind
    /// The statement's first word, when it is a statement's (`plot`, `load`).
    public var family: String?
    /// The second word when it picks a member of the family: `loss` of `plot loss …`.
    public var member: String?

    /// The statement's name: `plot loss`, `dense`; nil when the first word is no statement's.
    public var name: String? { family.map { family in member.map { "\(family) \($0)" } ?? family } }

    /// Tokens grouped into words: `key = value`, and values joined by commas, are one word.
    static func group(_ tokens: [Token], in line: SourceLineAtCursor) -> [Word] {
        var words: [Word] = []
        var joinsNext = false
        var start = 0
        for (index, token) in tokens.enumerated() {
            let joins = token.kind == .equals || token.kind == .comma
            if joins || joinsNext, !words.isEmpty {
                let end = token.range.column - 1 + token.range.length
                words[words.count - 1].text = String(line.characters[start..<end])
                if token.kind == .equals, words[words.count - 1].key == nil, index > 0, case .word(let key) = tokens[index - 1].kind {
                    words[words.count - 1].key = key
                }
                if !joins { words[words.count - 1].isString = false }
            } else {
                start = token.range.column - 1
                var isString = false
                if case .string = token.kind { isString = true }
                words.append(Word(text: token.text, key: nil, isString: isString))
            }
            joinsNext = joins
        }
        return words
    }
}

extension StatementTable {
    /// The member of `family` that `word` picks as its second word (`plot` `loss`: "plot loss").
    func member(of family: String, named word: String) -> StatementSpec? {
        subWords(of: family).contains(word) ? self["\(family) \(word)"] : nil
    }
}

/// The cursor's line as characters (as the Lexer reads them), and the cursor within it.
struct SourceLineAtCursor {
    let characters: [Character]
    /// Characters before the cursor.
    let cursor: Int
    /// UTF-8 offset of each character in the whole text, and of the line's end.
    private let offsets: [Int]

    init(_ text: String, cursor: Int) {
        let bytes = Array(text.utf8)
        let end = max(0, min(cursor, bytes.count))
        let start = (bytes[..<end].lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1
        var stop = bytes[end...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        if stop > start, bytes[stop - 1] == UInt8(ascii: "\r"), stop > end { stop -= 1 }
        let line = String(decoding: bytes[start..<stop], as: UTF8.self)
        characters = Array(line)
        var offsets: [Int] = [], offset = start
        for character in characters {
            offsets.append(offset)
            offset += character.utf8.count
        }
        offsets.append(offset)
        self.offsets = offsets
        // Whole characters before the cursor (one the cursor splits is after it).
        self.cursor = offsets.lastIndex { $0 <= end } ?? 0
    }

    /// The UTF-8 offset in the whole text of character `index` of the line.
    func offset(_ index: Int) -> Int { offsets[max(0, min(index, offsets.count - 1))] }
}

/// The line up to the cursor, read from its tokens: the words of the cursor's statement
/// before the word being typed, and that word.
private struct PrefixScan {
    var words: [ResolvedStatement.Word] = []
    var partial = ""
    /// Character index in the line.
    var partialStart: Int
    var kind: ResolvedStatement.PartialKind = .argument

    init(_ lexer: Lexer, line: SourceLineAtCursor) {
        let characters = line.characters[..<line.cursor]
        partialStart = line.cursor
        func end(_ token: Token) -> Int { token.range.column - 1 + token.range.length }
        let isSemicolon = { (token: Token) in token.kind == .separator && token.text == ";" }
        let statementStart = lexer.tokens.lastIndex(where: isSemicolon).map { $0 + 1 } ?? 0
        var tokens = lexer.tokens[statementStart...].filter { $0.kind != .end && $0.kind != .separator }
        // The lexer stops a line at its first error: an open string, or a run it cannot read.
        if let problem = lexer.diagnostics.first, let range = problem.range {
            let start = range.column - 1
            tokens = tokens.filter { end($0) <= start }
            if problem.id == "unterminated-string" {
                partialStart = start + 1
                kind = .string
            } else if let space = characters[start...].lastIndex(where: { $0 == " " || $0 == "\t" }) {
                partialStart = space + 1
            } else {
                // A word the lexer could not read, with the word just before it (`ab@c`).
                partialStart = start
                if let last = tokens.last, end(last) == start, case .word = last.kind {
                    partialStart = last.range.column - 1
                    tokens.removeLast()
                }
                kind = Self.kind(after: tokens)
            }
        } else if let last = tokens.last, end(last) == line.cursor {
            if last.kind != .equals && last.kind != .comma {
                partialStart = last.range.column - 1
                tokens.removeLast()
            }
            kind = Self.kind(after: tokens)
        } else {
            // Only blanks, or a comment, since the last token (or the statement's `;`).
            let after = tokens.last.map(end) ?? lexer.tokens[..<statementStart].last.map(end) ?? 0
            kind = characters[after...].contains("#") ? .comment : tokens.isEmpty ? .name : .argument
        }
        partial = String(characters[partialStart...])
        words = ResolvedStatement.group(Self.completeWords(tokens), in: line)
    }

    /// What a word right after `tokens` is.
    private static func kind(after tokens: [Token]) -> ResolvedStatement.PartialKind {
        guard let previous = tokens.last else { return .name }
        switch previous.kind {
        case .equals:
            if tokens.count >= 2, case .word(let key) = tokens[tokens.count - 2].kind { return .value(key: key) }
            return .argument
        case .comma:
            // Back over `atom ,` pairs to the list's start: `key =` before it names its key.
            var index = tokens.count - 1
            while index >= 0, tokens[index].kind == .comma { index -= 2 }
            if index >= 1, tokens[index].kind == .equals, case .word(let key) = tokens[index - 1].kind {
                return .listItem(key: key)
            }
            return .listItem(key: nil)
        default:
            return .argument
        }
    }

    /// The tokens of the words wholly typed: a `key=` or list being typed is left out.
    private static func completeWords(_ tokens: [Token]) -> [Token] {
        var tokens = tokens
        guard let last = tokens.last, last.kind == .equals || last.kind == .comma else { return tokens }
        tokens.removeLast()
        while !tokens.isEmpty {
            tokens.removeLast() // an atom, or the key
            guard let joiner = tokens.last, joiner.kind == .comma || joiner.kind == .equals else { break }
            tokens.removeLast()
        }
        return tokens
    }
}
