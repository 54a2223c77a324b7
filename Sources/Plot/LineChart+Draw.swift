// Line charts: braille lines in colour, or one ASCII mark per series.

/// Rows of the plotting area for x–y charts in the terminal.
let terminalPlotRows = 16

/// Finite values only (NaN and infinities can't be placed on an axis).
func finite(_ v: [Double]) -> [Double] { v.filter(\.isFinite) }

/// The x tick count that fits `cols` columns with room for the labels.
func xTickCount(cols: Int) -> Int { max(3, min(10, cols / 7)) }

extension LineChart {
    /// Whether a point can be placed: finite, and above 0 on a log axis.
    private func placeable(_ x: Double, _ y: Double) -> Bool {
        x.isFinite && y.isFinite && (!logX || x > 0) && (!logY || y > 0)
    }
    private var allX: [Double] { series.flatMap { s in zip(s.x, s.y).filter { placeable($0.0, $0.1) }.map(\.0) } }
    private var allY: [Double] { series.flatMap { s in zip(s.x, s.y).filter { placeable($0.0, $0.1) }.map(\.1) } }

    func terminalLines(_ style: TerminalStyle) -> [TermLine] {
        let ascii = style.color == .none
        let xs = allX, ys = allY
        let yScale = Scale.axis(ys, log: logY, maxTicks: 5)
        var frame = AxisFrame(xScale: Scale.nice(0, 1, maxTicks: 2), yScale: yScale, rows: terminalPlotRows, style: style)
        frame.xScale = Scale.axis(xs, log: logX, maxTicks: xTickCount(cols: frame.cols))
        let (sx, sy) = ascii ? (1, 1) : (2, 4)
        var braille = BrailleCanvas(cols: frame.cols, rows: frame.rows)
        var grid = Array(repeating: Array(repeating: Cell(ch: " "), count: frame.cols), count: frame.rows)
        for (place, s) in series.enumerated() {
            let i = s.colorIndex ?? place
            let color = paletteColor(i)
            var previous: (Int, Int)? = nil
            for (x, y) in zip(s.x, s.y) {
                guard placeable(x, y) else { previous = nil; continue }
                let p = (frame.pixelX(x, sub: sx), frame.pixelY(y, sub: sy))
                let from = previous ?? p
                drawLine(from.0, from.1, p.0, p.1) { px, py in
                    if ascii { grid[py][px] = Cell(ch: asciiMark(i)) } else { braille.set(px, py, color) }
                }
                previous = p
            }
        }
        let legend = series.enumerated().map { place, s in
            let i = s.colorIndex ?? place
            return (mark: ascii ? cells(String(asciiMark(i))) : cells("──", fg: paletteColor(i)), name: s.name)
        }
        return frame.compose(title: title, xLabel: xLabel, yLabel: yLabel,
                             body: ascii ? grid : braille.lines, legend: legend, style: style)
    }

    func svgDocument() -> String {
        var svg = SVGWriter()
        let xs = allX, ys = allY
        let frame = SVGFrame(svg: svg, xScale: Scale.axis(xs, log: logX, maxTicks: 8),
                             yScale: Scale.axis(ys, log: logY, maxTicks: 7),
                             legendNames: series.map(\.name))
        frame.draw(into: &svg, title: title, xLabel: xLabel, yLabel: yLabel,
                   legend: series.enumerated().map { (.line(paletteColor($0.element.colorIndex ?? $0.offset)), $0.element.name) })
        for (place, s) in series.enumerated() {
            let i = s.colorIndex ?? place
            let points = zip(s.x, s.y).filter { placeable($0.0, $0.1) }.map { (frame.x($0.0), frame.y($0.1)) }
            svg.polyline(points, stroke: paletteColor(i).hex, cls: "series")
            // Dots at the data points help when there are few (e.g. 10 epochs).
            if points.count <= 40 {
                for p in points { svg.circle(p.0, p.1, 2.5, fill: paletteColor(i).hex, cls: "marker") }
            }
        }
        return svg.document
    }
}
