import Plot

/// What the last `evaluate` measured, kept for the report's results: its figures as
/// `evaluate` printed them, its tables (the confusion matrix, the per-class figures), a
/// picture (the confusion matrix as a heatmap, or predicted against actual values), and
/// which weights it measured. The report shows it only while those are still the
/// session's weights, so its figures are always the ones `evaluate` printed for them.
struct EvaluationRecord {
    /// The figures, tables and picture of one evaluation.
    struct Results {
        var figures: [(label: String, value: String)] = []
        var tables: [(title: String, table: TextTable, note: String?)] = []
        var chart: Chart?
        /// The one figure the line `report` prints names ("accuracy 0.9855", "R² 0.8208").
        var headline = ""
    }

    /// The model measured, held weakly: a model let go cannot be the session's model.
    private(set) weak var model: TrainedModel?
    /// Its epochs when measured: training on changes the weights the figures describe.
    let epochs: Int
    /// The epoch whose weights early stopping had restored, if it had.
    let restoredEpoch: Int?
    /// The rows measured, as `evaluate` named them ("69 test rows").
    let rows: String
    var results: Results

    init(model: TrainedModel, rows: String, results: Results) {
        self.model = model
        epochs = model.epochsTrained
        restoredEpoch = model.restoredEpoch
        self.rows = rows
        self.results = results
    }

    /// Which weights were measured: "the weights after 40 epochs of training", or "the weights
    /// of epoch 172, which early stopping restored after 192 epochs".
    var weights: String {
        if let restoredEpoch {
            return "the weights of epoch \(restoredEpoch), which early stopping restored after \(epochs) epochs"
        }
        return "the weights after \(epochs) epoch\(epochs == 1 ? "" : "s") of training"
    }

    /// Whether these figures describe `current`'s weights as they are now.
    func describes(_ current: TrainedModel?) -> Bool {
        guard let current, let model else { return false }
        return model === current && current.epochsTrained == epochs
    }
}

/// What the report needs from a session beyond its values: where the current data set's
/// statements begin among the recorder's entries, and the last `evaluate`.
struct ReportMarks {
    /// The recorder's entry of the statement that loaded the current data (0 before any load).
    var dataStart = 0
    var evaluation: EvaluationRecord?
    /// The data of the sweep that ran before the current data was loaded, if one had: that
    /// sweep is another data set's, and the report leaves it out.
    var sweepBeforeData: DataRevision?
}
