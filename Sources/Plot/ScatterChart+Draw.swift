// Scatter charts: one braille dot per point coloured by group, or one ASCII
// mark per group, over optional reference lines (y = x, or a horizontal line).

/// The colour of reference lines: quiet, so the points stay in front.
let referenceGrey = RGB(0x88, 0x88, 0x88)

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

    /// The values each axis must show: the points', and with y = x each axis takes both
    /// ranges (so the diagonal runs corner to corner); a horizontal line's height is on y.
    private var axisValues: (x: [Double], y: [Double]) {
        let points = finitePoints
        var xs = points.map(\.0), ys = points.map(\.1)
        for line in referenceLines {
            switch line {
            case .identity: (xs, ys) = (xs + ys, ys + xs)
            case .horizontal(let value) where value.isFinite: ys.append(value)
            case .horizontal: break
            }
        }
        return (xs, ys)
    }

    /// The stretch of each reference line inside the axes, in data coordinates.
    private func segments(x: Scale, y: Scale) -> [((Double, Double), (Double, Double))] {
        referenceLines.compactMap { line in
            switch line {
            case .identity:
                let (a, b) = (max(x.lo, y.lo), min(x.hi, y.hi))
                return a < b ? ((a, a), (b, b)) : nil
            case .horizontal(let value):
                return value >= y.lo && value <= y.hi ? ((x.lo, value), (x.hi, value)) : nil
            }
        }
    }

    func terminalLines(_ style: TerminalStyle) -> [TermLine] {
        let ascii = style.color == .none
        let points = finitePoints
        let (xs, ys) = axisValues
        let yScale = Scale.nice(ys.min() ?? 0, ys.max() ?? 1, maxTicks: 5)
        var frame = AxisFrame(xScale: Scale.nice(0, 1, maxTicks: 2), yScale: yScale, rows: terminalPlotRows, style: style)
        frame.xScale = Scale.nice(xs.min() ?? 0, xs.max() ?? 1, maxTicks: xTickCount(cols: frame.cols))
        var braille = BrailleCanvas(cols: frame.cols, rows: frame.rows)
        var grid = Array(repeating: Array(repeating: Cell(ch: " "), count: frame.cols), count: frame.rows)
        // Reference lines first, in grey dots, so the points sit on top of them.
        let (sx, sy) = ascii ? (1, 1) : (2, 4)
        for (from, to) in segments(x: frame.xScale, y: frame.yScale) {
            drawLine(frame.pixelX(from.0, sub: sx), frame.pixelY(from.1, sub: sy),
                     frame.pixelX(to.0, sub: sx), frame.pixelY(to.1, sub: sy)) { px, py in
                if ascii { grid[py][px] = Cell(ch: ".") } else if (px + py) % 2 == 0 { braille.set(px, py, referenceGrey) }
            }
        }
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
        let (xs, ys) = axisValues
        let frame = SVGFrame(svg: svg,
                             xScale: Scale.padded(xs, maxTicks: 8),
                             yScale: Scale.padded(ys, maxTicks: 7),
                             legendNames: legend.map(\.1))
        frame.draw(into: &svg, title: title, xLabel: xLabel, yLabel: yLabel,
                   legend: legend.map { (.dot(paletteColor($0.0)), $0.1) })
        for (from, to) in segments(x: frame.xScale, y: frame.yScale) {
            svg.raw("<line class=\"reference\" x1=\"\(num(frame.x(from.0)))\" y1=\"\(num(frame.y(from.1)))\" x2=\"\(num(frame.x(to.0)))\" y2=\"\(num(frame.y(to.1)))\" stroke=\"\(referenceGrey.hex)\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>")
        }
        for (px, py, g) in points {
            svg.circle(frame.x(px), frame.y(py), 3.5, fill: paletteColor(g).hex, cls: "point",
                       extra: " fill-opacity=\"0.75\" stroke=\"#ffffff\" stroke-width=\"0.5\"")
        }
        return svg.document
    }
}
