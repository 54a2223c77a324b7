import Engine
import Tabular

/// The identity of one state of a pipeline's data: every change of the rows, columns,
/// target, split or scaling makes a new one. A trained model keeps the one it was
/// trained on, so "the data changed under these weights" is a comparison (`===`).
final class DataRevision: Sendable {}

/// The rows as split for training and testing.
struct Split: Sendable {
    var train: [Int]
    var test: [Int]
    /// How it was drawn ("seed 42, stratified"), for messages and `show`.
    var description: String
    /// The seed it was drawn with and whether by class (nil for a split that came with the data).
    var seed: UInt64? = nil
    var stratified = false
    /// Windows split by time (`split` after `window`): test windows after every training window.
    var byTime = false
    /// The file of `load … test=` (as given) that these test rows came from; the exported scripts read it too.
    var testFile: String? = nil
}

/// Everything between the raw rows and the numbers a network sees: the loaded table, its
/// target and task, the recorded steps (impute, encode, drop/keep, clip, row removals) with
/// their fitted parameters, the split and the scaling. A value: the data set, the scaler
/// and the scaled features (built on first use, see `ScaledFeatures`) are derived from the
/// rest inside every change, so they cannot go stale, and a copy (for a sweep, a saved
/// model) is a snapshot.
struct DataPipeline: Sendable {
    /// The working table, after the recorded steps; nil for generated data, which comes as numbers.
    private(set) var table: Table?
    /// The CSV the table was read from (a bundled set's file too), for exported scripts.
    private(set) var sourcePath: String?
    /// How that CSV is written: `predict "FILE"` reads files of new rows the same way.
    private(set) var dialect = CSVDialect.standard
    private(set) var targetName: String
    /// The columns as loaded, target excepted: the raw row that `predict` takes before the steps.
    private(set) var loadedColumns: [(name: String, isText: Bool)]
    private(set) var steps: [PipelineStep] = []
    /// What a bundled data set is known to be (digits: classification, 8x8x1 images).
    private(set) var knownTask: LearningTask?
    private(set) var knownImageShape: [Int]?
    /// Set by `task`: wins over what the data implies.
    private(set) var taskOverride: LearningTask?
    /// Whether the model ends in one sigmoid unit (`dense 1 sigmoid`): with a numeric target of
    /// exactly two values, that makes it two classes (`impliedTask`). The session keeps it in step.
    private(set) var endsInOneSigmoid = false
    /// Set by `input`: the image shape of each row of a table of pixels.
    private(set) var declaredImageShape: [Int]?
    /// Set by `input STEPSxCHANNELS`: the series shape of each row (the UCR layout).
    private(set) var declaredSeriesShape: [Int]?
    /// Set by `window`: the table is one long series and the rows are its sliding windows.
    private(set) var windowing: Windowing?
    /// The file of `load … test=` whose rows `window` took as the series' later rows (dropping
    /// the split it made): the exported scripts append it to the data file as dl did.
    private(set) var seriesTestFile: String?
    private(set) var split: Split?
    private(set) var scaling: ScalingMethod = .none
    /// A saved model's scaler, kept as it was fitted rather than fitted again on these rows
    /// (`adopt`); a `scale` statement replaces it.
    private(set) var keptScaler: Scaler?
    /// Set by `scale target`: how a regression target is rescaled for training (none: as
    /// loaded). The network learns the scaled values; what the user sees is mapped back.
    private(set) var targetScaling: ScalingMethod = .none
    /// A saved model's target scaler, kept as fitted (`adopt`); `scale target` replaces it.
    private(set) var keptTargetScaler: Scaler?

    // Derived in `derive`, never set from outside.
    /// The numeric data set, or nil with `problem` saying why (e.g. a text feature not yet encoded).
    private(set) var dataset: Dataset?
    private(set) var problem: Diagnostic?
    /// Fitted on the training rows; nil without scaling.
    private(set) var scaler: Scaler?
    /// The target's scaler (one column), fitted on the training rows; nil without `scale target`.
    private(set) var targetScaler: Scaler?
    /// `dataset`'s features after scaling, all rows, built when first read.
    private var scaled: ScaledFeatures?
    private(set) var revision = DataRevision()
    /// A pipeline brought back by `load model`: what it fitted, with no rows of its own.
    private(set) var restored: FittedPipeline?
    /// `augment`: random changes to each training image of each batch (nil: none). Not a step
    /// on the rows: training alone applies it (`DataPipeline+Augment.swift`).
    private(set) var augmentation: ImageAugmentation?
    /// The statements that made this pipeline, from its load on, in order (`show state`).
    private(set) var madeBy: [StateStatement] = []
    /// Where a folder of images came from and how it was read (`load images`); nil otherwise.
    private(set) var images: ImageSource?
    /// Set by `adopt`: these rows went through a loaded model's preprocessing (its steps, window
    /// and scalers), so `show state` writes the `load model` before their load.
    private(set) var carriesLoadedModel = false

    /// A table as loaded (already checked for stray text cells).
    init(table: Table, target: String, knownTask: LearningTask?, knownImageShape: [Int]?, taskOverride: LearningTask?,
         sourcePath: String? = nil, dialect: CSVDialect = .standard) throws {
        self.table = table
        self.sourcePath = sourcePath
        self.dialect = dialect
        self.targetName = target
        self.loadedColumns = Self.rawColumns(of: table, target: target)
        self.knownTask = knownTask
        self.knownImageShape = knownImageShape
        self.taskOverride = taskOverride
        try derive(rebuildingDataset: true)
    }

    /// Generated (or IDX) data: numbers already, no table to edit. `split` is the data's own
    /// (MNIST's t10k files), if any.
    init(generated data: Dataset, split: Split? = nil) {
        table = nil
        targetName = data.targetName
        loadedColumns = data.featureNames.map { ($0, false) }
        dataset = data
        self.split = split
        refitScaling()
    }

    /// A folder of images (`load images`): 8-bit pixels, with the folder's own split if it has one.
    init(images loaded: LoadedImages, source: ImageSource) {
        let split = loaded.trainCount.map { count in
            Split(train: Array(0..<count), test: Array(count..<loaded.dataset.rowCount), description: source.splitDescription)
        }
        self.init(generated: loaded.dataset, split: split)
        images = source
    }

    /// The preprocessing of a saved model, with no rows: `predict` runs rows through it; the
    /// statements that need data say to load some (`problem`).
    init(restoring fitted: FittedPipeline, from file: String) {
        table = nil
        targetName = fitted.targetName
        loadedColumns = fitted.rawColumns.map { ($0.name, $0.isText) }
        steps = fitted.steps
        dialect = fitted.dialect
        knownImageShape = fitted.imageShape
        images = fitted.images
        augmentation = fitted.augmentation
        declaredSeriesShape = fitted.seriesShape
        restored = fitted
        scaler = fitted.scaler
        scaling = fitted.scaler?.method ?? .none
        targetScaler = fitted.targetScaler
        targetScaling = fitted.targetScaler?.method ?? .none
        let shown = fitted.rawColumns.count > 8
            ? fitted.rawColumns.prefix(8).map(\.name).joined(separator: ", ") + ", …"
            : fitted.rawColumns.map(\.name).joined(separator: ", ")
        problem = Diagnostic("the model loaded from '\(file)' brings its preprocessing but no rows",
                             hint: "load data with the same columns (\(shown), \(fitted.targetName)) to evaluate or train; `predict V1,V2,…` works as it is")
    }

    private static func rawColumns(of table: Table, target: String) -> [(name: String, isText: Bool)] {
        table.columns.filter { $0.name != target }.map {
            if case .text = $0.data { return ($0.name, true) } else { return ($0.name, false) }
        }
    }

    // MARK: - Reading

    /// `dataset`'s features after scaling, all rows, row by row (empty without a data set).
    var scaledFeatures: [Float] { scaled?.matrix ?? [] }
    /// Whether `scaledFeatures` would be built anew (and take memory) when next asked for.
    var scaledFeaturesPending: Bool { scaled.map { !$0.isBuilt } ?? false }

    /// Rows in the data (the table's, before it is ready to train, too).
    var rowCount: Int {
        if windowing != nil { return dataset?.rowCount ?? 0 }
        return table?.rowCount ?? dataset?.rowCount ?? 0
    }

    /// The rows used for training and for fitting statistics: the split's training rows, or all rows.
    var trainRows: [Int] { split?.train ?? Array(0..<rowCount) }

    /// The rows `evaluate` measures: the test rows, or all rows without a split.
    var testRows: [Int] { split?.test ?? trainRows }

    /// Which rows statistics came from, for messages.
    var fitRowsPhrase: String {
        split == nil ? "all \(trainRows.count) rows" : "the \(trainRows.count) training rows"
    }

    /// The task in force: `task`'s choice, else what a bundled set is known to be, else what
    /// the output layer implies for a two-valued numeric target (`impliedTask`).
    var task: LearningTask? { taskOverride ?? knownTask ?? impliedTask }

    /// Columns removed by `drop` or `keep`, in order, as `columns` lists them.
    var droppedColumns: [String] {
        var present = loadedColumns.map(\.name) + [targetName]
        var dropped: [String] = []
        for step in steps {
            let removed: [String]
            switch step {
            case .drop(let names): removed = names.filter { present.contains($0) }
            case .keep(let names): removed = present.filter { !names.contains($0) }
            case .encode(let encoding):
                present.removeAll { $0 == encoding.column }
                present += encoding.newColumnNames
                continue
            case .encodeDate(let encoding):
                present.removeAll { $0 == encoding.column }
                present += encoding.newColumnNames
                continue
            default: continue
            }
            dropped += removed
            present.removeAll { removed.contains($0) }
        }
        return dropped
    }

    /// The columns a `predict` row gives values for: the loaded ones that `drop` and `keep` left.
    var predictColumns: [(name: String, isText: Bool)] {
        var columns = loadedColumns
        for step in steps {
            switch step {
            case .drop(let names): columns.removeAll { names.contains($0.name) }
            case .keep(let names): columns.removeAll { !names.contains($0.name) }
            default: break
            }
        }
        return columns
    }

    // MARK: - Changing

    /// Records a statement that made this pipeline what it is (Session+State.swift).
    mutating func note(_ statement: StateStatement) { madeBy.append(statement) }

    /// Data loaded to carry on a loaded model: the statements of that model's pipeline come first.
    mutating func continueState(from previous: DataPipeline) { madeBy = previous.madeBy + madeBy }

    /// Runs a table step and records it.
    mutating func apply(_ step: PipelineStep) throws {
        guard var edited = table else { return }
        try step.replay(on: &edited)
        table = edited
        steps.append(step)
        try derive(rebuildingDataset: true)
    }

    /// A step on generated data, which comes as numbers with no table: `transform` makes the
    /// new data set from the old (`features` appends computed columns); nothing without one.
    mutating func apply(_ step: PipelineStep, toGenerated transform: (Dataset) throws -> Dataset) throws {
        guard table == nil, let dataset else { return }
        self.dataset = try transform(dataset)
        steps.append(step)
        revision = DataRevision()
        refitScaling()
    }

    /// Takes on a saved model's preprocessing (`load` after `load model`): its steps replayed
    /// with the values they were fitted to, and its scaler as it was, so these rows reach the
    /// network exactly as new rows given to `predict` would.
    mutating func adopt(_ fitted: FittedPipeline) throws {
        for step in fitted.steps { try apply(step) }
        if let window = fitted.window { try setWindowing(window.windowing) } // the rows become the model's windows
        augmentation = fitted.augmentation
        scaling = fitted.scaler?.method ?? .none
        keptScaler = fitted.scaler
        targetScaling = fitted.targetScaler?.method ?? .none
        keptTargetScaler = fitted.targetScaler
        carriesLoadedModel = true
        try derive(rebuildingDataset: false)
    }

    /// Removes rows (dropna, drop outliers): `edit` changes the table and returns the original
    /// indices of the rows it kept; the split keeps its remaining rows. Throws, changing nothing,
    /// when too few rows would remain (`emptyingProblem`), with `hint` saying what to do instead.
    @discardableResult
    mutating func removeRows(_ removal: RowRemoval, hint: String, _ edit: (inout Table) -> [Int]) throws -> [Int] {
        guard var edited = table else { return [] }
        let kept = edit(&edited)
        if let problem = emptyingProblem(keeping: kept, step: removal.statement, hint: hint) {
            throw problem
        }
        if windowing != nil {
            self.split = nil // the windows are made again from the rows left; a split by time is drawn anew
        } else if let split {
            var newIndex = [Int: Int]()
            for (new, old) in kept.enumerated() { newIndex[old] = new }
            self.split = Split(train: split.train.compactMap { newIndex[$0] }, test: split.test.compactMap { newIndex[$0] },
                               description: split.description, seed: split.seed, stratified: split.stratified, testFile: split.testFile)
        }
        table = edited
        steps.append(.removedRows(removal))
        try derive(rebuildingDataset: true)
        return kept
    }

    /// Another column becomes the target; a bundled set's known task and shape no longer apply.
    mutating func setTarget(_ name: String) throws {
        guard table != nil else { return }
        loadedColumns = retargetedColumns(to: name)
        targetName = name
        // The scaling was asked for the old target; a new one starts as loaded.
        targetScaling = .none
        keptTargetScaler = nil
        knownTask = nil
        knownImageShape = nil
        windowing?.target = name // the windows now forecast this column
        try derive(rebuildingDataset: true)
    }

    /// Says the task; the data set (and so the weights trained on it) starts anew only when
    /// that changes the task in force, or the data set could not be built before.
    mutating func setTask(_ task: LearningTask) throws {
        let before = self.task
        taskOverride = task
        if task == .classification {
            // Classes are not scaled: `scale target` applies to a regression target only.
            targetScaling = .none
            keptTargetScaler = nil
        }
        guard task != before || dataset == nil else { return }
        try derive(rebuildingDataset: table != nil)
    }

    /// Records whether the model ends in one sigmoid unit; rebuilds the data set only when that
    /// changes the task (a numeric target with two values becomes two classes, or a number again).
    mutating func setEndsInOneSigmoid(_ value: Bool) throws {
        guard value != endsInOneSigmoid else { return }
        let before = task
        endsInOneSigmoid = value
        if task != before { try derive(rebuildingDataset: table != nil) }
    }

    /// Declares each row an image of `shape` (throws when the features do not fill it).
    mutating func declareImageShape(_ shape: [Int]) throws {
        guard var data = dataset else { return }
        try data.setImageShape(shape)
        dataset = data
        declaredImageShape = shape
        declaredSeriesShape = nil
        try derive(rebuildingDataset: false)
    }

    /// `augment` / `augment off`: a new revision, so weights trained without it (or with other
    /// settings) are not trained on as if they had been, and `show state` replays exactly.
    mutating func setAugmentation(_ augmentation: ImageAugmentation?) {
        self.augmentation = augmentation
        revision = DataRevision()
    }

    /// Declares each row a series of `shape` = [steps, channels] (throws when the features do not fill it).
    mutating func declareSeriesShape(_ shape: [Int]) throws {
        guard var data = dataset else { return }
        try data.setSeriesShape(shape)
        dataset = data
        declaredSeriesShape = shape
        declaredImageShape = nil
        try derive(rebuildingDataset: false)
    }

    /// Turns the series into sliding windows (`window`): throws, changing nothing, when the
    /// series is too short or holds an infinite value. A split drawn before no longer applies.
    mutating func setWindowing(_ windowing: Windowing) throws {
        guard let table else { return }
        _ = try table.windowed(windowing)
        self.windowing = windowing
        loadedColumns = retargetedColumns(to: windowing.target)
        targetName = windowing.target
        knownTask = .regression
        knownImageShape = nil
        declaredImageShape = nil
        declaredSeriesShape = nil
        seriesTestFile = split?.testFile ?? seriesTestFile
        split = nil
        targetScaling = .none
        keptTargetScaler = nil
        try derive(rebuildingDataset: true)
    }

    mutating func setSplit(_ split: Split) throws {
        self.split = split
        try derive(rebuildingDataset: false)
    }

    mutating func scale(_ method: ScalingMethod) throws {
        scaling = method
        keptScaler = nil
        try derive(rebuildingDataset: false)
    }

    /// `scale target`: the regression target's scaling (the session checks the target holds numbers).
    mutating func scaleTarget(_ method: ScalingMethod) throws {
        targetScaling = method
        keptTargetScaler = nil
        try derive(rebuildingDataset: false)
    }

    /// Brings the derived values up to date after a change: the data set from the table
    /// (when the table, target or task changed), then the scaling fitted on the training rows.
    /// A text feature is not an error yet (it can be dropped or encoded): it is kept as `problem`.
    private mutating func derive(rebuildingDataset: Bool) throws {
        revision = DataRevision()
        if rebuildingDataset, let table {
            // Free the old matrices first: for 60,000 x 784 each is 188 MB, and building the
            // new data set beside them raised the peak of a `task` after `load` by that much.
            dataset = nil
            scaled = nil
            do {
                var data = try windowing.map { try table.windowed($0) } ?? table.dataset(target: targetName, task: task)
                data.imageShape = knownImageShape
                // Declared with `input`; a later drop or encode may break it, which `input` then reports again.
                if let declaredImageShape { try? data.setImageShape(declaredImageShape) }
                if let declaredSeriesShape { try? data.setSeriesShape(declaredSeriesShape) }
                dataset = data
                problem = nil
            } catch let error as TabularError {
                if taskOverride == .regression, let column = table.column(named: targetName), case .text = column.data {
                    throw Diagnostic(error)
                }
                dataset = nil
                problem = Diagnostic(error)
            }
        }
        refitScaling()
    }

    /// Fits the scaler on the training rows; the rescaled rows follow when first read.
    private mutating func refitScaling() {
        guard let dataset else {
            scaler = nil
            targetScaler = nil
            scaled = nil
            return
        }
        targetScaler = Self.targetScaler(targetScaling, kept: keptTargetScaler, for: dataset, rows: trainRows)
        if let keptScaler, keptScaler.offsets.count == dataset.featureCount {
            scaler = keptScaler
        } else if dataset.featureMatrix.bytes != nil {
            // Pixels: 0-255 to 0-1 whatever the method, fitted on nothing (see `scale` on images).
            scaler = scaling == .none ? nil : Scaler.pixels(count: dataset.featureCount)
        } else {
            scaler = scaling == .none ? nil : Scaler.fit(scaling, features: dataset.featureMatrix, rows: trainRows)
        }
        scaled = ScaledFeatures(dataset.featureMatrix, scaledBy: scaler)
    }
}
