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

    init(target: OutputSink) { self.target = target }

    var isTerminal: Bool { target.isTerminal }
    var useColor: Bool { target.useColor }
    var width: Int { target.width }
    var height: Int { target.height }

    /// Statements whose output was let go because they are older than the last `keptOutputs`.
    var statementsWithoutOutput: Int { max(0, entries.count - Self.keptOutputs) }

    var takesPictures: Bool { target.takesPictures }
    var takesTables: Bool { target.takesTables }

    /// Passed on: the report keeps the table's text, which was written as usual.
    func show(table: TableValue) { target.show(table: table) }

    var takesProgress: Bool { target.takesProgress }

    /// Passed on, not kept: the report keeps the lines that stay, as a pipe shows them.
    func show(progress line: String?) { target.show(progress: line) }

    func write(_ text: String, to stream: OutputChannel) {
        target.write(text, to: stream)
        record(text, stream)
    }

    /// Passed on as a value; the report keeps its text, as a terminal shows it.
    func report(_ error: ReportedError) {
        target.report(error)
        record(error.rendered, .error)
    }

    /// Passed on as a value; the report keeps its text among the statement's output, where a
    /// terminal shows it.
    func report(warning: ReportedError) {
        target.report(warning: warning)
        record(warning.rendered, .output)
    }

    /// The file and line of the statement whose output is being recorded, if any.
    var currentStatement: (fileName: String, line: Int)? {
        entries.last.map { ($0.fileName, $0.line) }
    }

    private func record(_ text: String, _ stream: OutputChannel) {
        guard recording, !entries.isEmpty else { return }
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
        if target.takesPictures { target.show(picture: svg, title: title) }
        guard !entries.isEmpty else { return }
        entries[entries.count - 1].pictures.append(svg)
    }
}
