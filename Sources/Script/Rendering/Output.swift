#if canImport(Glibc)
import Glibc
#endif

/// Where the interpreter's text goes. The REPL and batch runner write to the
/// process's stdout/stderr; tests capture everything in order.
public protocol OutputSink: AnyObject {
    /// Writes text exactly as given (callers add newlines).
    func write(_ text: String, to stream: OutputChannel)
    /// True when output goes to a terminal: progress lines redraw in place.
    var isTerminal: Bool { get }
    /// ANSI colour allowed (a terminal and NO_COLOR unset).
    var useColor: Bool { get }
    /// Columns available for tables and bars.
    var width: Int { get }
    /// Lines of the screen, for pictures redrawn in place (`train … live`).
    var height: Int { get }
    /// True when this medium shows pictures from their SVG (`dl --json`, a notebook): each
    /// picture then reaches `show(picture:title:)` and is not also drawn as text.
    var takesPictures: Bool { get }
    /// A picture a statement drew, as a standalone SVG document; called only when
    /// `takesPictures`.
    func show(picture svg: String, title: String)
    /// True when this medium also takes tables as values (`dl --json`, a notebook): each table
    /// a statement prints is then given to `show(table:)` as well. Its text is written as
    /// always, so what a medium shows as text does not change.
    var takesTables: Bool { get }
    /// A table a statement printed: its title, its HTML and exactly the text written for it;
    /// called only when `takesTables`, after that text.
    func show(table: TableValue)
    /// True when this medium shows the line a terminal redraws in place (`train`'s epoch, bar,
    /// loss and time left; `sweep`'s running combination) as a value (`dl --json`, a
    /// notebook): it then reaches `show(progress:)` instead, at most about 5 times a second.
    /// Nothing is written for it, so what a medium shows as text does not change.
    var takesProgress: Bool { get }
    /// The live line as it now reads (with Unicode bars, no escapes), or nil when it is done
    /// (the statement's lines that stay follow as text); called only when `takesProgress`.
    /// A nil when no line was shown since the last nil is allowed and means nothing.
    func show(progress line: String?)
    /// An error as a value and as the text a terminal shows (`rendered`, with its caret).
    /// Media that show text write `rendered` to the error stream; a program gets the fields.
    func report(_ error: ReportedError)
    /// A warning as a value (`severity` `.warning`, a stable `id`) and as the text a terminal
    /// shows (`rendered`: `warning: …` and a newline). Media that show text write `rendered`
    /// where the statement's output goes, in its place among that output (as dl always did);
    /// a program gets the fields instead.
    func report(warning: ReportedError)
}

extension OutputSink {
    public var height: Int { 24 }
    public var takesPictures: Bool { false }
    public func show(picture svg: String, title: String) {}
    public var takesTables: Bool { false }
    public func show(table: TableValue) {}
    public var takesProgress: Bool { false }
    public func show(progress line: String?) {}
    public func report(_ error: ReportedError) { write(error.rendered, to: .error) }
    public func report(warning: ReportedError) { write(warning.rendered, to: .output) }
}

/// A diagnostic (or an interrupted statement) as it was reported: its fields, and its text.
/// A warning is reported as one too, with `severity` `.warning`.
public struct ReportedError: Equatable, Sendable {
    public var severity: Severity
    /// The diagnostic's stable id (`unknown-statement`, `model-kept-after-load`).
    public var id: String
    public var message: String
    /// The file (or `<stdin>`, `<command line>`) the line and column point into.
    public var fileName: String
    public var line: Int?
    public var column: Int?
    public var hint: String?
    /// Exactly what a terminal shows (without colour unless the sink uses colour).
    public var rendered: String

    public init(message: String, fileName: String, line: Int?, column: Int?, hint: String?, rendered: String,
                severity: Severity = .error, id: String = "runtime") {
        self.severity = severity
        self.id = id
        self.message = message
        self.fileName = fileName
        self.line = line
        self.column = column
        self.hint = hint
        self.rendered = rendered
    }
}

/// A table as a value: what it is (`title`), an HTML `<table>` and the plain text a
/// terminal shows for it.
public struct TableValue: Equatable, Sendable {
    public var title: String
    public var html: String
    public var text: String

    public init(title: String, html: String, text: String) {
        self.title = title
        self.html = html
        self.text = text
    }
}

public enum OutputChannel: Sendable { case output, error }

/// The process's standard output and error.
public final class StandardOutput: OutputSink {
    public let isTerminal: Bool
    public let useColor: Bool

    public init() {
        isTerminal = isatty(STDOUT_FILENO) == 1
        let noColor = getenv("NO_COLOR").map { String(cString: $0) } ?? ""
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        useColor = isTerminal && noColor.isEmpty && term != "dumb"
    }

    public var width: Int {
        var size = winsize()
        if isTerminal, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 {
            return Int(size.ws_col)
        }
        if let columns = getenv("COLUMNS").flatMap({ Int(String(cString: $0)) }), columns > 20 {
            return columns
        }
        return 80
    }

    public var height: Int {
        var size = winsize()
        if isTerminal, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 5 { return Int(size.ws_row) }
        return 24
    }

    /// Straight to the file descriptor (unbuffered, as each write was flushed anyway).
    public func write(_ text: String, to stream: OutputChannel) {
        let descriptor = stream == .output ? STDOUT_FILENO : STDERR_FILENO
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            // The reader has gone (`dl script.dl | head -3`): nothing more can be shown, and
            // that is how a pipe ends, not a failure. dl ignores SIGPIPE, so it sees EPIPE here.
            if written < 0 && errno == EPIPE { exit(0) }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}

/// Collects everything written, stdout and stderr interleaved in order (for tests).
public final class CapturedOutput: OutputSink {
    public private(set) var text = ""
    public let isTerminal = false
    public let useColor = false
    public let width: Int

    public init(width: Int = 80) { self.width = width }

    public func write(_ text: String, to stream: OutputChannel) { self.text += text }
}

/// An environment variable's value, if set.
func getenvString(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}
