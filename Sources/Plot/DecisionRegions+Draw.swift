// Decision regions: the predicted class over the input plane as pale colour
// (half-block characters give two pixels per cell), training points on top.
// ASCII: lowercase letters for regions, uppercase for the points' classes.

extension DecisionRegions {
    /// The class predicted at a fraction (fx, fy) across the grid, fy = 0 at the top.
    private func region(_ fx: Double, _ fy: Double) -> Int? {
        guard !grid.isEmpty else { return nil }
        let r = min(grid.count - 1, max(0, Int(fy * Double(grid.count))))
        guard !grid[r].isEmpty else { return nil }
        return grid[r][min(grid[r].count - 1, max(0, Int(fx * Double(grid[r].count))))]
    }

    private func regionColor(_ k: Int) -> RGB { paletteColor(k).mixed(with: RGB(255, 255, 255), 0.55) }

    private func letter(_ k: Int, upper: Bool) -> Character {
        guard k >= 0, k < 26 else { return "?" }
        return Character(Unicode.Scalar(UInt8((upper ? 65 : 97) + k)))
    }

    private var points: [(Double, Double, Int)] {
        (0..<min(x.count, y.count)).filter { x[$0].isFinite && y[$0].isFinite }
            .map { (x[$0], y[$0], $0 < groups.count ? groups[$0] : 0) }
    }

    /// Names for the legend: every class named, plus any class seen unnamed.
    private var classes: [(Int, String)] {
        let seen = grid.flatMap { $0 } + groups
        let count = max(classNames.count, (seen.max() ?? -1) + 1)
        return (0..<count).map { ($0, $0 < classNames.count ? classNames[$0] : "class \($0)") }
    }

    func terminalLines(_ style: TerminalStyle) -> [TermLine] {
        let ascii = style.color == .none
        let yScale = Scale.fixed(yRange.lowerBound, yRange.upperBound, maxTicks: 5)
        var frame = AxisFrame(xScale: Scale.fixed(0, 1, maxTicks: 2), yScale: yScale, rows: terminalPlotRows, style: style)
        frame.xScale = Scale.fixed(xRange.lowerBound, xRange.upperBound, maxTicks: xTickCount(cols: frame.cols))
        let (rows, cols) = (frame.rows, frame.cols)
        var body: [TermLine] = (0..<rows).map { r in
            (0..<cols).map { c in
                let fx = (Double(c) + 0.5) / Double(cols)
                if ascii {
                    return Cell(ch: region(fx, (Double(r) + 0.5) / Double(rows)).map { letter($0, upper: false) } ?? " ")
                }
                let top = region(fx, (Double(2 * r) + 0.5) / Double(2 * rows))
                let bottom = region(fx, (Double(2 * r) + 1.5) / Double(2 * rows))
                return Cell(ch: "▀", fg: top.map(regionColor), bg: bottom.map(regionColor))
            }
        }
        for (px, py, g) in points {
            let (r, c) = (frame.row(py, sub: 1), frame.col(px, sub: 1))
            body[r][c] = ascii ? Cell(ch: letter(g, upper: true))
                : Cell(ch: "●", fg: paletteColor(g), bg: body[r][c].fg)
        }
        let legend = classes.map { k, name in
            (mark: ascii ? cells("\(letter(k, upper: false))/\(letter(k, upper: true))")
                : [Cell(ch: "●", fg: paletteColor(k), bg: regionColor(k))], name: name)
        }
        return frame.compose(title: title, xLabel: xLabel, yLabel: yLabel, body: body, legend: legend, style: style)
    }

    func svgDocument() -> String {
        var svg = SVGWriter()
        let legend = classes
        let frame = SVGFrame(svg: svg, xScale: Scale.fixed(xRange.lowerBound, xRange.upperBound, maxTicks: 8),
                             yScale: Scale.fixed(yRange.lowerBound, yRange.upperBound, maxTicks: 7),
                             legendNames: legend.map(\.1))
        // Regions first so the axes and grid stay visible on top. Runs of one
        // class along a row become a single rect to keep the file small.
        let cellH = (frame.bottom - frame.top) / Double(max(1, grid.count))
        for (r, row) in grid.enumerated() where !row.isEmpty {
            let cellW = (frame.right - frame.left) / Double(row.count)
            var start = 0
            for c in 1...row.count where c == row.count || row[c] != row[start] {
                svg.rect(frame.left + Double(start) * cellW, frame.top + Double(r) * cellH,
                         Double(c - start) * cellW, cellH, fill: regionColor(row[start]).hex, cls: "region",
                         extra: " shape-rendering=\"crispEdges\"")
                start = c
            }
        }
        frame.draw(into: &svg, title: title, xLabel: xLabel, yLabel: yLabel,
                   legend: legend.map { (.dot(paletteColor($0.0)), $0.1) })
        for (px, py, g) in points {
            svg.circle(frame.x(px), frame.y(py), 4, fill: paletteColor(g).hex, cls: "point",
                       extra: " stroke=\"#ffffff\" stroke-width=\"1\"")
        }
        return svg.document
    }
}
