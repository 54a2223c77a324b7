import DLCore
import Engine
import Tabular

/// One titled group of `show`'s rows (the report prints each group under its title).
struct StateSection {
    var title: String
    var rows: [(label: String, value: String)]
}

extension Session {
    func set(seed newSeed: Int?) {
        if let newSeed {
            spec.seed = UInt64(newSeed)
            // Untrained weights are fresh weights: the new seed draws them again. Trained ones
            // keep training with their own seed's shuffles (TrainedModel.seed).
            if let built, !built.isTrained, built.seed != seed { self.built = nil }
            print("seed: \(seed) (applies to the next split, generated data, and fresh weights with their training)")
        }
    }

    func show() {
        for row in stateSections().flatMap(\.rows) { print(Format.pad(row.label, 10) + row.value) }
    }

    /// What the session holds, read from its values: the lines of `show`, grouped as the
    /// summary at the top of `report` groups them, so the two never tell different stories.
    func stateSections() -> [StateSection] {
        var dataRow: String
        if let dataset {
            dataRow = "\(dataset.source): \(dataset.rowCount) row\(dataset.rowCount == 1 ? "" : "s"), "
                + "\(dataset.featureCount) feature\(dataset.featureCount == 1 ? "" : "s"), target '\(dataset.targetName)'"
            switch dataset.target {
            case .classes(_, let names): dataRow += " (\(names.count) classes)"
            case .values: dataRow += " (regression)"
            }
        } else if let table {
            dataRow = "\(table.source): \(table.rowCount) rows, \(table.columns.count) columns; not ready: \(data?.problem?.message ?? "")"
        } else {
            dataRow = "none (`load iris` to start)"
        }
        var pipeline: [(label: String, value: String)] = []
        if let split = data?.split {
            pipeline.append(("split", "\(split.train.count) training / \(split.test.count) test rows (\(split.description))"))
        } else {
            pipeline.append(("split", "none (all rows train; `split 0.8` holds 20% back for testing)"))
        }
        if let steps = data?.steps, !steps.isEmpty { pipeline.append(("steps", steps.map(\.description).joined(separator: "; "))) }
        if let window = data?.fitted?.window {
            pipeline.append(("window", "\(window.shapePhrase), forecasting '\(window.target)' \(window.horizonPhrase) after each window's last row"))
        }
        let scaling = data?.scaling ?? .none
        let fittedWhere = data?.keptScaler != nil || data?.restored != nil ? "as fitted for the loaded model" : "fitted on \(trainRows.count) training rows"
        pipeline.append(("scaling", scaling == .none ? "none" : "\(scaling.rawValue), \(fittedWhere)"))
        if let target = data?.targetScalingDescription { pipeline.append(("target", "scaled " + target)) }
        if let augmentation = data?.augmentation { pipeline.append(("augment", augmentation.description + " (training batches only)")) }

        var modelRows: [(label: String, value: String)] = []
        if layers.isEmpty {
            modelRows.append(("model", "no layers"))
        } else {
            let count = network.map { " (\(Format.grouped($0.parameterCount)) parameters)" } ?? ""
            modelRows.append(("model", layers.map(\.text).joined(separator: " → ") + count))
        }
        modelRows.append(("loss", lossDescription))
        modelRows.append(("optimizer", spec.optimizerDescription))
        if spec.schedule != .constant { modelRows.append(("schedule", spec.scheduleDescription)) }

        var trained = "not yet"
        if epochsTrained > 0, let model, let figures = model.currentFigures {
            trained = "\(epochsTrained) epoch\(epochsTrained == 1 ? "" : "s"), "
            trained += model.restoredEpoch.map { "weights of epoch \($0) (restored): loss" } ?? "last loss"
            trained += " \(Format.fixed(figures.loss, 4))"
            if let accuracy = figures.accuracy { trained += ", accuracy \(Format.fixed(accuracy, 4))" }
            if model.lastPlan?.balanceClasses == true { trained += "; balance=auto (the loss weighted by class)" }
        }
        return [
            StateSection(title: "Data", rows: [("data", dataRow)]),
            StateSection(title: "Pipeline", rows: pipeline),
            StateSection(title: "Model", rows: modelRows),
            StateSection(title: "Training", rows: [("trained", trained), ("seed", String(seed))]),
        ]
    }

    func help(_ name: String?) {
        output.write(HelpText.render(name, table: .standard), to: .output)
    }


}
