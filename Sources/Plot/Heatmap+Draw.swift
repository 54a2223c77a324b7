// Heatmaps (correlation matrices): a table of values on a diverging
// background in colour, or values with a shading character in ASCII.

extension Heatmap {
    private var mid: Double { (range.lowerBound + range.upperBound) / 2 }
    private var half: Double { (range.upperBound - range.lowerBound) / 2 }
    private var hasMissing: Bool { values.contains { $0.contains { $0 == nil } } || values.count < rowLabels.count }
    private static let shades = Array(" .:-=+*#%@")
    private static let footnote = "n/a: undefined (e.g. a constant column)"

    private func value(_ r: Int, _ c: Int) -> Double? {
        guard r < values.count, c < values[r].count, let v = values[r][c], v.isFinite else { return nil }
        return v
    }

    /// The ASCII shading character: darker the further from the middle.
    private func shade(_ v: Double) -> Character {
        let t = half > 0 ? min(1, abs(v - mid) / half) : 0
        return Heatmap.shades[Int((t * 9).rounded())]
    }

    func terminalLines(_ style: TerminalStyle) -> [TermLine] {
        let ascii = style.color == .none
        let rows = rowLabels.map { label($0, style) }, columns = columnLabels.map { label($0, style) }
        let rowWidth = min(rows.map(\.count).max() ?? 0, max(8, style.width / 3))
        let left = rowWidth + 1
        // Cells hold "-0.53" plus a shading character or padding; wider cells
        // show more of the column name. Columns that do not fit go to a
        // further block underneath, as pandas wraps wide frames.
        let wanted = max(7, min(13, (columns.map(\.count).max() ?? 0) + 1))
        let room = max(7, style.width - left)
        let perBlock = max(1, room / 7)
        let cellWidth = max(7, min(wanted, room / max(1, min(columns.count, perBlock))))
        let blockSize = max(1, room / cellWidth)

        var lines: [TermLine] = [cells(centered(label(title, style), style.width, ascii: ascii))]
        for start in stride(from: 0, to: columns.count, by: blockSize) {
            let block = start..<min(columns.count, start + blockSize)
            if start > 0 { lines.append([]) }
            var header = cells(String(repeating: " ", count: left))
            for c in block {
                let name = truncated(columns[c], cellWidth - 1, ascii: ascii)
                header += cells(String(repeating: " ", count: cellWidth - 1 - name.count) + name + " ")
            }
            lines.append(header)
            for (r, rowName) in rows.enumerated() {
                let name = truncated(rowName, rowWidth, ascii: ascii)
                var line = cells(name + String(repeating: " ", count: left - name.count))
                for c in block {
                    let v = value(r, c)
                    let text = v.map { formatFixed($0, decimals: 2) } ?? "n/a"
                    let padded = String(repeating: " ", count: max(0, cellWidth - 1 - text.count)) + text
                    if ascii {
                        line += cells(padded + String(v.map(shade) ?? " "))
                    } else {
                        let bg = v.map { divergingColor($0, in: range) } ?? RGB(0xBB, 0xBB, 0xBB)
                        line += cells(padded + " ", fg: bg.isLight ? RGB(0, 0, 0) : RGB(255, 255, 255), bg: bg)
                    }
                }
                lines.append(line)
            }
        }
        lines.append([])
        let lo = formatShort(range.lowerBound, significant: 3), hi = formatShort(range.upperBound, significant: 3)
        if ascii {
            let distance = mid == 0 ? "|value|" : "|value - \(formatShort(mid, significant: 3))|"
            lines.append(cells("key: \"" + String(Heatmap.shades) + "\" for \(distance) 0 to \(formatShort(half, significant: 3))"))
        } else {
            var key = cells("scale: \(lo) ")
            for i in 0...10 {
                let v = range.lowerBound + Double(i) / 10 * (range.upperBound - range.lowerBound)
                key += [Cell(ch: " ", bg: divergingColor(v, in: range))]
            }
            lines.append(key + cells(" \(hi)"))
        }
        if hasMissing { lines.append(cells(Heatmap.footnote)) }
        return lines
    }

    func svgDocument() -> String {
        var svg = SVGWriter()
        drawTitle(title, into: &svg)
        let cut = { (s: String) in s.count > 24 ? String(s.prefix(23)) + "…" : s }
        let rows = rowLabels.map(cut), columns = columnLabels.map(cut)
        let k = max(1, max(rows.count, columns.count))
        let labelWidth = 16 + (rows.map { textWidth($0, size: 12) }.max() ?? 0)
        // Column names are turned 45° upward; their height is width × sin 45°.
        let top = 48 + 0.71 * (columns.map { textWidth($0, size: 12) }.max() ?? 0)
        let footer: Double = hasMissing ? 40 : 20
        let size = max(4, min(64, (svg.width - labelWidth - 90) / Double(k), (svg.height - top - footer) / Double(k)))
        let fontSize = min(13, size * 0.3)
        // Centre the matrix and its colour bar (60 px) across the page.
        let left = max(labelWidth, (svg.width - Double(columns.count) * size - 60 + labelWidth) / 2)
        for (c, name) in columns.enumerated() {
            let x = left + (Double(c) + 0.5) * size
            svg.text(name, x, top - 6, size: 12, rotate: -45, cls: "column")
        }
        for (r, name) in rows.enumerated() {
            let y = top + (Double(r) + 0.5) * size
            svg.text(name, left - 8, y + 4, size: 12, anchor: "end", cls: "row")
            for c in 0..<columns.count {
                let x = left + Double(c) * size
                let v = value(r, c)
                let fill = v.map { divergingColor($0, in: range) } ?? RGB(0xDD, 0xDD, 0xDD)
                svg.rect(x, top + Double(r) * size, size, size, fill: fill.hex, cls: "cell",
                         stroke: "#ffffff", extra: " stroke-width=\"1\"")
                svg.text(v.map { formatFixed($0, decimals: 2) } ?? "n/a", x + size / 2, y + fontSize * 0.35,
                         size: fontSize, anchor: "middle", fill: fill.isLight ? "#222222" : "#ffffff", cls: "value")
            }
        }
        // Colour bar on the right: 40 bands from the upper end (top) down.
        let barX = left + Double(columns.count) * size + 24, barH = max(60, Double(rows.count) * size)
        for i in 0..<40 {
            let v = range.upperBound - (Double(i) + 0.5) / 40 * (range.upperBound - range.lowerBound)
            svg.rect(barX, top + Double(i) * barH / 40, 14, barH / 40 + 0.5, fill: divergingColor(v, in: range).hex, cls: "scale")
        }
        for (v, y) in [(range.upperBound, top), (mid, top + barH / 2), (range.lowerBound, top + barH)] {
            svg.text(formatShort(v, significant: 3), barX + 20, y + 4, size: 11, cls: "tick")
        }
        if hasMissing { svg.text(Heatmap.footnote, left, svg.height - 14, size: 12, cls: "footnote") }
        return svg.document
    }
}
