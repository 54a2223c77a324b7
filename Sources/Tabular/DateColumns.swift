// A date column is a text column whose present cells are all ISO 8601 dates: the cells stay
// as written (so `head`, `predict` files and exports show them unchanged, and every step that
// takes text takes them), and what makes the column one of dates is worked out from them
// whenever it is asked, so it can never disagree with the cells. `encode date` turns it into
// numbers.

/// What a date column holds: how many dates, the earliest and the latest.
public struct DateSummary: Equatable, Sendable {
    public var count: Int
    public var first: ISODate
    public var last: ISODate
    /// The earliest and latest cells as written.
    public var firstText: String
    public var lastText: String
    /// Whether any cell has a time of day.
    public var hasTime: Bool
}

extension Column {
    /// The column's dates when it is a date column: text whose present cells are all ISO
    /// dates, at least one. Nil for numbers, for text and for a column with no values.
    public var dates: DateSummary? {
        guard case .text(let cells) = data else { return nil }
        var count = 0, hasTime = false
        var first: (date: ISODate, row: Int)?, last: (date: ISODate, row: Int)?
        for (row, cell) in cells.enumerated() {
            guard let cell else { continue }
            guard let date = ISODate.parse(cell) else { return nil }
            count += 1
            hasTime = hasTime || date.hasTime
            if first == nil || date < first!.date { first = (date, row) }
            if last == nil || last!.date < date { last = (date, row) }
        }
        guard let first, let last else { return nil }
        return DateSummary(count: count, first: first.date, last: last.date, firstText: cells[first.row]!,
                           lastText: cells[last.row]!, hasTime: hasTime)
    }

    /// Whether the column is a date column (see `dates`).
    public var isDateColumn: Bool {
        guard case .text(let cells) = data else { return false }
        var any = false
        for case let cell? in cells {
            guard ISODate.parse(cell) != nil else { return false }
            any = true
        }
        return any
    }
}

/// How the present cells of a text column read as dates (see `DateCell`), with the first
/// cell of each kind, so a load can point at a date that is not one.
public struct DateScan: Sendable {
    public var iso = 0, impossible = 0, otherFormat = 0, notADate = 0
    public var firstISO: (row: Int, value: String)?
    public var firstImpossible: (row: Int, value: String)?
    public var firstOtherFormat: (row: Int, value: String)?
    public var firstNotADate: (row: Int, value: String)?

    public init(_ cells: [String?]) {
        for (row, cell) in cells.enumerated() {
            guard let cell else { continue }
            // Text that does not start with a digit is no date of any format: the common case
            // of a text column costs one look at one byte.
            guard cell.utf8.first.map({ $0 &- 48 < 10 }) ?? false else {
                notADate += 1
                if firstNotADate == nil { firstNotADate = (row, cell) }
                continue
            }
            switch DateCell(cell) {
            case .iso:
                iso += 1
                if firstISO == nil { firstISO = (row, cell) }
            case .impossible:
                impossible += 1
                if firstImpossible == nil { firstImpossible = (row, cell) }
            case .otherFormat:
                otherFormat += 1
                if firstOtherFormat == nil { firstOtherFormat = (row, cell) }
            case .notADate:
                notADate += 1
                if firstNotADate == nil { firstNotADate = (row, cell) }
            }
        }
    }

    /// Whether dates (of any format, real or not) are most of the present cells.
    public var isMostlyDates: Bool {
        let dates = iso + impossible + otherFormat
        return dates > 0 && dates > notADate
    }
}

extension Table {
    /// Checks the text columns that are mostly dates, `except` one (the target): ISO dates
    /// mixed with dates written another way are an error naming a line of each; a column of
    /// ISO dates with a cell that is not one is an error naming its line, as a stray text
    /// cell in a numeric column is. Returns a note for each column of dates written only
    /// another way (they stay text).
    public func checkDateColumns(except target: String?) throws -> [String] {
        var notes: [String] = []
        for column in columns where column.name != target {
            guard case .text(let cells) = column.data else { continue }
            let scan = DateScan(cells)
            guard scan.isMostlyDates else { continue }
            if let iso = scan.firstISO, let other = scan.firstOtherFormat {
                throw TabularError("column '\(column.name)' mixes date formats: line \(line(ofRow: iso.row)) of '\(source)' has '\(iso.value)' (YYYY-MM-DD) but line \(line(ofRow: other.row)) has '\(other.value)'",
                                   hint: "write every date as YYYY-MM-DD (ISO 8601, e.g. 2012-01-31), or write NA for a date that is not known")
            }
            if scan.firstISO != nil {
                let bad = [scan.firstImpossible, scan.firstNotADate].compactMap { $0 }.min { $0.row < $1.row }
                if let bad {
                    let what = scan.firstImpossible?.row == bad.row ? "which is not a real date or time" : "which is not a date"
                    throw TabularError("column '\(column.name)' holds dates, but line \(line(ofRow: bad.row)) of '\(source)' has '\(bad.value)', \(what)",
                                       hint: "fix that cell (dates are written YYYY-MM-DD, optionally with a time, e.g. 2012-01-31 14:00), or write NA to mark it missing")
                }
            } else if let other = scan.firstOtherFormat {
                notes.append("column '\(column.name)' holds dates written like '\(other.value)' (line \(line(ofRow: other.row))); "
                             + "dl reads dates written YYYY-MM-DD (ISO 8601), so it stays text")
            }
        }
        return notes
    }
}
