// One series (each channel a line, as `plot series` draws it) with each step coloured by a
// signed value: the contributions of `why N` on series data. Red is positive, blue negative,
// stronger the larger the magnitude (relative to the largest). Terminal: the braille line takes
// the colour of its step and channel, and a strip under the plot shows each step's sum over the
// channels; ASCII: the channels' marks, and "+"/"-" in the strip (".": under 0.15 of the largest). SVG: a band behind each
// step tinted by its sum, the channels' lines in their palette colours, and a dot per point in
// the colour of that step and channel.

/// A series of `steps` x `channels` values (step-major, as the rows of series data hold them)
/// and one signed value per step and channel.
public struct SeriesOverlay: Sendable {
    public var title: String
    public var steps: Int
    public var channels: Int
    /// steps*channels values of the series, value (t, c) at t * channels + c.
    public var values: [Double]
    /// steps*channels signed values (contributions), in the same order.
    public var contributions: [Double]
    /// The legend name of each channel's line.
    public var names: [String]
    public var caption: String
    public init(title: String, steps: Int, channels: Int, values: [Double], contributions: [Double], names: [String], caption: String) {
        self.title = title
        self.steps = steps
        self.channels = channels
        self.values = values
        self.contributions = contributions
        self.names = names
        self.caption = caption
    }

    static let positive = RGB(0xB2, 0x18, 0x2B), negative = RGB(0x21, 0x66, 0xAC)

    /// Each step's contribution summed over the channels.
    public var stepSums: [Double] {
        (0..<steps).map { t in (0..<channels).reduce(0.0) { sum, c in
            let v = t * channels + c < contributions.count ? contributions[t * channels + c] : 0
            return sum + (v.isFinite ? v : 0)
        } }
    }

    /// -1 to 1: `value` over the largest magnitude.
    private static func strength(_ value: Double, largest: Double) -> Double {
        largest > 0 && value.isFinite ? max(-1, min(1, value / largest)) : 0
    }

    private static func largest(_ values: [Double]) -> Double { values.filter(\.isFinite).map(abs).max() ?? 0 }

    /// The colour of strength `s` over `base`: a square root, so that small pushes still show.
    private static func color(_ s: Double, over base: RGB) -> RGB {
        base.mixed(with: s < 0 ? negative : positive, min(1, abs(s)).squareRoot())
    }

    private var points: (xs: [Double], ys: [Double]) {
        (Array(0..<steps).map(Double.init), values.filter(\.isFinite))
    }

    func terminalLines(_ style: TerminalStyle) -> [TermLine] {
        let ascii = style.color == .none
        let (xs, ys) = points
        var frame = AxisFrame(xScale: Scale.nice(0, 1, maxTicks: 2), yScale: Scale.axis(ys, log: false, maxTicks: 5),
                              rows: terminalPlotRows, style: style)
        frame.xScale = Scale.axis(xs, log: false, maxTicks: xTickCount(cols: frame.cols))
        let (sx, sy) = ascii ? (1, 1) : (2, 4)
        let largestPoint = Self.largest(contributions)
        var braille = BrailleCanvas(cols: frame.cols, rows: frame.rows)
        var grid = Array(repeating: Array(repeating: Cell(ch: " "), count: frame.cols), count: frame.rows)
        for c in 0..<channels {
            var previous: (Int, Int)? = nil
            for t in 0..<steps {
                let i = t * channels + c
                guard i < values.count, values[i].isFinite else { previous = nil; continue }
                let p = (frame.pixelX(Double(t), sub: sx), frame.pixelY(values[i], sub: sy))
                // The segment into step t takes step t's colour.
                let color = Self.color(Self.strength(i < contributions.count ? contributions[i] : 0, largest: largestPoint),
                                       over: RGB(150, 150, 150))
                let from = previous ?? p
                drawLine(from.0, from.1, p.0, p.1) { px, py in
                    if ascii { grid[py][px] = Cell(ch: asciiMark(c)) } else { braille.set(px, py, color) }
                }
                previous = p
            }
        }
        // In colour the lines take their steps' colours, so only ASCII marks tell channels apart.
        var lines = frame.compose(title: title, xLabel: "step", yLabel: "value", body: ascii ? grid : braille.lines,
                                  legend: ascii && channels > 1 ? names.enumerated().map { (cells(String(asciiMark($0.offset))), $0.element) } : [],
                                  style: style)
        // The strip of step sums, right under the plot and aligned with its columns.
        let strip = stripCells(frame, ascii: ascii)
        let below = 1 + frame.rows + (lines.count > 1 && frame.rows > 0 ? 1 : 0)
        let prefix = cells(String(repeating: " ", count: frame.labelWidth + 1) + (ascii ? "|" : "│"))
        lines.insert(prefix + strip, at: min(lines.count, below))
        if !caption.isEmpty { lines += wrapped(label(caption, style), style.width).map { cells($0) } }
        return lines.map { Array($0.prefix(style.width)) }
    }

    /// One cell per plot column: the strongest step sum among the steps drawn in that column.
    private func stripCells(_ frame: AxisFrame, ascii: Bool) -> TermLine {
        let sums = stepSums, largest = Self.largest(sums)
        var strongest = [Double?](repeating: nil, count: frame.cols)
        for t in 0..<steps {
            let column = frame.col(Double(t), sub: 1)
            if strongest[column].map({ abs($0) < abs(sums[t]) }) ?? true { strongest[column] = sums[t] }
        }
        // Columns between two steps (short series) take the nearer step's value.
        let first = frame.col(0, sub: 1), last = frame.col(Double(max(0, steps - 1)), sub: 1)
        for column in first...max(first, last) where strongest[column] == nil {
            let t = (Double(column - first) / Double(max(1, last - first)) * Double(steps - 1)).rounded()
            strongest[column] = sums[Int(max(0, min(Double(steps - 1), t)))]
        }
        return strongest.map { value in
            guard let value else { return Cell(ch: " ") }
            let s = Self.strength(value, largest: largest)
            if ascii { return Cell(ch: abs(s) >= 0.15 ? (s < 0 ? "-" : "+") : abs(s) >= 0.03 ? "." : " ") }
            return Cell(ch: "█", fg: Self.color(s, over: RGB(255, 255, 255)))
        }
    }

    func svgDocument() -> String {
        var svg = SVGWriter(width: max(640, textWidth(title, size: 16) + 40, textWidth(caption, size: 11) + 48), height: 440)
        let (xs, ys) = points
        let legendNames = channels > 1 ? names : []
        var frame = SVGFrame(svg: svg, xScale: Scale.axis(xs, log: false, maxTicks: 8), yScale: Scale.axis(ys, log: false, maxTicks: 7),
                             legendNames: legendNames)
        frame.bottom -= 20  // room for the caption between the tick labels and the axis label
        // Bands first, under the grid: each step tinted by its sum over the channels.
        let sums = stepSums, largestSum = Self.largest(sums)
        let half = steps > 1 ? (frame.x(1) - frame.x(0)) / 2 : 4
        for t in 0..<steps {
            let s = Self.strength(sums[t], largest: largestSum)
            let x0 = max(frame.left, frame.x(Double(t)) - half), x1 = min(frame.right, frame.x(Double(t)) + half)
            svg.rect(x0, frame.top, max(0, x1 - x0), frame.bottom - frame.top,
                     fill: RGB(255, 255, 255).mixed(with: s < 0 ? Self.negative : Self.positive, 0.6 * abs(s)).hex,
                     cls: "step", extra: " data-step=\"\(t)\" data-contribution=\"\(sums[t])\" shape-rendering=\"crispEdges\"")
        }
        frame.draw(into: &svg, title: title, xLabel: "step", yLabel: "value",
                   legend: legendNames.enumerated().map { (.line(paletteColor($0.offset)), $0.element) })
        let largestPoint = Self.largest(contributions)
        for c in 0..<channels {
            let indices = (0..<steps).map { $0 * channels + c }.filter { $0 < values.count && values[$0].isFinite }
            svg.polyline(indices.map { (frame.x(Double($0 / channels)), frame.y(values[$0])) }, stroke: paletteColor(c).hex, cls: "series")
            for i in indices {
                let s = Self.strength(i < contributions.count ? contributions[i] : 0, largest: largestPoint)
                svg.circle(frame.x(Double(i / channels)), frame.y(values[i]), 2.5, fill: Self.color(s, over: RGB(0xDD, 0xDD, 0xDD)).hex,
                           cls: "contribution")
            }
        }
        svg.text(caption, svg.width / 2, frame.bottom + 38, size: 11, anchor: "middle", cls: "caption")
        return svg.document
    }
}
