extension Table {
    /// Removes the rows that have a missing cell (NaN or nil) in any of `columns`; nil
    /// checks every column. Names not in the table are skipped: the caller checks names
    /// first (this cannot throw, so a typo must not silently drop rows elsewhere).
    /// Returns the original indices of the rows kept, ascending, so a train/test split
    /// made before can be remapped. `rowLines` is kept in step.
    @discardableResult
    public mutating func dropRowsWithMissing(in columns: [String]?) -> [Int] {
        let checked = columns.map { names in self.columns.filter { names.contains($0.name) } } ?? self.columns
        var keep = [Bool](repeating: true, count: rowCount)
        for column in checked {
            switch column.data {
            case .numeric(let values): for r in 0..<rowCount where values[r].isNaN { keep[r] = false }
            case .text(let cells): for r in 0..<rowCount where cells[r] == nil { keep[r] = false }
            }
        }
        let kept = (0..<rowCount).filter { keep[$0] }
        if kept.count != rowCount { keepRows(kept) }
        return kept
    }

    /// Keeps only the given rows (original indices, in the order given; repeats allowed).
    /// `rowLines` follows, so messages still name the file line of each row; the stray
    /// text cell of a mostly-numeric column is looked up again among the rows kept.
    public mutating func keepRows(_ rows: [Int]) {
        let lines = rows.map { line(ofRow: $0) }
        for c in columns.indices {
            switch columns[c].data {
            case .numeric(let values):
                columns[c].data = .numeric(values.picking(rows))
            case .text(let cells):
                let kept = rows.map { cells[$0] }
                columns[c].data = .text(kept)
                // The old cell may be gone and its row index is stale; find it again.
                columns[c].nonNumericCell = Column.findNonNumeric(kept).map {
                    NonNumericCell(row: $0.row, line: lines[$0.row], value: $0.value)
                }
            }
        }
        rowCount = rows.count
        rowLines = lines
    }

    /// Removes the named columns (every column of that name). Throws, changing nothing,
    /// when a name is not in the table: the error lists the columns and suggests the
    /// closest name.
    public mutating func dropColumns(_ names: [String]) throws {
        for name in names { _ = try columnIndex(name) }
        columns.removeAll { names.contains($0.name) }
    }

    /// Keeps only the named columns, in the order given (a name given twice is kept once).
    /// Throws, changing nothing, when a name is not in the table.
    public mutating func keepColumns(_ names: [String]) throws {
        var kept: [Column] = []
        var seen: Set<String> = []
        for name in names where seen.insert(name).inserted {
            kept.append(columns[try columnIndex(name)])
        }
        columns = kept
    }
}
