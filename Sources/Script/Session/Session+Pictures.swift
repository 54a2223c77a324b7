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

    /// Draws a chart in the terminal, or writes it as SVG to `path`; the report
    /// keeps the SVG either way.
    func draw(_ chart: Chart, to path: String?, at range: SourceRange) throws {
        let svg = chart.svg()
        if let path {
            try writeFile(path, svg, at: range)
            print("wrote \(path) (\(chart.title), \(Format.fixed(Double(svg.utf8.count) / 1024, 1)) KB)")
        } else {
            recorder.writeUnrecorded(chart.terminal(terminalStyle))
        }
        recorder.attach(picture: svg)
    }

    /// Writes a whole text file, with errors that say what to do.
    func writeFile(_ path: String, _ text: String, at range: SourceRange) throws {
        guard let file = fopen(path, "wb") else {
            let reason = errno
            let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
            switch reason {
            case ENOENT:
                throw Diagnostic("cannot write '\(path)': the folder '\(folder)' does not exist", at: range,
                                 hint: "create it first (`mkdir -p \(folder)` in a shell) or choose another path")
            case EACCES, EROFS, EPERM:
                throw Diagnostic("cannot write '\(path)': permission denied", at: range,
                                 hint: "choose a folder you can write to, e.g. your home folder or /tmp")
            case EISDIR:
                throw Diagnostic("cannot write '\(path)': it is a folder", at: range, hint: "give a file name, e.g. \"\(path)/plot.svg\"")
            default:
                throw Diagnostic("cannot write '\(path)': \(String(cString: strerror(reason)))", at: range)
            }
        }
        defer { fclose(file) }
        let bytes = Array(text.utf8)
        guard fwrite(bytes, 1, bytes.count, file) == bytes.count else {
            throw Diagnostic("cannot write '\(path)': \(String(cString: strerror(errno)))", at: range)
        }
    }
}
