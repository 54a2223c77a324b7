// Heatmaps (correlation and confusion matrices): a table of values on a coloured background
// in colour, or values with a shading character in ASCII. A matrix too wide for its numbers
// (a confusion matrix of many classes) becomes one character per cell.

extension Heatmap {
    private var mid: Double { (range.lowerBound + range.upperBound) / 2 }
    private var half: Double { (range.upperBound - range.lowerBound) / 2 }
    private var hasMissing: Bool { values.contains { $0.contains { $0 == nil } } || values.count < rowLabels.count }
    private static let shades = Array(" .:-=+*#%@")
    private static let footnote = "n/a: undefined (e.g. a constant column)"
    /// Beyond this many columns that do not fit the width with their numbers, cells become one character.
    private static let compactAbove = 20

    private static func cell(_ matrix: [[Double?]], _ r: Int, _ c: Int) -> Double? {
        guard r < matrix.count, c < matrix[r].count, let v = matrix[r][c], v.isFinite else { return nil }
        return v
    }

    private func value(_ r: Int, _ c: Int) -> Double? { Self.cell(values, r, c) }
    /// The value that decides the cell's colour: `colorValues`' when given.
    private func colorValue(_ r: Int, _ c: Int) -> Double? { Self.cell(colorValues ?? values, r, c) }

    private func color(_ v: Double) -> RGB {
        scale == .diverging ? divergingColor(v, in: range) : sequentialColor(v, in: range)
    }

    /// How strongly a value shows, 0 to 1: its distance from the middle (diverging) or from the lower end.
    private func strength(_ v: Double) -> Double {
        switch scale {
        case .diverging: return half > 0 ? min(1, abs(v - mid) / half) : 0
        case .sequential: return half > 0 ? max(0, min(1, (v - range.lowerBound) / (2 * half))) : 0
        }
    }

    /// The ASCII shading character: darker the stronger.
    private func shade(_ v: Double) -> Character { Heatmap.shades[Int((strength(v) * 9).rounded())] }

    private func text(_ v: Double?) -> String { v.map { formatFixed($0, decimals: decimals) } ?? "n/a" }

    func terminalLines(_ style: TerminalStyle) -> [TermLine] {
        let ascii = style.color == .none
        let rows = rowLabels.map { label($0, style) }, columns = columnLabels.map { label($0, style) }
        let rowWidth = min(rows.map(\.count).max() ?? 0, max(8, style.width / 3))
        let left = rowWidth + 1
        // Cells hold "-0.53" (or a count) plus a shading character or padding; wider cells
        // show more of the column name. Columns that do not fit go to a further block
        // underneath, as pandas wraps wide frames.
        let widest = values.flatMap { $0.map { text($0).count } }.max() ?? 4
        let narrowest = max(decimals == 0 ? 5 : 7, widest + 2)
        let wanted = max(narrowest, min(13, (columns.map(\.count).max() ?? 0) + 1))
        let room = max(narrowest, style.width - left)
        if columns.count > Self.compactAbove, columns.count * narrowest > room {
            return compactLines(style)
        }
        let perBlock = max(1, room / narrowest)
        let cellWidth = max(narrowest, min(wanted, room / max(1, min(columns.count, perBlock))))
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
                    let shown = text(value(r, c))
                    let padded = String(repeating: " ", count: max(0, cellWidth - 1 - shown.count)) + shown
                    let tone = colorValue(r, c)
                    if ascii {
                        line += cells(padded + String(tone.map(shade) ?? " "))
                    } else {
                        let bg = tone.map(color) ?? RGB(0xBB, 0xBB, 0xBB)
                        line += cells(padded + " ", fg: bg.isLight ? RGB(0, 0, 0) : RGB(255, 255, 255), bg: bg)
                    }
                }
                lines.append(line)
            }
        }
        return lines + keyLines(style)
    }

    /// Many columns: one character per cell (a shade, or a coloured block), columns numbered
    /// by a ruler and rows by the same numbers, so any size still draws every cell.
    private func compactLines(_ style: TerminalStyle) -> [TermLine] {
        let ascii = style.color == .none
        let digits = String(max(rowLabels.count, columnLabels.count) - 1).count
        let names = rowLabels.map { label($0, style) }
        let nameWidth = min(names.map(\.count).max() ?? 0, max(6, style.width / 4))
        let left = digits + 1 + nameWidth + 1
        let blockSize = max(10, style.width - left)
        var lines: [TermLine] = [cells(centered(label(title, style), style.width, ascii: ascii))]
        lines.append(cells("one character per cell; rows and columns numbered alike"))
        for start in stride(from: 0, to: columnLabels.count, by: blockSize) {
            let block = start..<min(columnLabels.count, start + blockSize)
            lines.append([])
            // A ruler: each column number that is a multiple of 10, where it fits.
            var ruler = [Character](repeating: " ", count: block.count)
            for c in block where c % 10 == 0 {
                for (i, ch) in String(c).enumerated() where c - start + i < ruler.count { ruler[c - start + i] = ch }
            }
            lines.append(cells(String(repeating: " ", count: left) + String(ruler)))
            for r in rowLabels.indices {
                let number = String(r)
                let name = truncated(names[r], nameWidth, ascii: ascii)
                var line = cells(String(repeating: " ", count: digits - number.count) + number + " " + name
                                 + String(repeating: " ", count: nameWidth - name.count + 1))
                for c in block {
                    let tone = colorValue(r, c)
                    if ascii {
                        line += cells(String(tone.map(shade) ?? " "))
                    } else {
                        line += [Cell(ch: " ", bg: tone.map(color) ?? RGB(0xBB, 0xBB, 0xBB))]
                    }
                }
                lines.append(line)
            }
        }
        return lines + keyLines(style)
    }

    /// The colour key (a shading legend in ASCII) and the footnote for undefined cells.
    private func keyLines(_ style: TerminalStyle) -> [TermLine] {
        var lines: [TermLine] = [[]]
        let lo = formatShort(range.lowerBound, significant: 3), hi = formatShort(range.upperBound, significant: 3)
        let meaning = colorMeaning.map { " (\($0))" } ?? ""
        if style.color == .none {
            let distance: String
            switch scale {
            case .diverging: distance = (mid == 0 ? "|value|" : "|value - \(formatShort(mid, significant: 3))|") + " 0 to \(formatShort(half, significant: 3))"
            case .sequential: distance = "\(colorMeaning ?? "value") \(lo) to \(hi)"
            }
            lines.append(cells("key: \"" + String(Heatmap.shades) + "\" for \(distance)"))
        } else {
            var key = cells("scale\(meaning): \(lo) ")
            for i in 0...10 {
                let v = range.lowerBound + Double(i) / 10 * (range.upperBound - range.lowerBound)
                key += [Cell(ch: " ", bg: color(v))]
            }
            lines.append(key + cells(" \(hi)"))
        }
        if hasMissing { lines.append(cells(Heatmap.footnote)) }
        return lines
    }

    func svgDocument() -> String {
        let cut = { (s: String) in s.count > 24 ? String(s.prefix(23)) + "…" : s }
        let rows = rowLabels.map(cut), columns = columnLabels.map(cut)
        let k = max(1, max(rows.count, columns.count))
        // Many rows and columns get a larger page, so cells stay at least 8 px and every one is drawn.
        let labelSize = k > 40 ? 8.0 : 12.0
        let labelWidth = 16 + (rows.map { textWidth($0, size: labelSize) }.max() ?? 0)
        let top = 48 + 0.71 * (columns.map { textWidth($0, size: labelSize) }.max() ?? 0)
        let footer: Double = hasMissing ? 40 : 20
        let pageWidth = max(640, labelWidth + Double(k) * 8 + 120), pageHeight = max(420, top + Double(k) * 8 + footer + 20)
        var svg = SVGWriter(width: pageWidth, height: pageHeight)
        drawTitle(title, into: &svg)
        // Column names are turned 45° upward; their height is width × sin 45°.
        let size = max(4, min(64, (svg.width - labelWidth - 90) / Double(k), (svg.height - top - footer) / Double(k)))
        let fontSize = min(13, size * 0.3)
        // Centre the matrix and its colour bar (60 px) across the page.
        let left = max(labelWidth, (svg.width - Double(columns.count) * size - 60 + labelWidth) / 2)
        for (c, name) in columns.enumerated() {
            let x = left + (Double(c) + 0.5) * size
            svg.text(name, x, top - 6, size: labelSize, rotate: -45, cls: "column")
        }
        // Cells too small for numbers: one rectangle of the lowest colour under them all, and a
        // rectangle only for the others (a confusion matrix of 200 classes is mostly empty).
        let sparse = fontSize < 4
        if sparse {
            svg.rect(left, top, Double(columns.count) * size, Double(rows.count) * size, fill: color(range.lowerBound).hex, cls: "cells")
        }
        for (r, name) in rows.enumerated() {
            let y = top + (Double(r) + 0.5) * size
            svg.text(name, left - 8, y + labelSize / 3, size: labelSize, anchor: "end", cls: "row")
            for c in 0..<columns.count {
                let x = left + Double(c) * size
                if sparse, colorValue(r, c) == range.lowerBound { continue }
                let fill = colorValue(r, c).map(color) ?? RGB(0xDD, 0xDD, 0xDD)
                svg.rect(x, top + Double(r) * size, size, size, fill: fill.hex, cls: "cell",
                         stroke: "#ffffff", extra: " stroke-width=\"\(size < 12 ? "0.5" : "1")\"")
                // Numbers only where they can be read.
                if fontSize >= 4 {
                    svg.text(text(value(r, c)), x + size / 2, y + fontSize * 0.35,
                             size: fontSize, anchor: "middle", fill: fill.isLight ? "#222222" : "#ffffff", cls: "value")
                }
            }
        }
        // Colour bar on the right: 40 bands from the upper end (top) down.
        let barX = left + Double(columns.count) * size + 24, barH = max(60, Double(rows.count) * size)
        for i in 0..<40 {
            let v = range.upperBound - (Double(i) + 0.5) / 40 * (range.upperBound - range.lowerBound)
            svg.rect(barX, top + Double(i) * barH / 40, 14, barH / 40 + 0.5, fill: color(v).hex, cls: "scale")
        }
        for (v, y) in [(range.upperBound, top), (mid, top + barH / 2), (range.lowerBound, top + barH)] {
            svg.text(formatShort(v, significant: 3), barX + 20, y + 4, size: 11, cls: "tick")
        }
        if let colorMeaning { svg.text("colour: " + colorMeaning, left, svg.height - 14, size: 12, cls: "footnote") }
        if hasMissing { svg.text(Heatmap.footnote, left, svg.height - (colorMeaning == nil ? 14 : 30), size: 12, cls: "footnote") }
        return svg.document
    }
}
