import DLCore
@testable import Engine

/// Small data sets and networks shared by the training, batch-norm, validation, early-stopping
/// and concurrency tests.
enum TuningFixtures {
    /// Two Gaussian blobs in 2-D, class 0 around -center and class 1 around +center, feature i
    /// drawn with standard deviation std.i; one-hot targets and labels; alternating classes.
    static func blobs(rows: Int, center: (Double, Double), std: (Double, Double), seed: UInt64) -> TrainingData {
        var rng = SeededRandom(seed: seed)
        var x: [Float] = [], y: [Float] = [], labels: [Int] = []
        for r in 0..<rows {
            let label = r % 2, sign: Double = label == 0 ? -1 : 1
            x += [Float(rng.normal(mean: sign * center.0, std: std.0)), Float(rng.normal(mean: sign * center.1, std: std.1))]
            y += label == 0 ? [1, 0] : [0, 1]
            labels.append(label)
        }
        return TrainingData(x: Tensor(shape: [rows, 2], data: x), y: Tensor(shape: [rows, 2], data: y), labels: labels)
    }

    /// Two overlapping Gaussian blobs around (-0.5, -0.5) and (0.5, 0.5) with the given std.
    static func blobs(rows: Int, std: Double, seed: UInt64) -> TrainingData {
        blobs(rows: rows, center: (0.5, 0.5), std: (std, std), seed: seed)
    }

    /// A softmax classifier for 2-D input, wide enough to memorise a few rows; `dropout` adds a
    /// Dropout layer so inference mode matters for validation.
    static func classifier(seed: UInt64, width: Int = 64, dropout: Float? = nil) throws -> Network {
        var rng = SeededRandom(seed: seed)
        var layers: [Layer] = [Dense(units: width, activation: .relu)]
        if let dropout { layers.append(Dropout(rate: dropout)) }
        layers += [Dense(units: width, activation: .relu), Dense(units: 2, activation: .softmax)]
        return try Network(inputShape: [2], layers: layers, rng: &rng)
    }

    /// Trains a fresh trainer and reports every epoch's weights (captured by the event callback).
    static func train(_ network: Network, _ data: TrainingData, optimizer: OptimizerKind = .defaultAdam,
                      options: TrainingOptions, seed: UInt64) throws -> (TrainingResult, [[Tensor]]) {
        var rng = SeededRandom(seed: seed)
        var weights: [[Tensor]] = []
        let result = try Trainer(network: network, loss: .crossentropy, optimizer: Optimizer(optimizer))
            .train(data, options: options, rng: &rng, onEvent: { event in
                if case .epochFinished = event { weights.append(network.weights()) }
            })
        return (result, weights)
    }
}

extension Parameter {
    /// A 1-D parameter holding `values`, with `gradient` as a backward pass would leave it.
    convenience init(_ values: [Float], gradient: [Float], name: String = "kernel") {
        self.init(name: name, value: Tensor(shape: [values.count], data: values))
        self.gradient = Tensor(shape: [gradient.count], data: gradient)
    }
}

extension EpochRecord {
    /// Everything but the wall-clock time, for comparing two runs.
    var figures: [Float?] { [Float(epoch), loss, accuracy, validationLoss, validationAccuracy, learningRate] }
}
