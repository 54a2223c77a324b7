import CEditLine
import DLCore
#if canImport(Glibc)
import Glibc
#endif

/// The one file that talks to libedit: line editing, history and Tab completion
/// through its readline-compatible API.
final class LineEditor {
    /// What one call to `readLine` produced.
    enum Input: Equatable {
        case line(String)
        /// Ctrl-C at the prompt: the line was thrown away.
        case interrupted
        /// Ctrl-D on an empty line, or the terminal went away.
        case endOfInput
    }

    private let historyPath: String?
    private var lastHistoryLine: String?

    /// `complete(line, cursor)` returns whole-word candidates for the word that ends
    /// at `cursor` (a UTF-8 offset into `line`).
    init(historyPath: String?, complete: @escaping (String, Int) -> [String]) {
        self.historyPath = historyPath
        completionProvider = complete
        rl_readline_name = UnsafePointer(strdup("dl"))
        // Our own key reader, so that Ctrl-C ends `readline` instead of being retried.
        rl_getc_function = readKey
        rl_attempted_completion_function = attemptCompletion
        // Words end at spaces, quotes and '=', so `loss=cr<Tab>` completes the value.
        rl_basic_word_break_characters = UnsafePointer(strdup(" \t\n\"'="))
        rl_completer_word_break_characters = strdup(" \t\n\"'=")
        rl_completion_append_character = 0x20
        using_history()
        stifle_history(1000)
        if let historyPath { _ = read_history(historyPath) }
    }

    /// Shows `prompt` and reads one edited line.
    func readLine(prompt: String) -> Input {
        guard let raw = readline(prompt) else {
            return takeInterrupt() ? .interrupted : .endOfInput
        }
        defer { free(raw) }
        let line = String(cString: raw)
        // Some libedit versions return what was typed so far when interrupted.
        if takeInterrupt() { return .interrupted }
        return .line(line)
    }

    /// Remembers a non-empty line (skipping an immediate repeat) and saves the history.
    func remember(_ line: String) {
        guard !line.allSatisfy(\.isWhitespace), line != lastHistoryLine else { return }
        lastHistoryLine = line
        _ = add_history(line)
        guard let historyPath, !historyUnwritable else { return }
        if let failure = saveHistory(to: historyPath) {
            // Said once: the session goes on, with its history kept in memory only.
            historyUnwritable = true
            let reason = String(cString: strerror(failure))
            fputs("dl: warning: cannot save the history to \(historyPath): \(reason); this session's lines are kept in memory only (set DL_HISTORY to another file, or to nothing)\n", stderr)
        }
    }

    /// Saves the history whole or not at all, so a full disk cannot cut the old one short:
    /// written beside the file it names (through a symbolic link, which stays), then renamed
    /// over it. Returns the errno of a failure.
    private func saveHistory(to path: String) -> Int32? {
        var target = path
        if let real = realpath(path, nil) {
            target = String(cString: real)
            free(real)
        }
        let temporary = "\(target).dl-\(getpid()).tmp"
        let previous = signal(SIGXFSZ, SIG_IGN) // a size limit must fail the write, not kill dl
        defer { signal(SIGXFSZ, previous) }
        var failure: Int32?
        if write_history(temporary) != 0 {
            failure = errno != 0 ? errno : EIO
        } else if !holdsWholeHistory(temporary) {
            failure = EFBIG // libedit does not check its writes: a full disk leaves a short file
        } else if rename(temporary, target) != 0 {
            failure = errno
        }
        if failure != nil { unlink(temporary) }
        return failure
    }

    /// True when the file has one line per history entry after its header line (libedit
    /// writes each entry on one line, newlines escaped).
    private func holdsWholeHistory(_ path: String) -> Bool {
        guard let bytes = readFileBytes(path) else { return false }
        return bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } == Int(history_length) + 1
    }

    /// Set after the first failed save, so the warning comes once.
    private var historyUnwritable = false
}

// C callbacks cannot capture context: the provider lives in a global. There is one
// line editor per process.
nonisolated(unsafe) private var completionProvider: ((String, Int) -> [String])?

/// Reads one character from the terminal, as its Unicode code point: libedit takes what a
/// replacement `rl_getc_function` returns as a whole wide character, so a UTF-8 sequence
/// must be decoded here (returned byte by byte, "日" arrived as "æ\u{97}¥"). A malformed
/// sequence gives U+FFFD. Ctrl-C makes it report end of input, so `readline` returns and
/// the REPL sees the interrupt flag.
private func readKey(_ stream: UnsafeMutablePointer<FILE>?) -> Int32 {
    let fd = stream.map { fileno($0) } ?? STDIN_FILENO
    let lead = readByte(fd)
    guard lead >= 0xC0 else { return lead } // ASCII, EOF, or a stray continuation byte
    let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
    var bytes = [UInt8(lead)]
    for _ in 1..<length {
        let next = readByte(fd)
        guard next >= 0 else { return next }
        bytes.append(UInt8(next))
    }
    var decoder = UTF8()
    var iterator = bytes.makeIterator()
    if case .scalarValue(let scalar) = decoder.decode(&iterator) { return Int32(scalar.value) }
    return 0xFFFD
}

/// One byte, or EOF. It polls rather than blocking in read(): libedit installs its own
/// SIGINT handler while editing, and a read restarted by that handler would not see the
/// Ctrl-C until the next key.
private func readByte(_ fd: Int32) -> Int32 {
    var byte: UInt8 = 0
    while true {
        if interruptFlag.load(ordering: .sequentiallyConsistent) { return EOF }
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, 50)
        if ready == 0 || (ready < 0 && errno == EINTR) { continue }
        if ready < 0 { return EOF }
        let count = read(fd, &byte, 1)
        if count == 1 { return Int32(byte) }
        if count < 0 && errno == EINTR { continue }
        return EOF
    }
}

/// libedit replaces `text` (the word before the cursor, cut at the break characters)
/// with matches[0] and, for a single match, appends `rl_completion_append_character`.
private func attemptCompletion(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    rl_attempted_completion_over = 1  // never fall back to file-name completion
    guard let provider = completionProvider, let buffer = rl_line_buffer else { return nil }
    let line = String(cString: buffer)
    let cursor = min(max(Int(rl_point), 0), line.utf8.count)
    let word = text.map { String(cString: $0) } ?? ""
    let candidates = completionReplacements(line: line, cursor: cursor, word: word,
                                            candidates: provider(line, cursor))
    guard !candidates.isEmpty else { return nil }

    let common = candidates.dropFirst().reduce(candidates[0]) { commonPrefix($0, $1) }
    let single = candidates.count == 1
    // No space after a key waiting for its value or a folder waiting for its file.
    rl_completion_append_character = single && (common.hasSuffix("=") || common.hasSuffix("/")) ? 0 : 0x20

    // Readline frees the array and its strings with free(): allocate with calloc, so every
    // slot past the matches is nil. libedit takes a single match (and appends the space) only
    // when matches[2] is nil too: it reads that slot even when matches[1] is already nil, and
    // a leftover value there made `dense<Tab>` add no space, or `den<Tab>64` give `dense64`.
    let slots = max(candidates.count + 2, 3)
    let array = calloc(slots, MemoryLayout<UnsafeMutablePointer<CChar>?>.stride)!
        .bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: slots)
    array[0] = strdup(common)
    if !single {
        for (index, candidate) in candidates.enumerated() { array[index + 1] = strdup(candidate) }
    }
    return array
}
