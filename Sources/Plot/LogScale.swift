// Logarithmic axes: `plot loss log`, `plot sweep log`. Loss values fall over decades, so a
// linear axis squeezes all but the first epochs onto the floor; on a log axis each decade
// gets the same height.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Scale {
    /// A log axis over `lower...upper` (both > 0). Where 1, 2 and 5 times each decade fit in
    /// `maxTicks` (a span of a decade or two), the ticks are those marks, from the one at or
    /// below `lower` to the one at or above `upper`, which end the axis. Otherwise they sit at
    /// the decades inside the data's span (every second or third one when there are more than
    /// `maxTicks`), and the axis ends where the data does, so no decade the data never reaches
    /// takes room; a span with fewer than two decades inside grows to the decades around it.
    static func logarithmic(_ lower: Double, _ upper: Double, maxTicks: Int) -> Scale {
        guard lower > 0, upper >= lower, upper.isFinite else { return logarithmic(1, 10, maxTicks: maxTicks) }
        if lower == upper { return logarithmic(lower / 2, upper * 2, maxTicks: maxTicks) }
        let maxTicks = max(2, maxTicks)
        var first = Int(log10(lower).rounded(.down))
        var last = Int(log10(upper).rounded(.up))
        // log10 of an exact power of ten can land a hair off; the decades must still cover the span.
        if decade(first) > lower { first -= 1 }
        if decade(last) < upper { last += 1 }
        if last == first { last += 1 }

        var marks: [Double] = []
        for k in first..<last { marks += [1.0, 2, 5].map { k >= 0 ? $0 * pow10(k) : $0 / pow10(-k) } }
        marks.append(decade(last))
        let below = marks.last { $0 <= lower } ?? marks[0], above = marks.first { $0 >= upper } ?? marks[marks.count - 1]
        let bracketing = marks.filter { $0 >= below && $0 <= above }
        if bracketing.count <= maxTicks {
            return Scale(lo: below, hi: above, ticks: bracketing, stepExponent: first, isLog: true)
        }

        let tolerance = 1e-9
        let inside = (first...last).filter { decade($0) >= lower * (1 - tolerance) && decade($0) <= upper * (1 + tolerance) }
        guard inside.count >= 2 else {
            let every = (last - first + maxTicks - 2) / (maxTicks - 1)
            return Scale(lo: decade(first), hi: decade(last), ticks: stride(from: first, through: last, by: every).map(decade),
                         stepExponent: first, isLog: true)
        }
        let every = (inside.count + maxTicks - 1) / maxTicks
        let ticks = stride(from: inside[0], through: inside[inside.count - 1], by: every).map(decade)
        return Scale(lo: lower, hi: upper, ticks: ticks, stepExponent: first, isLog: true)
    }

    /// 10^k, exact for the decades an axis uses.
    static func decade(_ k: Int) -> Double { k >= 0 ? pow10(k) : 1 / pow10(-k) }

    /// Where `v` falls on a log axis, 0 at `lo` and 1 at `hi`.
    func logFraction(_ v: Double) -> Double {
        guard v > 0 else { return -1 }
        return (log10(v) - log10(lo)) / (log10(hi) - log10(lo))
    }

    /// The axis for `values`: logarithmic over the positive ones when `log`, else `nice`.
    static func axis(_ values: [Double], log: Bool, maxTicks: Int) -> Scale {
        if log {
            let positive = values.filter { $0 > 0 && $0.isFinite }
            return logarithmic(positive.min() ?? 1, positive.max() ?? 10, maxTicks: maxTicks)
        }
        return nice(values.min() ?? 0, values.max() ?? 1, maxTicks: maxTicks)
    }
}
