/// Rows to learn from, or to evaluate on.
public struct TrainingData {
    /// Inputs: [n, inputShape...]
    public var x: Tensor
    /// Targets: [n, outputs] (one-hot rows for softmax, a 0/1 column for a sigmoid unit, values for regression).
    public var y: Tensor
    /// Class index per row when classifying (for accuracy); nil for regression.
    public var labels: [Int]?

    public init(x: Tensor, y: Tensor, labels: [Int]?) {
        precondition(x.rows == y.rows, "x has \(x.rows) rows but y has \(y.rows)")
        precondition(labels == nil || labels!.count == x.rows,
                     "x has \(x.rows) rows but there are \(labels!.count) labels")
        self.x = x
        self.y = y
        self.labels = labels
    }
}

/// Hyper-parameters of one `train` call.
public struct TrainingOptions {
    public var learningRate: Float = 0.01
    public var epochs: Int = 10
    public var batchSize: Int = 32
    public init(learningRate: Float = 0.01, epochs: Int = 10, batchSize: Int = 32) {
        self.learningRate = learningRate
        self.epochs = epochs
        self.batchSize = batchSize
    }
}

/// What one finished epoch achieved.
public struct EpochRecord: Equatable {
    /// 1-based.
    public let epoch: Int
    /// Mean training loss over the epoch's batches, weighted by batch size.
    public let loss: Float
    /// Training accuracy over the epoch (nil for regression).
    public let accuracy: Float?
    /// Wall-clock duration of the epoch.
    public let seconds: Double

    public init(epoch: Int, loss: Float, accuracy: Float?, seconds: Double) {
        self.epoch = epoch
        self.loss = loss
        self.accuracy = accuracy
        self.seconds = seconds
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
    /// Epoch (1-based) during which shouldStop returned true; training stopped after the batch in progress; weights kept.
    public var interruptedAt: Int?

    public init(records: [EpochRecord], interruptedAt: Int?) {
        self.records = records
        self.interruptedAt = interruptedAt
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
