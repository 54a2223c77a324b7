/// A date, and a time of day if one was written, read from an ISO 8601 cell:
/// `2012-01-31`, `2012-01-31 14:00`, `2012-01-31T14:00:00Z`, `2012-01-31T14:00:00.5+02:00`.
///
/// The parts are the ones written, as pandas gives them: an offset (`Z`, `+02:00`) is
/// checked but does not move the time, so `14:00+02:00` is hour 14. Dates run from year 1 to
/// 9999 of the proleptic Gregorian calendar, as Python's `datetime` does.
public struct ISODate: Equatable, Comparable, Sendable {
    public let year: Int
    public let month: Int
    public let day: Int
    public let hour: Int
    public let minute: Int
    public let second: Double
    /// Whether a time of day was written.
    public let hasTime: Bool

    /// Days since 1970-01-01.
    public var days: Int { Self.days(year: year, month: month, day: day) }

    /// Seconds since 1970-01-01 00:00, reading the written time as UTC (the offset is not applied).
    public var secondsSinceEpoch: Double {
        Double(days) * 86_400 + Double(hour * 3600 + minute * 60) + second
    }

    /// Monday 0 to Sunday 6, as pandas' `dayofweek` (1970-01-01 was a Thursday).
    public var weekday: Int { ((days + 3) % 7 + 7) % 7 }

    /// 1 for January 1st, as pandas' `dayofyear`.
    public var dayOfYear: Int { days - Self.days(year: year, month: 1, day: 1) + 1 }

    /// In time order, the written time taken as it is (the parts, not the days they count,
    /// so a column's range costs no calendar arithmetic).
    public static func < (a: ISODate, b: ISODate) -> Bool {
        (a.year, a.month, a.day, a.hour, a.minute, a.second) < (b.year, b.month, b.day, b.hour, b.minute, b.second)
    }

    /// Days since 1970-01-01 of a date of the proleptic Gregorian calendar (Howard Hinnant's
    /// `days_from_civil`: years start in March, so February's leap day comes last).
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public static func daysInMonth(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The date in `text`, or nil when it is not one written as above (surrounding spaces
    /// are not allowed: CSV cells come trimmed).
    public static func parse(_ text: String) -> ISODate? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> ISODate? {
        guard b.count >= 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let year = number(b, 0, 4), let month = number(b, 5, 2), let day = number(b, 8, 2),
              year >= 1, (1...12).contains(month), day >= 1, day <= daysInMonth(month, of: year) else { return nil }
        if b.count == 10 { return ISODate(year: year, month: month, day: day, hour: 0, minute: 0, second: 0, hasTime: false) }
        // A time: `T` or a space, HH:MM, then optionally :SS and a fraction, then an offset.
        guard b.count >= 16, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "), b[13] == UInt8(ascii: ":"),
              let hour = number(b, 11, 2), let minute = number(b, 14, 2), hour <= 23, minute <= 59 else { return nil }
        var i = 16
        var second = 0.0
        if i < b.count, b[i] == UInt8(ascii: ":") {
            guard let whole = number(b, i + 1, 2), whole <= 59 else { return nil }
            second = Double(whole)
            i += 3
            if i < b.count, b[i] == UInt8(ascii: ".") {
                var scale = 0.1
                i += 1
                let start = i
                while i < b.count, b[i] &- 48 < 10 {
                    second += Double(b[i] &- 48) * scale
                    scale /= 10
                    i += 1
                }
                guard i > start else { return nil }
            }
        }
        guard offsetIsValid(b, from: i) else { return nil }
        return ISODate(year: year, month: month, day: day, hour: hour, minute: minute, second: second, hasTime: true)
    }

    /// Nothing, `Z`, or `+HH:MM`, `+HHMM`, `+HH` (or `-`) with HH at most 23 and MM at most 59.
    private static func offsetIsValid(_ b: UnsafeBufferPointer<UInt8>, from i: Int) -> Bool {
        let rest = b.count - i
        if rest == 0 { return true }
        if rest == 1 { return b[i] == UInt8(ascii: "Z") }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), let hours = number(b, i + 1, 2), hours <= 23 else { return false }
        switch rest {
        case 3: return true
        case 5: return number(b, i + 3, 2).map { $0 <= 59 } ?? false
        case 6: return b[i + 3] == UInt8(ascii: ":") && (number(b, i + 4, 2).map { $0 <= 59 } ?? false)
        default: return false
        }
    }

    /// The decimal number of `count` digits at `start`, or nil when one is not a digit.
    private static func number(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        guard start + count <= b.count else { return nil }
        var value = 0
        for k in start..<start + count {
            let d = b[k] &- 48
            guard d < 10 else { return nil }
            value = value * 10 + Int(d)
        }
        return value
    }
}

/// How a text cell reads as a date, for telling a date column with a typo from a column of
/// text, and ISO dates from dates written another way.
public enum DateCell: Equatable, Sendable {
    /// An ISO 8601 date (or date and time).
    case iso(ISODate)
    /// Written the ISO way (`2012-02-30`, `2012-01-31 25:00`) but not a real date or time.
    case impossible
    /// A date written another way: `31/01/2012`, `01/31/2012`, `31.01.2012`, `2012/01/31`, `2012-1-5`.
    case otherFormat
    /// Not a date.
    case notADate

    public init(_ text: String) {
        if let date = ISODate.parse(text) {
            self = .iso(date)
            return
        }
        var text = text
        self = text.withUTF8(Self.classify)
    }

    private static func classify(_ b: UnsafeBufferPointer<UInt8>) -> DateCell {
        // Digits in three groups split by one kind of separator, then nothing or a time.
        var groups: [Int] = [0]     // digits in each group
        var values: [Int] = [0]
        var separator: UInt8?
        var i = 0
        while i < b.count {
            let c = b[i]
            if c &- 48 < 10 {
                groups[groups.count - 1] += 1
                values[values.count - 1] = min(values[values.count - 1] * 10 + Int(c &- 48), 100_000)
            } else if groups.count < 3, c == UInt8(ascii: "-") || c == UInt8(ascii: "/") || c == UInt8(ascii: "."),
                      separator == nil || separator == c, groups.last! > 0 {
                separator = c
                groups.append(0)
                values.append(0)
            } else {
                break
            }
            i += 1
        }
        guard groups.count == 3, i == b.count || b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "T") else { return .notADate }
        if separator == UInt8(ascii: "-"), groups == [4, 2, 2] { return .impossible }
        let (a, m, c) = (groups[0], groups[1], groups[2])
        // Day and month either way round (31/01/2012, 01/31/12), or year, month, day.
        let dayFirst = (1...2).contains(a) && (1...2).contains(m) && (c == 2 || c == 4)
            && (1...31).contains(values[0]) && (1...31).contains(values[1]) && min(values[0], values[1]) <= 12
        let yearFirst = a == 4 && (1...2).contains(m) && (1...2).contains(c) && (1...12).contains(values[1]) && (1...31).contains(values[2])
        return dayFirst || yearFirst ? .otherFormat : .notADate
    }
}
