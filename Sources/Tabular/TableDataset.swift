extension Table {
    /// Builds the numeric data set: the target is the named column (nil means the last).
    ///
    /// A text target gives classes. A numeric target gives regression unless `task` is
    /// `.classification` (then its distinct values are the classes); `.regression` with a
    /// text target is an error. Every other column is a feature and must be numeric;
    /// missing feature cells stay NaN (the caller reports them before training). Rows with
    /// a missing target, an unknown target name, or a text feature column are errors.
    public func dataset(target targetName: String?, task: LearningTask?) throws -> Dataset {
        guard !columns.isEmpty else {
            throw TabularError("'\(source)' has no columns", hint: "load a CSV file with a header row")
        }
        let targetIndex: Int
        if let targetName {
            guard let index = columns.firstIndex(where: { $0.name == targetName }) else {
                throw unknownColumn(targetName)
            }
            targetIndex = index
        } else {
            targetIndex = columns.count - 1
        }
        let targetColumn = columns[targetIndex]

        try checkTargetPresent(targetColumn)
        let target = try makeTarget(targetColumn, task: task)

        var featureColumns: [Column] = []
        for (i, column) in columns.enumerated() where i != targetIndex { featureColumns.append(column) }
        try checkNumeric(featureColumns)

        let values = featureColumns.map { column -> NumericColumn in
            guard case .numeric(let values) = column.data else { return [] } // checked above
            return values
        }
        return Dataset(featureMatrix: FeatureMatrix(columns: values, rowCount: rowCount), featureNames: featureColumns.map(\.name),
                       targetName: targetColumn.name, target: target, imageShape: nil, source: source)
    }

    /// The error for a column name that is not in the table, with a suggestion.
    public func unknownColumn(_ name: String) -> TabularError {
        let names = columnNames
        let shown = names.count > 12
            ? names.prefix(12).joined(separator: ", ") + ", … (\(names.count) in all)"
            : names.joined(separator: ", ")
        let hint = Suggest.closest(to: name, in: names).map { "did you mean '\($0)'?" }
            ?? "use one of the column names listed"
        return TabularError("'\(source)' has no column named '\(name)'; its columns are: \(shown)", hint: hint)
    }

    private func checkTargetPresent(_ column: Column) throws {
        let missing = column.missingCount
        guard missing > 0 else { return }
        var firstRow = 0
        switch column.data {
        case .numeric(let values): firstRow = values.firstIndex { $0.isNaN } ?? 0
        case .text(let values): firstRow = values.firstIndex { $0 == nil } ?? 0
        }
        let rows = missing == 1 ? "1 row has" : "\(missing) rows have"
        throw TabularError(
            "\(rows) no value in target column '\(column.name)' (the first at line \(line(ofRow: firstRow)))",
            hint: "drop the rows whose target is missing, or fill them in, before building the data set")
    }

    private func makeTarget(_ column: Column, task: LearningTask?) throws -> Target {
        switch column.data {
        case .text(let cells):
            if task == .regression {
                throw TabularError(
                    "target column '\(column.name)' holds text, so it cannot be a regression target",
                    hint: column.firstNonNumeric != nil
                        ? "fix the stray text cell at line \(column.firstNonNumeric!.line) or mark it missing with NA"
                        : "use classification for a text target, or pick a numeric target column")
            }
            let names = Array(Set(cells.compactMap { $0 })).sorted()
            let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
            return .classes(labels: cells.map { index[$0!]! }, names: names)
        case .numeric(let values):
            guard task == .classification else { return .values(values.map { Float($0) }) }
            let distinct = Array(Set(values)).sorted()
            let index = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
            return .classes(labels: values.map { index[$0]! }, names: distinct.map(Table.className))
        }
    }

    /// "3" for 3.0, "2.5" for 2.5.
    public static func className(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    private func checkNumeric(_ features: [Column]) throws {
        let textColumns = features.filter { if case .text = $0.data { return true } else { return false } }
        guard let first = textColumns.first, case .text(let cells) = first.data else { return }
        if let stray = first.firstNonNumeric {
            throw TabularError("column '\(first.name)' holds numbers but line \(stray.line) has '\(stray.value)'",
                               hint: "fix or remove that cell, or mark it missing with NA")
        }
        var examples: [String] = []
        for case let cell? in cells where !examples.contains(cell) {
            if examples.count == 2 { examples.append("…"); break }
            examples.append(cell)
        }
        let shown = examples.map { $0 == "…" ? $0 : "'\($0)'" }.joined(separator: ", ")
        let others = textColumns.dropFirst().map(\.name)
        let treatment = first.textTreatment ?? .onehot
        let what: String, advice: String
        switch treatment {
        case .onehot: what = "text"; advice = "drop it or one-hot encode it"
        case .date: what = "dates"; advice = "turn it into numbers (year, month, day, weekday, day of year) or drop it"
        case .drop(let distinct): what = "text with \(distinct) distinct values"; advice = "drop it (one-hot encoding would make \(distinct) columns)"
        }
        throw TabularError("feature column '\(first.name)' holds \(what) (\(shown))",
                           hint: advice + (others.isEmpty ? "" : "; also text: " + others.map { "'\($0)'" }.joined(separator: ", ")),
                           problem: .textFeature(column: first.name, others: others, treatment: treatment))
    }
}
