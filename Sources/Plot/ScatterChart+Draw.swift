// Scatter charts: one braille dot per point coloured by group, or one ASCII
// mark per group.

extension ScatterChart {
    /// The group of point i; points without a valid group go to group 0.
    func group(_ i: Int) -> Int { i < groups.count && groups[i] >= 0 ? groups[i] : 0 }

    /// The names to show in the legend: one per group used, "group N" where unnamed.
    var legendGroups: [(Int, String)] {
        let used = Set((0..<min(x.count, y.count)).map(group))
        let count = max(groupNames.count, (used.max() ?? -1) + 1)
        guard count > 1 || !groupNames.isEmpty else { return [] }
        return (0..<count).filter { used.contains($0) || $0 < groupNames.count }
            .map { ($0, $0 < groupNames.count ? groupNames[$0] : "group \($0)") }
    }

    private var finitePoints: [(Double, Double, Int)] {
        (0..<min(x.count, y.count)).filter { x[$0].isFinite && y[$0].isFinite }.map { (x[$0], y[$0], group($0)) }
    }

    func terminalLines(_ style: TerminalStyle) -> [TermLine] {
        let ascii = style.color == .none
        let points = finitePoints
        let yScale = Scale.nice(points.map(\.1).min() ?? 0, points.map(\.1).max() ?? 1, maxTicks: 5)
        var frame = AxisFrame(xScale: Scale.nice(0, 1, maxTicks: 2), yScale: yScale, rows: terminalPlotRows, style: style)
        frame.xScale = Scale.nice(points.map(\.0).min() ?? 0, points.map(\.0).max() ?? 1, maxTicks: xTickCount(cols: frame.cols))
        var braille = BrailleCanvas(cols: frame.cols, rows: frame.rows)
        var grid = Array(repeating: Array(repeating: Cell(ch: " "), count: frame.cols), count: frame.rows)
        for (px, py, g) in points {
            if ascii {
                grid[frame.row(py, sub: 1)][frame.col(px, sub: 1)] = Cell(ch: asciiMark(g))
            } else {
                braille.set(frame.pixelX(px, sub: 2), frame.pixelY(py, sub: 4), paletteColor(g))
            }
        }
        let legend = legendGroups.map { g, name in
            (mark: ascii ? cells(String(asciiMark(g))) : cells("•", fg: paletteColor(g)), name: name)
        }
        return frame.compose(title: title, xLabel: xLabel, yLabel: yLabel,
                             body: ascii ? grid : braille.lines, legend: legend, style: style)
    }

    func svgDocument() -> String {
        var svg = SVGWriter()
        let points = finitePoints
        let legend = legendGroups
        let frame = SVGFrame(svg: svg,
                             xScale: Scale.padded(points.map(\.0), maxTicks: 8),
                             yScale: Scale.padded(points.map(\.1), maxTicks: 7),
                             legendNames: legend.map(\.1))
        frame.draw(into: &svg, title: title, xLabel: xLabel, yLabel: yLabel,
                   legend: legend.map { (.dot(paletteColor($0.0)), $0.1) })
        for (px, py, g) in points {
            svg.circle(frame.x(px), frame.y(py), 3.5, fill: paletteColor(g).hex, cls: "point",
                       extra: " fill-opacity=\"0.75\" stroke=\"#ffffff\" stroke-width=\"0.5\"")
        }
        return svg.document
    }
}
