import DLCore
import Tabular

/// The keys that say how a CSV file is written, with pandas' names and meanings (read_csv's
/// `sep`, `decimal`, `thousands`, `na_values`): declared once, taken by `load` and by
/// `predict "FILE"`.
enum CSVDialectKeys {
    static let sep = Key<String?>.name("sep", doc: "the character between fields (default ','; a European spreadsheet's export uses \";\", a TSV \"\\t\")")
    static let decimal = Key<String?>.name("decimal", doc: "the character before the decimals of a number (default '.'; \",\" in much of Europe)")
    static let thousands = Key<String?>.name("thousands", doc: "the character between groups of three digits, as in 1,234,567 (default none)")
    static let na = Key<[String]?>.names("na", doc: "more spellings of a missing cell, besides the empty cell and pandas' NA, N/A, NULL, None, nan, …")

    static var specs: [KeySpec] { [sep.spec, decimal.spec, thousands.spec, na.spec] }

    /// The keys as written: each a one-character value or nil, and the extra missing spellings.
    struct Given {
        var separator: Placed<String?>
        var decimal: Placed<String?>
        var thousands: Placed<String?>
        var missing: Placed<[String]?>

        init(_ args: Arguments) {
            separator = args.placed(CSVDialectKeys.sep)
            decimal = args.placed(CSVDialectKeys.decimal)
            thousands = args.placed(CSVDialectKeys.thousands)
            // `na="NULL,N/A"` and `na=NULL,N/A` alike.
            let items = args[CSVDialectKeys.na]?.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            missing = Placed(value: items, range: args.range(of: CSVDialectKeys.na), given: args.has(CSVDialectKeys.na))
        }

        var isEmpty: Bool { !separator.given && !decimal.given && !thousands.given && !missing.given }

        /// `base` with what was given in its place; errors point at the key at fault. A
        /// setting of `base` that clashes with a given one gives way (`decimal="."` over a
        /// base with `thousands="."` leaves no thousands separator).
        func dialect(over base: CSVDialect = .standard) throws -> CSVDialect {
            var dialect = base
            if let byte = try Self.byte(separator, key: "sep") { dialect.separator = byte }
            if let byte = try Self.byte(decimal, key: "decimal") {
                dialect.decimal = byte
                if !thousands.given, dialect.thousands == byte { dialect.thousands = nil }
            }
            if thousands.given {
                dialect.thousands = try Self.byte(thousands, key: "thousands")
                if !decimal.given, let grouping = dialect.thousands, grouping == dialect.decimal {
                    dialect.decimal = grouping == CSVDialect.point ? CSVDialect.comma : CSVDialect.point
                }
            }
            if let words = missing.value {
                dialect.missing = words.map { $0.trimmingSpaces }.filter { !$0.isEmpty }
            }
            if let (key, problem) = dialect.conflict {
                let range = key == "sep" ? separator.range : key == "decimal" ? decimal.range : thousands.range
                throw Diagnostic(problem.message, at: range, hint: problem.hint)
            }
            return dialect
        }

        /// The one ASCII character a key gives; `tab` (or a tab, "\t") for a tab.
        private static func byte(_ value: Placed<String?>, key: String) throws -> UInt8? {
            guard let text = value.value else { return nil }
            if text == "tab" || text == "\t" { return 9 }
            guard text.utf8.count == 1, let byte = text.utf8.first, byte < 0x80 else {
                throw Diagnostic("\(key)= takes one character, but got '\(text)'", at: value.range,
                                 hint: key == "sep" ? "e.g. sep=\";\", or sep=\"\\t\" for tabs" : "e.g. \(key)=\",\"")
            }
            return byte
        }
    }

    /// `head` (a statement's start) followed by the keys that give `dialect`, `sep=` always
    /// when `withSeparator`.
    static func statement(_ head: String, _ dialect: CSVDialect, withSeparator: Bool = false) -> String {
        let keys = written(dialect, withSeparator: withSeparator)
        return keys.isEmpty ? head : head + " " + keys
    }

    /// The keys that give `dialect`, as a statement writes them (`sep=";" decimal=","`);
    /// empty for the standard dialect (unless `withSeparator`).
    static func written(_ dialect: CSVDialect, withSeparator: Bool = false) -> String {
        var keys: [String] = []
        if withSeparator || dialect.separator != CSVDialect.comma { keys.append("sep=" + literal(dialect.separator)) }
        if dialect.decimal != CSVDialect.point { keys.append("decimal=" + literal(dialect.decimal)) }
        if let thousands = dialect.thousands { keys.append("thousands=" + literal(thousands)) }
        if !dialect.missing.isEmpty { keys.append("na=" + quotedLiteral(dialect.missing.joined(separator: ","))) }
        return keys.joined(separator: " ")
    }

    private static func literal(_ byte: UInt8) -> String {
        quotedLiteral(String(UnicodeScalar(byte)))
    }
}

private extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
