// A small SVG writer and the frame (title, axes, ticks, labels, legend) the
// x–y charts share. Output is plain text built in a fixed order, so the same
// chart always gives the same bytes.

/// Escapes text and attribute values for XML (and HTML).
public func xmlEscaped(_ s: String) -> String {
    var out = ""
    for ch in s {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default:
            // XML 1.0 forbids most control characters even when escaped.
            if let v = ch.unicodeScalars.first?.value, v < 0x20, v != 0x9, v != 0xA, v != 0xD { out += " " } else { out.append(ch) }
        }
    }
    return out
}

/// A coordinate with at most two decimals, no trailing zeros.
func num(_ v: Double) -> String {
    guard v.isFinite else { return "0" }
    var s = formatFixed(v, decimals: 2)
    if s.contains(".") {
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
    }
    return s == "-0" ? "0" : s
}

struct SVGWriter {
    let width: Double, height: Double
    private(set) var body: [String] = []

    init(width: Double = 640, height: Double = 420) {
        self.width = width
        self.height = height
        rect(0, 0, width, height, fill: "#ffffff", cls: "background")
    }

    mutating func raw(_ s: String) { body.append(s) }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String,
                       cls: String? = nil, stroke: String? = nil, extra: String = "") {
        let c = cls.map { " class=\"\($0)\"" } ?? ""
        let s = stroke.map { " stroke=\"\($0)\"" } ?? ""
        body.append("<rect\(c) x=\"\(num(x))\" y=\"\(num(y))\" width=\"\(num(max(0, w)))\" height=\"\(num(max(0, h)))\" fill=\"\(fill)\"\(s)\(extra)/>")
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String,
                       width: Double = 1, cls: String? = nil) {
        let c = cls.map { " class=\"\($0)\"" } ?? ""
        body.append("<line\(c) x1=\"\(num(x1))\" y1=\"\(num(y1))\" x2=\"\(num(x2))\" y2=\"\(num(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(num(width))\"/>")
    }

    mutating func circle(_ cx: Double, _ cy: Double, _ r: Double, fill: String, cls: String? = nil, extra: String = "") {
        let c = cls.map { " class=\"\($0)\"" } ?? ""
        body.append("<circle\(c) cx=\"\(num(cx))\" cy=\"\(num(cy))\" r=\"\(num(r))\" fill=\"\(fill)\"\(extra)/>")
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, cls: String? = nil) {
        let c = cls.map { " class=\"\($0)\"" } ?? ""
        let p = points.map { "\(num($0.0)),\(num($0.1))" }.joined(separator: " ")
        body.append("<polyline\(c) points=\"\(p)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"2\" stroke-linejoin=\"round\"/>")
    }

    /// Text; `anchor` is start, middle or end; `rotate` turns it about its anchor point.
    mutating func text(_ s: String, _ x: Double, _ y: Double, size: Double = 11, anchor: String = "start",
                       bold: Bool = false, rotate: Double? = nil, fill: String = "#222222", cls: String? = nil) {
        let c = cls.map { " class=\"\($0)\"" } ?? ""
        let w = bold ? " font-weight=\"bold\"" : ""
        let r = rotate.map { " transform=\"rotate(\(num($0)) \(num(x)) \(num(y)))\"" } ?? ""
        body.append("<text\(c) x=\"\(num(x))\" y=\"\(num(y))\" font-size=\"\(num(size))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\"\(w)\(r)>\(xmlEscaped(s))</text>")
    }

    var document: String {
        let head = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(num(width))\" height=\"\(num(height))\" viewBox=\"0 0 \(num(width)) \(num(height))\" font-family=\"sans-serif\">"
        return ([head] + body + ["</svg>"]).joined(separator: "\n") + "\n"
    }
}

/// Rough width of `s` in pixels at `size` (sans-serif averages about 0.6 em);
/// used only to make room for labels.
func textWidth(_ s: String, size: Double) -> Double { Double(s.count) * size * 0.6 }

/// One legend entry's swatch.
enum Swatch { case line(RGB), dot(RGB), box(RGB) }

/// The plotting rectangle of an x–y chart and its two scales.
struct SVGFrame {
    var xScale: Scale, yScale: Scale
    var left: Double, top: Double, right: Double, bottom: Double

    /// Lays out margins for the tick labels, the axis labels and (on the right)
    /// the legend, whose names are cut to 24 characters.
    /// `leftLabels` replaces the y tick labels when sizing the left margin
    /// (box plots label rows with column names instead).
    init(svg: SVGWriter, xScale: Scale, yScale: Scale, legendNames: [String], leftLabels: [String]? = nil) {
        self.xScale = xScale
        self.yScale = yScale
        let yLabelWidth = (leftLabels ?? yScale.labels).map { textWidth($0, size: 11) }.max() ?? 0
        left = 34 + min(220, yLabelWidth)
        top = 44
        bottom = svg.height - 56
        let longest = legendNames.map { textWidth(String($0.prefix(24)), size: 12) }.max() ?? 0
        right = svg.width - (legendNames.isEmpty ? 24 : 48 + longest)
    }

    func x(_ v: Double) -> Double { left + xScale.fraction(v) * (right - left) }
    func y(_ v: Double) -> Double { bottom - yScale.fraction(v) * (bottom - top) }

    /// Title, grid, axes, tick labels, axis labels and legend. Call before
    /// drawing marks so they sit on top of the grid.
    func draw(into svg: inout SVGWriter, title: String, xLabel: String, yLabel: String,
              legend: [(Swatch, String)], xTicks: Bool = true, yTicks: Bool = true) {
        drawTitle(title, into: &svg)
        for (t, text) in zip(yScale.ticks, yScale.labels) where yTicks {
            svg.line(left, y(t), right, y(t), stroke: "#e6e6e6", cls: "grid")
            svg.text(text, left - 6, y(t) + 4, anchor: "end", cls: "tick")
        }
        if xTicks {
            for (t, text) in zip(xScale.ticks, xScale.labels) {
                svg.line(x(t), top, x(t), bottom, stroke: "#e6e6e6", cls: "grid")
                svg.line(x(t), bottom, x(t), bottom + 5, stroke: "#333333", cls: "tick")
                svg.text(text, x(t), bottom + 18, anchor: "middle", cls: "tick")
            }
        }
        svg.line(left, bottom, right, bottom, stroke: "#333333", cls: "axis")
        svg.line(left, top, left, bottom, stroke: "#333333", cls: "axis")
        svg.text(xLabel, (left + right) / 2, svg.height - 14, size: 13, anchor: "middle", cls: "xlabel")
        svg.text(yLabel, 16, (top + bottom) / 2, size: 13, anchor: "middle", rotate: -90, cls: "ylabel")
        drawLegend(legend, x: right + 16, y: top + 4, into: &svg)
    }
}

func drawTitle(_ title: String, into svg: inout SVGWriter) {
    svg.text(title, svg.width / 2, 26, size: 16, anchor: "middle", bold: true, cls: "title")
}

func drawLegend(_ entries: [(Swatch, String)], x: Double, y: Double, into svg: inout SVGWriter) {
    for (i, (swatch, name)) in entries.enumerated() {
        let cy = y + 10 + Double(i) * 20
        switch swatch {
        case .line(let c): svg.line(x, cy, x + 18, cy, stroke: c.hex, width: 2.5, cls: "legend-swatch")
        case .dot(let c): svg.circle(x + 9, cy, 4.5, fill: c.hex, cls: "legend-swatch")
        case .box(let c): svg.rect(x + 2, cy - 6, 14, 12, fill: c.hex, cls: "legend-swatch")
        }
        svg.text(name.count > 24 ? String(name.prefix(23)) + "…" : name, x + 24, cy + 4, size: 12, cls: "legend")
    }
}
