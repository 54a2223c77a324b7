import DLCore
import Engine
import Tabular

/// Everything a session knows: data, pipeline, layers, the built network and its
/// training state. Statements read and change it through the methods in the
/// Session+*.swift files; nothing here prints except through `output`.
final class Session {
    let output: OutputSink
    unowned let interpreter: Interpreter
    var quitRequested = false

    // Randomness: everything derives from `seed` so reruns print the same numbers.
    var seed: UInt64 = 42
    /// Drives the shuffling of training batches; continues across `train` calls.
    var trainingRandom = SeededRandom(seed: 42)

    // Data and pipeline.
    var table: Table?
    var targetName: String?
    /// Set by `task`; wins over what the loaded data implies.
    var taskOverride: Task?
    /// What a bundled data set is known to be (digits: classification, 8x8x1 images).
    var tableTask: Task?
    var tableImageShape: [Int]?
    /// Set by `input`: the image shape of each row of a table of pixels.
    var declaredImageShape: [Int]?
    var dataset: Dataset?
    /// Why `dataset` could not be built from `table` (e.g. a text feature); reported
    /// by the statements that need numbers.
    var datasetProblem: Diagnostic?
    /// The columns as loaded (name, is text), minus the target: the raw row `predict` takes.
    var loadedColumns: [(name: String, isText: Bool)] = []
    /// Preprocessing applied to `table` since it was loaded, in order.
    var pipeline: [PipelineStep] = []
    /// Columns removed by `drop` or `keep`, listed by `columns`.
    var droppedColumns: [String] = []
    var splitRows: (train: [Int], test: [Int])?
    var splitDescription = ""
    var scalingMethod: ScalingMethod = .none
    var scaler: Scaler?
    /// `dataset.features` after scaling (all rows); rebuilt when data, split or scaling change.
    var scaledFeatures: [Float] = []

    // Model.
    var layers: [LayerEntry] = []
    var lossChoice: Loss?
    var optimizerKind: OptimizerKind = .sgd(momentum: 0)
    /// Decoupled weight decay of the optimizer (`weight_decay=`).
    var weightDecay: Double = 0
    /// How the learning rate changes from epoch to epoch (`schedule`).
    var schedule: Schedule = .constant
    /// The last `sweep`, for `use best` and `plot sweep`.
    var lastSweep: SweepResult?
    var network: Network?
    /// The layer statements `network` was built from, to notice a changed architecture.
    var builtLayers: [LayerEntry.Kind] = []
    var trainer: Trainer?
    /// The loss `trainer` was made with; a different one needs a new trainer.
    var trainerLoss: Loss?
    var epochsTrained = 0
    var history: [HistoryRow] = []

    /// What the last `outliers` found, for `clip outliers` and `drop outliers`.
    var lastOutliers: [OutlierReport]?

    /// Nesting depth of `run`, to stop a script that runs itself.
    var runDepth = 0

    init(output: OutputSink, interpreter: Interpreter) {
        self.output = output
        self.interpreter = interpreter
    }

    func print(_ text: String = "") { output.write(text + "\n", to: .output) }

    /// The rows used for training: the split's training rows, or all rows.
    var trainRows: [Int] {
        if let splitRows { return splitRows.train }
        return Array(0..<rowCount)
    }

    /// The data set, or an error saying how to get one.
    func requireDataset(for statement: String) throws -> Dataset {
        if let datasetProblem { throw datasetProblem }
        guard let dataset else {
            throw Diagnostic("\(statement) needs data, but nothing is loaded",
                             hint: "start with `load iris` (or `load \"file.csv\"`); `help load` lists the data sets")
        }
        return dataset
    }

    /// Forgets the built network, so the next `train` starts from fresh weights.
    func discardWeights() {
        network = nil
        trainer = nil
        epochsTrained = 0
        history = []
    }
}
