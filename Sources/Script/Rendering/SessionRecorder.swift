/// Keeps what every statement printed, and the pictures it drew, for `report`.
/// It sits between the interpreter and the real output and passes everything on.
final class SessionRecorder: OutputSink {
    struct Entry {
        var fileName: String
        var line: Int
        var statement: String
        var text = ""
        var pictures: [String] = []   // standalone SVG documents
        var failed = false
    }

    let target: OutputSink
    private(set) var entries: [Entry] = []
    /// False while a picture is drawn in the terminal: the report shows its SVG instead.
    private var recording = true

    init(target: OutputSink) { self.target = target }

    var isTerminal: Bool { target.isTerminal }
    var useColor: Bool { target.useColor }
    var width: Int { target.width }
    var height: Int { target.height }

    func write(_ text: String, to stream: OutputChannel) {
        target.write(text, to: stream)
        guard recording, !entries.isEmpty else { return }
        entries[entries.count - 1].text += text
        if stream == .error { entries[entries.count - 1].failed = true }
    }

    func begin(statement: String, fileName: String, line: Int) {
        entries.append(Entry(fileName: fileName, line: line, statement: statement))
    }

    /// Text that reaches the user but not the report (a terminal picture).
    func writeUnrecorded(_ text: String) {
        recording = false
        defer { recording = true }
        write(text, to: .output)
    }

    func attach(picture svg: String) {
        guard !entries.isEmpty else { return }
        entries[entries.count - 1].pictures.append(svg)
    }
}
