import Tabular

extension Session {
    /// The features of one raw row, after the recorded pipeline (not yet scaled).
    func rawFeatureRow(_ args: Arguments, data: Dataset) throws -> [Float] {
        let value = args.value("VALUES")!
        let items: [Value]
        if case .list(let list) = value.kind { items = list } else { items = [value] }
        let columns = self.data!.predictColumns
        guard items.count == columns.count else {
            let names = columns.count <= 12 ? columns.map(\.name).joined(separator: ", ")
                                            : columns.prefix(12).map(\.name).joined(separator: ", ") + ", …"
            throw Diagnostic("predict expects \(columns.count) values (\(names)) but got \(items.count)",
                             at: value.range, hint: "give one raw value per column, in column order, separated by commas")
        }
        var row = Table(columns: [], rowCount: 1, source: "predict")
        for (item, column) in zip(items, columns) {
            let text = Arguments.text(of: item)
            if column.isText {
                row.columns.append(Column(name: column.name, data: .text([text == "NA" ? nil : text])))
            } else if case .number(let number) = item.kind {
                row.columns.append(Column(name: column.name, data: .numeric([number])))
            } else if text == "NA" {
                row.columns.append(Column(name: column.name, data: .numeric([.nan])))
            } else {
                throw Diagnostic("'\(column.name)' holds numbers, but the value given is '\(text)'", at: item.range,
                                 hint: "give a number (or NA for a missing value)")
            }
        }
        var unseen: [String] = []
        for step in self.data!.steps {
            if case .encode(let encoding) = step, case .text(let cells)? = row.column(named: encoding.column)?.data,
               let cell = cells[0], !encoding.categories.contains(cell) {
                unseen.append("'\(cell)' was never seen in \(encoding.column) during training (known: \(encoding.categories.joined(separator: ", "))); it is encoded as all zeros")
            }
            try step.replay(on: &row)
        }
        for note in unseen { print("note: \(note)") }
        return try data.featureNames.map { name in
            guard case .numeric(let cells)? = row.column(named: name)?.data else {
                throw Diagnostic("the row has no numeric value for feature '\(name)'", at: value.range)
            }
            guard !cells[0].isNaN else {
                throw Diagnostic("the value for '\(name)' is missing and nothing fills it", at: value.range,
                                 hint: "give a value, or `impute` that column before training")
            }
            return Float(cells[0])
        }
    }
}
