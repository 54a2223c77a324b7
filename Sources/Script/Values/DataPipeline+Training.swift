import DLCore
import Engine
import Tabular

extension DataPipeline {
    /// How many of `count` training rows `validation=fraction` holds out.
    static func heldOut(of count: Int, fraction: Double) -> Int { Int((Double(count) * fraction).rounded()) }

    /// The rows to fit and, when asked for, the validation rows held out of the training
    /// rows (never the test rows), drawn the same way for the same seed.
    func trainingSets(plan: TrainingPlan, spec: ModelSpec, at range: SourceRange) throws -> (TrainingData, TrainingData?) {
        let units = spec.output!.units
        let shape = spec.inputShape(of: dataset!)
        guard let fraction = plan.validation else {
            // `train` checks this before it runs; a plan made in code meets it here.
            if plan.patience != nil, let problem = TrainingKeys.missingValidation(
                plan.monitor, watchedBy: "early stopping on \(plan.monitor.rawValue)", hasValidation: false,
                at: range, hint: "add `validation=0.2`, or `monitor=loss`") { throw problem }
            return (try balanced(trainingData(rows: trainRows, outputUnits: units, inputShape: shape), plan: plan, spec: spec, at: range), nil)
        }
        var rows = trainRows
        let held = Self.heldOut(of: rows.count, fraction: fraction)
        guard held >= 1, held < rows.count else {
            throw Diagnostic("validation=\(Format.general(fraction)) of \(rows.count) training rows leaves \(held == 0 ? "no validation rows" : "no rows to train on")",
                             at: range, hint: "choose a share such as 0.2")
        }
        var random = SeededRandom(seed: spec.seed &+ 0x7A11D)
        random.shuffle(&rows)
        let validation = Array(rows.prefix(held)).sorted(), fit = Array(rows.dropFirst(held)).sorted()
        return (try balanced(trainingData(rows: fit, outputUnits: units, inputShape: shape), plan: plan, spec: spec, at: range),
                trainingData(rows: validation, outputUnits: units, inputShape: shape))
    }

    /// The network's inputs and targets for some rows: scaled features, one-hot classes
    /// (or a 0/1 column for one sigmoid unit), or target values (scaled by `scale target`). The inputs are those rows
    /// of the pipeline's one scaled matrix, shared, not copied.
    func trainingData(rows: [Int], outputUnits: Int, inputShape: [Int]) -> TrainingData {
        let data = dataset!
        // Pixels stay 8-bit: the trainer converts (and scales) them a batch at a time.
        let inputs: InputRows = data.featureMatrix.bytes.map {
            .bytes(ByteRows(bytes: $0, shape: [data.rowCount] + inputShape, offsets: scaler?.offsets, scales: scaler?.scales))
        } ?? .floats(Tensor(shape: [data.rowCount] + inputShape, data: scaledFeatures))
        let allInOrder = rows.count == data.rowCount && rows.elementsEqual(0..<data.rowCount)
        switch data.target {
        case .classes(let labels, _):
            let picked = rows.map { labels[$0] }
            var y = [Float](repeating: 0, count: rows.count * outputUnits)
            for (i, label) in picked.enumerated() {
                if outputUnits == 1 { y[i] = Float(label) } else { y[i * outputUnits + label] = 1 }
            }
            return TrainingData(inputs: inputs, rows: allInOrder ? nil : rows,
                                y: Tensor(shape: [rows.count, outputUnits], data: y), labels: picked)
        case .values(let values):
            return TrainingData(inputs: inputs, rows: allInOrder ? nil : rows,
                                y: Tensor(shape: [rows.count, 1], data: trainingTargets(values, rows: rows)), labels: nil)
        }
    }

    /// Features of new rows as the network takes them: scaled as the training rows were.
    func scaled(_ features: [Float]) -> [Float] {
        guard let scaler else { return features }
        var copy = features
        scaler.transform(&copy)
        return copy
    }
}
