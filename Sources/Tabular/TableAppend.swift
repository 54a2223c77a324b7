extension Table {
    /// This table's rows, then `other`'s (a data set's own test file after its training
    /// file), by column name: `other` may list the columns in another order. A column that
    /// holds numbers in one file and text in the other becomes text, so the stray cell is
    /// reported as in one file. The rows keep their own files' lines.
    ///
    /// Throws `TabularError` naming the columns that one file has and the other lacks.
    public func appendingRows(of other: Table) throws -> Table {
        let mine = columnNames, theirs = other.columnNames
        let missing = mine.filter { !theirs.contains($0) }, extra = theirs.filter { !mine.contains($0) }
        guard missing.isEmpty, extra.isEmpty else {
            var parts: [String] = []
            if !missing.isEmpty { parts.append("lacks \(Self.listed(missing))") }
            if !extra.isEmpty { parts.append("has \(Self.listed(extra)) besides") }
            throw TabularError("the test file '\(other.source)' has other columns than '\(source)': it \(parts.joined(separator: " and "))",
                               hint: "both files need the same columns (\(mine.count) in '\(source)', \(theirs.count) in '\(other.source)')")
        }
        var columns: [Column] = []
        for column in self.columns {
            let added = other.column(named: column.name)!
            switch (column.data, added.data) {
            case (.numeric(let a), .numeric(let b)):
                columns.append(Column(name: column.name, data: .numeric(NumericColumn.compact(a.doubles + b.doubles))))
            default:
                columns.append(Column(name: column.name, data: .text(Self.texts(column.data) + Self.texts(added.data))))
            }
        }
        let lines = (0..<rowCount).map(line(ofRow:)) + (0..<other.rowCount).map(other.line(ofRow:))
        return Table(columns: columns, rowCount: rowCount + other.rowCount, source: source, rowLines: lines)
    }

    private static func texts(_ data: ColumnData) -> [String?] {
        switch data {
        case .text(let cells): return cells
        case .numeric(let values):
            return values.doubles.map { value in
                value.isNaN ? nil : value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
            }
        }
    }

    private static func listed(_ names: [String]) -> String {
        let shown = names.prefix(6).map { "'\($0)'" }.joined(separator: ", ")
        return names.count > 6 ? "\(shown), … (\(names.count) in all)" : shown
    }
}
