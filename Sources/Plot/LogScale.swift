// Logarithmic axes: `plot loss log`, `plot sweep log`. Loss values fall over decades, so a
// linear axis squeezes all but the first epochs onto the floor; on a log axis each decade
// gets the same height.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Scale {
    /// A log axis over `lower...upper` (both > 0): the domain runs from the decade at or below
    /// `lower` to the one at or above `upper`, and the ticks sit at decades (every second or
    /// third one when there are more than `maxTicks`); within one or two decades, at 1, 2 and
    /// 5 times each, so the axis keeps enough labels to be read.
    static func logarithmic(_ lower: Double, _ upper: Double, maxTicks: Int) -> Scale {
        guard lower > 0, upper >= lower, lower.isFinite, upper.isFinite else { return logarithmic(1, 10, maxTicks: maxTicks) }
        let maxTicks = max(2, maxTicks)
        var first = Int(log10(lower).rounded(.down))
        var last = Int(log10(upper).rounded(.up))
        // log10 of an exact power of ten can land a hair off; the decade must still cover the value.
        if decade(first) > lower { first -= 1 }
        if decade(last) < upper { last += 1 }
        if last == first { last += 1 }
        let decades = last - first
        var ticks: [Double] = []
        if decades * 3 + 1 <= maxTicks {
            for k in first..<last { ticks += [1.0, 2, 5].map { k >= 0 ? $0 * pow10(k) : $0 / pow10(-k) } }
            ticks.append(decade(last))
            // Ticks beyond the 1-2-5 marks that bracket the data only waste room: the
            // domain shrinks to those marks.
            let below = ticks.last { $0 <= lower } ?? ticks.first!
            let above = ticks.first { $0 >= upper } ?? ticks.last!
            ticks = ticks.filter { $0 >= below && $0 <= above }
            return Scale(lo: below, hi: above, ticks: ticks, stepExponent: first, isLog: true)
        }
        let every = (decades + maxTicks - 2) / (maxTicks - 1)
        while (last - first) % every != 0 { last += 1 }
        ticks = stride(from: first, through: last, by: every).map(decade)
        return Scale(lo: decade(first), hi: decade(last), ticks: ticks, stepExponent: first, isLog: true)
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
