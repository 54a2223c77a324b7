// Box plots: one horizontal box per column on a shared axis.
//   sepal_width  ├────[███│███]──────┤  •  •      (ASCII: |----[###|###]------|  o  o)

extension BoxStats {
    /// Tukey's box for one column: quartiles as numpy/pandas compute them
    /// (linear interpolation), whiskers at the most extreme values within
    /// 1.5 IQR of the box, everything beyond as outliers. nil without finite values.
    public static func tukey(name: String, values: [Double]) -> BoxStats? {
        let data = values.filter(\.isFinite).sorted()
        guard !data.isEmpty else { return nil }
        let q1 = percentile(data, 25), q3 = percentile(data, 75)
        let low = q1 - 1.5 * (q3 - q1), high = q3 + 1.5 * (q3 - q1)
        let inside = data.filter { $0 >= low && $0 <= high }
        return BoxStats(name: name, q1: q1, median: percentile(data, 50), q3: q3,
                        lowerWhisker: inside.first ?? q1, upperWhisker: inside.last ?? q3,
                        outliers: data.filter { $0 < low || $0 > high })
    }

    /// Every value the box shows, for the shared axis.
    var extent: [Double] {
        ([q1, median, q3, lowerWhisker, upperWhisker] + outliers).filter(\.isFinite)
    }
}

extension BoxPlot {
    /// The shared axis spans the data plus a small margin rather than growing
    /// to round numbers: boxes are compared by position, and at terminal
    /// resolution every column counts.
    private func axisScale(maxTicks: Int, margin: Double) -> Scale {
        let all = boxes.flatMap(\.extent)
        let pad = ((all.max() ?? 1) - (all.min() ?? 0)) * margin
        return Scale.fixed((all.min() ?? 0) - pad, (all.max() ?? 1) + pad, maxTicks: maxTicks)
    }

    func terminalLines(_ style: TerminalStyle) -> [TermLine] {
        let ascii = style.color == .none
        let names = boxes.map { label($0.name, style) }
        let nameWidth = min(names.map(\.count).max() ?? 0, max(8, style.width / 4))
        let left = nameWidth + 2
        let cols = max(8, style.width - left - 1)
        let scale = axisScale(maxTicks: xTickCount(cols: cols), margin: 0.02)
        func col(_ v: Double) -> Int { Int(max(0, min(Double(cols - 1), (scale.fraction(v) * Double(cols - 1)).rounded()))) }

        var lines: [TermLine] = [cells(centered(label(title, style), style.width, ascii: ascii))]
        for (i, b) in boxes.enumerated() {
            let color = paletteColor(i)
            var row = Array(repeating: Cell(ch: " "), count: cols)
            func put(_ c: Int, _ ch: Character, _ fg: RGB?) { row[c] = Cell(ch: ch, fg: fg) }
            let (lw, q1, med, q3, uw) = (col(b.lowerWhisker), col(b.q1), col(b.median), col(b.q3), col(b.upperWhisker))
            for c in min(lw, uw)...max(lw, uw) { put(c, ascii ? "-" : "─", nil) }
            put(lw, ascii ? "|" : "├", nil)
            put(uw, ascii ? "|" : "┤", nil)
            for c in min(q1, q3)...max(q1, q3) { put(c, ascii ? "#" : "█", color) }
            if q3 > q1 { put(q1, "[", color); put(q3, "]", color) }
            put(med, ascii ? "|" : "│", ascii ? nil : color)
            for o in b.outliers where o.isFinite { put(col(o), ascii ? "o" : "•", color) }
            let name = truncated(names[i], nameWidth, ascii: ascii)
            lines.append(cells(name + String(repeating: " ", count: left - name.count)) + row)
        }
        var axis = Array(repeating: Character(ascii ? "-" : "─"), count: cols)
        var tickLabels = Array(repeating: Character(" "), count: left + cols)
        var free = 0
        for (t, text) in zip(scale.ticks, scale.labels) {
            let c = col(t)
            axis[c] = ascii ? "+" : "┬"
            let start = min(max(left + c - text.count / 2, free), tickLabels.count - text.count)
            guard start >= free else { continue }
            for (k, ch) in text.enumerated() { tickLabels[start + k] = ch }
            free = start + text.count + 1
        }
        lines.append(cells(String(repeating: " ", count: left) + String(axis)))
        lines.append(cells(String(tickLabels)))
        return lines
    }

    func svgDocument() -> String {
        var svg = SVGWriter()
        let names = boxes.map { $0.name.count > 28 ? String($0.name.prefix(27)) + "…" : $0.name }
        let frame = SVGFrame(svg: svg, xScale: axisScale(maxTicks: 9, margin: 0.04), yScale: Scale.fixed(0, 1, maxTicks: 2),
                             legendNames: [], leftLabels: names)
        frame.draw(into: &svg, title: title, xLabel: "", yLabel: "", legend: [], yTicks: false)
        let band = (frame.bottom - frame.top) / Double(max(1, boxes.count))
        let h = min(36, band * 0.55)
        for (i, b) in boxes.enumerated() {
            let cy = frame.top + band * (Double(i) + 0.5)
            let color = paletteColor(i)
            svg.text(names[i], frame.left - 8, cy + 4, size: 12, anchor: "end", cls: "name")
            svg.line(frame.x(b.lowerWhisker), cy, frame.x(b.q1), cy, stroke: "#444444", width: 1.5, cls: "whisker")
            svg.line(frame.x(b.q3), cy, frame.x(b.upperWhisker), cy, stroke: "#444444", width: 1.5, cls: "whisker")
            for w in [b.lowerWhisker, b.upperWhisker] {
                svg.line(frame.x(w), cy - h / 4, frame.x(w), cy + h / 4, stroke: "#444444", width: 1.5, cls: "cap")
            }
            svg.rect(frame.x(b.q1), cy - h / 2, frame.x(b.q3) - frame.x(b.q1), h, fill: color.tint.hex, cls: "box",
                     stroke: color.hex, extra: " stroke-width=\"1.5\"")
            svg.line(frame.x(b.median), cy - h / 2, frame.x(b.median), cy + h / 2, stroke: "#222222", width: 2.5, cls: "median")
            for o in b.outliers where o.isFinite {
                svg.circle(frame.x(o), cy, 3.5, fill: "#ffffff", cls: "outlier",
                           extra: " stroke=\"\(color.hex)\" stroke-width=\"1.5\"")
            }
        }
        return svg.document
    }
}
