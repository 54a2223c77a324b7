// Small pictures in columns, one column per layer, its pictures stacked: TensorFlow
// Playground's neurons (`plot units`) and CNN Explainer's feature maps (`plot activations`).
// Terminal: half blocks (two pixel rows per line) in colour; ASCII: one glyph per two pixel
// rows. Columns that do not fit the width go on in a band below.

/// Columns of small pictures (one per layer), each picture a grid of values with a caption.
public struct PanelGrid: Sendable {
    /// How a picture's values become colours.
    public enum Scale: Sendable {
        /// Playground's colours over each panel's range: orange at the lower end, white in the
        /// middle, blue at the upper end (ASCII: O o, blank, + #).
        case diverging
        /// Black at the lower end to white at the upper end (ASCII: a shading ramp).
        case grey
    }

    public struct Panel: Sendable {
        /// height * width values, row-major, row 0 at the top.
        public var values: [Double]
        public var caption: String
        /// The values at the two ends of the colour scale.
        public var range: ClosedRange<Double>
        public init(values: [Double], caption: String, range: ClosedRange<Double>) {
            self.values = values
            self.caption = caption
            self.range = range
        }
    }

    public struct Column: Sendable {
        public var title: String
        public var height: Int
        public var width: Int
        public var panels: [Panel]
        public init(title: String, height: Int, width: Int, panels: [Panel]) {
            self.title = title
            self.height = height
            self.width = width
            self.panels = panels
        }
    }

    public var title: String
    public var columns: [Column]
    public var scale: Scale
    /// A line under the picture saying how to read it, in colours (SVG, a colour terminal).
    public var key: String
    /// The same for a terminal without colour, in its glyphs.
    public var asciiKey: String

    public init(title: String, columns: [Column], scale: Scale, key: String, asciiKey: String) {
        self.title = title
        self.columns = columns
        self.scale = scale
        self.key = key
        self.asciiKey = asciiKey
    }

    /// 0 to 1 along the panel's range (0.5 its middle); NaN reads as the middle.
    private func position(_ v: Double, _ range: ClosedRange<Double>) -> Double {
        let span = range.upperBound - range.lowerBound
        guard span > 0, v.isFinite else { return 0.5 }
        return max(0, min(1, (v - range.lowerBound) / span))
    }

    private func color(_ t: Double) -> RGB {
        switch scale {
        case .diverging:
            // Playground's orange (negative), near-white, blue (positive).
            let orange = RGB(0xF5, 0x93, 0x22), white = RGB(0xF2, 0xF4, 0xF5), blue = RGB(0x08, 0x77, 0xBD)
            return t < 0.5 ? white.mixed(with: orange, (0.5 - t) * 2) : white.mixed(with: blue, (t - 0.5) * 2)
        case .grey:
            let v = UInt8((t * 255).rounded())
            return RGB(v, v, v)
        }
    }

    private func glyph(_ t: Double) -> Character {
        switch scale {
        case .diverging:
            let s = (t - 0.5) * 2
            if s <= -0.5 { return "O" }
            if s <= -0.15 { return "o" }
            if s < 0.15 { return " " }
            return s < 0.5 ? "+" : "#"
        case .grey:
            let ramp = Array(" .:-=+*#%@")
            return ramp[min(ramp.count - 1, Int(t * Double(ramp.count - 1) + 0.5))]
        }
    }

    private func value(_ panel: Panel, _ column: Column, _ r: Int, _ c: Int) -> Double {
        let i = r * column.width + c
        return i < panel.values.count ? panel.values[i] : .nan
    }

    // MARK: - Terminal

    /// How many terminal pixels a value takes each way: small maps (a pooled 4 x 4) are drawn
    /// about as large as the rest, about 16 columns, as CNN Explainer draws every map one size.
    private func zoom(_ column: Column) -> Int { max(1, min(4, 16 / max(1, column.width))) }

    /// A title in at most two lines of `width`, wrapped at spaces.
    private func titleLines(_ title: String, width: Int, ascii: Bool) -> [String] {
        guard title.count > width, let cut = title.prefix(width + 1).lastIndex(of: " ") else { return [title] }
        return [String(title[..<cut]), String(title[title.index(after: cut)...])].map { truncated($0, width, ascii: ascii) }
    }

    /// One column's lines: its title (padded to `titleRows`), then each panel and its caption.
    private func columnLines(_ column: Column, width: Int, titleRows: Int, _ style: TerminalStyle) -> [TermLine] {
        let ascii = style.color == .none
        var lines: [TermLine] = titleLines(label(column.title, style), width: width, ascii: ascii).map { cells(centered($0, width, ascii: ascii)) }
        while lines.count < titleRows { lines.append([]) }
        let z = zoom(column)
        let (height, wide) = (column.height * z, column.width * z)
        for panel in column.panels {
            for t in 0..<((height + 1) / 2) {
                var line: TermLine = []
                for c in 0..<wide {
                    let top = position(value(panel, column, 2 * t / z, c / z), panel.range)
                    let hasBottom = 2 * t + 1 < height
                    let bottom = hasBottom ? position(value(panel, column, (2 * t + 1) / z, c / z), panel.range) : top
                    if ascii {
                        line.append(Cell(ch: glyph((top + bottom) / 2)))
                    } else {
                        line.append(Cell(ch: "▀", fg: color(top), bg: hasBottom ? color(bottom) : nil))
                    }
                }
                lines.append(line)
            }
            lines.append(cells(truncated(label(panel.caption, style), width, ascii: ascii)))
        }
        return lines
    }

    func terminalLines(_ style: TerminalStyle) -> [TermLine] {
        let ascii = style.color == .none
        let gap = 2
        let widths = columns.map { column in
            max(column.width * zoom(column), min(14, label(column.title, style).count), min(14, column.panels.map(\.caption.count).max() ?? 0))
        }
        let titleRows = zip(columns, widths).map { titleLines(label($0.title, style), width: $1, ascii: ascii).count }.max() ?? 1
        var lines: [TermLine] = [cells(truncated(label(title, style), style.width, ascii: ascii))]
        var start = 0
        while start < columns.count {
            // As many columns as fit the width, at least one.
            var end = start + 1, used = widths[start]
            while end < columns.count, used + gap + widths[end] <= style.width {
                used += gap + widths[end]
                end += 1
            }
            let parts = (start..<end).map { columnLines(columns[$0], width: widths[$0], titleRows: titleRows, style) }
            let height = parts.map(\.count).max() ?? 0
            for row in 0..<height {
                var line: TermLine = []
                for (k, part) in parts.enumerated() {
                    let piece = row < part.count ? part[row] : []
                    line += piece
                    if k < parts.count - 1 { line += cells(String(repeating: " ", count: widths[start + k] - piece.count + gap)) }
                }
                lines.append(line)
            }
            start = end
            if start < columns.count { lines.append([]) }
        }
        // The key, wrapped at spaces.
        var line = ""
        for word in label(ascii ? asciiKey : key, style).split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > style.width {
                lines.append(cells(line))
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(cells(truncated(line, style.width, ascii: ascii))) }
        return lines
    }

    // MARK: - SVG

    func svgDocument() -> String {
        let box = 84.0, gap = 24.0, captionHeight = 16.0, top = 84.0
        // Each column as wide as its title needs, in up to two lines.
        let titles = columns.map { titleLines($0.title, width: max(14, ($0.title.count + 1) / 2 + 6), ascii: false) }
        let widths = titles.map { lines in max(box, lines.map { textWidth($0, size: 11) }.max() ?? 0) }
        var starts: [Double] = []
        var x = 16.0
        for w in widths { starts.append(x); x += w + gap }
        let tallest = columns.map(\.panels.count).max() ?? 0
        let width = max(320, x + 8, textWidth(title, size: 16) + 40, textWidth(key, size: 11) + 40)
        var svg = SVGWriter(width: width, height: top + Double(tallest) * (box + captionHeight + 8) + 36)
        drawTitle(title, into: &svg)
        for (k, column) in columns.enumerated() {
            let x0 = starts[k] + (widths[k] - box) / 2
            for (line, text) in titles[k].enumerated() {
                svg.text(text, x0 + box / 2, 52 + Double(line) * 14, size: 11, anchor: "middle", bold: true, cls: "layer")
            }
            let pixelW = box / Double(max(1, column.width)), pixelH = box / Double(max(1, column.height))
            for (p, panel) in column.panels.enumerated() {
                let y0 = top + Double(p) * (box + captionHeight + 8)
                svg.rect(x0 - 1, y0 - 1, box + 2, box + 2, fill: "#888888", cls: "frame")
                svg.raw("<g class=\"pixels\" shape-rendering=\"crispEdges\">")
                for r in 0..<column.height {
                    // Runs of one colour are one rectangle: a smooth picture stays small.
                    var c = 0
                    while c < column.width {
                        let fill = color(quantized(position(value(panel, column, r, c), panel.range))).hex
                        var run = 1
                        while c + run < column.width,
                              color(quantized(position(value(panel, column, r, c + run), panel.range))).hex == fill { run += 1 }
                        svg.rect(x0 + Double(c) * pixelW, y0 + Double(r) * pixelH, Double(run) * pixelW + 0.3, pixelH + 0.3, fill: fill)
                        c += run
                    }
                }
                svg.raw("</g>")
                svg.text(panel.caption, x0 + box / 2, y0 + box + 13, size: 10, anchor: "middle", cls: "caption")
            }
        }
        svg.text(key, 16, svg.height - 12, size: 11, cls: "key")
        return svg.document
    }

    /// 48 steps along the scale: no visible banding, and long runs to merge.
    private func quantized(_ t: Double) -> Double { (t * 48).rounded() / 48 }
}
