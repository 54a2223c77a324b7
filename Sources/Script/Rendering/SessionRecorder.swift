/// Keeps what every statement printed, and the pictures it drew, for `report`; and every
/// statement's text and outcome for `show state` and `save script`.
/// It sits between the interpreter and the real output and passes everything on.
///
/// Memory stays flat however long a session runs: the statements are kept (a few dozen bytes
/// each), but outputs and pictures only for the last `keptOutputs` statements, and each output
/// only up to `textLimit` bytes (a `show state` late in a long session prints every statement
/// before it; recording all of them would grow with the square of the session's length).
final class SessionRecorder: OutputSink {
    struct Entry {
        var fileName: String
        var line: Int
        var statement: String
        var text = ""
        var pictures: [String] = []   // standalone SVG documents
        var failed = false
        /// Bytes of output not kept: past `textLimit`, or all of it once the statement is old.
        var droppedBytes = 0
        /// Pictures not kept (the statement is older than the last `keptOutputs`).
        var droppedPictures = 0
    }

    /// Statements whose output and pictures the report keeps (the most recent ones).
    static let keptOutputs = 1000
    /// Bytes of one statement's output the report keeps.
    static let textLimit = 16_384

    let target: OutputSink
    private(set) var entries: [Entry] = []
    /// False while a picture is drawn in the terminal: the report shows its SVG instead.
    private var recording = true
    /// Set by `bringBack`: the rest of the statement that ended the tour is not recorded.
    private var mutedUntilNextStatement = false
    /// While `withholding`: what would have been shown.
    private var withheld: String?

    init(target: OutputSink) { self.target = target }

    /// While steps run unseen (`withholding`), nothing is a terminal: no line redraws in place, nothing waits.
    var isTerminal: Bool { withheld == nil && target.isTerminal }
    var useColor: Bool { target.useColor }
    var width: Int { target.width }
    var height: Int { target.height }

    /// Statements whose output was let go because they are older than the last `keptOutputs`.
    var statementsWithoutOutput: Int { max(0, entries.count - Self.keptOutputs) }

    var takesPictures: Bool { withheld == nil && target.takesPictures }
    var takesTables: Bool { withheld == nil && target.takesTables }

    /// Passed on: the report keeps the table's text, which was written as usual.
    func show(table: TableValue) { if withheld == nil { target.show(table: table) } }

    var takesProgress: Bool { withheld == nil && target.takesProgress }

    /// Passed on, not kept: the report keeps the lines that stay, as a pipe shows them.
    func show(progress line: String?) { if withheld == nil { target.show(progress: line) } }

    func write(_ text: String, to stream: OutputChannel) {
        if withheld != nil { withheld! += text } else { target.write(text, to: stream) }
        record(text, stream)
    }

    /// Teaching text: the medium wraps it (a terminal at its width); the report keeps it as one line.
    func write(paragraph: Paragraph) {
        if withheld != nil { withheld! += paragraph.rendered(width: nil, color: false) } else { target.write(paragraph: paragraph) }
        record(paragraph.rendered(width: nil, color: false), .output)
    }

    /// Passed on as a value; the report keeps its text, as a terminal shows it.
    func report(_ error: ReportedError) {
        if withheld != nil { withheld! += error.rendered } else { target.report(error) }
        record(error.rendered, .error)
    }

    /// Passed on as a value; the report keeps its text among the statement's output, where a
    /// terminal shows it.
    func report(warning: ReportedError) {
        if withheld != nil { withheld! += warning.rendered } else { target.report(warning: warning) }
        record(warning.rendered, .output)
    }

    /// Runs `body` with its output kept back from the medium (still recorded), and returns
    /// that output as a pipe would show it: `tour 3` runs the earlier steps unseen.
    func withholding(_ body: () -> Void) -> String {
        let outer = withheld
        withheld = ""
        body()
        let text = withheld ?? ""
        withheld = outer
        return text
    }

    /// The statement being recorded did not do what it said (the tour declined it).
    func markFailed() {
        if !entries.isEmpty { entries[entries.count - 1].failed = true }
    }

    /// `tour`: the statements recorded so far, but the running one, are handed over and
    /// forgotten here; the tour's statements are recorded from the running one on.
    func setAside() -> [Entry] {
        guard let running = entries.last else { return [] }
        defer { entries = [running] }
        return Array(entries.dropLast())
    }

    /// The end of the tour: the entries `setAside` handed over are the record again, exactly as
    /// they were. The rest of the running statement's output is shown but not recorded, as it
    /// belongs to the tour.
    func bringBack(_ kept: [Entry]) {
        entries = kept
        mutedUntilNextStatement = true
    }

    /// The file and line of the statement whose output is being recorded, if any.
    var currentStatement: (fileName: String, line: Int)? {
        entries.last.map { ($0.fileName, $0.line) }
    }

    private func record(_ text: String, _ stream: OutputChannel) {
        guard recording, !mutedUntilNextStatement, !entries.isEmpty else { return }
        let last = entries.count - 1
        if stream == .error { entries[last].failed = true }
        let room = Self.textLimit - entries[last].text.utf8.count
        if text.utf8.count <= room {
            entries[last].text += text
        } else {
            // Whole characters up to the limit; the rest is only counted.
            var end = text.startIndex, used = 0
            while end < text.endIndex {
                let next = text.index(after: end)
                let size = text.utf8.distance(from: end, to: next)
                if used + size > room { break }
                used += size
                end = next
            }
            entries[last].text += text[..<end]
            entries[last].droppedBytes += text.utf8.count - used
        }
    }

    func begin(statement: String, fileName: String, line: Int) {
        mutedUntilNextStatement = false
        entries.append(Entry(fileName: fileName, line: line, statement: statement))
        let old = entries.count - 1 - Self.keptOutputs
        if old >= 0 {
            entries[old].droppedBytes += entries[old].text.utf8.count
            entries[old].droppedPictures += entries[old].pictures.count
            entries[old].text = ""
            entries[old].pictures = []
        }
    }

    /// Text that reaches the user but not the report (a terminal picture).
    func writeUnrecorded(_ text: String) {
        recording = false
        defer { recording = true }
        write(text, to: .output)
    }

    /// Keeps a picture's SVG for the report, and passes it on to a medium that shows
    /// pictures itself.
    func attach(picture svg: String, title: String) {
        if takesPictures { target.show(picture: svg, title: title) }
        guard !mutedUntilNextStatement, !entries.isEmpty else { return }
        entries[entries.count - 1].pictures.append(svg)
    }
}
