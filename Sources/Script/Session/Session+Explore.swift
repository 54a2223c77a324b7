import Tabular

extension Session {
    /// The working table, or an error saying how to get one.
    func requireTable(for statement: String) throws -> Table {
        guard let table else {
            if dataset != nil {
                throw Diagnostic("\(statement) works on tables loaded from CSV files; generated data has no table",
                                 hint: "load a CSV or a bundled data set, e.g. `load iris`")
            }
            throw Diagnostic("\(statement) needs data, but nothing is loaded",
                             hint: "start with `load iris` (or `load \"file.csv\"`); `help load` lists the data sets")
        }
        return table
    }

    func head(_ count: Int, fromEnd: Bool) throws {
        let table = try requireTable(for: fromEnd ? "tail" : "head")
        let n = min(count, table.rowCount)
        let rows = fromEnd ? Array((table.rowCount - n)..<table.rowCount) : Array(0..<n)
        show(TableView(table: table, rows: rows, width: output.width), title: fromEnd ? "tail" : "head")
    }

    func columns() throws {
        let table = try requireTable(for: "columns")
        var view = TextTable(headers: ["#", "column", "type", "missing", "distinct", "role"], rightAligned: [0, 3, 4])
        for (i, column) in table.columns.enumerated() {
            view.rows.append([String(i), column.name, Self.typeName(column), String(column.missingCount),
                              String(Self.distinctCount(column)), column.name == data?.targetName ? "target" : "feature"])
        }
        for name in data?.droppedColumns ?? [] {
            view.rows.append(["-", name, "-", "-", "-", "dropped"])
        }
        show(view, title: "columns")
        for line in dateRangeLines(table) { print(line) }
        printTargetClasses()
    }

    static func typeName(_ column: Column) -> String {
        switch column.data {
        case .text: return column.isDateColumn ? "date" : "text"
        case .numeric(let values):
            return values.allSatisfy { $0.isNaN || $0 == $0.rounded() } ? "integer" : "number"
        }
    }

    static func distinctCount(_ column: Column) -> Int {
        switch column.data {
        case .text(let values): return Set(values.compactMap { $0 }).count
        case .numeric(let values): return Set(values.filter { !$0.isNaN }).count
        }
    }
}
