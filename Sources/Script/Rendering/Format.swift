/// Number and table formatting without Foundation (keeps start-up small and the
/// output identical across platforms).
enum Format {
    /// Fixed-point with `digits` decimals: fixed(0.98765, 4) == "0.9877".
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        // Past 15 decimals the scale below no longer fits an Int (and a Double has no more digits).
        guard digits <= 15 else { return String(value) }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return String(value) }
        let whole = Int(scaled) / Int(scale)
        let fraction = Int(scaled) % Int(scale)
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard digits > 0 else { return sign + String(whole) }
        let fractionText = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }

    static func fixed(_ value: Float, _ digits: Int) -> String { fixed(Double(value), digits) }

    /// Thousands separators: 61706 → "61,706".
    static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// A duration for progress lines: "840ms", "1.25s", "2m05s". Transcript tests mask these.
    static func seconds(_ s: Double) -> String {
        if s < 1 { return "\(Int((s * 1000).rounded()))ms" }
        if s < 60 { return fixed(s, 2) + "s" }
        let total = Int(s.rounded())
        let rest = total % 60
        return "\(total / 60)m\(rest < 10 ? "0" : "")\(rest)s"
    }

    /// A compact general number: integers as integers, others with up to 4 significant decimals.
    static func general(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e12 { return String(Int(value)) }
        if abs(value) >= 1000 { return fixed(value, 1) }
        if abs(value) >= 1 { return trimmed(fixed(value, 4)) }
        return trimmed(fixed(value, 6))
    }

    private static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var t = Substring(text)
        while t.hasSuffix("0") { t = t.dropLast() }
        if t.hasSuffix(".") { t = t.dropLast() }
        return String(t)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}

/// A plain text table: a header row, a rule, rows; numeric columns right-aligned.
struct TextTable {
    var headers: [String]
    var rightAligned: Set<Int> = []
    var rows: [[String]] = []
    /// Rows after which a rule is drawn (e.g. before totals).
    var rulesAfter: Set<Int> = []

    func render(indent: String = "") -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            let parts = cells.enumerated().map { i, cell in
                rightAligned.contains(i) ? Format.padLeft(cell, widths[i]) : Format.pad(cell, widths[i])
            }
            var text = indent + parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text + "\n"
        }
        let rule = indent + String(repeating: "─", count: widths.reduce(0, +) + 2 * (widths.count - 1)) + "\n"
        var text = line(headers) + rule
        for (i, row) in rows.enumerated() {
            text += line(row)
            if rulesAfter.contains(i) { text += rule }
        }
        return text
    }
}

#if canImport(Glibc)
import Glibc
#endif

extension Format {
    /// `digits` significant digits, trailing zeros trimmed: significant(5.843333, 4) == "5.843".
    static func significant(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-inf" : "inf") }
        guard value != 0 else { return "0" }
        let exponent = Int(floor(log10(abs(value))))
        // Very small and very large numbers in scientific notation, as pandas shows them:
        // fixed notation would need dozens of zeros.
        if exponent < -4 || exponent >= 15 { return scientific(value, digits, exponent: exponent) }
        let decimals = max(0, digits - 1 - exponent)
        return trimmed(fixed(value, decimals))
    }

    /// "1.235e-45": the mantissa to `digits` significant digits, trailing zeros dropped.
    private static func scientific(_ value: Double, _ digits: Int, exponent: Int) -> String {
        // Scaled in steps: 10^±324 itself is out of a Double's range.
        var mantissa = abs(value), rest = exponent
        while rest != 0 {
            let step = max(-300, min(300, rest))
            mantissa /= pow10(step)
            rest -= step
        }
        var power = exponent
        var text = trimmed(fixed(mantissa, digits - 1))
        if text.hasPrefix("10") { // 9.99995 rounded up to the next power
            power += 1
            text = trimmed(fixed(mantissa / 10, digits - 1))
        }
        let sign = value < 0 ? "-" : ""
        return sign + text + "e" + (power < 0 ? "-" : "+") + (abs(power) < 10 ? "0" : "") + String(abs(power))
    }

    /// 10 to a whole power from -300 to 300.
    private static func pow10(_ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(n) { result *= 10 }
        return n < 0 ? 1 / result : result
    }
}
