import DLCore
import Engine
import Tabular

extension Session {
    /// Rows of a predicted table shown at the terminal before the rest is elided.
    static let predictShownRows = 10

    /// `predict "rows.csv" [to "out.csv"]`: every row of a CSV of raw rows through the
    /// pipeline and the model. The result is the file's columns, then the predicted class and
    /// one probability column per class (or the predicted value); printed as a table, or
    /// written as CSV.
    func predictFile(_ path: String, at range: SourceRange, to target: Placed<String?>,
                     dialectKeys: CSVDialectKeys.Given? = nil) throws {
        if Self.isImagePath(expandHome(path)) { return try predictImages(path, at: range, to: target) }
        let destination = target.value
        guard let fitted = data?.fitted else { _ = try requireDataset(for: "predict"); return }
        guard let model, model.isTrained else {
            throw Diagnostic("predict needs a trained model", hint: "run `train` first, or `load model \"FILE\"`")
        }
        // As the training data was read, unless the statement says otherwise.
        let dialect = try dialectKeys?.dialect(over: fitted.dialect) ?? fitted.dialect
        let rows: Table
        do { rows = try CSV.read(path: path, dialect: dialect, cancel: cancellation) } catch let error as TabularError {
            var diagnostic = Diagnostic(error).placed(at: range)
            if let hint = scriptFolderHint(for: path) { diagnostic.hint = hint }
            if case .otherSeparator(let separator?)? = error.problem {
                let fixed = CSVDialect(separator: separator)
                diagnostic.hint = "read it with `\(CSVDialectKeys.statement("predict " + quotedLiteral(path), fixed, withSeparator: true))`"
                    + (fitted.dialect.isStandard ? "" : " (without keys, predict reads files as the training data was read: \(CSVDialectKeys.written(fitted.dialect)))")
            }
            throw diagnostic
        }
        let raw = try rawTable(rows, for: fitted, at: range)
        if let window = fitted.window {
            return try forecastFile(raw, rows: rows, fitted: fitted, window: window, model: model, at: range, to: target)
        }
        let (features, notes) = try fitted.features(ofRaw: raw)
        for note in notes.prefix(5) { print("note: \(note)") }
        if notes.count > 5 { print("note: … and \(notes.count - 5) more") }
        let output = try model.network.predict(Tensor(shape: [raw.rowCount] + model.inputShape, data: features), cancel: cancellation)

        // Values far beyond the training range (or beyond Float's) overflow the layers: such
        // rows get no prediction rather than the first class, and are named.
        let width = output.columns
        let unpredictable = output.data.withUnsafeBufferPointer { out in
            (0..<raw.rowCount).map { r in !out[r * width ..< (r + 1) * width].allSatisfy(\.isFinite) }
        }
        if let first = unpredictable.firstIndex(of: true) {
            let count = unpredictable.lazy.filter { $0 }.count
            print("note: \(count) row\(count == 1 ? " gives" : "s give") no prediction, from line \(rows.line(ofRow: first)) on: "
                  + "their values overflow the model (far outside the range it was trained on)")
        }

        var result = rows
        let predictedName = "predicted_\(fitted.targetName)"
        if let names = fitted.classNames {
            let best = predictedClasses(output)
            result.columns.append(Column(name: predictedName, data: .text(best.indices.map { unpredictable[$0] ? nil : names[best[$0]] })))
            for (k, name) in names.enumerated() {
                // One sigmoid unit gives p(second class); the first is its complement.
                let p = (0..<raw.rowCount).map { r in width == 1 ? (k == 1 ? output.data[r] : 1 - output.data[r]) : output.data[r * width + k] }
                result.columns.append(Column(name: "prob_\(name)", data: .numeric(NumericColumn(floats: p))))
            }
        } else {
            // On the target's own scale: the inverse of `scale target`, if any.
            result.columns.append(Column(name: predictedName, data: .numeric(NumericColumn(floats: fitted.targetValues(ofOutputs: output.data)))))
        }

        if let destination {
            let bytes = try result.csvBytes(cancel: cancellation)
            try cancellation.check() // nothing written yet: the old file, if any, stays
            try writeFile(destination, bytes, at: target.range)
            print("predicted \(result.rowCount) row\(result.rowCount == 1 ? "" : "s") of \(path) into \(destination): "
                  + "the \(rows.columns.count) input columns, then \(result.columns.count - rows.columns.count) predicted")
        } else {
            let shown = min(result.rowCount, Self.predictShownRows)
            self.output.write(TableView(table: result, rows: Array(0..<shown), width: self.output.width).render(), to: .output)
            if result.rowCount > shown {
                print("add `to \"predictions.csv\"` to write all \(result.rowCount) rows")
            }
        }
    }

    /// The columns of `rows` that the pipeline takes, typed as it takes them; the columns the
    /// file lacks or has in excess are named (the target's may be there and is ignored), and a
    /// text cell in a numeric column is named by its line.
    private func rawTable(_ rows: Table, for fitted: FittedPipeline, at range: SourceRange) throws -> Table {
        let wanted = fitted.rawColumns.map(\.name)
        let missing = wanted.filter { rows.column(named: $0) == nil }
        let extra = rows.columnNames.filter { !wanted.contains($0) && $0 != fitted.targetName && !fitted.droppedColumns.contains($0) }
        if !missing.isEmpty || !extra.isEmpty {
            var parts: [String] = []
            if !missing.isEmpty { parts.append("lacks \(missing.count == 1 ? "column" : "columns") \(Self.listed(missing))") }
            if !extra.isEmpty { parts.append("has \(extra.count == 1 ? "column" : "columns") \(Self.listed(extra)) that the model does not take") }
            let alsoAllowed = ([fitted.targetName] + fitted.droppedColumns).filter { !wanted.contains($0) } // a forecast reads its target
            throw Diagnostic("'\(rows.source)' \(parts.joined(separator: " and "))", at: range,
                             hint: "the model takes \(Self.listed(wanted)) (\(Self.listed(alsoAllowed)) may be there too, and are passed through)")
        }
        var raw = Table(columns: [], rowCount: rows.rowCount, source: rows.source, rowLines: rows.rowLines)
        for wantedColumn in fitted.rawColumns {
            var column = rows.column(named: wantedColumn.name)!
            switch (column.data, wantedColumn.isText) {
            case (.text, false):
                if let stray = column.firstNonNumeric {
                    throw Diagnostic("line \(stray.line) of '\(rows.source)' has '\(stray.value)' in numeric column '\(column.name)'",
                                     at: range, hint: "fix or remove that cell, or mark it missing with NA")
                }
                throw Diagnostic("column '\(column.name)' of '\(rows.source)' holds text, but the model was trained on numbers there",
                                 at: range, hint: "check that this is the right file for this model")
            case (.numeric(let values), true):
                // Codes written as numbers in a column the model knows as text (e.g. 1, 2, 3).
                column = Column(name: column.name, data: .text(values.map { $0.isNaN ? nil : Table.className($0) }))
            default:
                break
            }
            raw.columns.append(column)
        }
        return raw
    }
}
