// Terminal pictures are built as lines of cells (a character plus optional
// colours) and encoded at the end, so width limits and colour switching are
// handled in one place and ASCII mode can never leak an escape code.

struct Cell: Equatable {
    var ch: Character
    var fg: RGB? = nil
    var bg: RGB? = nil
}

typealias TermLine = [Cell]

/// Cells for plain text, optionally coloured.
func cells(_ s: String, fg: RGB? = nil, bg: RGB? = nil) -> TermLine {
    s.map { Cell(ch: $0, fg: fg, bg: bg) }
}

/// Cuts `s` to `width` characters, marking the cut with "…" (or "." in ASCII).
func truncated(_ s: String, _ width: Int, ascii: Bool) -> String {
    guard s.count > width else { return s }
    guard width > 0 else { return "" }
    return String(s.prefix(width - 1)) + (ascii ? "." : "…")
}

/// Replaces anything outside printable ASCII with "?" so that names from the
/// data cannot break the ASCII promise.
func asciiSafe(_ s: String) -> String {
    String(s.unicodeScalars.map { $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" })
}

/// Text as it may appear in the picture: one line, ASCII-only if needed.
func label(_ s: String, _ style: TerminalStyle) -> String {
    let oneLine = s.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 }
    let text = String(oneLine)
    return style.color == .none ? asciiSafe(text) : text
}

/// `s` centred in `width` columns (cut if longer).
func centered(_ s: String, _ width: Int, ascii: Bool) -> String {
    let t = truncated(s, width, ascii: ascii)
    return String(repeating: " ", count: max(0, (width - t.count) / 2)) + t
}

/// Legend entries ("mark name") joined by two spaces, wrapped to the width.
func legendLines(_ entries: [(mark: TermLine, name: String)], _ style: TerminalStyle) -> [TermLine] {
    var lines: [TermLine] = []
    var current: TermLine = []
    let ascii = style.color == .none
    for e in entries {
        let room = max(4, style.width - e.mark.count - 1)
        let item = e.mark + cells(" " + truncated(label(e.name, style), room, ascii: ascii))
        if !current.isEmpty && current.count + 2 + item.count > style.width {
            lines.append(current)
            current = []
        }
        current += (current.isEmpty ? [] : cells("  ")) + item
    }
    if !current.isEmpty { lines.append(current) }
    return lines
}

/// Writes lines out: colours as SGR escapes (reset before each newline),
/// every line cut to the width and stripped of trailing blanks.
func encodeTerminal(_ lines: [TermLine], _ style: TerminalStyle) -> String {
    var out = ""
    for var line in lines {
        if line.count > style.width { line = Array(line.prefix(max(0, style.width))) }
        while let last = line.last, last.ch == " ", last.bg == nil { line.removeLast() }
        var fg: RGB? = nil, bg: RGB? = nil
        for c in line {
            if style.color != .none && (c.fg != fg || c.bg != bg) {
                if (fg != nil && c.fg == nil) || (bg != nil && c.bg == nil) { out += sgrReset; fg = nil; bg = nil }
                if let f = c.fg, f != fg { out += sgr(f, background: false, mode: style.color) }
                if let b = c.bg, b != bg { out += sgr(b, background: true, mode: style.color) }
                fg = c.fg; bg = c.bg
            }
            out.append(style.color == .none && !c.ch.isASCII ? "?" : c.ch)
        }
        if fg != nil || bg != nil { out += sgrReset }
        out += "\n"
    }
    return out
}

/// A plotting area with a y axis on the left and an x axis underneath:
/// the frame shared by line, scatter and decision-region pictures.
struct AxisFrame {
    var xScale: Scale
    var yScale: Scale
    var rows: Int
    var cols: Int
    /// Width of the y tick labels; the axis line sits one column after them.
    var labelWidth: Int

    /// Fits the frame into the style's width: y labels, axis, then the plot.
    init(xScale: Scale, yScale: Scale, rows: Int, style: TerminalStyle) {
        self.xScale = xScale
        self.yScale = yScale
        self.rows = rows
        labelWidth = yScale.labels.map(\.count).max() ?? 1
        cols = max(4, style.width - labelWidth - 3)
    }

    /// Pixel row (0 = top) of y when each cell has `sub` pixel rows.
    func pixelY(_ y: Double, sub: Int) -> Int {
        let p = ((1 - yScale.fraction(y)) * Double(rows * sub - 1)).rounded()
        return Int(max(0, min(Double(rows * sub - 1), p)))
    }

    /// Pixel column of x when each cell has `sub` pixel columns.
    func pixelX(_ x: Double, sub: Int) -> Int {
        let p = (xScale.fraction(x) * Double(cols * sub - 1)).rounded()
        return Int(max(0, min(Double(cols * sub - 1), p)))
    }

    /// Row (0 = top) of the cell holding y, given `sub` pixel rows per cell.
    func row(_ y: Double, sub: Int) -> Int { pixelY(y, sub: sub) / sub }

    /// Column of the cell holding x, given `sub` pixel columns per cell.
    func col(_ x: Double, sub: Int) -> Int { pixelX(x, sub: sub) / sub }

    /// Title, y label, the body rows behind a labelled y axis, the x axis with
    /// its tick labels, the x label and the legend.
    func compose(title: String, xLabel: String, yLabel: String, body: [TermLine],
                 legend: [(mark: TermLine, name: String)], style: TerminalStyle) -> [TermLine] {
        let ascii = style.color == .none
        var lines: [TermLine] = [cells(centered(label(title, style), style.width, ascii: ascii))]
        if !yLabel.isEmpty { lines.append(cells(truncated(label(yLabel, style), style.width, ascii: ascii))) }
        var tickAtRow: [Int: String] = [:]
        for (t, text) in zip(yScale.ticks, yScale.labels) { tickAtRow[row(t, sub: 1)] = text }
        for r in 0..<rows {
            let text = tickAtRow[r] ?? ""
            let pad = String(repeating: " ", count: labelWidth - text.count)
            let axis: Character = tickAtRow[r] == nil ? (ascii ? "|" : "│") : (ascii ? "+" : "┤")
            lines.append(cells(pad + text + " " + String(axis)) + (r < body.count ? body[r] : []))
        }
        var axisLine = Array(repeating: Character(ascii ? "-" : "─"), count: cols)
        var tickLabels = Array(repeating: Character(" "), count: labelWidth + 2 + cols)
        var free = 0  // first column a new tick label may use, keeping a gap
        for (t, text) in zip(xScale.ticks, xScale.labels) {
            let c = col(t, sub: 1)
            axisLine[c] = ascii ? "+" : "┬"
            let at = labelWidth + 2 + c
            let start = min(max(at - text.count / 2, free), tickLabels.count - text.count)
            guard start >= free, start >= 0 else { continue }
            for (i, ch) in text.enumerated() { tickLabels[start + i] = ch }
            free = start + text.count + 1
        }
        let corner = ascii ? "+" : "└"
        lines.append(cells(String(repeating: " ", count: labelWidth + 1) + corner + String(axisLine)))
        lines.append(cells(String(tickLabels)))
        if !xLabel.isEmpty {
            let plotCentre = String(repeating: " ", count: labelWidth + 2) + centered(label(xLabel, style), cols, ascii: ascii)
            lines.append(cells(plotCentre))
        }
        return lines + legendLines(legend, style)
    }
}

/// Braille dots, 2 across and 4 down per cell; each cell takes the colour of
/// the last series that set a dot in it.
struct BrailleCanvas {
    let cols: Int, rows: Int
    private var bits: [UInt8]
    private var colors: [RGB?]

    init(cols: Int, rows: Int) {
        self.cols = cols
        self.rows = rows
        bits = Array(repeating: 0, count: cols * rows)
        colors = Array(repeating: nil, count: cols * rows)
    }

    mutating func set(_ px: Int, _ py: Int, _ color: RGB) {
        guard px >= 0, py >= 0, px < cols * 2, py < rows * 4 else { return }
        let dot: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
        let i = (py / 4) * cols + px / 2
        bits[i] |= dot[py % 4][px % 2]
        colors[i] = color
    }

    var lines: [TermLine] {
        (0..<rows).map { r in
            (0..<cols).map { c in
                let b = bits[r * cols + c]
                return b == 0 ? Cell(ch: " ") : Cell(ch: Character(Unicode.Scalar(0x2800 + UInt32(b))!), fg: colors[r * cols + c])
            }
        }
    }
}

/// Calls `plot` for each point of a straight line from (x0, y0) to (x1, y1)
/// (Bresenham), so lines have no gaps at any slope.
func drawLine(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ plot: (Int, Int) -> Void) {
    var (x, y) = (x0, y0)
    let dx = abs(x1 - x0), dy = -abs(y1 - y0)
    let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
    var err = dx + dy
    while true {
        plot(x, y)
        if x == x1 && y == y1 { return }
        let e2 = 2 * err
        if e2 >= dy { err += dy; x += sx }
        if e2 <= dx { err += dx; y += sy }
    }
}
