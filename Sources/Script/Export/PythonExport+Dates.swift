import DLCore
import Tabular

extension PythonExport {
    /// `pd.read_csv`'s arguments for the dialect the session loaded the data with (pandas'
    /// own missing spellings apply by default, as in dl).
    static func readArguments(_ dialect: CSVDialect) -> String {
        func character(_ byte: UInt8) -> String { quotedLiteral(String(UnicodeScalar(byte))) }
        var arguments: [String] = []
        if dialect.separator != CSVDialect.comma { arguments.append("sep=" + character(dialect.separator)) }
        if dialect.decimal != CSVDialect.point { arguments.append("decimal=" + character(dialect.decimal)) }
        if let thousands = dialect.thousands { arguments.append("thousands=" + character(thousands)) }
        arguments.append("na_values=[" + (["NA"] + dialect.missing).map(quotedLiteral).joined(separator: ", ") + "]")
        return arguments.joined(separator: ", ")
    }

    /// The step function of `encode date`: the date's parts by pandas, at the column's place.
    /// Cells are cut to their first 19 characters (YYYY-MM-DDTHH:MM:SS) so that, as in dl, an
    /// offset (`Z`, `+02:00`) does not move the time.
    static func dateStepLines(_ name: String, _ encoding: DateEncoding) -> [String] {
        let column = quotedLiteral(encoding.column)
        let parts = zip(encoding.newColumnNames, encoding.parts).map { "            \(quotedLiteral($0)): \(expression($1))," }
        return ["def \(name)(train, test):",
                "    \"\"\"encode date \(quotedLiteralBody(encoding.column)): the date's parts as numbers (\(encoding.parts.map(\.rawValue).joined(separator: ", "))).\"\"\"",
                "    def apply(frame):",
                "        at = list(frame.columns).index(\(column))",
                "        when = pd.to_datetime(frame[\(column)].astype(\"string\").str.slice(0, 19), format=\"ISO8601\")",
                "        parts = pd.DataFrame({"]
            + parts
            + ["        }, index=frame.index).astype(\"float64\")",
               "        rest = frame.drop(columns=[\(column)])",
               "        return pd.concat([rest.iloc[:, :at], parts, rest.iloc[:, at:]], axis=1)",
               "    return apply(train), apply(test)"]
    }

    private static func expression(_ part: DateEncoding.Part) -> String {
        switch part {
        case .year: return "when.dt.year"
        case .month: return "when.dt.month"
        case .day: return "when.dt.day"
        case .weekday: return "when.dt.day_of_week"
        case .dayofyear: return "when.dt.day_of_year"
        case .hour: return "when.dt.hour"
        case .monthSin: return "np.sin(2 * np.pi * (when.dt.month - 1) / 12)"
        case .monthCos: return "np.cos(2 * np.pi * (when.dt.month - 1) / 12)"
        case .weekdaySin: return "np.sin(2 * np.pi * when.dt.day_of_week / 7)"
        case .weekdayCos: return "np.cos(2 * np.pi * when.dt.day_of_week / 7)"
        }
    }
}
