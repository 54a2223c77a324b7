import DLCore
import Engine
import Tabular

/// K folds of the training rows, as scikit-learn's `KFold(shuffle=True)` or, with class labels,
/// `StratifiedKFold(shuffle=True)` draws them: the rows shuffled by the seed, then cut into K
/// parts whose sizes differ by at most one (per class, when stratified). Each fold holds one
/// part out and trains on the others.
struct CrossValidationFolds: Sendable {
    /// The held-out rows of each fold, sorted.
    let heldOut: [[Int]]
    let stratified: Bool
    let seed: UInt64

    var count: Int { heldOut.count }

    /// `labels` (one per row of the data, not per training row) stratifies; nil cuts the rows
    /// as they fall. Preconditions: 2 <= k <= rows.count.
    init(rows: [Int], k: Int, labels: [Int]?, seed: UInt64) {
        precondition(k >= 2 && k <= rows.count, "crossval checks k against the rows")
        var random = SeededRandom(seed: seed &+ 0xF01D)
        var parts = Array(repeating: [Int](), count: k)
        if let labels {
            // Each class dealt round the folds in turn, the deal carrying on from class to
            // class, so every fold gets its share of each class and the sizes stay even.
            var byClass: [Int: [Int]] = [:]
            for row in rows { byClass[labels[row], default: []].append(row) }
            var next = 0
            for label in byClass.keys.sorted() {
                var members = byClass[label]!
                random.shuffle(&members)
                for row in members {
                    parts[next].append(row)
                    next = (next + 1) % k
                }
            }
        } else {
            var order = rows
            random.shuffle(&order)
            // The first n % k parts get one row more, as KFold gives them.
            var start = 0
            for fold in 0..<k {
                let size = order.count / k + (fold < order.count % k ? 1 : 0)
                parts[fold] = Array(order[start..<(start + size)])
                start += size
            }
        }
        heldOut = parts.map { $0.sorted() }
        stratified = labels != nil
        self.seed = seed
    }

    /// The rows fold `index` trains on: every part but its own, in row order.
    func training(_ index: Int) -> [Int] {
        heldOut.indices.filter { $0 != index }.flatMap { heldOut[$0] }.sorted()
    }

    /// The seed of fold `index`'s initial weights and shuffles: the session's own for the first
    /// fold (so fold 1 starts where `reset weights` would), a different one for each other fold.
    static func weightSeed(_ seed: UInt64, fold index: Int) -> UInt64 {
        seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15
    }
}

extension DataPipeline {
    /// This pipeline with fold `index`'s training rows as its training rows and its held-out
    /// rows as its test rows, so every step fitted on the training rows is fitted on the
    /// fold's: the scaler is refitted there (a saved model's kept scaler too). The recorded
    /// table steps (impute, encode, clip, row removals) keep the values they were fitted to.
    func fold(_ index: Int, of folds: CrossValidationFolds) throws -> DataPipeline {
        var copy = self
        try copy.setSplit(Split(train: folds.training(index), test: folds.heldOut[index],
                                description: "fold \(index + 1) of \(folds.count)"))
        if copy.keptScaler != nil { try copy.scale(copy.scaling) }
        return copy
    }
}

/// What a model trained on a fold measured on that fold's held-out rows.
struct FoldScore: Sendable {
    /// The training loss (as `train` minimises it) over the held-out rows.
    var loss: Float
    /// Classification: the share of held-out rows predicted right.
    var accuracy: Float?
    /// Regression: the coefficient of determination, as scikit-learn's `r2_score`.
    var r2: Double?
    var rows: Int
    /// The epochs the fold trained (fewer than asked after an early stop).
    var epochs = 0

    /// The score `cross_val_score` reports: accuracy for classes, R² for values.
    var score: Double { accuracy.map(Double.init) ?? r2 ?? .nan }

    /// What `score` is for this data: "accuracy" for classes, "R²" for values.
    static func scoreName(for data: Dataset) -> String {
        if case .classes = data.target { return "accuracy" }
        return "R²"
    }

    /// Measures `network` on `data`'s held-out rows (the pipeline's test rows).
    init(network: Network, pipeline: DataPipeline, spec: ModelSpec, loss: Loss) {
        let rows = pipeline.testRows
        let data = pipeline.trainingData(rows: rows, outputUnits: spec.output!.units, inputShape: spec.inputShape(of: pipeline.dataset!))
        let evaluation = network.evaluate(data, loss: loss)
        self.loss = evaluation.loss
        self.rows = rows.count
        accuracy = evaluation.accuracy
        if case .values(let values) = pipeline.dataset!.target {
            // In the target's units: after `scale target` the outputs go through its inverse (fitted on this fold).
            let predicted = pipeline.targetValues(ofOutputs: evaluation.predictions.data)
            r2 = RegressionReport(truth: rows.map { Double(values[$0]) }, predicted: predicted.map(Double.init)).r2
        }
    }
}

/// The mean and the standard deviation of the folds' figures. The deviation is numpy's
/// default (over n, ddof=0), as `scores.std()` after `cross_val_score` gives it.
struct MeanAndDeviation: Sendable {
    let mean: Double
    let deviation: Double

    init(_ values: [Double]) {
        mean = values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        let mean = mean
        deviation = values.isEmpty ? .nan : (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
    }

    /// "0.9600 ± 0.0249"
    var text: String { "\(Format.fixed(mean, 4)) ± \(Format.fixed(deviation, 4))" }
}

extension Array where Element == FoldScore {
    var scores: MeanAndDeviation { MeanAndDeviation(map(\.score)) }
    var losses: MeanAndDeviation { MeanAndDeviation(map { Double($0.loss) }) }
}
