// Images side by side with a caption under each: a data set's samples
// (`show image N`, `show augment`, `show mistakes`) or a convolution layer's learned
// kernels (`plot filters`). Terminal: half blocks (two pixel rows per line) in colour
// (three channels) or grey levels; ASCII: a shading ramp of the brightness, two
// characters per pixel so images keep their aspect ratio.

/// Images of one size, drawn in a row (wrapping to the width).
public struct ImageGrid: Sendable {
    public var title: String
    public var images: [[Double]]          // each height*width*channels values, NHWC (row 0 at the top)
    public var height: Int
    public var width: Int
    /// 3 (or 4, alpha ignored): drawn in colour; any other count: the mean of the channels, in grey.
    public var channels: Int = 1
    public var captions: [String]
    /// The value drawn black and the one drawn white; nil ⇒ the min and max over all images.
    public var range: ClosedRange<Double>?

    public init(title: String, images: [[Double]], height: Int, width: Int, channels: Int = 1, captions: [String],
                range: ClosedRange<Double>? = nil) {
        self.title = title
        self.images = images
        self.height = height
        self.width = width
        self.channels = max(1, channels)
        self.captions = captions
        self.range = range
    }

    private var valueRange: ClosedRange<Double> {
        if let range, range.upperBound > range.lowerBound { return range }
        let finite = images.flatMap { $0 }.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        return hi > lo ? lo...hi : lo...(lo + 1)
    }

    private var isColor: Bool { channels == 3 || channels == 4 }

    /// 0 (dark) to 1 (full) for channel k of pixel (r, c) of image i; out of range reads as 0.
    private func level(_ i: Int, _ r: Int, _ c: Int, channel k: Int, in range: ClosedRange<Double>) -> Double {
        let index = (r * width + c) * channels + k
        guard index >= 0, index < images[i].count, images[i][index].isFinite else { return 0 }
        return max(0, min(1, (images[i][index] - range.lowerBound) / (range.upperBound - range.lowerBound)))
    }

    /// 0 (black) to 1 (white): the mean of the channels (the brightness of a colour pixel).
    private func level(_ i: Int, _ r: Int, _ c: Int, in range: ClosedRange<Double>) -> Double {
        let shown = isColor ? 3 : channels
        return (0..<shown).map { level(i, r, c, channel: $0, in: range) }.reduce(0, +) / Double(shown)
    }

    /// The pixel's colour: its three channels, or its grey level.
    private func color(_ i: Int, _ r: Int, _ c: Int, in range: ClosedRange<Double>) -> RGB {
        guard isColor else { return grey(level(i, r, c, in: range)) }
        func byte(_ k: Int) -> UInt8 { UInt8((level(i, r, c, channel: k, in: range) * 255).rounded()) }
        return RGB(byte(0), byte(1), byte(2))
    }

    private func grey(_ level: Double) -> RGB {
        let v = UInt8((level * 255).rounded())
        return RGB(v, v, v)
    }

    func terminalLines(_ style: TerminalStyle) -> [TermLine] {
        let ascii = style.color == .none
        // Plain text keeps the arrow of "cat → dog" readable as "->" rather than "?".
        func arrows(_ text: String) -> String {
            ascii ? text.split(separator: "→", omittingEmptySubsequences: false).joined(separator: "->") : text
        }
        let captions = self.captions.map(arrows)
        let range = valueRange // once: it looks at every pixel
        let ramp = Array(" .:-=+*#%@")
        let imageCols = ascii ? 2 * width : width
        // One image may take a long caption; in a grid captions are kept short so more fit a row.
        let captionWidth = max(imageCols, min(images.count == 1 ? style.width : 12, captions.map(\.count).max() ?? 0))
        let perRow = max(1, (style.width + 2) / (captionWidth + 2))
        var lines: [TermLine] = [cells(truncated(label(arrows(title), style), style.width, ascii: ascii))]
        for start in stride(from: 0, to: images.count, by: perRow) {
            let group = Array(start..<min(images.count, start + perRow))
            let textRows = ascii ? height : (height + 1) / 2
            for t in 0..<textRows {
                var line: TermLine = []
                for i in group {
                    for c in 0..<width {
                        if ascii {
                            let ch = ramp[min(ramp.count - 1, Int(level(i, t, c, in: range) * Double(ramp.count - 1) + 0.5))]
                            line += [Cell(ch: ch), Cell(ch: ch)]
                        } else {
                            let top = color(i, 2 * t, c, in: range)
                            let bottom = 2 * t + 1 < height ? color(i, 2 * t + 1, c, in: range) : nil
                            line.append(Cell(ch: "▀", fg: top, bg: bottom))
                        }
                    }
                    line += cells(String(repeating: " ", count: captionWidth - imageCols + 2))
                }
                lines.append(line)
            }
            var captionLine: TermLine = []
            for i in group {
                let caption = truncated(label(i < captions.count ? captions[i] : "", style), captionWidth, ascii: ascii)
                captionLine += cells(caption + String(repeating: " ", count: captionWidth - caption.count + 2))
            }
            lines.append(captionLine)
        }
        return lines
    }

    func svgDocument() -> String {
        let columns = max(1, min(images.count, 8))
        let rows = (images.count + columns - 1) / max(1, columns)
        let pixel = max(2, min(16, 480 / max(1, columns * max(width, 1) + (columns - 1) * 2)))
        // Wide enough for the longest caption ("cat → dog (0.93)"), so neighbours' captions never overlap.
        let captionWidth = captions.map { textWidth($0, size: 11) }.max() ?? 0
        let cellW = max(Double(width * pixel), captionWidth) + 16, cellH = Double(height * pixel + 28)
        let titleWidth = textWidth(title, size: 16) + 40
        let range = valueRange // once: it looks at every pixel
        var svg = SVGWriter(width: max(320, Double(columns) * cellW + 32, titleWidth), height: 56 + Double(rows) * cellH)
        drawTitle(title, into: &svg)
        for (i, image) in images.enumerated() {
            let x0 = 16 + Double(i % columns) * cellW + (cellW - 16 - Double(width * pixel)) / 2, y0 = 44 + Double(i / columns) * cellH
            svg.rect(x0 - 1, y0 - 1, Double(width * pixel) + 2, Double(height * pixel) + 2, fill: "#888888", cls: "frame")
            for r in 0..<height {
                for c in 0..<width where (r * width + c) * channels < image.count {
                    svg.rect(x0 + Double(c * pixel), y0 + Double(r * pixel), Double(pixel), Double(pixel),
                             fill: color(i, r, c, in: range).hex, cls: "pixel", extra: " shape-rendering=\"crispEdges\"")
                }
            }
            svg.text(i < captions.count ? captions[i] : "", x0 + Double(width * pixel) / 2, y0 + Double(height * pixel) + 16,
                     size: 11, anchor: "middle", cls: "caption")
        }
        return svg.document
    }
}
