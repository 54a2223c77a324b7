/// What `crossval` prints: a row per fold (its rows, epochs and held-out figures), the mean
/// and standard deviation under them, and a closing line in `cross_val_score`'s terms.
struct CrossValidationReport {
    let runs: [SweepRow]
    let folds: CrossValidationFolds
    /// "accuracy" or "R²" (`FoldScore.scoreName`).
    let scoreName: String

    private var scores: [FoldScore] { runs.compactMap(\.heldOut) }

    var table: TextTable {
        var table = TextTable(headers: ["fold", "trained on", "held out", "epochs", "held-out loss", "held-out \(scoreName)"],
                              rightAligned: [1, 2, 3, 4, 5])
        for (index, run) in runs.enumerated() {
            let trainedOn = String(folds.training(index).count), heldOut = String(folds.heldOut[index].count)
            if let divergence = run.divergence {
                table.rows.append([String(index + 1), trainedOn, heldOut, "diverged (\(divergence.description))", "-", "-"])
            } else if let score = run.heldOut {
                let epochs = run.bestEpoch.map { "\(score.epochs) (best \($0))" } ?? String(score.epochs)
                table.rows.append([String(index + 1), trainedOn, heldOut, epochs, Format.fixed(score.loss, 4), Format.fixed(score.score, 4)])
            }
        }
        let finished = scores
        if finished.count == runs.count, finished.count > 1 {
            table.rulesAfter = [table.rows.count - 1]
            let losses = finished.losses, values = finished.scores
            table.rows.append(["mean", "", "", "", Format.fixed(losses.mean, 4), Format.fixed(values.mean, 4)])
            table.rows.append(["std", "", "", "", Format.fixed(losses.deviation, 4), Format.fixed(values.deviation, 4)])
        }
        return table
    }

    /// The summary line (or why there is none) and what the spread says.
    var closing: [String] {
        let diverged = runs.enumerated().filter { $0.element.diverged }
        if let first = diverged.first {
            return ["\(diverged.count) of \(runs.count) folds diverged (fold \(first.offset + 1): \(first.element.divergence!.description)), "
                    + "so there is no mean: the learning rate is too high for this model; try e.g. `crossval \(folds.count) lr=\(Format.general(first.element.plan.learningRate / 10))`"]
        }
        let finished = scores
        guard !finished.isEmpty else { return ["no fold finished"] }
        let values = finished.scores
        var lines = ["crossval \(scoreName): \(values.text) (mean ± std over \(finished.count) folds, as cross_val_score's scores.mean(), scores.std()); held-out loss \(finished.losses.text)"]
        if finished.count > 1 {
            let low = finished.map(\.score).min()!, high = finished.map(\.score).max()!
            lines.append("the folds range from \(Format.fixed(low, 4)) to \(Format.fixed(high, 4)): a single split's figure could land anywhere in that range")
        }
        return lines
    }
}
