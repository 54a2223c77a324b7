import DLCore
import Engine
import Tabular

/// What a session runs in: where its output goes (through the recorder that keeps each
/// statement's output for `report`), how an interrupt is asked for, and the sources being
/// run (innermost `run` last), for diagnostics and the source line of each layer.
final class SessionContext {
    let recorder: SessionRecorder
    /// Polled during long work; true asks it to stop after the current batch.
    let shouldInterrupt: @Sendable () -> Bool
    /// Called once an interrupt has been honoured, so the flag can be cleared.
    let clearInterrupt: @Sendable () -> Void
    /// Print each statement before its output (`--echo`).
    var echo = false
    var sources: [DiagnosticRenderer] = []
    /// Set by `quit`: the run ends after the current statement.
    var quitRequested = false
    /// Nesting depth of `run`, to stop a script that runs itself.
    var runDepth = 0

    init(output: OutputSink, shouldInterrupt: @escaping @Sendable () -> Bool, clearInterrupt: @escaping @Sendable () -> Void) {
        recorder = SessionRecorder(target: output)
        self.shouldInterrupt = shouldInterrupt
        self.clearInterrupt = clearInterrupt
    }

    /// The name of the file whose statements are running ("<stdin>" at the prompt).
    var currentFileName: String { sources.last?.fileName ?? "<stdin>" }

    /// The text of a line of the source that is running.
    func currentLineText(_ line: Int) -> String? { sources.last?.line(line) }
}

/// A session: the data pipeline, the model spec and the trained model, plus its context.
/// Statements read and change these values through the methods in the Session+*.swift
/// files; nothing here prints except through `output`.
final class Session {
    let context: SessionContext

    /// The loaded data and its preprocessing; nil until `load`.
    var data: DataPipeline?
    var spec = ModelSpec()
    /// The network last built or trained. It serves only while it fits the spec and the
    /// data (`model`); a changed architecture or data set makes the next `train` start afresh.
    var built: TrainedModel?

    /// Set by `task`: applies to the loaded data and to later loads.
    var taskOverride: LearningTask?
    /// `explain on`: each statement is followed by what it did and why.
    var explaining = false
    /// Where `tour` is, in the tour's own session; nil elsewhere.
    var tour: Tour?
    /// While a tour runs, the user's session holds the tour's session here (see Session+Tour).
    var tourRoom: TourRoom?
    /// The user's session, in a tour's session.
    weak var host: Session?
    /// The last `sweep`, for `use best` and `plot sweep`.
    var lastSweep: SweepResult?
    /// The last `findlr`, for `train lr=suggested` and its `explain`.
    var lastRangeTest: RangeTestSummary?
    /// What the last `outliers` found, for `clip outliers` and `drop outliers`.
    var lastOutliers: [OutlierReport]?
    /// Where the current data set's statements begin, and the last `evaluate`, for `report`.
    var reportMarks = ReportMarks()
    /// What the last `why` and `importance` found, for `explain`.
    var insight = InsightRecords()

    init(context: SessionContext) { self.context = context }

    var output: OutputSink { context.recorder }
    var recorder: SessionRecorder { context.recorder }

    func print(_ text: String = "") { output.write(text + "\n", to: .output) }

    /// Ctrl-C for the layers below: long reads and predictions look at it between blocks
    /// and throw `Interrupted`, which `run` reports; the statement changes nothing then.
    var cancellation: Cancellation { Cancellation(context.shouldInterrupt) }

    // MARK: - Views of the values

    /// Randomness: everything derives from the seed so reruns print the same numbers.
    var seed: UInt64 { spec.seed }
    var table: Table? { data?.table }
    var dataset: Dataset? { data?.dataset }
    var layers: [LayerEntry] { spec.layers }

    /// The trained model while it fits the current layers and data; nil otherwise.
    var model: TrainedModel? {
        guard let built, let pipeline = data, let shape = pipeline.inputShape(for: spec),
              built.fits(spec, inputShape: shape, data: pipeline.revision) else { return nil }
        return built
    }

    var network: Network? { model?.network }
    var history: [HistoryRow] { model?.history ?? [] }
    var epochsTrained: Int { model?.epochsTrained ?? 0 }

    /// The rows used for training: the split's training rows, or all rows.
    var trainRows: [Int] { data?.trainRows ?? [] }
    var fitRows: [Int] { trainRows }
    var fitRowsPhrase: String { data?.fitRowsPhrase ?? "no rows" }

    /// The data set, or an error saying how to get one.
    func requireDataset(for statement: String) throws -> Dataset {
        if let problem = data?.problem { throw problem }
        guard let dataset else {
            throw Diagnostic("\(statement) needs data, but nothing is loaded",
                             hint: "start with `load iris` (or `load \"file.csv\"`); `help load` lists the data sets")
        }
        return dataset
    }
}
