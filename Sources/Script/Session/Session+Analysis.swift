import Plot
import Tabular

extension Session {
    func describe() throws {
        let table = try requireTable(for: "describe")
        let descriptions = table.describe()
        var numeric = TextTable(headers: ["column", "count", "mean", "std", "min", "25%", "50%", "75%", "max"],
                                rightAligned: Set(1...8))
        var text = TextTable(headers: ["column", "count", "unique", "top", "freq"], rightAligned: [1, 2, 4])
        for (description, column) in zip(descriptions, table.columns) {
            switch description {
            case let .numeric(name, count, mean, std, min, q25, q50, q75, max):
                numeric.rows.append([name, String(count)] + [mean, std, min, q25, q50, q75, max].map { Format.significant($0, 4) })
            case let .text(name, count, unique, top, freq):
                if column.isDateColumn { continue } // in the table of dates below
                text.rows.append([name, String(count), String(unique), top ?? "", String(freq)])
            }
        }
        if !numeric.rows.isEmpty { show(numeric, title: "numeric columns") }
        if !numeric.rows.isEmpty && !text.rows.isEmpty { print() }
        if !text.rows.isEmpty { show(text, title: "text columns") }
        if let dates = dateDescription(table) {
            if !numeric.rows.isEmpty || !text.rows.isEmpty { print() }
            show(dates, title: "date columns")
        }
        printTargetClasses()
    }

    func missing() throws {
        let table = try requireTable(for: "missing")
        let summary = table.missingSummary()
        var view = TextTable(headers: ["column", "missing", "percent", ""], rightAligned: [1, 2])
        let bar = output.isTerminal ? "█" : "#"
        for (name, missing, fraction) in summary {
            view.rows.append([name, String(missing), Format.fixed(fraction * 100, 1) + "%",
                              String(repeating: bar, count: Int((fraction * 40).rounded(.up)))])
        }
        show(view, title: "missing values")
        let total = summary.map(\.missing).reduce(0, +)
        let rowsWithGaps = table.rowCount - table.rowsWithoutMissing
        print(total == 0 ? "no missing values"
              : "\(total) missing value\(total == 1 ? "" : "s") in \(rowsWithGaps) of \(table.rowCount) rows; `impute` fills them, `dropna` drops those rows")
    }

    /// Numeric feature columns (the target excluded), or the named ones.
    func numericColumns(_ requested: [String]?, in table: Table, at range: SourceRange) throws -> [String] {
        if let requested {
            try requireColumns(requested, in: table, at: range)
            return requested
        }
        return table.columns.filter { column in
            if case .numeric = column.data { return column.name != data?.targetName }
            return false
        }.map(\.name)
    }
}

extension Table {
    /// Rows with no missing cell in any column.
    var rowsWithoutMissing: Int {
        var clean = [Bool](repeating: true, count: rowCount)
        for column in columns {
            switch column.data {
            case .numeric(let values): for (i, v) in values.enumerated() where v.isNaN { clean[i] = false }
            case .text(let values): for (i, v) in values.enumerated() where v == nil { clean[i] = false }
            }
        }
        return clean.filter { $0 }.count
    }
}
