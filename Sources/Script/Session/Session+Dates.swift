import Tabular

extension Session {
    /// `encode date COLUMNS [cyclic]`: each date column becomes the numbers of its parts.
    func encodeDates(_ columns: Placed<[String]>, cyclic: Bool) throws {
        let table = try requireTable(for: "encode")
        let names = columns.value
        try requireColumns(names, in: table, at: columns.range)
        if let target = data?.targetName, names.contains(target) {
            throw Diagnostic("'\(target)' is the target: its dates are what the model predicts, so they cannot also be features",
                             at: columns.range, hint: "encode only feature columns, or choose another target with `target COL`")
        }
        for name in names {
            let encoding: DateEncoding
            do {
                encoding = try DateEncoding.fit(self.table!, column: name, cyclic: cyclic)
            } catch let error as TabularError {
                throw Diagnostic(error, at: columns.range)
            }
            let range = self.table!.column(named: name)?.dates.map(Self.dateRange) ?? ""
            try applyStep(.encodeDate(encoding), at: columns.range)
            print("encode date \(name) (\(range)): \(encoding.parts.count) columns (\(encoding.newColumnNames.joined(separator: ", ")))")
        }
    }

    /// "2012-01-01 to 2015-12-31, 1,461 dates"
    static func dateRange(_ dates: DateSummary) -> String {
        "\(dates.firstText) to \(dates.lastText), \(Format.grouped(dates.count)) date\(dates.count == 1 ? "" : "s")"
    }

    /// The lines `columns` adds below its table: each date column's range.
    func dateRangeLines(_ table: Table) -> [String] {
        table.columns.compactMap { column in column.dates.map { "date range of '\(column.name)': " + Self.dateRange($0) } }
    }

    /// The table `describe` shows for date columns: count, distinct dates, first and last, as
    /// pandas' describe() does for datetime columns (count, unique, min, max).
    func dateDescription(_ table: Table) -> TextTable? {
        var view = TextTable(headers: ["column", "count", "unique", "first", "last"], rightAligned: [1, 2])
        for column in table.columns {
            guard let dates = column.dates, case .text(let cells) = column.data else { continue }
            view.rows.append([column.name, String(dates.count), String(Set(cells.compactMap { $0 }).count), dates.firstText, dates.lastText])
        }
        return view.rows.isEmpty ? nil : view
    }
}
