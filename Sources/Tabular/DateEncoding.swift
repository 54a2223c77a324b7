#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `encode date COL`: a date column becomes numeric columns of its parts, named
/// `COL_year`, `COL_month`, `COL_day`, `COL_weekday` (Monday 0, as pandas' `dayofweek`) and
/// `COL_dayofyear`, with `COL_hour` when the column has times, and with `cyclic`, the sine and
/// cosine of the month and of the weekday (`COL_month_sin`, …), which put December next to
/// January and Sunday next to Monday. Nothing is fitted but which parts there are, so new
/// rows get the same columns.
public struct DateEncoding: Equatable, Sendable {
    /// One new column.
    public enum Part: String, CaseIterable, Sendable {
        case year, month, day, weekday, dayofyear, hour
        case monthSin = "month_sin", monthCos = "month_cos", weekdaySin = "weekday_sin", weekdayCos = "weekday_cos"

        /// The part of `date`, as pandas' `dt` accessor gives it; the cyclic parts are
        /// sin and cos of 2π·(month − 1)/12 and of 2π·weekday/7.
        public func value(of date: ISODate) -> Double {
            switch self {
            case .year: return Double(date.year)
            case .month: return Double(date.month)
            case .day: return Double(date.day)
            case .weekday: return Double(date.weekday)
            case .dayofyear: return Double(date.dayOfYear)
            case .hour: return Double(date.hour)
            case .monthSin: return sin(2 * Double.pi * Double(date.month - 1) / 12)
            case .monthCos: return cos(2 * Double.pi * Double(date.month - 1) / 12)
            case .weekdaySin: return sin(2 * Double.pi * Double(date.weekday) / 7)
            case .weekdayCos: return cos(2 * Double.pi * Double(date.weekday) / 7)
            }
        }
    }

    /// The date column encoded.
    public let column: String
    /// The new columns, in order.
    public let parts: [Part]

    public init(column: String, parts: [Part]) {
        self.column = column
        self.parts = parts
    }

    /// The parts for a column with or without times, with or without the cyclic pairs.
    public static func parts(hasTime: Bool, cyclic: Bool) -> [Part] {
        [.year, .month, .day, .weekday, .dayofyear] + (hasTime ? [.hour] : [])
            + (cyclic ? [.monthSin, .monthCos, .weekdaySin, .weekdayCos] : [])
    }

    /// The encoding of a date column of `table`. Throws for an unknown column, a numeric
    /// column, a column that is not dates (naming the first cell that is not one) and a
    /// column with no values.
    public static func fit(_ table: Table, column: String, cyclic: Bool) throws -> DateEncoding {
        let source = table.columns[try table.columnIndex(column)]
        guard case .text(let cells) = source.data else {
            throw TabularError("column '\(column)' holds numbers; `encode date` is for columns of dates written YYYY-MM-DD",
                               hint: "numeric columns are used as they are")
        }
        if let row = cells.firstIndex(where: { $0 != nil && ISODate.parse($0!) == nil }) {
            throw TabularError("column '\(column)' is not a date column: line \(table.line(ofRow: row)) has '\(cells[row]!)'",
                               hint: "dates are written YYYY-MM-DD, optionally with a time (2012-01-31 14:00); a text column is encoded with onehot or dropped")
        }
        guard let summary = source.dates else {
            throw TabularError("column '\(column)' has no values to encode", hint: "drop it")
        }
        return DateEncoding(column: column, parts: parts(hasTime: summary.hasTime, cyclic: cyclic))
    }

    /// The names of the new columns, in order: "date_year", "date_month", …
    public var newColumnNames: [String] {
        parts.map { "\(column)_\($0.rawValue)" }
    }

    /// Replaces the column with the parts' columns, at the same position; a missing cell
    /// gives NaN in each. Throws, changing nothing, for a cell that is not a date (rows given
    /// to `predict`), naming its line when there is more than one row. Does nothing when the
    /// table has no text column of that name.
    public func apply(to table: inout Table) throws {
        guard let position = table.columns.firstIndex(where: { $0.name == column }),
              case .text(let cells) = table.columns[position].data else { return }
        var values = [[Double]](repeating: [Double](repeating: .nan, count: cells.count), count: parts.count)
        for (row, cell) in cells.enumerated() {
            guard let cell else { continue }
            guard let date = ISODate.parse(cell) else {
                let place = table.rowCount > 1 ? "line \(table.line(ofRow: row)) of '\(table.source)': " : ""
                throw TabularError("\(place)'\(cell)' in '\(column)' is not a date",
                                   hint: "write dates as YYYY-MM-DD, optionally with a time (2016-01-31 14:00), or NA when not known")
            }
            for (k, part) in parts.enumerated() { values[k][row] = part.value(of: date) }
        }
        let newColumns = zip(newColumnNames, values).map { Column(name: $0, data: .numeric(.compact($1))) }
        table.columns.replaceSubrange(position...position, with: newColumns)
    }
}
