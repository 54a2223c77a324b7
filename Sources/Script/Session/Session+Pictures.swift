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


}
