import Foundation
import Script
#if canImport(Glibc)
import Glibc
#endif

/// `dl --json`: the mode for programs (a Jupyter kernel, an editor, tests). Each input line
/// is one request; each request gets exactly one reply, a JSON object on one line, flushed.
///
/// A request is a line of statements (`;` separates several), or, when the line starts with
/// `{`, an object `{"code": "...", "id": ...}` whose code may hold newlines. Two objects ask
/// without running anything: `{"complete": LINE, "cursor": N}` (Tab's candidates) and
/// `{"inspect": TEXT}` (`help NAME`'s text); see JSONMode+Queries.swift. The reply to code:
/// `status` ("ok", "error", "quit"), `output` (the text printed, plain), `pictures`
/// (`[{"title", "svg"}]`), `tables` (`[{"title", "html", "text"}]`: the tables printed, whose
/// text is also in `output`), `warnings` when there were any (`[{"id", "message", "line", "column",
/// "hint", "rendered"}]`, not in `output`), `error` on an error (`severity`, `id`, `message`, `file`,
/// `line`, `column`, `hint`, `rendered`) and `id` when the request had one. A runtime error keeps the session, as at the
/// prompt; Ctrl-C (SIGINT) stops a long statement and the reply follows; end of input ends dl.
/// While code runs, the line a terminal redraws in place (`train`, `sweep`) comes as lines
/// `{"progress": "Epoch 812/4000  ━━…", "id": ...}` before the reply, at most 5 a second, and
/// `{"progress": null, "id": ...}` when it is done; a client reads lines until one has `status`.
struct JSONMode {
    let interpreter: Interpreter
    let sink: JSONOutput

    func run() -> ExitStatus {
        var input = LineReader(fd: STDIN_FILENO)
        let out = StandardOutput()
        while let line = input.next() {
            // A Ctrl-C stops the request that runs when it comes; one that came while dl waited
            // for this line (or that no statement honoured) must not stop this one. The handler
            // may run on any thread, so a blocked `read` need not see it: cleared here.
            _ = takeInterrupt()
            let (request, reply) = Self.request(from: line)
            var answer = reply
            if let request {
                switch request.kind {
                case .code(let code): answer = run(code, id: request.id)
                case .complete(let text, let cursor): answer = complete(text, cursor: cursor)
                case .inspect(let text, let cursor): answer = inspect(text, cursor: cursor)
                }
                if let id = request.id { answer["id"] = id }
            }
            out.write(Self.encode(answer) + "\n", to: .output)
            if answer["status"] as? String == "quit" { break }
        }
        return .ok
    }

    /// One request's code run to its end: the reply without `id` (which its progress lines carry).
    private func run(_ code: String, id: Any?) -> [String: Any] {
        sink.reset(id: id)
        var outcome = RunOutcome.ok
        if !code.allSatisfy(\.isWhitespace) {
            outcome = interpreter.runInteractive(code, fileName: "<stdin>", lineNumber: 1)
        }
        var reply: [String: Any] = ["output": sink.text, "pictures": sink.pictures, "tables": sink.tables]
        if !sink.warnings.isEmpty { reply["warnings"] = sink.warnings.map(Self.warningObject) }
        switch outcome {
        case .ok: reply["status"] = "ok"
        case .quit: reply["status"] = "quit"
        case .badScript, .runtimeError:
            reply["status"] = "error"
            reply["error"] = Self.errorObject(sink.errors)
        }
        return reply
    }

    /// The first error's fields; `rendered` holds every error of the request as a terminal
    /// shows them (a script with several syntax errors reports them all).
    private static func errorObject(_ errors: [ReportedError]) -> [String: Any] {
        guard let first = errors.first else {
            return ["severity": "error", "id": "runtime", "message": "the statement failed", "file": NSNull(),
                    "line": NSNull(), "column": NSNull(), "hint": NSNull(), "rendered": ""]
        }
        return ["severity": first.severity.rawValue,
                "id": first.id,
                "message": first.message,
                "file": first.fileName,
                "line": first.line.map { $0 as Any } ?? NSNull(),
                "column": first.column.map { $0 as Any } ?? NSNull(),
                "hint": first.hint.map { $0 as Any } ?? NSNull(),
                "rendered": errors.map(\.rendered).joined()]
    }

    /// One warning's fields, `rendered` as a terminal shows it (`warning: …` and a newline).
    private static func warningObject(_ warning: ReportedError) -> [String: Any] {
        ["id": warning.id,
         "message": warning.message,
         "line": warning.line.map { $0 as Any } ?? NSNull(),
         "column": warning.column.map { $0 as Any } ?? NSNull(),
         "hint": warning.hint.map { $0 as Any } ?? NSNull(),
         "rendered": warning.rendered]
    }

    /// A plain line is its own code; a line starting with `{` is a JSON request. A request
    /// that cannot be run comes back as the error reply instead.
    static func request(from line: String) -> (request: Request?, reply: [String: Any]) {
        guard line.first(where: { $0 != " " && $0 != "\t" }) == "{" else { return (Request(kind: .code(line), id: nil), [:]) }
        func refused(_ message: String, id: Any? = nil) -> (request: Request?, reply: [String: Any]) {
            var reply: [String: Any] = [
                "status": "error", "output": "", "pictures": [Any](), "tables": [Any](),
                "error": ["severity": "error", "id": "bad-request", "message": message, "file": NSNull(),
                          "line": NSNull(), "column": NSNull(), "hint": NSNull(), "rendered": "dl: \(message)\n"] as [String: Any],
            ]
            if let id { reply["id"] = id }
            return (nil, reply)
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
        } catch {
            return refused("the request is not valid JSON; send {\"code\": \"...\", \"id\": ...} on one line")
        }
        guard let fields = object as? [String: Any] else {
            return refused("the request is not a JSON object; send {\"code\": \"...\", \"id\": ...} on one line")
        }
        let id = fields["id"]
        if fields["code"] == nil, fields["complete"] != nil || fields["inspect"] != nil {
            let key = fields["complete"] != nil ? "complete" : "inspect"
            guard let text = fields[key] as? String else { return refused("\"\(key)\" must be a string", id: id) }
            var cursor: Int?
            if let value = fields["cursor"], !(value is NSNull) {
                guard let number = value as? NSNumber, !(value is Bool), number.doubleValue == number.doubleValue.rounded(),
                      number.doubleValue >= 0, number.doubleValue < 1e9 else {
                    return refused("\"cursor\" must be a whole number from 0", id: id)
                }
                cursor = number.intValue
            }
            return (Request(kind: key == "complete" ? .complete(text, cursor: cursor) : .inspect(text, cursor: cursor), id: id), [:])
        }
        guard let code = fields["code"] as? String else {
            return refused("the request has no \"code\" string", id: id)
        }
        return (Request(kind: .code(code), id: id), [:])
    }

    /// One line of JSON: no newline inside (JSONSerialization escapes those in strings).
    static func encode(_ reply: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: reply, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return #"{"error":{"message":"the reply could not be encoded"},"output":"","pictures":[],"status":"error","tables":[]}"#
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// One request: what it asks and the `id` its reply carries back.
struct Request {
    enum Kind {
        /// Statements to run.
        case code(String)
        /// Tab completion at `cursor` (Unicode code points; nil: the end).
        case complete(String, cursor: Int?)
        /// The help of the statement at `cursor` (nil: the end).
        case inspect(String, cursor: Int?)
    }
    let kind: Kind
    let id: Any?
}

/// What the statements of one request produced: plain text (as in a pipe), the errors as
/// values, the warnings as values (not in the text), the pictures as SVG rather than drawn in
/// text, and the tables as values too. The
/// live progress line is written at once, as a line of its own before the reply.
final class JSONOutput: OutputSink {
    private(set) var text = ""
    private(set) var errors: [ReportedError] = []
    private(set) var warnings: [ReportedError] = []
    private(set) var pictures: [[String: Any]] = []
    private(set) var tables: [[String: Any]] = []

    let isTerminal = false
    let useColor = false
    let takesPictures = true
    let takesTables = true
    let takesProgress = true
    /// The running request's `id`, which its progress lines carry.
    private var requestID: Any?
    /// A progress line was written and not yet ended with `"progress": null`.
    private var progressShown = false
    /// A parallel sweep's workers report progress from their threads (one at a time already).
    private let progressLock = NSLock()
    private let standardOutput = StandardOutput()
    let width: Int = getenv("COLUMNS").flatMap { Int(String(cString: $0)) }.flatMap { $0 > 20 ? $0 : nil } ?? 80

    func reset(id: Any? = nil) {
        requestID = id
        progressShown = false
        text = ""
        errors = []
        warnings = []
        pictures = []
        tables = []
    }

    func write(_ text: String, to stream: OutputChannel) { self.text += text }
    func report(_ error: ReportedError) { errors.append(error) }
    func report(warning: ReportedError) { warnings.append(warning) }
    func show(picture svg: String, title: String) { pictures.append(["title": title, "svg": svg]) }
    func show(table: TableValue) { tables.append(["title": table.title, "html": table.html, "text": table.text]) }

    /// `{"progress": LINE, "id": ...}` on a line of its own, flushed (a null only to end a line shown).
    func show(progress line: String?) {
        progressLock.lock()
        defer { progressLock.unlock() }
        guard line != nil || progressShown else { return }
        progressShown = line != nil
        var message: [String: Any] = ["progress": line.map { $0 as Any } ?? NSNull()]
        if let requestID { message["id"] = requestID }
        standardOutput.write(JSONMode.encode(message) + "\n", to: .output)
    }
}

/// Lines from a file descriptor, read with read(2): a Ctrl-C while dl waits for input
/// (EINTR) is read past, where stdio's getline would report end of file.
struct LineReader {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var atEnd = false

    init(fd: Int32) { self.fd = fd }

    /// The next line without its `\n` (and `\r`); a last line without `\n` counts; nil at the end.
    mutating func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = buffer[..<newline]
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                let text = String(decoding: line, as: UTF8.self)
                buffer.removeSubrange(...newline)
                return text
            }
            if atEnd {
                guard !buffer.isEmpty else { return nil }
                defer { buffer = [] }
                return String(decoding: buffer, as: UTF8.self)
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
            } else if count == 0 || errno != EINTR {
                atEnd = true
            }
            // EINTR (a Ctrl-C while waiting): read again.
        }
    }
}
