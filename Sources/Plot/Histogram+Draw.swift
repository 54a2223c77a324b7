// Histograms: numpy-compatible binning, block-character bars in the terminal
// and one <rect class="bar"> per bin in SVG.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Equal-width bins over the finite values, counted as numpy.histogram does:
/// each bin is half-open [a, b) except the last, which includes its right edge.
public struct HistogramBins: Sendable, Equatable {
    /// bins + 1 edges from the smallest to the largest value.
    public var edges: [Double]
    public var counts: [Int]

    /// `bins` nil uses `autoCount`. Without finite values there is one empty bin over 0...1.
    public init(values: [Double], bins: Int?) {
        let data = values.filter(\.isFinite)
        guard var first = data.min(), var last = data.max() else {
            edges = [0, 1]
            counts = [0]
            return
        }
        if first == last { first -= 0.5; last += 0.5 }
        let n = max(1, bins ?? HistogramBins.autoCount(data))
        edges = (0...n).map { $0 == n ? last : first + Double($0) * (last - first) / Double(n) }
        counts = Array(repeating: 0, count: n)
        for v in data {
            var i = min(n - 1, Int((v - first) / (last - first) * Double(n)))
            if v < edges[i] { i -= 1 } else if v >= edges[i + 1] && i != n - 1 { i += 1 }
            counts[max(0, min(n - 1, i))] += 1
        }
    }

    /// numpy's "auto" bin count (numpy 2.x): the bin width is the smaller of
    /// the Sturges width and the Freedman–Diaconis width, the latter kept at
    /// least half the square-root rule's width so that a tiny IQR cannot make
    /// thousands of bins. The count is the range over that width, rounded up;
    /// at least 1. (numpy 1.x used plain FD, falling back to Sturges at IQR 0.)
    public static func autoCount(_ values: [Double]) -> Int {
        let data = values.filter(\.isFinite).sorted()
        guard let first = data.first, let last = data.last, last > first else { return 1 }
        let n = Double(data.count)
        let sturges = (last - first) / (log2(n) + 1)
        let iqr = percentile(data, 75) - percentile(data, 25)
        let fd = 2 * iqr * pow(n, -1.0 / 3.0)
        let sqrtRule = (last - first) / n.squareRoot()
        let width = min(max(fd, sqrtRule / 2), sturges)
        guard width > 0 else { return 1 }
        return max(1, Int(((last - first) / width).rounded(.up)))
    }
}

/// numpy's default ("linear") percentile of sorted data, p in 0...100.
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let pos = p / 100 * Double(sorted.count - 1)
    let lo = Int(pos.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - Double(lo))
}

/// A count axis: whole numbers only, so 1 is never split into 0.5 steps.
func countScale(_ maxCount: Int, maxTicks: Int) -> Scale {
    Scale.nice(0, Double(max(1, maxCount)), maxTicks: min(maxTicks, max(2, maxCount + 1)))
}

extension Histogram {
    var computedBins: HistogramBins { HistogramBins(values: values, bins: bins) }

    func terminalLines(_ style: TerminalStyle) -> [TermLine] {
        let ascii = style.color == .none
        let h = computedBins
        let n = h.counts.count
        let yScale = countScale(h.counts.max() ?? 0, maxTicks: 5)
        let frame = AxisFrame(xScale: Scale.nice(0, 1, maxTicks: 2), yScale: yScale, rows: terminalPlotRows, style: style)
        // Each bin gets `w` columns (a blank one between wide bars); with more
        // bins than columns, a column shows the tallest of the bins it covers.
        let w = max(1, frame.cols / n)
        let used = min(frame.cols, w * n)
        let gap = w >= 3 ? 1 : 0
        var heights = Array(repeating: 0, count: used)  // in eighths of a row
        for c in 0..<used {
            let (b0, b1) = w > 1 || n <= used ? (c / w, c / w + 1) : (c * n / used, max(c * n / used + 1, (c + 1) * n / used))
            if gap == 1 && c % w == w - 1 { continue }
            let count = h.counts[min(n - 1, b0)..<min(n, b1)].max() ?? 0
            let eighths = Int((yScale.fraction(Double(count)) * Double(frame.rows * 8)).rounded())
            heights[c] = count > 0 ? max(1, eighths) : 0
        }
        let blocks = Array(" ▁▂▃▄▅▆▇█")
        let color = paletteColor(0)
        let body: [TermLine] = (0..<frame.rows).map { r in
            let floor = (frame.rows - 1 - r) * 8
            return heights.map { e in
                let fill = max(0, min(8, e - floor))
                if ascii {
                    let full = (e + 4) / 8 > frame.rows - 1 - r || (r == frame.rows - 1 && e > 0)
                    return Cell(ch: full ? "#" : " ")
                }
                return Cell(ch: blocks[fill], fg: fill > 0 ? color : nil)
            }
        }
        var lines = frame.compose(title: title, xLabel: "", yLabel: "count", body: body, legend: [], style: style)
        // Replace the generic x axis with bin edges under the bars' boundaries.
        lines.removeLast(2)
        let left = frame.labelWidth + 2
        var axis = Array(repeating: Character(ascii ? "-" : "─"), count: used)
        var labels = Array(repeating: Character(" "), count: left + frame.cols)
        var taken = Array(repeating: false, count: labels.count)
        let order = [0, n] + Array(stride(from: 1, to: n, by: 1))
        for i in order where w > 1 || n <= used || i == 0 || i == n {
            let col = min(used - 1, i * used / n)
            let text = formatShort(h.edges[i], significant: 3)
            let start = max(0, min(labels.count - text.count, left + col - text.count / 2))
            let span = max(0, start - 1)..<min(labels.count, start + text.count + 1)
            guard !taken[span].contains(true) else { continue }
            for (k, ch) in text.enumerated() { labels[start + k] = ch }
            for k in span { taken[k] = true }
            axis[col] = ascii ? "+" : "┬"
        }
        lines.append(cells(String(repeating: " ", count: frame.labelWidth + 1) + (ascii ? "+" : "└") + String(axis)))
        lines.append(cells(String(labels)))
        if !xLabel.isEmpty {
            lines.append(cells(String(repeating: " ", count: left) + centered(label(xLabel, style), used, ascii: ascii)))
        }
        return lines
    }

    func svgDocument() -> String {
        var svg = SVGWriter()
        let h = computedBins
        let frame = SVGFrame(svg: svg, xScale: Scale.nice(h.edges.first!, h.edges.last!, maxTicks: 8),
                             yScale: countScale(h.counts.max() ?? 0, maxTicks: 7), legendNames: [])
        frame.draw(into: &svg, title: title, xLabel: xLabel, yLabel: "count", legend: [])
        for (i, count) in h.counts.enumerated() {
            let x0 = frame.x(h.edges[i]), x1 = frame.x(h.edges[i + 1])
            let top = frame.y(Double(count))
            svg.rect(x0, top, x1 - x0, frame.bottom - top, fill: paletteColor(0).hex, cls: "bar",
                     stroke: "#ffffff", extra: " stroke-width=\"0.5\"")
        }
        return svg.document
    }
}
