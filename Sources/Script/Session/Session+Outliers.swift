import Plot
import Tabular

extension Session {
    func outliers(_ command: OutliersCommand) throws {
        let table = try requireTable(for: "outliers")
        let method = command.method
        let k = command.k ?? method.conventionalK
        let columns = try numericColumns(command.columns.value, in: table, at: command.columns.range)
        var reports: [OutlierReport] = []
        for name in columns {
            do {
                reports.append(try table.outliers(in: name, method: method, k: k, rows: fitRows))
            } catch let error as TabularError {
                throw Diagnostic(error, at: command.columns.range)
            }
        }
        lastOutliers = reports
        let fences = method == .iqr ? "Q1 - \(Format.general(k))·IQR, Q3 + \(Format.general(k))·IQR"
                                    : "mean ∓ \(Format.general(k))·std"
        print("outliers by \(method.rawValue) (fences \(fences)), fitted on \(fitRowsPhrase)")
        // Row numbers as `head` and `tail` show them (from 0, like pandas' index).
        var view = TextTable(headers: ["column", "Q1", "median", "Q3", "low fence", "high fence", "outliers", "rows"],
                             rightAligned: [1, 2, 3, 4, 5, 6])
        for report in reports {
            let lines = report.rows.prefix(6).map(String.init).joined(separator: ",")
                + (report.rows.count > 6 ? ",…" : "")
            view.rows.append([report.column] + [report.q1, report.median, report.q3, report.lowerFence, report.upperFence]
                .map { Format.significant($0, 4) } + [String(report.rows.count), lines])
        }
        show(view, title: "outliers")
        let total = Set(reports.flatMap(\.rows)).count
        print(total == 0 ? "no outliers" : "\(total) row\(total == 1 ? "" : "s") with outliers; `clip outliers` caps them at the fences, `drop outliers` removes those rows")
        print()
        try draw(boxPlot(reports), to: nil, at: command.statement)
    }

    func boxPlot(_ reports: [OutlierReport]) -> Chart {
        .box(BoxPlot(title: "Box plots (\(reports.first?.method.rawValue ?? "iqr"))", boxes: reports.map {
            BoxStats(name: $0.column, q1: $0.q1, median: $0.median, q3: $0.q3,
                     lowerWhisker: $0.lowerWhisker, upperWhisker: $0.upperWhisker, outliers: $0.values)
        }))
    }

    func requireOutliers(for statement: String) throws -> [OutlierReport] {
        guard let lastOutliers, !lastOutliers.isEmpty else {
            throw Diagnostic("\(statement) acts on what `outliers` found, but it has not run yet",
                             hint: "run `outliers` first (e.g. `outliers method=iqr k=1.5`)")
        }
        return lastOutliers
    }

    func clipOutliers(at statement: SourceRange) throws {
        _ = try requireTable(for: "clip outliers")
        var changed: [String] = []
        for report in try requireOutliers(for: "clip outliers") {
            let before = table!
            try applyStep(.clip(report.column, lower: report.lowerFence, upper: report.upperFence), at: statement)
            let count = Self.changedCells(before, table!, column: report.column)
            if count > 0 { changed.append("\(report.column) \(count)") }
        }
        lastOutliers = nil
        print(changed.isEmpty ? "clip outliers: nothing to change"
              : "clip outliers: values capped at the fences in every row (" + changed.joined(separator: ", ") + ")")
    }

    func removeOutlierRows() throws {
        let table = try requireTable(for: "drop outliers")
        let flagged = Set(try requireOutliers(for: "drop outliers").flatMap(\.rows))
        let kept = (0..<table.rowCount).filter { !flagged.contains($0) }
        let hint = "`clip outliers` caps the values at the fences and keeps the rows; or look again with wider fences (e.g. `outliers k=3`), or on fewer columns"
        try data!.removeRows(.outliers(count: flagged.count), hint: hint) { table in
            table.keepRows(kept)
            return kept
        }
        lastOutliers = nil
        print("drop outliers: removed \(flagged.count) row\(flagged.count == 1 ? "" : "s"); \(kept.count) left")
    }

    static func changedCells(_ before: Table, _ after: Table, column: String) -> Int {
        guard case .numeric(let a)? = before.column(named: column)?.data,
              case .numeric(let b)? = after.column(named: column)?.data else { return 0 }
        return zip(a, b).filter { $0 != $1 && !($0.isNaN && $1.isNaN) }.count
    }
}
