// Pictures of what a model relies on: signed horizontal bars (permutation importance, one
// prediction's attributions) and a signed map laid over a grey image (occlusion, integrated
// gradients of an image). Terminal: blocks coloured red for positive and blue for negative
// values; ASCII: "+" and "-" bars, and shading characters over the image.

/// One labelled horizontal bar per entry, from a zero axis; negative values go left of it.
public struct SignedBars: Sendable {
    public var title: String
    /// What each bar stands for, e.g. "petal_width_cm = 2.1 pushed towards virginica".
    public var labels: [String]
    public var values: [Double]
    /// The text shown beside each bar ("+0.41", "0.213 ± 0.012").
    public var valueTexts: [String]
    /// Half-widths of error whiskers (a standard deviation), drawn in the SVG; nil for none.
    public var errors: [Double]?
    /// A line under the bars (what the numbers mean, the completeness sum).
    public var footnote: String
    public init(title: String, labels: [String], values: [Double], valueTexts: [String], errors: [Double]? = nil, footnote: String = "") {
        self.title = title
        self.labels = labels
        self.values = values
        self.valueTexts = valueTexts
        self.errors = errors
        self.footnote = footnote
    }

    private static let positive = RGB(0xB2, 0x18, 0x2B), negative = RGB(0x21, 0x66, 0xAC)

    /// The largest extents left and right of zero (whiskers included), so that bars share one scale.
    private var extent: (negative: Double, positive: Double) {
        var low = 0.0, high = 0.0
        for (i, v) in values.enumerated() where v.isFinite {
            let e = errors.map { i < $0.count && $0[i].isFinite ? $0[i] : 0 } ?? 0
            low = min(low, v - e, v)
            high = max(high, v + e, v)
        }
        return (-low, high)
    }

    func terminalLines(_ style: TerminalStyle) -> [TermLine] {
        let ascii = style.color == .none
        // "±" has no ASCII form: "+/-" reads the same.
        func plain(_ text: String) -> String { ascii ? String(text.flatMap { $0 == "±" ? Array("+/-") : $0 == "²" ? Array("^2") : [$0] }) : text }
        let texts = valueTexts.map { label(plain($0), style) }
        let valueWidth = texts.map(\.count).max() ?? 0
        let labelWidth = min(labels.map(\.count).max() ?? 0, max(12, style.width - valueWidth - 4 - 16))
        let area = max(10, style.width - labelWidth - valueWidth - 4)
        let (neg, pos) = extent
        let span = neg + pos
        let left = span > 0 ? Int((Double(area) * neg / span).rounded()) : 0
        var lines: [TermLine] = [cells(truncated(label(plain(title), style), style.width, ascii: ascii))]
        for (i, value) in values.enumerated() {
            let name = truncated(label(i < labels.count ? labels[i] : "", style), labelWidth, ascii: ascii)
            let text = i < texts.count ? texts[i] : ""
            var line = cells(name + String(repeating: " ", count: labelWidth - name.count + 2)
                             + String(repeating: " ", count: valueWidth - text.count) + text + " ")
            let length = span > 0 && value.isFinite ? Int((Double(area) * abs(value) / span).rounded()) : 0
            var bar = [Cell](repeating: Cell(ch: " "), count: area + 1)
            if left < bar.count { bar[left] = Cell(ch: ascii ? "|" : "│") }
            if value < 0 {
                for k in max(0, left - length)..<left { bar[k] = ascii ? Cell(ch: "-") : Cell(ch: "█", fg: Self.negative) }
            } else {
                for k in (left + 1)..<min(bar.count, left + 1 + length) { bar[k] = ascii ? Cell(ch: "+") : Cell(ch: "█", fg: Self.positive) }
            }
            while bar.last?.ch == " " { bar.removeLast() }
            line += bar
            lines.append(Array(line.prefix(style.width)))
        }
        if !footnote.isEmpty { lines += wrapped(label(plain(footnote), style), style.width).map { cells($0) } }
        return lines
    }

    func svgDocument() -> String {
        let rowHeight = 22.0
        let labelWidth = min(320, (labels.map { textWidth($0, size: 11) }.max() ?? 0) + 16)
        let valueWidth = (valueTexts.map { textWidth($0, size: 11) }.max() ?? 0) + 12
        let barArea = 360.0
        let width = max(textWidth(title, size: 16) + 40, 24 + labelWidth + barArea + valueWidth + 24, textWidth(footnote, size: 11) + 48)
        var svg = SVGWriter(width: width, height: 60 + rowHeight * Double(values.count) + (footnote.isEmpty ? 0 : 24))
        drawTitle(title, into: &svg)
        let (neg, pos) = extent
        let span = neg + pos
        let x0 = 24 + labelWidth
        let zero = x0 + (span > 0 ? barArea * neg / span : 0)
        func x(_ v: Double) -> Double { span > 0 ? zero + barArea * v / span : zero }
        for (i, value) in values.enumerated() {
            let y = 44 + rowHeight * Double(i)
            svg.text(i < labels.count ? labels[i] : "", x0 - 8, y + 15, anchor: "end", cls: "label")
            let v = value.isFinite ? value : 0
            svg.rect(min(x(v), zero), y + 4, abs(x(v) - zero), rowHeight - 8,
                     fill: (v < 0 ? Self.negative : Self.positive).hex, cls: "bar")
            if let errors, i < errors.count, errors[i].isFinite, errors[i] > 0 {
                svg.line(x(v - errors[i]), y + rowHeight / 2, x(v + errors[i]), y + rowHeight / 2, stroke: "#333333", cls: "whisker")
            }
            let end = max(x(v), zero, errors.map { i < $0.count ? x(v + $0[i]) : 0 } ?? 0)
            svg.text(i < valueTexts.count ? valueTexts[i] : "", end + 6, y + 15, cls: "value")
        }
        svg.line(zero, 40, zero, 48 + rowHeight * Double(values.count), stroke: "#333333", cls: "axis")
        if !footnote.isEmpty {
            svg.text(footnote, 24, 60 + rowHeight * Double(values.count) + 6, size: 11, cls: "footnote")
        }
        return svg.document
    }
}

/// `text` broken at spaces into lines of at most `width` characters (a longer word is cut).
func wrapped(_ text: String, _ width: Int) -> [String] {
    var lines: [String] = [], line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
        if line.isEmpty { line = String(word) } else if line.count + 1 + word.count <= width { line += " " + word } else {
            lines.append(line)
            line = String(word)
        }
    }
    if !line.isEmpty { lines.append(line) }
    return lines.map { String($0.prefix(max(1, width))) }
}

/// A signed map beside the grey image it belongs to: on the left the picture, on the right the
/// map, red where the value is positive and blue where negative, stronger the larger its
/// magnitude (relative to the largest), over a faint copy of the picture so strokes stay findable.
public struct ImageOverlay: Sendable {
    public var title: String
    /// height*width grey values, row-major (row 0 at the top); drawn dark to light over their range.
    public var image: [Double]
    /// height*width values of the map, one per pixel.
    public var values: [Double]
    public var height: Int
    public var width: Int
    public var caption: String
    /// When set, the colours run from the smallest value (white) to the largest (full red)
    /// instead of from 0: for a map whose values are all of one sign and close together
    /// (occlusion), where the question is which regions matter most.
    public var relative: Bool
    public init(title: String, image: [Double], values: [Double], height: Int, width: Int, caption: String, relative: Bool = false) {
        self.title = title
        self.image = image
        self.values = values
        self.height = height
        self.width = width
        self.caption = caption
        self.relative = relative
    }

    private var largest: Double { values.filter(\.isFinite).map(abs).max() ?? 0 }
    private var floor: Double { relative ? values.filter(\.isFinite).min() ?? 0 : 0 }

    /// -1 (strongest negative) to 1 (strongest positive) at pixel (r, c); 0 to 1 from the
    /// smallest to the largest value when `relative`.
    private func strength(_ r: Int, _ c: Int) -> Double {
        let i = r * width + c
        guard i < values.count, values[i].isFinite else { return 0 }
        if relative {
            let low = floor, high = values.filter(\.isFinite).max() ?? 0
            return high > low ? (values[i] - low) / (high - low) : 0
        }
        guard largest > 0 else { return 0 }
        return values[i] / largest
    }

    /// 0 (darkest) to 1 (lightest) of the picture at (r, c).
    private func level(_ r: Int, _ c: Int) -> Double {
        let finite = image.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        let i = r * width + c
        return i < image.count && image[i].isFinite && hi > lo ? (image[i] - lo) / (hi - lo) : 0
    }

    private func grey(_ r: Int, _ c: Int) -> RGB {
        let v = UInt8((level(r, c) * 255).rounded())
        return RGB(v, v, v)
    }

    /// The map's colour: white, with the picture's light parts as a faint grey, then the sign's hue.
    private func color(_ r: Int, _ c: Int) -> RGB {
        let s = strength(r, c)
        let hue = s < 0 ? RGB(0x21, 0x66, 0xAC) : RGB(0xB2, 0x18, 0x2B)
        let paper = RGB(255, 255, 255).mixed(with: RGB(150, 150, 150), level(r, c) * 0.5)
        // A signed map shows small values too (square root); a relative one spreads its range evenly.
        return paper.mixed(with: hue, relative ? min(1, abs(s)) : min(1, abs(s)).squareRoot())
    }

    func terminalLines(_ style: TerminalStyle) -> [TermLine] {
        let ascii = style.color == .none
        var lines: [TermLine] = [cells(truncated(label(title, style), style.width, ascii: ascii))]
        if ascii {
            // Two characters per pixel: a sign ("+", "-") and a shade of the magnitude.
            let ramp = Array(" .:=o*#%@")
            for r in 0..<height {
                var text = ""
                for c in 0..<width {
                    let s = strength(r, c)
                    let shade = ramp[min(ramp.count - 1, Int(abs(s) * Double(ramp.count - 1) + 0.5))]
                    text += shade == " " || shade == "." ? "  " : String(s < 0 ? "-" : "+") + String(shade)
                }
                lines.append(cells(String(text.prefix(style.width))))
            }
        } else {
            // The picture and the map side by side when both fit, else the map alone.
            let both = 2 * width + 3 <= style.width
            for t in 0..<(height + 1) / 2 {
                var line: TermLine = []
                let lower = 2 * t + 1 < height
                if both {
                    for c in 0..<width { line.append(Cell(ch: "▀", fg: grey(2 * t, c), bg: lower ? grey(2 * t + 1, c) : nil)) }
                    line += cells("   ")
                }
                for c in 0..<min(width, style.width) {
                    line.append(Cell(ch: "▀", fg: color(2 * t, c), bg: lower ? color(2 * t + 1, c) : nil))
                }
                lines.append(line)
            }
        }
        if !caption.isEmpty { lines += wrapped(label(caption, style), style.width).map { cells($0) } }
        return lines
    }

    func svgDocument() -> String {
        let pixel = Double(max(4, min(24, 288 / max(1, max(width, height)))))
        let panel = Double(width) * pixel, gap = 24.0
        let documentWidth = max(textWidth(title, size: 16) + 40, textWidth(caption, size: 11) + 40, 2 * panel + gap + 48)
        var svg = SVGWriter(width: documentWidth, height: 80 + Double(height) * pixel)
        drawTitle(title, into: &svg)
        let x0 = (documentWidth - 2 * panel - gap) / 2, y0 = 44.0
        for (offset, paint) in [(x0, grey), (x0 + panel + gap, color)] as [(Double, (Int, Int) -> RGB)] {
            svg.rect(offset - 1, y0 - 1, panel + 2, Double(height) * pixel + 2, fill: "#888888", cls: "frame")
            for r in 0..<height {
                for c in 0..<width {
                    svg.rect(offset + Double(c) * pixel, y0 + Double(r) * pixel, pixel, pixel, fill: paint(r, c).hex,
                             cls: "pixel", extra: " shape-rendering=\"crispEdges\"")
                }
            }
        }
        svg.text(caption, documentWidth / 2, y0 + Double(height) * pixel + 20, size: 11, anchor: "middle", cls: "caption")
        return svg.document
    }
}
