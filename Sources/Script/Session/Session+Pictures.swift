import Plot
#if canImport(Glibc)
import Glibc
#endif

extension Session {
    /// How pictures look here: colour on a terminal unless NO_COLOR, ASCII otherwise.
    var terminalStyle: TerminalStyle {
        guard output.useColor else { return TerminalStyle(width: output.width, color: .none) }
        let colorTerm = getenvString("COLORTERM") ?? ""
        let truecolor = colorTerm == "truecolor" || colorTerm == "24bit"
        return TerminalStyle(width: output.width, color: truecolor ? .truecolor : .ansi256)
    }

    /// Draws a chart in the terminal, or writes it as SVG to `path`; the report keeps the
    /// SVG either way, and a medium that shows pictures itself is given it instead of text.
    func draw(_ chart: Chart, to path: String?, at range: SourceRange) throws {
        let svg = chart.svg()
        if let path {
            try writeFile(path, svg, at: range)
            print("wrote \(path) (\(chart.title), \(Format.fixed(Double(svg.utf8.count) / 1024, 1)) KB)")
        } else if !output.takesPictures {
            recorder.writeUnrecorded(chart.terminal(terminalStyle))
        }
        recorder.attach(picture: svg, title: chart.title)
    }

    /// Writes a whole text file, with errors that say what to do (see `AtomicFile`).
    func writeFile(_ path: String, _ text: String, at range: SourceRange) throws {
        try writeFile(path, Array(text.utf8), at: range)
    }

    /// Writes a whole file so that a failure never leaves it half written: the old file, if
    /// any, stays as it was unless the new one was written completely.
    func writeFile(_ path: String, _ bytes: [UInt8], at range: SourceRange) throws {
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
            switch error.code {
            case ENOENT where access(folder, F_OK) == 0:
                // The folder is there but refuses new files (such as /proc or /sys).
                throw Diagnostic("cannot write '\(path)': no file can be created in '\(folder)'", at: range,
                                 hint: "choose a folder you can write to, e.g. your home folder or /tmp")
            case ENOENT:
                throw Diagnostic("cannot write '\(path)': the folder '\(folder)' does not exist", at: range,
                                 hint: "create it first (`mkdir -p \(folder)` in a shell) or choose another path")
            case EACCES, EROFS, EPERM:
                throw Diagnostic("cannot write '\(path)': permission denied", at: range,
                                 hint: "choose a folder you can write to, e.g. your home folder or /tmp")
            case EISDIR:
                throw Diagnostic("cannot write '\(path)': it is a folder", at: range, hint: "give a file name, e.g. \"\(path)/plot.svg\"")
            case ENOSPC, EDQUOT, EFBIG:
                let reason = error.code == ENOSPC ? "the disk is full"
                    : error.code == EDQUOT ? "the disk quota is used up"
                    : "the file would exceed the file size limit (ulimit -f)"
                throw Diagnostic("cannot write '\(path)': \(reason)", at: range,
                                 hint: "free some space or choose another place; the old file, if any, is unchanged")
            default:
                throw Diagnostic("cannot write '\(path)': \(String(cString: strerror(error.code)))", at: range)
            }
        }
    }
}
