import DLCore
import Tabular

extension Diagnostic {
    /// A data-layer error as a diagnostic at the statement's place, with the fix written
    /// as dl statements where the error names a problem that a statement fixes.
    init(_ error: TabularError, at range: SourceRange? = nil) {
        self.init(error.message, at: range, hint: error.problem.map(Self.hint(for:)) ?? error.hint)
    }

    static func hint(for problem: TabularError.Problem) -> String {
        switch problem {
        case .numbersNeeded(_, nil):
            return "pick a numeric column (see `describe`)"
        case .numbersNeeded(let column, _?):
            return "use `impute mode \(column)` or `impute constant=unknown \(column)`"
        case .constantNotANumber(let column):
            return "give a number, e.g. `impute constant=0 \(column)`"
        case .noValuesToFit(let column, false):
            return "use `impute constant=VALUE \(column)`, or drop the column"
        case .noValuesToFit(let column, true):
            return "fill the column first (`impute constant=unknown \(column)`) or drop it"
        case .textFeature(let column, let others, let treatment):
            var hint: String
            switch treatment {
            case .onehot: hint = "drop it with `drop \(column)` or turn it into numbers with `encode onehot \(column)`"
            case .date: hint = "turn it into numbers with `encode date \(column)` (year, month, day, weekday, day of year), or drop it with `drop \(column)`"
            case .drop(let distinct): hint = "drop it with `drop \(column)`: one-hot encoding would make \(distinct) columns, one per distinct value"
            }
            if !others.isEmpty { hint += "; also text: " + others.map { "'\($0)'" }.joined(separator: ", ") }
            return hint
        case .imagesTooLarge:
            return "ask for fewer or smaller images (`n=`, `size=`)"
        case .notARegularFile:
            return "save the data to a file first, e.g. `cat … > data.csv`, then `load \"data.csv\"`"
        case .otherSeparator(let separator?):
            return "read it with `sep=\(quotedLiteral(String(UnicodeScalar(separator))))`"
        case .otherSeparator(nil):
            return "give the character between this file's fields with `sep=`, or leave `sep=` out for commas"
        }
    }
}

extension Session {
    /// `load mnist FOLDER`: its t10k files are the test split.
    func loadMNIST(from folder: Placed<String>) throws {
        let (data, trainCount) = try tabular(at: folder.range) { try MNIST.load(folder: expandHome(folder.value)) }
        let split = Split(train: Array(0..<trainCount), test: Array(trainCount..<data.rowCount),
                          description: "MNIST's own split: the t10k files are the test rows")
        install(DataPipeline(generated: data, split: split))
        print("split: \(trainCount) training rows, \(data.rowCount - trainCount) test rows (\(split.description))")
    }

    func loadShapes(_ command: LoadShapesCommand) throws {
        let common = command.common
        var random = common.random(in: self)
        install(DataPipeline(generated: try tabular(at: common.statement) {
            try Shapes.make(n: common.rows, size: command.size, classes: command.classes, noise: common.noise, rng: &random)
        }))
    }

    func loadGenerated(_ command: LoadGeneratedCommand) throws {
        let common = command.common
        var random = common.random(in: self)
        install(DataPipeline(generated: try tabular(at: common.statement) {
            try Generated.make(command.name, n: common.rows, noise: common.noise, classes: command.classes,
                               features: command.features, rng: &random)
        }))
    }

    /// A Tabular call whose error becomes a diagnostic at `range`.
    private func tabular<T>(at range: SourceRange, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as TabularError { throw Diagnostic(error, at: range) }
    }

    /// `load SOURCE`: a bundled data set or a CSV file.
    func load(_ command: LoadCommand) throws {
        let source = command.source.value
        let isWord = command.isName
        let dialect = try command.dialectKeys.dialect()
        var loaded: Table
        let target: String?
        var path: String?
        var knownTask: LearningTask?, imageShape: [Int]?
        var isSeriesFile = false
        do {
            if isWord, BundledData.names.contains(source) {
                let bundled = try BundledData.load(source, dialect: dialect)
                loaded = bundled.table
                path = try? BundledData.path(of: source)
                target = command.target.value ?? bundled.target
                if target == bundled.target { // another target makes it a different problem
                    knownTask = BundledData.task(of: source)
                    imageShape = BundledData.imageShape(of: source)
                }
            } else {
                path = expandHome(source)
                isSeriesFile = SeriesFile.handles(path: path!)
                loaded = try readTable(path!, dialect: dialect)
                target = command.target.value
            }
        } catch let error as TabularError {
            var diagnostic = Diagnostic(error, at: command.source.range)
            if let path, let hint = scriptFolderHint(for: path) { diagnostic.hint = hint }
            if case .otherSeparator(let separator?)? = error.problem {
                var fixed = dialect
                fixed.separator = separator
                let written = isWord ? source : quotedLiteral(source)
                diagnostic.hint = "read it with `\(CSVDialectKeys.statement("load " + written, fixed))`"
                    + (separator == CSVDialect.comma ? " (a comma is the default separator)" : "")
            }
            throw diagnostic
        }
        let testRows = try appendTestFile(command, to: &loaded, dialect: dialect)
        if let target, loaded.column(named: target) == nil {
            throw Diagnostic(loaded.unknownColumn(target), at: command.target.range)
        }
        let targetName = target ?? (isSeriesFile ? "label" : loaded.columnNames.last!)
        if isSeriesFile, targetName == "label" { knownTask = .classification } // UCR's labels are class numbers
        try rejectStrayText(in: loaded, target: targetName, dialect: dialect, at: command.source.range)
        var dateNotes: [String]
        do { dateNotes = try loaded.checkDateColumns(except: targetName) } catch let error as TabularError {
            throw Diagnostic(error, at: command.source.range)
        }
        dateNotes += Self.numbersWrittenOtherwise(in: loaded, dialect: dialect)
        var pipeline = try DataPipeline(table: loaded, target: targetName, knownTask: knownTask, knownImageShape: imageShape,
                                        taskOverride: taskOverride, sourcePath: path, dialect: dialect)
        try pipeline.setEndsInOneSigmoid(endsInOneSigmoid) // before a loaded model compares its classes
        let splitNote = try applyTestRows(testRows, to: &pipeline, command: command)
        if isSeriesFile, let shape = SeriesFile.shape(of: loaded), shape[0] * shape[1] == pipeline.dataset?.featureCount {
            try pipeline.declareSeriesShape(shape)
        }
        try cancellation.check() // the last moment the session is still as it was
        guard let fitted = data?.restored, let model = built else {
            install(pipeline)
            if let splitNote { print(splitNote) }
            for note in dateNotes { print("note: " + note) }
            return
        }
        let refusal = try adoptLoadedModel(fitted, into: &pipeline, at: command.source.range)
        install(pipeline, keepsModel: refusal == nil)
        if let splitNote { print(splitNote) }
        if let refusal {
            print("note: " + refusal)
        } else {
            built = model.rebased(to: pipeline.revision)
            let steps = fitted.steps.map(\.description) + (fitted.window.map { ["window \($0.steps) horizon=\($0.horizon) target=\($0.target)"] } ?? []) + (fitted.scaler.map { ["scale \($0.method.rawValue) (as fitted for the model)"] } ?? [])
                + (fitted.targetScaler.map { ["scale target \($0.method.rawValue) (as fitted for the model)"] } ?? [])
            print("the loaded model's preprocessing applies: " + (steps.isEmpty ? "none" : steps.joined(separator: "; ")))
        }
        for note in dateNotes { print("note: " + note) }
    }

    /// After `load model`, data with the model's columns goes through the model's own
    /// preprocessing, and the model carries on with it: `evaluate` measures it, `train` goes
    /// on from its weights. Other data leaves the layers for a fresh start, as any load does.
    /// Returns why the model cannot carry on, or nil when it does; the pipeline is changed only then.
    private func adoptLoadedModel(_ fitted: FittedPipeline, into pipeline: inout DataPipeline, at range: SourceRange) throws -> String? {
        // A windowed model reads its target as a channel too, whichever column the load made the target.
        let names = pipeline.loadedColumns.map(\.name) + (fitted.window != nil ? [pipeline.targetName] : [])
        let missing = fitted.rawColumns.map(\.name).filter { !names.contains($0) }
        guard missing.isEmpty, pipeline.targetName == fitted.targetName || fitted.window != nil else {
            return "the loaded model takes \(Self.listed(fitted.rawColumns.map(\.name))) to predict '\(fitted.targetName)'; "
                + "this data does not have them, so `train` starts afresh"
        }
        var adopted = pipeline
        do {
            try adopted.adopt(fitted)
        } catch let error as TabularError {
            throw Diagnostic(error, at: range)
        }
        guard let dataset = adopted.dataset, dataset.featureNames == fitted.featureNames, dataset.classNames == fitted.classNames else {
            let classes = adopted.dataset?.classNames.map { " and classes \($0.joined(separator: ", "))" } ?? ""
            return "through the model's preprocessing this data gives other features\(classes) than the model's, so `train` starts afresh"
        }
        pipeline = adopted
        return nil
    }

    /// A numeric column with one stray text cell is a data error worth stopping for at once.
    /// When the cell is a number written another way (`1,5`, `1,234`), the hint names the key.
    private func rejectStrayText(in table: Table, target: String, dialect: CSVDialect, at range: SourceRange) throws {
        for column in table.columns where column.name != target {
            if let stray = column.firstNonNumeric {
                var hint = "fix or remove that cell, or write NA to mark it missing"
                if let (keys, _) = Self.dialectReading(stray.value, besides: dialect) {
                    hint = "if numbers are written like that in this file, load it with \(keys); else " + hint
                }
                throw Diagnostic("column '\(column.name)' holds numbers, but line \(stray.line) of '\(table.source)' has '\(stray.value)'",
                                 at: range, hint: hint)
            }
        }
    }

    /// A note for each text column whose cells are all numbers written with another decimal
    /// or thousands separator (`1,5`, `"1,234"`), naming the keys that read them as numbers.
    private static func numbersWrittenOtherwise(in table: Table, dialect: CSVDialect) -> [String] {
        table.columns.compactMap { column in
            guard case .text(let cells) = column.data, let first = cells.first(where: { $0 != nil }) ?? nil,
                  let (keys, reading) = dialectReading(first, besides: dialect),
                  cells.allSatisfy({ $0 == nil || reading.number($0!) != nil }) else { return nil }
            return "column '\(column.name)' holds numbers written like '\(first)', read as text; load with \(keys) to read them as numbers"
        }
    }

    /// The keys (`decimal=","`, `thousands=","`) under which `value` is a number, if any.
    private static func dialectReading(_ value: String, besides dialect: CSVDialect) -> (keys: String, dialect: CSVDialect)? {
        let comma = CSVDialect.comma, point = CSVDialect.point
        let tries: [(decimal: UInt8, thousands: UInt8?)] = [(point, comma), (comma, nil), (comma, point)]
        for (decimal, thousands) in tries where decimal != dialect.decimal || thousands != dialect.thousands {
            var reading = dialect
            reading.decimal = decimal
            reading.thousands = thousands
            guard reading.problem == nil, reading.number(value) != nil else { continue }
            var keys: [String] = []
            if decimal != dialect.decimal { keys.append("decimal=" + quotedLiteral(String(UnicodeScalar(decimal)))) }
            if let thousands, thousands != dialect.thousands { keys.append("thousands=" + quotedLiteral(String(UnicodeScalar(thousands)))) }
            return ("`" + keys.joined(separator: " ") + "`", reading)
        }
        return nil
    }

    /// A newly loaded data set starts with no preprocessing at all.
    /// Makes newly loaded data the session's. Layers stay across a load (a model can be built
    /// before its data), which surprises a learner starting on a new data set: say so, unless
    /// a loaded model carries on with this data.
    func install(_ pipeline: DataPipeline, keepsModel: Bool = false) {
        data = pipeline
        lastOutliers = nil
        // The report covers this data set from this `load` (from the `load model` whose model carries on with it).
        if !keepsModel { markDataStart() }
        describeLoaded()
        if !keepsModel, !layers.isEmpty {
            let count = layers.count == 1 ? "its layer" : "its \(layers.count) layers"
            warn(Diagnostic("the model keeps \(count) (\(layers.map(\.text).joined(separator: ", "))); `reset model` starts a new one",
                            id: "model-kept-after-load"))
        }
    }

    func describeLoaded() {
        if let images = data?.images, let dataset { return describeLoadedImages(images, dataset) }
        guard let dataset else {
            let name = table?.source ?? "data"
            print("loaded \(name): \(table?.rowCount ?? 0) rows, \(table?.columns.count ?? 0) columns")
            if let problem = data?.problem { print("note: not ready to train yet: \(problem.message)") }
            return
        }
        var line = "loaded \(dataset.source): \(dataset.rowCount) row\(dataset.rowCount == 1 ? "" : "s"), "
            + "\(dataset.featureCount) feature\(dataset.featureCount == 1 ? "" : "s")"
        if let shape = dataset.imageShape { line += " (\(shape.map(String.init).joined(separator: "x")) images)" }
        if let shape = dataset.seriesShape, data?.windowing == nil { line += " (series of \(shape[0]) steps x \(shape[1]) channel\(shape[1] == 1 ? "" : "s"))" }
        switch dataset.target {
        case .classes(_, let names):
            let shown = names.count <= 10 ? names.joined(separator: ", ") : names.prefix(10).joined(separator: ", ") + ", …"
            line += "; target '\(dataset.targetName)': \(names.count) class\(names.count == 1 ? "" : "es") (\(shown))"
        case .values(let values):
            let lo = values.min() ?? 0, hi = values.max() ?? 0
            line += "; target '\(dataset.targetName)': numbers from \(Format.general(Double(lo))) to \(Format.general(Double(hi))) (regression)"
        }
        print(line)
        let missing = dataset.missingCounts()
        if !missing.isEmpty {
            let total = missing.map(\.count).reduce(0, +)
            print("note: \(total) missing value\(total == 1 ? "" : "s") in " + missing.map { "\($0.name) (\($0.count))" }.joined(separator: ", "))
        }
    }

    func declareInput(_ input: Placed<[Int]>) throws {
        _ = try requireDataset(for: "input")
        let shape = input.value
        if shape.count == 2 { try rejectBrokenSeries(shape, at: input.range) }
        do {
            if shape.count == 2 { try data!.declareSeriesShape(shape) } else { try data!.declareImageShape(shape) }
        } catch let error as TabularError {
            throw Diagnostic(error, at: input.range)
        }
        if shape.count == 2 {
            print("input: each row is a series of \(shape[0]) steps x \(shape[1]) channel\(shape[1] == 1 ? "" : "s")"
                  + (shape[1] > 1 ? " (the columns run through the channels at each step)" : ""))
        } else {
            print("input: each row is a \(shape.map(String.init).joined(separator: "x")) image (height x width x channels)")
        }
        // MNIST-in-CSV puts the label first; loaded without target= its last pixel became the target.
        let targetName = data!.targetName
        if let first = table?.columns.first?.name, first != targetName,
           ["label", "labels", "class", "digit", "target", "y"].contains(first.lowercased()) {
            print("note: the target is '\(targetName)' but the first column is '\(first)'; for files with the label first, load with `target=\(first)`")
        }
    }

    func setTask(_ task: LearningTask) throws {
        if table == nil, dataset != nil, task == .regression {
            throw Diagnostic("generated data sets hold classes; they cannot be regression targets")
        }
        taskOverride = task
        guard table != nil else {
            print("task: \(task.rawValue)")
            return
        }
        let hadWeights = model != nil
        try data!.setTask(task)
        print("task: \(task.rawValue)")
        describeLoaded()
        if hadWeights, model == nil { print("the task changed: the next `train` starts from fresh weights") }
    }

    func split(_ command: SplitCommand) throws {
        if let images = data?.images, images.ownSplit, let split = data?.split { return keepOwnSplit(images, split) }
        if data?.windowing != nil { return try splitByTime(command) }
        if let given = data?.split, given.seed == nil, !given.byTime {
            print("split: kept the split that came with the data (\(given.train.count) training rows, \(given.test.count) test rows: \(given.description)) rather than reshuffling")
            return
        }
        guard let rowCount = data?.rowCount, rowCount > 0 else { _ = try requireDataset(for: "split"); return }
        let fraction = command.fraction.value
        let splitSeed = command.seed.map(UInt64.init) ?? seed
        var random = SeededRandom(seed: splitSeed)
        let labels = command.stratified ? try stratificationLabels(at: command.statement) : nil
        let rows: (train: [Int], test: [Int])
        do {
            rows = try splitIndices(count: rowCount, trainFraction: fraction, rng: &random, stratifyBy: labels)
        } catch let error as TabularError {
            throw Diagnostic(error, at: command.fraction.range)
        }
        let split = Split(train: rows.train, test: rows.test, description: "seed \(splitSeed)" + (labels == nil ? "" : ", stratified"),
                          seed: splitSeed, stratified: labels != nil)
        try data!.setSplit(split)
        print("split: \(split.train.count) training rows, \(split.test.count) test rows (\(split.description))")
        if data!.scaling != .none, data!.keptScaler == nil, dataset?.featureMatrix.bytes == nil {
            print("scale: \(data!.scaling.rawValue) refitted on the \(split.train.count) training rows")
        }
        if data!.targetScaler != nil, data!.keptTargetScaler == nil {
            print("scale target: \(data!.targetScaling.rawValue) refitted on the \(split.train.count) training rows")
        }
    }

    /// Class labels to stratify by: from the data set, or straight from the table's
    /// target column while text features still wait to be encoded.
    private func stratificationLabels(at range: SourceRange) throws -> [Int] {
        if let dataset, case .classes(let labels, _) = dataset.target { return labels }
        let task = data?.task
        let targetName = data?.targetName
        if dataset == nil, let column = table?.column(named: targetName ?? "") {
            switch column.data {
            case .text(let cells):
                let names = Array(Set(cells.compactMap { $0 })).sorted()
                return cells.map { $0.flatMap(names.firstIndex(of:)) ?? 0 }
            case .numeric(let values) where task == .classification:
                let distinct = Array(Set(values.filter { !$0.isNaN })).sorted()
                return values.map { distinct.firstIndex(of: $0) ?? 0 }
            default: break
            }
        }
        let twoValues = data?.twoTargetValues != nil ? " (its two values become classes once the model ends in `dense 1 sigmoid`)" : ""
        throw Diagnostic("stratify keeps class shares, but '\(targetName ?? "the target")' holds numbers (regression)",
                         at: range, hint: "remove `stratify`, or say `task classification` first" + twoValues)
    }

    func scale(_ method: ScalingMethod, at statement: SourceRange) throws {
        _ = try requireDataset(for: "scale")
        if dataset?.featureMatrix.bytes != nil { return try scalePixels(method, at: statement) }
        let trained = model != nil
        try data!.scale(method)
        if method == .none {
            print("scale: none (features are used as loaded)")
        } else {
            let rows = trainRows.count
            let whose = data!.split == nil ? "all \(rows) rows (no split yet; `split` refits it on the training rows)"
                                           : "the \(rows) training rows"
            print("scale: \(method.rawValue), fitted on \(whose)")
        }
        if method != .none, let dataset {
            let constant = (data?.scaler?.constantFeatures ?? []).map { dataset.featureNames[$0] }
            if !constant.isEmpty {
                let what = method == .minmax ? "max = min, so the values become 0 instead of a division by zero"
                                             : "std = 0, so the values are centred to 0 and not divided"
                // Pixels of an image stay, or the image loses its shape; columns can go.
                let advice = dataset.imageShape != nil ? "A pixel that never changes carries no information, which does no harm"
                    : "A constant feature carries no information: consider `drop \(constant.joined(separator: ","))`"
                print("note: constant on the training rows: \(Self.listed(constant)); \(what), as scikit-learn does. " + advice)
            }
        }
        if trained, model == nil {
            warn(Diagnostic("the model was trained before this `scale`: its weights fit the old feature values, "
                            + "so the next `train` starts from fresh weights (scale before you train)",
                            at: statement, id: "scaled-after-training"))
        }
    }

    func expandHome(_ path: String) -> String {
        guard path.hasPrefix("~/"), let home = getenvString("HOME") else { return path }
        return home + path.dropFirst(1)
    }
}
