import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `dl` running on a pseudo-terminal, driven like a person at a keyboard: bytes go in
/// through the master side, and everything the terminal shows is collected.
final class PseudoTerminalSession {
    private let master: Int32
    let pid: pid_t
    private var exitStatus: Int32?
    /// Everything read so far, and how much of it earlier expectations consumed.
    private(set) var transcript = ""
    /// A UTF-8 offset: String indices are not kept across appends.
    private var consumed = 0

    /// Starts `path arguments` as a session leader with the terminal as its
    /// controlling terminal, so Ctrl-C (byte 0x03) reaches it as SIGINT.
    init(path: String, arguments: [String], environment: [String: String]) throws {
        // Everything the child needs is built before fork: after it only execve runs.
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var size = winsize(ws_row: 30, ws_col: 120, ws_xpixel: 0, ws_ypixel: 0)
        var masterFD: Int32 = -1
        let child = forkpty(&masterFD, nil, nil, &size)
        if child == 0 {
            execve(path, argv, envp)
            _exit(127)
        }
        guard child > 0 else {
            throw NSError(domain: "PseudoTerminalSession", code: Int(errno),
                          userInfo: [NSLocalizedDescriptionKey: "forkpty failed: \(String(cString: strerror(errno)))"])
        }
        master = masterFD
        pid = child
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(master)
    }

    /// Types `text` (use "\r" for Enter, "\t" for Tab, "\u{03}" for Ctrl-C, "\u{04}" for Ctrl-D).
    func type(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { write(master, $0.baseAddress! + offset, $0.count - offset) }
            if written > 0 { offset += written } else if errno != EINTR { return }
        }
    }

    /// Resizes the terminal, as dragging the window's edge does (the kernel sends SIGWINCH).
    func resize(columns: Int, rows: Int) {
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    }

    /// Waits until `text` appears after what earlier expectations matched; fails the
    /// test with everything seen if it does not within `timeout` seconds.
    @discardableResult
    func expect(_ text: String, timeout: TimeInterval = 10,
                file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let unread = String(decoding: Array(transcript.utf8)[consumed...], as: UTF8.self)
            if let range = unread.range(of: text) {
                consumed += unread[..<range.upperBound].utf8.count
                return true
            }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 || !readAvailable(waitingUpTo: remaining) {
                XCTFail("expected \(text.debugDescription) on the terminal; it showed:\n\(transcript)",
                        file: file, line: line)
                return false
            }
        }
    }

    /// Waits until the line the cursor is on, as a terminal would show it, contains
    /// `text`. libedit redraws with cursor movements, so the bytes of an edited
    /// line need not appear in one piece.
    func expectOnCurrentLine(_ text: String, timeout: TimeInterval = 10,
                             file: StaticString = #filePath, line: UInt = #line) {
        let deadline = Date().addingTimeInterval(timeout)
        while !currentLine.contains(text) {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 || !readAvailable(waitingUpTo: remaining) {
                XCTFail("expected the current line to show \(text.debugDescription); it shows \(currentLine.debugDescription)",
                        file: file, line: line)
                return
            }
        }
        consumed = transcript.utf8.count
    }

    /// The last line of the transcript rendered: carriage return, backspace, cursor
    /// column (ESC [ n G), cursor left/right (ESC [ n D / C) and erase to end of line
    /// (ESC [ K) applied, other control sequences dropped.
    var currentLine: String {
        // Scalars, not Characters: "\r\n" is a single Character.
        let scalars = Array(transcript.unicodeScalars)
        let lineStart = (scalars.lastIndex(of: "\n") ?? -1) + 1
        var characters = scalars[lineStart...].map(Character.init)[...]
        var cells: [Character] = []
        var column = 0
        func put(_ character: Character) {
            if column < cells.count { cells[column] = character } else {
                cells += Array(repeating: " ", count: column - cells.count) + [character]
            }
            column += 1
        }
        while let character = characters.popFirst() {
            switch character {
            case "\r": column = 0
            case "\u{08}": column = max(0, column - 1)
            case "\u{1B}":
                guard characters.first == "[" else { _ = characters.popFirst(); continue }
                characters.removeFirst()
                var parameter = ""
                while let next = characters.first, next.isNumber || next == ";" || next == "?" {
                    parameter.append(next)
                    characters.removeFirst()
                }
                let n = Int(parameter) ?? 1
                switch characters.popFirst() {
                case "G": column = max(0, n - 1)
                case "C": column += n
                case "D": column = max(0, column - n)
                case "K": if column < cells.count { cells.removeSubrange(column...) }
                default: break
                }
            default:
                if character.asciiValue.map({ $0 >= 0x20 }) ?? true { put(character) }
            }
        }
        return String(cells)
    }

    /// Waits for the prompt and then until the line editor has the terminal in raw
    /// mode. libedit prints its prompt before leaving cooked mode, so keys sent at
    /// once would be echoed by the terminal driver and again by the editor.
    func expectPrompt(_ prompt: String = "dl> ", timeout: TimeInterval = 10,
                      file: StaticString = #filePath, line: UInt = #line) {
        guard expect(prompt, timeout: timeout, file: file, line: line) else { return }
        let deadline = Date().addingTimeInterval(timeout)
        var settings = termios()
        // On Linux the master side reports the slave's settings.
        while tcgetattr(master, &settings) == 0 && settings.c_lflag & tcflag_t(ICANON) != 0 {
            guard Date() < deadline else {
                XCTFail("the line editor never took the terminal out of canonical mode:\n\(transcript)",
                        file: file, line: line)
                return
            }
            _ = readAvailable(waitingUpTo: 0.01)
        }
    }

    /// Forgets what earlier expectations matched, so that a long session's transcript holds
    /// only what came since (searching it stays cheap, and memory flat).
    func forgetConsumed() {
        transcript = String(decoding: Array(transcript.utf8)[consumed...], as: UTF8.self)
        consumed = 0
    }

    /// VmRSS of the process from /proc, in bytes.
    func residentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.split(separator: " ")[1]) else { throw NSError(domain: "VmRSS", code: 0) }
        return kilobytes * 1024
    }

    /// True while the process has not exited.
    var isRunning: Bool {
        if exitStatus != nil { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatus = status
            return false
        }
        return true
    }

    /// The exit code once the process has exited on its own within `timeout` seconds
    /// (nil if it is still running or was killed by a signal). Keeps reading its
    /// output meanwhile, so a full terminal buffer cannot hold it up.
    func waitForExit(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning && Date() < deadline {
            _ = readAvailable(waitingUpTo: 0.05)
        }
        guard let status = exitStatus else { return nil }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : nil
    }

    /// Reads whatever arrives within the time given; false once nothing more can come.
    private func readAvailable(waitingUpTo seconds: TimeInterval) -> Bool {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(max(1, min(seconds, 0.2) * 1000)))
        if ready < 0 { return errno == EINTR }
        if ready == 0 { return true }  // nothing yet: the caller checks its deadline
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
        // EIO: the child closed its side of the terminal (it exited).
        guard count > 0 else { return false }
        transcript += String(decoding: buffer[0..<count], as: UTF8.self)
        return true
    }
}

extension PseudoTerminalSession {
    /// `dl arguments` on a terminal as a person starts it: TERM=xterm, no colour (so the
    /// transcript is plain text), HOME in `directory` and the history in `directory/history`
    /// unless `history` names another file (nil: no history file).
    static func dl(_ arguments: [String] = [], in directory: URL, history: String? = "history") throws -> PseudoTerminalSession {
        try PseudoTerminalSession(path: DLBinary.path, arguments: arguments,
                                  environment: dlEnvironment(in: directory, history: history))
    }

    /// The environment `dl(_:in:history:)` gives dl, for starting it some other way.
    static func dlEnvironment(in directory: URL, history: String? = "history") -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm"
        environment["NO_COLOR"] = "1"
        environment["HOME"] = directory.path
        environment["DL_HISTORY"] = history.map { directory.appendingPathComponent($0).path } ?? ""
        return environment
    }
}
