import DLCore
import Tabular

extension Diagnostic {
    /// A data-layer error as a diagnostic at the statement's place.
    init(_ error: TabularError, at range: SourceRange? = nil) {
        self.init(error.message, at: range, hint: error.hint)
    }
}

extension Session {
    func load(_ args: Arguments) throws {
        let source = args.text("SOURCE")!
        let isWord: Bool = { if case .word = args.value("SOURCE")!.kind { return true } else { return false } }()
        let loaded: Table
        let target: String?
        var knownTask: Task?, imageShape: [Int]?
        do {
            if isWord, source == "mnist" {
                let (data, trainCount) = try MNIST.load(folder: expandHome(args.text("FOLDER")!))
                installGenerated(data)
                // MNIST comes split: its t10k files are the test set.
                splitRows = (Array(0..<trainCount), Array(trainCount..<data.rowCount))
                splitDescription = "MNIST's own split: the t10k files are the test rows"
                refitScaling()
                print("split: \(trainCount) training rows, \(data.rowCount - trainCount) test rows (\(splitDescription))")
                return
            } else if isWord, source == "shapes" {
                var random = SeededRandom(seed: args.integer("seed").map(UInt64.init) ?? seed)
                installGenerated(try Shapes.make(n: StatementTable.shapesRows(args), size: args.integer("size")!,
                                                 classes: StatementTable.shapesClasses(args), noise: args.number("noise")!,
                                                 rng: &random))
                return
            } else if isWord, Generated.names.contains(source) {
                var random = SeededRandom(seed: args.integer("seed").map(UInt64.init) ?? seed)
                let data = try Generated.make(source, n: args.integer("n")!, noise: args.number("noise")!,
                                              classes: args.integer("classes")!,
                                              features: args.integer("features")!, rng: &random)
                installGenerated(data)
                return
            } else if isWord, BundledData.names.contains(source) {
                let bundled = try BundledData.load(source)
                loaded = bundled.table
                target = args.text("target") ?? bundled.target
                if target == bundled.target { // another target makes it a different problem
                    knownTask = BundledData.task(of: source)
                    imageShape = BundledData.imageShape(of: source)
                }
            } else {
                loaded = try CSV.read(path: expandHome(source))
                target = args.text("target")
            }
        } catch let error as TabularError {
            throw Diagnostic(error, at: args.range(of: "SOURCE"))
        }
        if let target, loaded.column(named: target) == nil {
            throw Diagnostic(loaded.unknownColumn(target), at: args.range(of: "target"))
        }
        try rejectStrayText(in: loaded, target: target ?? loaded.columnNames.last!, at: args.range(of: "SOURCE"))
        table = loaded
        targetName = target ?? loaded.columnNames.last
        tableTask = knownTask
        tableImageShape = imageShape
        loadedColumns = loaded.columns.filter { $0.name != targetName }.map {
            if case .text = $0.data { return ($0.name, true) } else { return ($0.name, false) }
        }
        resetPipeline()
        try rebuildDataset()
        describeLoaded()
    }

    /// A numeric column with one stray text cell is a data error worth stopping for at once.
    private func rejectStrayText(in table: Table, target: String, at range: SourceRange) throws {
        for column in table.columns where column.name != target {
            if let stray = column.firstNonNumeric {
                throw Diagnostic("column '\(column.name)' holds numbers, but line \(stray.line) of '\(table.source)' has '\(stray.value)'",
                                 at: range, hint: "fix or remove that cell, or write NA to mark it missing")
            }
        }
    }

    private func installGenerated(_ data: Dataset) {
        table = nil
        targetName = data.targetName
        loadedColumns = data.featureNames.map { ($0, false) }
        resetPipeline()
        dataset = data
        datasetProblem = nil
        refitScaling()
        describeLoaded()
    }

    /// Derives the numeric data set from the table, target and task, keeping the split
    /// (callers remap it first when rows go) and refitting the scaling; trained weights
    /// no longer fit and are dropped. A text feature is not an error yet (it can be
    /// dropped or encoded); it is kept as `datasetProblem`.
    func rebuildDataset() throws {
        guard let table else { return }
        do {
            dataset = try table.dataset(target: targetName, task: taskOverride ?? tableTask)
            dataset?.imageShape = tableImageShape
            if let declared = declaredImageShape {
                // Declared with `input`; a later drop or encode may break it, which `input` then reports again.
                try? dataset?.setImageShape(declared)
            }
            datasetProblem = nil
        } catch let error as TabularError {
            if taskOverride == .regression, let column = table.column(named: targetName ?? ""),
               case .text = column.data {
                throw Diagnostic(error)
            }
            dataset = nil
            datasetProblem = Diagnostic(error)
        }
        refitScaling()
        discardWeights()
    }

    /// A newly loaded data set starts with no preprocessing at all.
    private func resetPipeline() {
        pipeline = []
        declaredImageShape = nil
        droppedColumns = []
        splitRows = nil
        splitDescription = ""
        scaler = nil
        scalingMethod = .none
        scaledFeatures = []
        discardWeights()
    }

    func describeLoaded() {
        guard let dataset else {
            let name = table?.source ?? "data"
            print("loaded \(name): \(table?.rowCount ?? 0) rows, \(table?.columns.count ?? 0) columns")
            if let datasetProblem { print("note: not ready to train yet: \(datasetProblem.message)") }
            return
        }
        var line = "loaded \(dataset.source): \(dataset.rowCount) rows, \(dataset.featureCount) features"
        if let shape = dataset.imageShape { line += " (\(shape.map(String.init).joined(separator: "x")) images)" }
        switch dataset.target {
        case .classes(_, let names):
            let shown = names.count <= 10 ? names.joined(separator: ", ") : names.prefix(10).joined(separator: ", ") + ", …"
            line += "; target '\(dataset.targetName)': \(names.count) classes (\(shown))"
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

    func declareInput(_ args: Arguments) throws {
        var data = try requireDataset(for: "input")
        let shape = args.dimension("SHAPE")!
        do {
            try data.setImageShape(shape)
        } catch let error as TabularError {
            throw Diagnostic(error, at: args.range(of: "SHAPE"))
        }
        dataset = data
        declaredImageShape = shape
        discardWeights()
        print("input: each row is a \(shape.map(String.init).joined(separator: "x")) image (height x width x channels)")
        // MNIST-in-CSV puts the label first; loaded without target= its last pixel became the target.
        if let first = table?.columns.first?.name, first != targetName,
           ["label", "labels", "class", "digit", "target", "y"].contains(first.lowercased()) {
            print("note: the target is '\(targetName ?? "")' but the first column is '\(first)'; for files with the label first, load with `target=\(first)`")
        }
    }

    func setTask(_ args: Arguments) throws {
        let task = Task(rawValue: args.text("KIND")!)!
        if table == nil, dataset != nil, task == .regression {
            throw Diagnostic("generated data sets hold classes; they cannot be regression targets")
        }
        taskOverride = task
        guard table != nil else {
            print("task: \(taskOverride!.rawValue)")
            return
        }
        try rebuildDataset()
        print("task: \(taskOverride!.rawValue)")
        describeLoaded()
    }

    func split(_ args: Arguments) throws {
        guard rowCount > 0 else { _ = try requireDataset(for: "split"); return }
        let fraction = args.number("FRACTION")!
        let splitSeed = args.integer("seed").map(UInt64.init) ?? seed
        var random = SeededRandom(seed: splitSeed)
        let labels = args.flag("stratify") ? try stratificationLabels(at: args.statement.range) : nil
        do {
            splitRows = try splitIndices(count: rowCount, trainFraction: fraction, rng: &random, stratifyBy: labels)
        } catch let error as TabularError {
            throw Diagnostic(error, at: args.range(of: "FRACTION"))
        }
        splitDescription = "seed \(splitSeed)" + (labels == nil ? "" : ", stratified")
        discardWeights()
        let (train, test) = splitRows!
        print("split: \(train.count) training rows, \(test.count) test rows (\(splitDescription))")
        if scalingMethod != .none {
            refitScaling()
            print("scale: \(scalingMethod.rawValue) refitted on the \(train.count) training rows")
        }
    }

    /// Rows in the session's data (the table's, before it is ready to train, too).
    var rowCount: Int { table?.rowCount ?? dataset?.rowCount ?? 0 }

    /// Class labels to stratify by: from the data set, or straight from the table's
    /// target column while text features still wait to be encoded.
    private func stratificationLabels(at range: SourceRange) throws -> [Int] {
        if let dataset, case .classes(let labels, _) = dataset.target { return labels }
        let task = taskOverride ?? tableTask
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
        throw Diagnostic("stratify keeps class shares, but '\(targetName ?? "the target")' holds numbers (regression)",
                         at: range, hint: "remove `stratify`, or say `task classification` first")
    }

    func scale(_ args: Arguments) throws {
        _ = try requireDataset(for: "scale")
        scalingMethod = ScalingMethod(rawValue: args.text("METHOD")!)!
        refitScaling()
        if scalingMethod == .none {
            print("scale: none (features are used as loaded)")
        } else {
            let rows = trainRows.count
            let whose = splitRows == nil ? "all \(rows) rows (no split yet; `split` refits it on the training rows)"
                                         : "the \(rows) training rows"
            print("scale: \(scalingMethod.rawValue), fitted on \(whose)")
        }
    }

    /// Fits the scaler on the training rows and rescales every row.
    func refitScaling() {
        guard let dataset else {
            scaler = nil
            scaledFeatures = []
            return
        }
        if scalingMethod == .none {
            scaler = nil
            scaledFeatures = dataset.features
            return
        }
        let fitted = Scaler.fit(scalingMethod, features: dataset.features, featureCount: dataset.featureCount, rows: trainRows)
        var features = dataset.features
        fitted.transform(&features)
        scaler = fitted
        scaledFeatures = features
    }

    private func expandHome(_ path: String) -> String {
        guard path.hasPrefix("~/"), let home = getenvString("HOME") else { return path }
        return home + path.dropFirst(1)
    }
}
