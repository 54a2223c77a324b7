import Tabular

extension Session {
    /// The features of the one raw row `predict` (or `why`: `statement`) was given, through the pipeline (scaled).
    func rawFeatureRow(_ value: Value, statement: String = "predict") throws -> [Float] {
        let items: [Value]
        if case .list(let list) = value.kind { items = list } else { items = [value] }
        let columns = self.data!.predictColumns
        guard items.count == columns.count else {
            let names = columns.count <= 12 ? columns.map(\.name).joined(separator: ", ")
                                            : columns.prefix(12).map(\.name).joined(separator: ", ") + ", …"
            throw Diagnostic("\(statement) expects \(columns.count) values (\(names)) but got \(items.count)",
                             at: value.range, hint: "give one raw value per column, in column order, separated by commas")
        }
        var row = Table(columns: [], rowCount: 1, source: "predict")
        let dialect = self.data!.dialect
        for (item, column) in zip(items, columns) {
            let text = Arguments.text(of: item)
            // NA, and the other spellings of a missing cell the data's CSV reads (NULL, None, …).
            let missing = dialect.isMissing(text)
            if column.isText {
                row.columns.append(Column(name: column.name, data: .text([missing ? nil : text])))
            } else if missing {
                row.columns.append(Column(name: column.name, data: .numeric([.nan])))
            } else if case .number(let number) = item.kind {
                // As `train` refuses them: beyond Float's range a value is infinity, and the
                // network's answer would be NaN.
                guard abs(number) <= Double(Float.greatestFiniteMagnitude) else {
                    throw Diagnostic("'\(column.name)' is given \(text), beyond the ±3.4e38 of a 32-bit float", at: item.range,
                                     hint: "give a finite value in the range of the training data")
                }
                row.columns.append(Column(name: column.name, data: .numeric([number])))
            } else {
                throw Diagnostic("'\(column.name)' holds numbers, but the value given is '\(text)'", at: item.range,
                                 hint: "give a number (or NA for a missing value)")
            }
        }
        do {
            let (features, notes) = try self.data!.features(ofRaw: row)
            for note in notes { print("note: \(note)") }
            return features
        } catch let diagnostic as Diagnostic {
            throw diagnostic.placed(at: value.range)
        }
    }
}
