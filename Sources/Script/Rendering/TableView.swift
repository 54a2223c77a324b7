import Tabular

/// Rows of a table as aligned text in the manner of pandas: the row number on the
/// left, numbers right-aligned, and columns elided in the middle ("...") when the
/// table is wider than the output.
struct TableView {
    let table: Table
    let rows: [Int]
    let width: Int

    func render() -> String {
        let index = [""] + rows.map(String.init)
        var columns: [[String]] = [index]
        var rightAligned: [Bool] = [false]
        for column in table.columns {
            columns.append([column.name] + rows.map { Self.cell(column, $0) })
            if case .numeric = column.data { rightAligned.append(true) } else { rightAligned.append(false) }
        }
        let widths = columns.map { $0.map(\.count).max() ?? 0 }
        let shown = visibleColumns(widths)
        var text = ""
        for line in 0...rows.count {
            var parts: [String] = []
            for c in shown {
                guard c >= 0 else { parts.append("..."); continue }
                let cell = columns[c][line]
                parts.append(rightAligned[c] ? Format.padLeft(cell, widths[c]) : Format.pad(cell, widths[c]))
            }
            var row = parts.joined(separator: "  ")
            while row.hasSuffix(" ") { row.removeLast() }
            text += row + "\n"
        }
        text += "[\(rows.count) of \(table.rowCount) rows x \(table.columns.count) columns]\n"
        return text
    }

    /// The shown columns as a `TextTable` (headers, cells, alignment; "..." where columns are
    /// left out), and the line that ends the text ("[5 of 150 rows x 5 columns]").
    func shownCells() -> (table: TextTable, footer: String) {
        var columns: [[String]] = [[""] + rows.map(String.init)]
        var numeric: [Bool] = [false]
        for column in table.columns {
            columns.append([column.name] + rows.map { Self.cell(column, $0) })
            if case .numeric = column.data { numeric.append(true) } else { numeric.append(false) }
        }
        let shown = visibleColumns(columns.map { $0.map(\.count).max() ?? 0 })
        var grid = TextTable(headers: shown.map { $0 >= 0 ? columns[$0][0] : "..." })
        grid.rightAligned = Set(shown.indices.filter { shown[$0] >= 0 && numeric[shown[$0]] })
        for line in rows.indices {
            grid.rows.append(shown.map { $0 >= 0 ? columns[$0][line + 1] : "..." })
        }
        return (grid, "[\(rows.count) of \(table.rowCount) rows x \(table.columns.count) columns]")
    }

    /// Column indices to show (-1 marks the "..." gap): all that fit, else as many
    /// from the left and the right as fit around the gap.
    private func visibleColumns(_ widths: [Int]) -> [Int] {
        let total = widths.reduce(0, +) + 2 * (widths.count - 1)
        if total <= width { return Array(widths.indices) }
        var left = [0], right: [Int] = []
        var used = widths[0] + 5 // the index column and the "..." gap
        var l = 1, r = widths.count - 1
        var takeLeft = true
        while l <= r {
            let next = takeLeft ? l : r
            guard used + 2 + widths[next] <= width else { break }
            used += 2 + widths[next]
            if takeLeft { left.append(l); l += 1 } else { right.insert(r, at: 0); r -= 1 }
            takeLeft.toggle()
        }
        return left + [-1] + right
    }

    static func cell(_ column: Column, _ row: Int) -> String {
        switch column.data {
        case .numeric(let values): return values[row].isNaN ? "NaN" : Format.general(values[row])
        case .text(let values): return values[row] ?? "NaN"
        }
    }
}
