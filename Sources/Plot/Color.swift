// Colours shared by the terminal and SVG pictures, and the ANSI escapes that
// carry them to a terminal.

/// An sRGB colour.
struct RGB: Equatable, Sendable {
    var r: UInt8, g: UInt8, b: UInt8

    init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }

    /// "#rrggbb" for SVG.
    var hex: String {
        let digits = Array("0123456789abcdef")
        var s = "#"
        for c in [r, g, b] { s.append(digits[Int(c) / 16]); s.append(digits[Int(c) % 16]) }
        return s
    }

    /// The straight-line mix: t = 0 gives self, t = 1 gives `other`.
    func mixed(with other: RGB, _ t: Double) -> RGB {
        func m(_ a: UInt8, _ b: UInt8) -> UInt8 {
            UInt8(max(0, min(255, (Double(a) + (Double(b) - Double(a)) * t).rounded())))
        }
        return RGB(m(r, other.r), m(g, other.g), m(b, other.b))
    }

    /// A pale tint for backgrounds (decision regions), keeping the hue.
    var tint: RGB { mixed(with: RGB(255, 255, 255), 0.6) }

    /// Dark text reads on it (relative luminance above about one half).
    var isLight: Bool { 0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b) > 140 }

    /// The nearest colour of xterm's 6×6×6 cube (indices 16...231).
    var ansi256Index: Int {
        let levels = [0, 95, 135, 175, 215, 255]
        func nearest(_ c: UInt8) -> Int {
            var best = 0
            for i in 1..<levels.count where abs(levels[i] - Int(c)) < abs(levels[best] - Int(c)) { best = i }
            return best
        }
        return 16 + 36 * nearest(r) + 6 * nearest(g) + nearest(b)
    }
}

/// Okabe–Ito, the colour-blind-safe qualitative palette, reordered so the
/// first colours are the most distinct and yellow (weak on white) comes late.
/// Series, groups and classes take colours in this order, cycling after eight.
let palette: [RGB] = [
    RGB(0x00, 0x72, 0xB2),  // blue
    RGB(0xE6, 0x9F, 0x00),  // orange
    RGB(0x00, 0x9E, 0x73),  // bluish green
    RGB(0xD5, 0x5E, 0x00),  // vermillion
    RGB(0xCC, 0x79, 0xA7),  // reddish purple
    RGB(0x56, 0xB4, 0xE9),  // sky blue
    RGB(0xF0, 0xE4, 0x42),  // yellow
    RGB(0x99, 0x99, 0x99),  // grey
]

func paletteColor(_ i: Int) -> RGB { palette[((i % palette.count) + palette.count) % palette.count] }

/// ASCII marks for series and groups when there is no colour to tell them apart.
let asciiMarks: [Character] = ["*", "o", "+", "x", "#", "@", "%", "&", "=", "$"]

func asciiMark(_ i: Int) -> Character { asciiMarks[((i % asciiMarks.count) + asciiMarks.count) % asciiMarks.count] }

/// Diverging blue–white–red (ColorBrewer RdBu ends) over `range`:
/// the lower end blue, the midpoint white, the upper end red.
func divergingColor(_ v: Double, in range: ClosedRange<Double>) -> RGB {
    let blue = RGB(0x21, 0x66, 0xAC), white = RGB(0xF7, 0xF7, 0xF7), red = RGB(0xB2, 0x18, 0x2B)
    let mid = (range.lowerBound + range.upperBound) / 2
    let half = (range.upperBound - range.lowerBound) / 2
    guard half > 0, v.isFinite else { return white }
    let t = max(-1, min(1, (v - mid) / half))
    return t < 0 ? white.mixed(with: blue, -t) : white.mixed(with: red, t)
}

/// Sequential white to dark blue (ColorBrewer Blues ends) over `range`: the lower end white.
func sequentialColor(_ v: Double, in range: ClosedRange<Double>) -> RGB {
    let white = RGB(0xF7, 0xFB, 0xFF), blue = RGB(0x08, 0x30, 0x6B)
    let span = range.upperBound - range.lowerBound
    guard span > 0, v.isFinite else { return white }
    return white.mixed(with: blue, max(0, min(1, (v - range.lowerBound) / span)))
}

/// SGR escape that sets the foreground (`background` false) or background.
func sgr(_ c: RGB, background: Bool, mode: ColorMode) -> String {
    switch mode {
    case .none: return ""
    case .ansi256: return "\u{1B}[\(background ? 48 : 38);5;\(c.ansi256Index)m"
    case .truecolor: return "\u{1B}[\(background ? 48 : 38);2;\(c.r);\(c.g);\(c.b)m"
    }
}

let sgrReset = "\u{1B}[0m"
