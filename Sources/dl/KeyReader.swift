#if canImport(Glibc)
import Glibc
#endif

/// Reads single keys for presenter mode: on a terminal one key press, without Enter and
/// without echo; from a pipe one line, of which the first character counts (an empty
/// line is Enter), so scripted runs and tests drive it the same way.
struct KeyReader {
    enum Key: Equatable {
        case enter, character(Character), endOfInput
    }

    let isTerminal = isatty(STDIN_FILENO) == 1

    func next() -> Key {
        isTerminal ? nextKeyPress() : nextLine()
    }

    private func nextKeyPress() -> Key {
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return nextLine() }
        var raw = saved
        // Keys arrive one by one, unechoed; Ctrl-C still raises SIGINT (ISIG stays on).
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        defer { tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
        while true {
            var byte: UInt8 = 0
            let count = read(STDIN_FILENO, &byte, 1)
            if count < 0 && errno == EINTR { continue } // Ctrl-C while waiting: keep waiting
            guard count == 1 else { return .endOfInput }
            switch byte {
            case 0x0A, 0x0D: return .enter
            case 0x04: return .endOfInput
            default: return .character(Character(Unicode.Scalar(byte)))
            }
        }
    }

    private func nextLine() -> Key {
        guard let line = readLine(strippingNewline: true) else { return .endOfInput }
        guard let first = line.trimmed.first else { return .enter }
        return .character(first)
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and carriage returns.
    var trimmed: Substring {
        var text = self[...]
        while let first = text.first, first == " " || first == "\t" || first == "\r" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text.removeLast() }
        return Substring(text)
    }
}
