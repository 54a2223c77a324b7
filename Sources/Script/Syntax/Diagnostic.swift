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

/// An error as a value: what went wrong, where, and how to fix it. Rendered in one
/// place (DiagnosticRenderer) so every error in dl looks the same.
public struct Diagnostic: Error, Equatable, Sendable {
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

    public init(_ message: String, at range: SourceRange? = nil, hint: String? = nil, notes: [String] = []) {
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
        text += "\(red)error:\(reset) \(bold)\(diagnostic.message)\(reset)\n"
        if let range = diagnostic.range, let source = diagnostic.sourceLine ?? self.line(range.line) {
            let line = source.replacingTabs()
            let number = String(range.line)
            let padded = String(repeating: " ", count: max(0, 5 - number.count)) + number
            let gutter = String(repeating: " ", count: padded.count)
            text += "\(padded) | \(line)\n"
            let caretStart = max(0, min(range.column - 1, line.count))
            let tildes = max(0, min(range.length, line.count - caretStart + 1) - 1)
            text += "\(gutter) | \(String(repeating: " ", count: caretStart))\(green)^\(String(repeating: "~", count: tildes))\(reset)\n"
        }
        for note in diagnostic.notes { text += "\(cyan)note:\(reset) \(note)\n" }
        if let hint = diagnostic.hint { text += "\(cyan)hint:\(reset) \(hint)\n" }
        return text
    }

    /// The text of source line `number`, without a trailing CR.
    func line(_ number: Int) -> String? {
        let index = number - firstLine
        guard index >= 0 && index < sourceLines.count else { return nil }
        let line = sourceLines[index]
        return String(line.hasSuffix("\r") ? line.dropLast() : line)
    }
}

extension String {
    /// Tabs become single spaces so caret columns line up with characters.
    func replacingTabs() -> String { String(map { $0 == "\t" ? " " : $0 }) }
}

/// "; did you mean 'dense'?" after an unknown name, or nothing when no candidate is close.
func didYouMean(_ suggestion: String?) -> String {
    suggestion.map { "; did you mean '\($0)'?" } ?? ""
}
