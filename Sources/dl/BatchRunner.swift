import Script
#if canImport(Glibc)
import Glibc
#endif

/// Exit statuses from sysexits.h.
enum ExitStatus: Int32, CaseIterable {
    case ok = 0
    case usage = 64        // EX_USAGE
    case badScript = 65    // EX_DATAERR: syntax or check errors, nothing was run
    case noInput = 66      // EX_NOINPUT: a script file cannot be opened
    case software = 70     // EX_SOFTWARE: a statement failed while running

    init(_ outcome: RunOutcome) {
        switch outcome {
        case .ok, .quit: self = .ok
        case .badScript: self = .badScript
        case .runtimeError: self = .software
        }
    }

    /// What the status means, for `--help` and the man page.
    var meaning: String {
        switch self {
        case .ok: "ok"
        case .usage: "bad usage"
        case .badScript: "bad script (nothing was run)"
        case .noInput: "a script file cannot be read"
        case .software: "a statement failed while running"
        }
    }

    /// The paragraph `--help` ends with: "Exit status: 0 ok, 64 bad usage, …".
    static var helpParagraph: String {
        "Exit status: " + allCases.map { "\($0.rawValue) \($0.meaning)" }.joined(separator: ", ") + "."
    }
}

/// Where one batch script comes from.
enum ScriptSource {
    case file(String)
    case text(String, name: String)
    case standardInput
}

/// Runs scripts one after another in one session, stopping at the first that fails.
struct BatchRunner {
    let interpreter: Interpreter
    /// `--check`: parse and check only.
    let checkOnly: Bool

    func run(_ sources: [ScriptSource]) -> ExitStatus {
        // Read every file first, so a missing one stops the run before anything runs.
        var scripts: [(text: String, name: String)] = []
        for source in sources {
            switch source {
            case .text(let text, let name):
                scripts.append((text, name))
            case .standardInput:
                scripts.append((String(decoding: readAll(STDIN_FILENO) ?? [], as: UTF8.self), "<stdin>"))
            case .file(let path):
                switch readFile(path) {
                case .success(let text):
                    scripts.append((text, path))
                case .failure(let error):
                    reportCannotOpen(path, error)
                    return .noInput
                }
            }
        }

        for script in scripts {
            let outcome = checkOnly
                ? interpreter.check(script.text, fileName: script.name)
                : interpreter.runScript(script.text, fileName: script.name)
            if outcome == .quit { return .ok }
            let status = ExitStatus(outcome)
            if status != .ok { return status }
        }
        return .ok
    }
}

/// An errno value, for "cannot open" messages.
struct SystemError: Error {
    let code: Int32
}

/// "dl: cannot open 'x.dl': No such file or directory" on stderr (exit status 66 follows).
func reportCannotOpen(_ path: String, _ error: SystemError) {
    fputs("dl: cannot open '\(path)': \(String(cString: strerror(error.code)))\n", stderr)
}

/// The whole file as text (invalid UTF-8 replaced), or the errno that stopped it.
func readFile(_ path: String) -> Result<String, SystemError> {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return .failure(SystemError(code: errno)) }
    defer { close(fd) }
    guard let bytes = readAll(fd) else { return .failure(SystemError(code: errno)) }
    return .success(String(decoding: bytes, as: UTF8.self))
}

/// Reads until end of file; nil (errno set) on a read error such as EISDIR.
func readAll(_ fd: Int32) -> [UInt8]? {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count > 0 {
            bytes.append(contentsOf: chunk[0..<count])
        } else if count == 0 {
            return bytes
        } else if errno != EINTR {
            return nil
        }
    }
}
