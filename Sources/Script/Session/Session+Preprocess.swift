import Tabular

extension Session {
    /// Runs a table step and records it in the pipeline.
    func applyStep(_ step: PipelineStep, at range: SourceRange) throws {
        do {
            try data!.apply(step)
        } catch let error as TabularError {
            throw Diagnostic(error, at: range)
        }
    }

    func dropColumns(_ columns: Placed<[String]>) throws {
        let table = try requireTable(for: "drop")
        let names = columns.value
        if names == ["outliers"], table.column(named: "outliers") == nil {
            return try removeOutlierRows()
        }
        try requireColumns(names, in: table, at: columns.range)
        if let target = data?.targetName, names.contains(target) {
            throw Diagnostic("'\(target)' is the target and cannot be dropped", at: columns.range,
                             hint: "choose another target first with `target COL`")
        }
        try applyStep(.drop(names), at: columns.range)
        let left = self.table!.columns.count
        print("dropped \(names.count) column\(names.count == 1 ? "" : "s"): \(names.joined(separator: ", ")); \(left) column\(left == 1 ? "" : "s") left")
    }

    func keepColumns(_ columns: Placed<[String]>) throws {
        let table = try requireTable(for: "keep")
        var names = columns.value
        try requireColumns(names, in: table, at: columns.range)
        if let target = data?.targetName, !names.contains(target) { names.append(target) } // the target always stays
        let removed = table.columnNames.filter { !names.contains($0) }
        try applyStep(.keep(names), at: columns.range)
        print("kept \(names.joined(separator: ", ")); dropped \(removed.count) column\(removed.count == 1 ? "" : "s")")
    }

    /// Each name must be a column of the table (did you mean, otherwise).
    func requireColumns(_ names: [String], in table: Table, at range: SourceRange) throws {
        for name in names where table.column(named: name) == nil {
            throw Diagnostic(table.unknownColumn(name), at: range)
        }
    }

    func setTarget(_ column: Placed<String>) throws {
        let table = try requireTable(for: "target")
        let name = column.value
        guard table.column(named: name) != nil else {
            throw Diagnostic(table.unknownColumn(name), at: column.range)
        }
        try data!.setTarget(name)
        describeLoaded()
    }

    func impute(_ command: ImputeCommand) throws {
        let table = try requireTable(for: "impute")
        let strategy: ImputeStrategy
        if let constant = command.constant.value {
            strategy = .constant(constant)
        } else {
            switch command.strategy.value {
            case "median": strategy = .median
            case "mode": strategy = .mode
            case "mean": strategy = .mean
            default:
                throw Diagnostic("impute needs a strategy: mean, median, mode or constant=VALUE", at: command.statement,
                                 hint: "e.g. `impute median` or `impute constant=unknown sex`")
            }
        }
        let requested = command.columns.value
        let columns = requested ?? table.columns.filter { $0.missingCount > 0 && $0.name != data!.targetName }.map(\.name)
        if columns.isEmpty {
            print("impute: no missing values in any feature column")
            return
        }
        var filled: [String] = []
        try requireColumns(columns, in: table, at: command.columns.range)
        for name in columns {
            let table = self.table!
            let column = table.column(named: name)!
            if column.missingCount == 0 { continue }
            // Without a column list, text columns take their most frequent value (mean and median need numbers).
            var columnStrategy = strategy
            if requested == nil, case .text = column.data, strategy == .mean || strategy == .median { columnStrategy = .mode }
            let value: FillValue
            do {
                value = try table.fillValue(for: name, strategy: columnStrategy, rows: fitRows)
            } catch let error as TabularError {
                throw Diagnostic(error, at: requested == nil ? command.strategy.range : command.columns.range)
            }
            let count = column.missingCount
            try applyStep(.fill(name, value), at: command.statement)
            let shown: String
            switch value {
            case .number(let n): shown = Format.general(n)
            case .text(let t): shown = "'\(t)'"
            }
            filled.append("\(name): \(count) → \(shown)")
        }
        print("impute (fitted on \(fitRowsPhrase)): " + filled.joined(separator: "; "))
    }

    func dropMissingRows(_ given: Placed<[String]?>) throws {
        let table = try requireTable(for: "dropna")
        let columns = given.value
        try requireColumns(columns ?? [], in: table, at: given.range)
        let before = table.rowCount
        let hint = "`impute median` (or mean, mode) fills the gaps and keeps the rows; `missing` shows which columns have most, and `drop COL` removes a mostly empty one"
        let kept = try data!.removeRows(.missingValues(columns: columns), hint: hint) {
            $0.dropRowsWithMissing(in: columns)
        }
        print("dropna: removed \(before - kept.count) row\(before - kept.count == 1 ? "" : "s") with missing values; \(kept.count) left")
    }

    func encode(_ columns: Placed<[String]>) throws {
        let table = try requireTable(for: "encode")
        let names = columns.value
        // Encoding the target would put the answer among the features (and leave no target).
        if let target = data?.targetName, names.contains(target) {
            throw Diagnostic("'\(target)' is the target: dl encodes its classes itself (one output unit each), and as features they would give the answer away",
                             at: columns.range, hint: encodingHint(for: table, except: target))
        }
        for name in names {
            let encoding: OneHotEncoding
            do {
                encoding = try OneHotEncoding.fit(self.table!, column: name, rows: fitRows)
            } catch let error as TabularError {
                throw Diagnostic(error, at: columns.range)
            }
            let isDates = self.table!.column(named: name)?.isDateColumn ?? false
            try applyStep(.encode(encoding), at: columns.range)
            print("encode onehot \(name): \(encoding.categories.count) indicator columns (\(Self.abbreviated(encoding.newColumnNames)))")
            let count = encoding.categories.count
            if count > OneHotEncoding.manyCategories {
                let better = isDates ? "`encode date \(name)` gives its year, month, day and weekday instead"
                                     : "dropping it (`drop \(name)`) is often better"
                warn(Diagnostic("'\(name)' has \(count) distinct values, so one-hot encoding made \(count) columns: each is rare, and a value not seen in training is all zeros; \(better)",
                                at: columns.range, id: "onehot-many-categories"))
            }
        }
    }

    /// The statement that turns the text features (the target excepted) into numbers, as the
    /// text-feature hint would say it: `encode date` for dates, `encode onehot` for columns of
    /// a few categories, `drop` for columns of many.
    func encodingHint(for table: Table, except target: String) -> String {
        var dates: [String] = [], categories: [String] = [], many: [String] = []
        for column in table.columns where column.name != target {
            switch column.textTreatment {
            case .date?: dates.append(column.name)
            case .onehot?: categories.append(column.name)
            case .drop?: many.append(column.name)
            case nil: break
            }
        }
        var statements: [String] = []
        if !dates.isEmpty { statements.append("`encode date \(dates.joined(separator: ","))`") }
        if !categories.isEmpty { statements.append("`encode onehot \(categories.joined(separator: ","))`") }
        if !many.isEmpty { statements.append("`drop \(many.joined(separator: ","))`") }
        if statements.isEmpty { return "encode only feature columns" }
        return (many.isEmpty ? "encode the text features: " : "for the text features: ") + statements.joined(separator: ", ")
    }

    /// Names for a line of output: all of them up to 12, else the first 8, "…", the last 2
    /// and the count, so a column of a thousand categories is not a line of 20,000 characters.
    static func abbreviated(_ names: [String]) -> String {
        guard names.count > 12 else { return names.joined(separator: ", ") }
        return (names.prefix(8) + ["…"] + names.suffix(2)).joined(separator: ", ") + "; \(names.count) in all"
    }
}
