/// Rows to learn from, or to evaluate on.
public struct TrainingData: Sendable {
    /// Inputs: [rows of x, inputShape...]. With `rowsOfX`, the rows of the data are those
    /// rows of `x`, in that order: the training and test rows of one data set then share
    /// its matrix instead of each being a copy (188 MB for 60,000 x 784). 8-bit rows (a
    /// folder of images) become Float32 a batch at a time.
    public let inputs: InputRows
    /// The inputs as one Float32 tensor (converted in full for 8-bit rows: tests and small data).
    public var x: Tensor {
        switch inputs {
        case .floats(let x): return x
        case .bytes(let bytes): return bytes.floats()
        }
    }
    /// Row i of the data is row `rowsOfX[i]` of `x`; nil means every row of `x`, in order.
    public let rowsOfX: [Int]?
    /// Targets: [count, outputs] (one-hot rows for softmax, a 0/1 column for a sigmoid unit, values for regression).
    public let y: Tensor
    /// Class index per row when classifying (for accuracy); nil for regression.
    public let labels: [Int]?
    /// One loss weight per class, for training only (Keras's `class_weight`): each row's loss
    /// counts `classWeights[its class]` times. Evaluation and validation leave them out, as
    /// Keras does. nil: every row counts once. See `Loss.accepts(classWeights:width:)`.
    public var classWeights: [Float]?

    /// Every row of `x`, in order.
    public init(x: Tensor, y: Tensor, labels: [Int]?) {
        self.init(x: x, rows: nil, y: y, labels: labels)
    }

    /// The rows of `x` at `rows` (nil: all of them, in order).
    public init(x: Tensor, rows: [Int]?, y: Tensor, labels: [Int]?) {
        self.init(inputs: .floats(x), rows: rows, y: y, labels: labels)
    }

    /// The rows of `inputs` at `rows` (nil: all of them, in order).
    public init(inputs x: InputRows, rows: [Int]?, y: Tensor, labels: [Int]?) {
        let count = rows?.count ?? x.rows
        precondition(rows?.allSatisfy { $0 >= 0 && $0 < x.rows } ?? true, "a row index is outside x's \(x.rows) rows")
        precondition(count == y.rows, "there are \(count) rows of x but y has \(y.rows)")
        precondition(labels == nil || labels!.count == count,
                     "there are \(count) rows of x but \(labels!.count) labels")
        self.inputs = x
        self.rowsOfX = rows
        self.y = y
        self.labels = labels
    }

    /// Number of rows.
    public var count: Int { y.rows }

    /// scikit-learn's `class_weight="balanced"`: `n / (k * count_c)` for each class c of
    /// `classes`, where n is the number of rows and k the number of classes present in them. A
    /// class with no rows gets 1 (no row carries it, so it changes nothing). nil without labels.
    public func balancedClassWeights(classes: Int) -> [Float]? {
        guard let labels, !labels.isEmpty else { return nil }
        var counts = [Int](repeating: 0, count: classes)
        for label in labels { counts[label] += 1 }
        let present = counts.filter { $0 > 0 }.count
        return counts.map { $0 == 0 ? 1 : Float(Double(labels.count) / (Double(present) * Double($0))) }
    }
}

/// Hyper-parameters of one `train` call. The rate, epochs and batch size have no defaults
/// here: the shell declares its defaults once, with the keys that set them.
public struct TrainingOptions {
    /// The base learning rate (the schedule scales it per epoch).
    public var learningRate: Float
    public var epochs: Int
    public var batchSize: Int
    /// How the learning rate changes per epoch; `.constant` keeps `learningRate` throughout.
    public var schedule: Schedule = .constant
    /// Epoch number (1-based, counted from the start of training) of this call's first epoch, so a
    /// schedule continues across repeated `train` calls. Only the schedule reads it: records and
    /// results still count this call's epochs from 1.
    public var firstEpoch: Int = 1
    /// Rows evaluated after every epoch (inference mode: dropout off), as `Network.evaluate` does;
    /// the figures go into `EpochRecord.validationLoss` and `validationAccuracy`.
    public var validation: TrainingData? = nil
    /// Stops training when the monitored figure stops improving. A validation monitor needs
    /// `validation` (and `.valAccuracy` needs labels in it); `train` checks this with a precondition,
    /// so callers must validate user input first.
    public var earlyStopping: EarlyStopping? = nil
    /// Changes each training image of each batch (never the validation rows); its draws come
    /// from a generator seeded by one draw of the training generator, taken only when it is set.
    public var augmenter: ImageAugmenter? = nil

    public init(learningRate: Float, epochs: Int, batchSize: Int,
                schedule: Schedule = .constant, firstEpoch: Int = 1,
                validation: TrainingData? = nil, earlyStopping: EarlyStopping? = nil) {
        self.learningRate = learningRate
        self.epochs = epochs
        self.batchSize = batchSize
        self.schedule = schedule
        self.firstEpoch = firstEpoch
        self.validation = validation
        self.earlyStopping = earlyStopping
    }
}

/// What one finished epoch achieved.
public struct EpochRecord: Equatable {
    /// 1-based.
    public let epoch: Int
    /// Mean training loss over the epoch's batches, weighted by batch size (with class weights, the
    /// weighted loss, as Keras reports it).
    public let loss: Float
    /// Training accuracy over the epoch (nil for regression).
    public let accuracy: Float?
    /// Wall-clock duration of the epoch (the training batches and the validation pass).
    public let seconds: Double
    /// Loss on `TrainingOptions.validation` after the epoch's last batch (nil without validation).
    public let validationLoss: Float?
    /// Accuracy on the validation rows after the epoch (nil without validation or without labels).
    public let validationAccuracy: Float?
    /// The learning rate used for every batch of the epoch (from the schedule); 0 in records made
    /// without one (the initializer's default).
    public let learningRate: Float

    public init(epoch: Int, loss: Float, accuracy: Float?, seconds: Double,
                validationLoss: Float? = nil, validationAccuracy: Float? = nil, learningRate: Float = 0) {
        self.epoch = epoch
        self.loss = loss
        self.accuracy = accuracy
        self.seconds = seconds
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.learningRate = learningRate
    }
}

/// Progress reports from `Trainer.train`, in order: epochStarted, batchFinished per batch, epochFinished.
public enum TrainingEvent {
    case epochStarted(epoch: Int, epochs: Int, batches: Int)
    /// `loss` is the running mean loss so far in the epoch (weighted by batch size); all indices 1-based.
    case batchFinished(epoch: Int, batch: Int, batches: Int, loss: Float)
    case epochFinished(EpochRecord)
}

/// Why training stopped with an error.
public enum TrainingFailure: Error, Equatable {
    /// The loss became NaN or infinite; epoch and batch are 1-based.
    case nonFinite(epoch: Int, batch: Int, value: Float)
}

/// What a `train` call did.
public struct TrainingResult {
    /// One record per completed epoch (an interrupted epoch gets none).
    public var records: [EpochRecord]
    /// Epoch (1-based) during which shouldStop returned true; training stopped after the batch in
    /// progress and undid that epoch, so the weights are those after epoch `interruptedAt - 1`.
    public var interruptedAt: Int?
    /// Set when early stopping ended training before the last epoch: the epoch it stopped at (1-based within this call).
    public var stoppedAt: Int?
    /// The best epoch by the monitor (1-based within this call) and its monitored value, when early
    /// stopping was on (nil when no epoch finished with a comparable value, e.g. all NaN).
    public var bestEpoch: Int?
    public var bestValue: Float?
    /// True when the weights were set back to those of bestEpoch: with `restoreBest`, whenever
    /// training ended (stopped early or ran to the last epoch) and the best epoch was not the last one.
    public var restoredBest: Bool

    public init(records: [EpochRecord], interruptedAt: Int?, stoppedAt: Int? = nil,
                bestEpoch: Int? = nil, bestValue: Float? = nil, restoredBest: Bool = false) {
        self.records = records
        self.interruptedAt = interruptedAt
        self.stoppedAt = stoppedAt
        self.bestEpoch = bestEpoch
        self.bestValue = bestValue
        self.restoredBest = restoredBest
    }
}

/// Loss, predictions and accuracy of a network on a data set.
public struct Evaluation {
    public let loss: Float
    /// [n, outputs] after the output activation.
    public let predictions: Tensor
    /// Fraction of rows classified correctly; nil without labels.
    public let accuracy: Float?

    public init(loss: Float, predictions: Tensor, accuracy: Float?) {
        self.loss = loss
        self.predictions = predictions
        self.accuracy = accuracy
    }
}
