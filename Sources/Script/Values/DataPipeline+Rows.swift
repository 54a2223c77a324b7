import Tabular

extension DataPipeline {
    /// New raw rows as the network takes them: `raw` holds the loaded columns that `predict`
    /// gives (`predictColumns`, text columns as text), and goes through the recorded steps
    /// (fills, encodings, clips, drops) and then the scaling, exactly as the training rows did.
    /// Returns the features row by row, and a note for each category an encoding never saw.
    func features(ofRaw raw: Table) throws -> (features: [Float], notes: [String]) {
        guard let dataset else { throw problem ?? Diagnostic("no data set to predict for") }
        var rows = raw
        var notes: [String] = []
        for step in steps {
            if case .encode(let encoding) = step, case .text(let cells)? = rows.column(named: encoding.column)?.data {
                for cell in Set(cells.compactMap { $0 }).sorted() where !encoding.categories.contains(cell) {
                    notes.append("'\(cell)' was never seen in \(encoding.column) during training (known: \(encoding.categories.joined(separator: ", "))); it is encoded as all zeros")
                }
            }
            try step.replay(on: &rows)
        }
        let columns = try dataset.featureNames.map { name -> NumericColumn in
            guard case .numeric(let cells)? = rows.column(named: name)?.data else {
                throw Diagnostic("the row has no numeric value for feature '\(name)'")
            }
            if let missing = cells.firstIndex(where: \.isNaN) {
                throw Diagnostic("the value for '\(name)' is missing\(rows.rowCount > 1 ? " in row \(missing)" : "") and nothing fills it",
                                 hint: "give a value, or `impute` that column before training")
            }
            return cells
        }
        return (scaled(Table.rowMajor(columns, rowCount: rows.rowCount)), notes)
    }
}
