/// A place in a source text: 1-based line, 1-based column (in characters) and a length.
public struct SourceRange: Equatable, Sendable {
    public var line: Int
    public var column: Int
    public var length: Int

    public init(line: Int, column: Int, length: Int) {
        self.line = line
        self.column = column
        self.length = max(1, length)
    }

    /// The range from the start of `self` to the end of `other` (same line).
    public func through(_ other: SourceRange) -> SourceRange {
        guard other.line == line else { return self }
        return SourceRange(line: line, column: column, length: other.column + other.length - column)
    }
}

/// How serious a diagnostic is: an error stops the statement (or the script, before it
/// runs); a warning is said and the statement goes on; a note only adds a fact.
public enum Severity: String, Equatable, Sendable {
    case error, warning, note
}

/// An error or a warning as a value: how serious, which (a stable id), what went wrong,
/// where, and how to fix it. Rendered in one place (DiagnosticRenderer) so every error in
/// dl looks the same.
public struct Diagnostic: Error, Equatable, Sendable {
    public var severity: Severity
    /// A stable kebab-case name for programs (`unknown-statement`, `softmax-hidden-layer`);
    /// the message may change, the id does not. Where the site that made it gave none, the
    /// phase that found it names it: `check` (a statement's own argument check) or `runtime`.
    public var id: String {
        get { givenID ?? "runtime" }
        set { givenID = newValue }
    }
    private var givenID: String?
    public var message: String
    public var range: SourceRange?
    /// How to fix it, printed as a `hint:` line.
    public var hint: String?
    /// Extra facts, printed as `note:` lines.
    public var notes: [String]
    /// Set when the error points into another line than the statement being run
    /// (e.g. the layer that does not fit, typed earlier): that line's file and text.
    public var fileName: String?
    public var sourceLine: String?

    public init(_ message: String, at range: SourceRange? = nil, hint: String? = nil, notes: [String] = [],
                id: String? = nil, severity: Severity = .error) {
        self.severity = severity
        self.givenID = id
        self.message = message
        self.range = range
        self.hint = hint
        self.notes = notes
    }

    /// The same diagnostic placed at `range` unless it already has a place.
    func placed(at range: SourceRange) -> Diagnostic {
        var copy = self
        if copy.range == nil { copy.range = range }
        return copy
    }

    /// The same diagnostic named `id` unless its site named it already.
    func identified(byDefault id: String) -> Diagnostic {
        var copy = self
        if copy.givenID == nil { copy.givenID = id }
        return copy
    }
}

/// Renders diagnostics as `FILE:LINE:COL: error: MESSAGE`, the source line and a
/// caret under the offending token, then hint and notes.
public struct DiagnosticRenderer {
    public var fileName: String
    public var sourceLines: [Substring]
    public var useColor: Bool
    /// The line number of the first source line (REPL lines are numbered on).
    public var firstLine: Int

    public init(fileName: String, source: String, firstLine: Int = 1, useColor: Bool) {
        self.fileName = fileName
        self.sourceLines = source.split(separator: "\n", omittingEmptySubsequences: false)
        self.firstLine = firstLine
        self.useColor = useColor
    }

    public func render(_ diagnostic: Diagnostic) -> String {
        // A warning is one line, `warning: MESSAGE`, said in the middle of the statement's
        // output (as dl always printed it), then its notes and hint.
        if diagnostic.severity != .error {
            var text = "\(diagnostic.severity.rawValue): \(Self.readable(diagnostic.message))\n"
            for note in diagnostic.notes { text += "note: \(Self.readable(note))\n" }
            if let hint = diagnostic.hint { text += "hint: \(Self.readable(hint))\n" }
            return text
        }
        var text = ""
        let red = useColor ? "\u{1B}[1;31m" : "", bold = useColor ? "\u{1B}[1m" : ""
        let green = useColor ? "\u{1B}[1;32m" : "", cyan = useColor ? "\u{1B}[1;36m" : ""
        let reset = useColor ? "\u{1B}[0m" : ""
        let fileName = diagnostic.fileName ?? self.fileName
        if let range = diagnostic.range {
            text += "\(bold)\(fileName):\(range.line):\(range.column):\(reset) "
        } else {
            text += "\(bold)\(fileName):\(reset) "
        }
        text += "\(red)error:\(reset) \(bold)\(Self.readable(diagnostic.message))\(reset)\n"
        if let range = diagnostic.range, let source = diagnostic.sourceLine ?? self.line(range.line) {
            let number = String(range.line)
            let padded = String(repeating: " ", count: max(0, 5 - number.count)) + number
            let gutter = String(repeating: " ", count: padded.count)
            let shown = SourceExcerpt(line: source, range: range)
            text += "\(padded) | \(shown.text)\n"
            text += "\(gutter) | \(String(repeating: " ", count: shown.caretStart))\(green)^\(String(repeating: "~", count: shown.tildes))\(reset)\n"
        }
        for note in diagnostic.notes { text += "\(cyan)note:\(reset) \(Self.readable(note))\n" }
        if let hint = diagnostic.hint { text += "\(cyan)hint:\(reset) \(Self.readable(hint))\n" }
        return text
    }

    /// The diagnostic as a reported value: its fields, and its text from `render`.
    public func report(_ diagnostic: Diagnostic) -> ReportedError {
        ReportedError(message: Self.readable(diagnostic.message), fileName: diagnostic.fileName ?? fileName,
                      line: diagnostic.range?.line, column: diagnostic.range?.column,
                      hint: diagnostic.hint.map(Self.readable), rendered: render(diagnostic),
                      severity: diagnostic.severity, id: diagnostic.id)
    }

    /// A message as it can be read on one screen: a tab becomes a space, other invisible and
    /// control characters (which could move the cursor or reverse the text) become U+FFFD, and a run of over 80
    /// characters without a space (a word or path quoted from a huge line) keeps its first
    /// 40 and last 20 characters around an ellipsis.
    static func readable(_ message: String) -> String {
        let visible = String(message.map { $0 == "\t" ? " " : $0.isVisible || $0 == " " || $0 == "\n" ? $0 : "\u{FFFD}" })
        guard visible.count > 80 else { return visible }
        return visible.split(separator: " ", omittingEmptySubsequences: false).map { word in
            word.count > 80 ? "\(word.prefix(40))…\(word.suffix(20))" : String(word)
        }.joined(separator: " ")
    }

    /// The text of source line `number`, without a trailing CR.
    func line(_ number: Int) -> String? {
        let index = number - firstLine
        guard index >= 0 && index < sourceLines.count else { return nil }
        let line = sourceLines[index]
        return String(line.hasSuffix("\r") ? line.dropLast() : line)
    }
}

/// The part of a source line shown under an error: at most `width` characters around the
/// range (a cut end marked with an ellipsis), tabs as single spaces and invisible or control
/// characters as U+FFFD so each character takes one column and the caret lines up.
struct SourceExcerpt {
    let text: String
    /// Columns before the caret, and tildes after it.
    let caretStart: Int
    let tildes: Int

    init(line source: String, range: SourceRange, width: Int = 100) {
        let line = source.map { $0 == "\t" ? " " : $0.isVisible ? $0 : "\u{FFFD}" }
        let start = max(0, min(range.column - 1, line.count))
        let length = max(1, min(range.length, line.count - start))
        guard line.count > width else {
            self.init(text: String(line), caretStart: start, tildes: length - 1)
            return
        }
        // Keep some context before the range, then as much of it and after as fits.
        let from = max(0, min(start - width / 4, line.count - width))
        let to = min(line.count, from + width)
        let head = from > 0 ? "…" : "", tail = to < line.count ? "…" : ""
        let caret = start - from + head.count
        self.init(text: head + String(line[from..<to]) + tail, caretStart: caret,
                  tildes: max(0, min(length, to - start) - 1))
    }

    private init(text: String, caretStart: Int, tildes: Int) {
        self.text = text
        self.caretStart = caretStart
        self.tildes = tildes
    }
}

extension Character {
    /// False for control, format (such as direction overrides), separator and unassigned
    /// characters: those that print as nothing, or move or reverse what follows. A cluster
    /// is judged by its first scalar, so an emoji joined with U+200D stays visible.
    var isVisible: Bool {
        let first = unicodeScalars.first!
        switch first.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .unassigned, .surrogate, .privateUse:
            return false
        case .spaceSeparator:
            return first == " "
        default:
            return true
        }
    }
}

/// "; did you mean 'dense'?" after an unknown name, or nothing when no candidate is close.
func didYouMean(_ suggestion: String?) -> String {
    suggestion.map { "; did you mean '\($0)'?" } ?? ""
}
