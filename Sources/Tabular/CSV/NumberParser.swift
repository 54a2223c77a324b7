#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses decimal numbers straight from bytes, so the CSV reader never builds a String
/// for a numeric cell.
///
/// Accepted: optional sign, digits with an optional decimal point (`1`, `-0.5`, `.5`, `1.`;
/// the point is the dialect's `decimal`, `,` in much of Europe), and an optional exponent
/// (`1e-3`); `inf` and `infinity` in any case, signed or not, as pandas reads them. With a
/// `thousands` separator, the integer part may be written in groups (`1,234,567.5`), every
/// group after the first of exactly three digits: pandas skips the separator anywhere in
/// the integer part, but `1.5` read as 15 with `thousands="."` is a wrong number, not a
/// typo pointed at. Not accepted: hex floats, spaces. `nan` is not a number here: the
/// reader takes it as a missing cell (`isNaNWord`), as pandas does.
/// Results equal Swift's `Double(String)`: simple cases use the exact Clinger fast path
/// (an exact integer times or divided by an exact power of ten rounds once, correctly);
/// everything else goes to `strtod`, which rounds correctly too.
enum NumberParser {
    /// Exact powers of ten in Double: 10^0 ... 10^22 (a literal, so no lazy global on the hot path).
    @inline(__always)
    private static func power(_ k: Int) -> Double {
        switch k {
        case 0: return 1e0;   case 1: return 1e1;   case 2: return 1e2;   case 3: return 1e3
        case 4: return 1e4;   case 5: return 1e5;   case 6: return 1e6;   case 7: return 1e7
        case 8: return 1e8;   case 9: return 1e9;   case 10: return 1e10; case 11: return 1e11
        case 12: return 1e12; case 13: return 1e13; case 14: return 1e14; case 15: return 1e15
        case 16: return 1e16; case 17: return 1e17; case 18: return 1e18; case 19: return 1e19
        case 20: return 1e20; case 21: return 1e21; default: return 1e22
        }
    }

    /// The number in `bytes[start..<end]`, or nil when those bytes are not one.
    @inline(__always)
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
                      decimal: UInt8 = CSVDialect.point, thousands: UInt8? = nil) -> Double? {
        if let value = parsePlain(bytes, start, end, decimal: decimal) { return value }
        guard let thousands else { return nil }
        return parseGrouped(bytes, start, end, decimal: decimal, thousands: thousands)
    }

    /// A number written with thousands separators: the digits without them, parsed. Only
    /// cells that are not plain numbers come here, so plain files pay nothing for it.
    private static func parseGrouped(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
                                     decimal: UInt8, thousands: UInt8) -> Double? {
        var i = start
        if i < end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
        var group = 0, groups = 0
        while i < end {
            if bytes[i] &- 48 < 10 {
                group += 1
            } else if bytes[i] == thousands {
                // The first group has 1 to 3 digits, every later one exactly 3.
                guard group > 0, group <= 3, groups == 0 || group == 3 else { return nil }
                groups += 1
                group = 0
            } else {
                break
            }
            i += 1
        }
        guard groups > 0, group == 3 else { return nil }
        let count = end - start
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { buffer in
            var n = 0
            for k in start..<end where k >= i || bytes[k] != thousands {
                buffer[n] = bytes[k]
                n += 1
            }
            return parsePlain(UnsafeBufferPointer(rebasing: buffer[0..<n]), 0, n, decimal: decimal)
        }
    }

    @inline(__always)
    private static func parsePlain(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, decimal: UInt8) -> Double? {
        var i = start
        guard i < end else { return nil }
        var negative = false
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        let unsigned = i
        var mantissa: UInt64 = 0
        var significant = 0      // digits held in `mantissa`, leading zeros not counted
        var exponent = 0         // decimal exponent to apply to `mantissa`
        var exact = true         // false once a digit did not fit in `mantissa`
        var digits = 0

        while i < end, bytes[i] &- 48 < 10 {
            let d = UInt64(bytes[i] &- 48)
            if mantissa == 0 && d == 0 {
                // leading zero: no effect
            } else if significant < 19 {
                mantissa = mantissa &* 10 &+ d
                significant += 1
            } else {
                exponent += 1
                exact = false
            }
            digits += 1
            i += 1
        }
        if i < end, bytes[i] == decimal {
            i += 1
            while i < end, bytes[i] &- 48 < 10 {
                let d = UInt64(bytes[i] &- 48)
                if mantissa == 0 && d == 0 {
                    exponent -= 1
                } else if significant < 19 {
                    mantissa = mantissa &* 10 &+ d
                    significant += 1
                    exponent -= 1
                } else {
                    exact = false
                }
                digits += 1
                i += 1
            }
        }
        // Only a cell without digits is looked at as a word, so numbers pay nothing for it.
        guard digits > 0 else { return infinity(bytes, unsigned, end, negative: negative) }
        if i < end, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0, expDigits = 0
            while i < end, bytes[i] &- 48 < 10 {
                if e < 100_000 { e = e * 10 + Int(bytes[i] &- 48) }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == end else { return nil }

        if mantissa == 0 && exact { return negative ? -0.0 : 0.0 }
        if exact && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            if exponent > 0 { value *= power(exponent) } else if exponent < 0 { value /= power(-exponent) }
            return negative ? -value : value
        }
        return slowParse(bytes, start, end, decimal: decimal)
    }

    /// `inf` or `infinity` in any case at `bytes[start..<end]` (after the sign), else nil.
    private static func infinity(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, negative: Bool) -> Double? {
        let word: StaticString = "infinity"
        guard end - start == 3 || end - start == 8 else { return nil }
        for k in 0..<(end - start) where bytes[start + k] | 0x20 != word.utf8Start[k] { return nil }
        return negative ? -.infinity : .infinity
    }

    /// True for `nan` in any case, signed or not (pandas' `nan`, `NaN`, `-nan`): a missing
    /// cell. Asked only of cells that are not numbers.
    static func isNaNWord(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var s = start
        if end - s == 4, bytes[s] == UInt8(ascii: "-") || bytes[s] == UInt8(ascii: "+") { s += 1 }
        return end - s == 3 && bytes[s] | 0x20 == UInt8(ascii: "n") && bytes[s + 1] | 0x20 == UInt8(ascii: "a")
            && bytes[s + 2] | 0x20 == UInt8(ascii: "n")
    }

    /// `strtod` on a NUL-terminated copy of already validated bytes, its decimal separator
    /// made a point (strtod reads the C locale's).
    private static func slowParse(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, decimal: UInt8) -> Double {
        let count = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
            for k in 0..<count {
                let byte = bytes[start + k]
                buffer[k] = CChar(bitPattern: byte == decimal ? CSVDialect.point : byte)
            }
            buffer[count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }
}
