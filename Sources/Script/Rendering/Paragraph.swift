/// A line of teaching text (the tour's tasks and answers, `explain on`'s lines) as a value:
/// the medium decides how it breaks. A terminal wraps it at its width with a hanging indent,
/// so a sentence stays readable in a 60-column window; a pipe gets it as one line, since
/// whatever reads a pipe (a file, a pager, a notebook, `grep`, a transcript test) has no
/// width of its own to wrap at and wraps, searches or diffs whole lines better.
public struct Paragraph: Equatable, Sendable {
    /// Written before the first line (`  | ` for explain).
    public var prefix: String
    public var text: String
    /// Written before every further line of a wrapped paragraph: the prefix's width in
    /// spaces, or the prefix itself when it is a bar that marks the whole paragraph, plus
    /// the hanging indent.
    public var continuation: String
    /// Shown faint on a terminal with colour (explain's lines, which sit under the output).
    public var faint: Bool

    public init(_ text: String, prefix: String = "", hanging: Int = 2, keepingPrefix: Bool = false, faint: Bool = false) {
        self.prefix = prefix
        self.text = text
        let lead = keepingPrefix ? prefix : String(repeating: " ", count: prefix.count)
        continuation = lead + String(repeating: " ", count: hanging)
        self.faint = faint
    }

    /// The lines to show: one when `width` is nil, else as many as the words need so that
    /// none is wider than `width` columns (a word longer than a line gets one to itself).
    public func lines(width: Int?) -> [String] {
        let words = Self.words(text)
        guard let width, prefix.count + text.count > width, !words.isEmpty else { return [prefix + text] }
        var lines: [String] = []
        var line = prefix
        var lineHasWord = false
        for word in words {
            if lineHasWord && line.count + 1 + word.count > width {
                lines.append(line)
                line = continuation
                lineHasWord = false
            }
            line += (lineHasWord ? " " : "") + word
            lineHasWord = true
        }
        lines.append(line)
        return lines
    }

    /// The words between spaces, a statement in backticks (`tour off`) kept as one, so a line
    /// break never splits what is to be typed.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var open = false
        for piece in text.split(separator: " ", omittingEmptySubsequences: true) {
            if open, let last = words.popLast() { words.append(last + " " + piece) } else { words.append(String(piece)) }
            if piece.filter({ $0 == "`" }).count % 2 == 1 { open.toggle() }
        }
        return words
    }

    /// The text to write, with its newlines (and the faint style when `color`).
    public func rendered(width: Int?, color: Bool) -> String {
        let (on, off) = faint && color ? ("\u{1B}[2m", "\u{1B}[0m") : ("", "")
        return lines(width: width).map { on + $0 + off + "\n" }.joined()
    }
}

extension OutputSink {
    /// Wrapped at the width on a terminal, one line elsewhere (see `Paragraph`).
    public func write(paragraph: Paragraph) {
        write(paragraph.rendered(width: isTerminal ? width : nil, color: useColor), to: .output)
    }
}
