// Nice axis ticks ("1, 2, 5 × 10^k" steps) and number formatting by hand, so
// labels are identical on every platform and locale (no Foundation, no printf).

/// Ticks at multiples of a step 1, 2 or 5 × 10^k that cover `lower...upper`:
/// the first tick is at or below `lower`, the last at or above `upper`, and
/// there are at most `maxCount` of them (but always at least two).
/// An empty or degenerate range is widened around its value first.
public func niceTicks(_ lower: Double, _ upper: Double, maxCount: Int = 6) -> [Double] {
    Scale.nice(lower, upper, maxTicks: maxCount).ticks
}

/// An axis: its domain and the tick values to label; linear, or logarithmic (`isLog`,
/// see LogScale.swift), where positions go by log10 and ticks sit at decades.
struct Scale {
    var lo: Double
    var hi: Double
    var ticks: [Double]
    /// Exponent k of the step m × 10^k; decides how many decimals labels need.
    var stepExponent: Int
    var isLog = false

    /// The domain grows to the surrounding ticks, so data never touches a
    /// bare end of the axis.
    static func nice(_ lower: Double, _ upper: Double, maxTicks: Int) -> Scale {
        let (a, b) = widened(lower, upper)
        let maxTicks = max(2, maxTicks)
        var (m, k) = firstStep(span: (b - a) / Double(maxTicks))
        while true {
            let first = (a / step(m, k) + 1e-9).rounded(.down)
            let last = (b / step(m, k) - 1e-9).rounded(.up)
            if Int(last - first) + 1 <= maxTicks || k > 300 {
                let ticks = (Int(first)...Int(last)).map { multiple($0, m, k) }
                return Scale(lo: ticks.first!, hi: ticks.last!, ticks: ticks, stepExponent: k)
            }
            (m, k) = nextStep(m, k)
        }
    }

    /// The domain stays exactly as given (e.g. a decision grid's extent);
    /// ticks are the nice multiples inside it.
    static func fixed(_ lower: Double, _ upper: Double, maxTicks: Int) -> Scale {
        let (a, b) = widened(lower, upper)
        let maxTicks = max(2, maxTicks)
        var (m, k) = firstStep(span: (b - a) / Double(maxTicks))
        var previous: Scale? = nil
        while true {
            let first = (a / step(m, k) - 1e-9).rounded(.up)
            let last = (b / step(m, k) + 1e-9).rounded(.down)
            let ticks = first <= last ? (Int(first)...Int(last)).map { multiple($0, m, k) } : []
            let scale = Scale(lo: a, hi: b, ticks: ticks, stepExponent: k)
            if ticks.count <= maxTicks || k > 300 {
                // A lone tick says nothing about scale: take one more than
                // asked for rather than fewer than two.
                if ticks.count < 2, let p = previous, p.ticks.count <= maxTicks + 1 { return p }
                return scale
            }
            previous = scale
            (m, k) = nextStep(m, k)
        }
    }

    /// Nice scale over `values` widened by 2% each side, so marks that sit
    /// exactly on a round number are not drawn on top of the axis line.
    static func padded(_ values: [Double], maxTicks: Int) -> Scale {
        guard let a = values.min(), let b = values.max() else { return nice(0, 1, maxTicks: maxTicks) }
        let pad = (b - a) * 0.02
        return nice(a - pad, b + pad, maxTicks: maxTicks)
    }

    /// Where `v` falls, 0 at `lo` and 1 at `hi`.
    func fraction(_ v: Double) -> Double { isLog ? logFraction(v) : (v - lo) / (hi - lo) }

    /// Tick labels with just enough decimals for the step.
    var labels: [String] { ticks.map(label) }

    func label(_ v: Double) -> String {
        if isLog { return formatShort(v) }
        let biggest = ticks.map { abs($0) }.max() ?? abs(v)
        if biggest >= 1e7 || stepExponent < -6 { return formatScientific(v) }
        return formatFixed(v, decimals: max(0, -stepExponent))
    }

    private static func widened(_ lower: Double, _ upper: Double) -> (Double, Double) {
        guard lower.isFinite, upper.isFinite else { return (0, 1) }
        let (a, b) = (min(lower, upper), max(lower, upper))
        if b - a > 1e-12 * max(abs(a), abs(b)) && b > a { return (a, b) }
        let pad = a == 0 ? 1 : abs(a) * 0.1
        return (a - pad, b + pad)
    }

    private static func step(_ m: Int, _ k: Int) -> Double { multiple(1, m, k) }

    /// i × m × 10^k, computed so that decimals come out exact where they can
    /// (3 × 0.1 would give 0.30000000000000004; 3 / 10 gives 0.3).
    private static func multiple(_ i: Int, _ m: Int, _ k: Int) -> Double {
        let n = Double(i * m)
        return k >= 0 ? n * pow10(k) : n / pow10(-k)
    }

    private static func firstStep(span: Double) -> (Int, Int) {
        var k = 0
        var p = 1.0
        // Start one decade below the rough step and walk up through 1, 2, 5.
        if span >= 1 { while p * 10 <= span { p *= 10; k += 1 } } else { while p > span && k > -320 { p /= 10; k -= 1 } }
        return (1, k - 1)
    }

    private static func nextStep(_ m: Int, _ k: Int) -> (Int, Int) {
        switch m {
        case 1: return (2, k)
        case 2: return (5, k)
        default: return (1, k + 1)
        }
    }
}

func pow10(_ k: Int) -> Double {
    var r = 1.0
    for _ in 0..<max(0, k) { r *= 10 }
    return r
}

/// `v` with exactly `decimals` digits after the point, rounded half away from zero.
func formatFixed(_ v: Double, decimals: Int) -> String {
    guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
    let scaled = (abs(v) * pow10(decimals)).rounded()
    guard scaled < 9e15 else { return formatScientific(v) }
    var digits = String(UInt64(scaled))
    if decimals > 0 {
        if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
        digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
    }
    return (v < 0 && scaled != 0 ? "-" : "") + digits
}

/// Up to `significant` significant digits, trailing zeros dropped: 4.66, 0.125, 1200.
func formatShort(_ v: Double, significant: Int = 4) -> String {
    guard v.isFinite, v != 0 else { return v == 0 ? "0" : formatFixed(v, decimals: 0) }
    let magnitude = abs(v)
    if magnitude >= 1e7 || magnitude < 1e-4 { return formatScientific(v) }
    var exponent = 0
    var p = 1.0
    while p * 10 <= magnitude { p *= 10; exponent += 1 }
    while p > magnitude { p /= 10; exponent -= 1 }
    return trimZeros(formatFixed(v, decimals: max(0, significant - 1 - exponent)))
}

/// Scientific notation with up to 3 decimals in the mantissa: 1.5e7, -2e-9.
func formatScientific(_ v: Double) -> String {
    guard v.isFinite, v != 0 else { return formatFixed(v, decimals: 0) }
    var exponent = 0
    var m = abs(v)
    while m >= 10 { m /= 10; exponent += 1 }
    while m < 1 { m *= 10; exponent -= 1 }
    var mantissa = trimZeros(formatFixed(m, decimals: 3))
    if mantissa == "10" { mantissa = "1"; exponent += 1 }
    return (v < 0 ? "-" : "") + mantissa + "e" + String(exponent)
}

private func trimZeros(_ s: String) -> String {
    guard s.contains(".") else { return s }
    var t = Substring(s)
    while t.hasSuffix("0") { t = t.dropLast() }
    if t.hasSuffix(".") { t = t.dropLast() }
    return String(t)
}
