/// How a CSV file writes its fields, numbers and gaps, in the terms of pandas' `read_csv`:
/// `sep`, `decimal`, `thousands` and `na_values`. The standard dialect is a comma between
/// fields, a point before decimals, no thousands separator, and pandas' default spellings of
/// a missing cell; a European spreadsheet's export is `sep=";" decimal=","`.
public struct CSVDialect: Equatable, Sendable {
    /// The byte between fields.
    public var separator: UInt8
    /// The byte before a number's decimals.
    public var decimal: UInt8
    /// The byte between groups of three digits in a number's integer part (`1,234,567`), if any.
    public var thousands: UInt8?
    /// Spellings of a missing cell besides pandas' defaults (`missingWords`), as written.
    public var missing: [String]

    public init(separator: UInt8 = comma, decimal: UInt8 = point, thousands: UInt8? = nil, missing: [String] = []) {
        self.separator = separator
        self.decimal = decimal
        self.thousands = thousands
        self.missing = missing
    }

    public static let comma = UInt8(ascii: ","), point = UInt8(ascii: ".")

    /// Comma-separated, decimal point, no thousands separator, pandas' missing spellings.
    public static let standard = CSVDialect()

    public var isStandard: Bool { self == .standard }

    /// pandas' default `na_values` (`pandas._libs.parsers.STR_NA_VALUES`) apart from the
    /// empty cell and the spellings of NaN, which `NumberParser.isNaNWord` takes in any case.
    public static let missingWords = ["#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "1.#IND", "1.#QNAN",
                                      "<NA>", "N/A", "NA", "NULL", "None", "n/a", "null"]

    /// Why these settings cannot read a file, or nil: each must be one ASCII character that
    /// cannot be part of a number or a line, and a number cannot use one byte both for its
    /// decimals and its thousands.
    public var problem: TabularError? { conflict?.error }

    /// `problem`, with the key (`sep`, `decimal`, `thousands`) whose value is at fault.
    public var conflict: (key: String, error: TabularError)? {
        for (key, byte) in [("sep", separator), ("decimal", decimal)] + (thousands.map { [("thousands", $0)] } ?? []) {
            if let reason = Self.unusable(byte, for: key) {
                return (key, TabularError("\(key)='\(Self.shown(byte))' \(reason)", hint: Self.keyHint(key)))
            }
        }
        if let thousands, thousands == decimal {
            return ("thousands", TabularError("thousands='\(Self.shown(thousands))' is also the decimal separator, so '1\(Self.shown(thousands))234' could be either",
                                              hint: "give them different characters, e.g. decimal=\",\" thousands=\".\" or decimal=\".\" thousands=\",\""))
        }
        // A decimal or thousands separator equal to `sep` is allowed: quoted numbers carry it ("1,5").
        return nil
    }

    private static func unusable(_ byte: UInt8, for key: String) -> String? {
        switch byte {
        case 10, 13: return "is a line end"
        case UInt8(ascii: "\""): return "is the quote character"
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return "is a digit"
        case UInt8(ascii: " "): return key == "sep" ? "is a space, which dl trims from around cells" : nil
        case UInt8(ascii: "-"), UInt8(ascii: "+"): return key == "sep" ? nil : "is a sign"
        default: return byte >= 0x80 ? "is not an ASCII character" : nil
        }
    }

    private static func keyHint(_ key: String) -> String {
        switch key {
        case "sep": return "give the character between fields, e.g. sep=\";\" or sep=\"\\t\" (a tab)"
        case "decimal": return "give the character before the decimals, e.g. decimal=\",\""
        default: return "give the character between groups of digits, e.g. thousands=\".\" or thousands=\",\""
        }
    }

    /// Whether `text` (trimmed) spells a missing value in this dialect, as a cell would.
    public func isMissing(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var s = 0, e = bytes.count
            while s < e, bytes[s] == 32 || bytes[s] == 9 { s += 1 }
            while e > s, bytes[e - 1] == 32 || bytes[e - 1] == 9 { e -= 1 }
            if case .missing = CellReader(self).value(bytes, s, e) { return true }
            return false
        }
    }

    /// `text` as a number written in this dialect, or nil when it is not one.
    public func number(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { NumberParser.parse($0, 0, $0.count, decimal: decimal, thousands: thousands) }
    }

    /// A byte as a message shows it: `\t` for a tab.
    public static func shown(_ byte: UInt8) -> String {
        switch byte {
        case 9: return "\\t"
        case 10: return "\\n"
        case 13: return "\\r"
        default: return String(UnicodeScalar(byte))
        }
    }
}

/// The missing-cell test of a dialect, for the parsers: pandas' spellings and the dialect's
/// own, compared as bytes, and those of the dialect's own that are numbers, compared as
/// values (pandas matches `-999` in `na_values` to a cell `-999.0` too).
struct MissingCells {
    /// Spellings by length, so a cell is compared with the few of its own length.
    private let byLength: [[[UInt8]]]
    /// The dialect's own spellings that are numbers.
    let numbers: [Double]

    init(_ dialect: CSVDialect) {
        var byLength = [[[UInt8]]](repeating: [], count: 1)
        var numbers: [Double] = []
        for word in CSVDialect.missingWords + dialect.missing where !word.isEmpty {
            let bytes = Array(word.utf8)
            while byLength.count <= bytes.count { byLength.append([]) }
            byLength[bytes.count].append(bytes)
            let value = bytes.withUnsafeBufferPointer {
                NumberParser.parse($0, 0, $0.count, decimal: dialect.decimal, thousands: dialect.thousands)
            }
            if let value, !numbers.contains(value) { numbers.append(value) }
        }
        self.byLength = byLength
        self.numbers = numbers
    }

    /// True for a cell (already trimmed, not a number of `numbers`) that spells a missing
    /// value: empty, a spelling of NaN, or one of the words.
    @inline(__always)
    func isMissing(_ bytes: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        let length = e - s
        if length == 0 { return true }
        if length < byLength.count {
            for word in byLength[length] where word.withUnsafeBufferPointer({ w in
                var k = 0
                while k < length, w[k] == bytes[s + k] { k += 1 }
                return k == length
            }) { return true }
        }
        return NumberParser.isNaNWord(bytes, s, e)
    }

    /// True when `value`, parsed from a cell, is one of the dialect's missing numbers.
    @inline(__always)
    func isMissing(_ value: Double) -> Bool {
        !numbers.isEmpty && numbers.contains(value)
    }
}

/// What a cell holds, read in a dialect: the one rule the sequential and the split parsers share.
enum CellValue {
    case number(Double)
    case missing
    case text
}

/// Reads cells in a dialect: its decimal and thousands separators and its missing cells.
struct CellReader {
    let decimal: UInt8
    let thousands: UInt8?
    let missing: MissingCells

    init(_ dialect: CSVDialect) {
        decimal = dialect.decimal
        thousands = dialect.thousands
        missing = MissingCells(dialect)
    }

    /// The trimmed cell `bytes[s..<e]`; `quotedEscapes` (a quoted field with doubled quotes)
    /// is never a number.
    @inline(__always)
    func value(_ bytes: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, quotedEscapes: Bool = false) -> CellValue {
        if s == e { return .missing }
        if !quotedEscapes, let number = NumberParser.parse(bytes, s, e, decimal: decimal, thousands: thousands) {
            return missing.isMissing(number) ? .missing : .number(number)
        }
        return missing.isMissing(bytes, s, e) ? .missing : .text
    }
}
