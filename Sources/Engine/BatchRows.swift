import DLCore

// Row-level helpers shared by the trainer and evaluation.

/// Copies `source`'s rows at `indices`, in that order, into `target` (resized to
/// `[indices.count, perRow...]` without reallocating once its capacity suffices).
func gatherRows(of source: Tensor, at indices: ArraySlice<Int>, into target: inout Tensor) {
    target.resize(rows: indices.count, likeRowsOf: source)
    let width = source.columns
    guard width > 0 else { return }
    source.data.withUnsafeBufferPointer { from in
        target.data.withUnsafeMutableBufferPointer { to in
            var destination = to.baseAddress!
            for row in indices {
                destination.update(from: from.baseAddress! + row * width, count: width)
                destination += width
            }
        }
    }
}

/// Number of rows whose predicted class equals the label. The predicted class is the argmax of
/// the row, or for a single (sigmoid) output column, 1 when p >= 0.5 and 0 otherwise.
/// `labelOfRow(i)` gives the label of prediction row i.
func countCorrect(predictions: Tensor, labelOfRow: (Int) -> Int) -> Int {
    let rows = predictions.rows, width = predictions.columns
    guard rows > 0, width > 0 else { return 0 }
    var correct = 0
    predictions.data.withUnsafeBufferPointer { p in
        for r in 0..<rows {
            let row = p.baseAddress! + r * width
            let predicted: Int
            if width == 1 {
                predicted = row[0] >= 0.5 ? 1 : 0
            } else {
                var best = 0
                for j in 1..<width where row[j] > row[best] { best = j }
                predicted = best
            }
            if predicted == labelOfRow(r) { correct += 1 }
        }
    }
    return correct
}

extension Network {
    /// Loss, predictions (after the output activation) and accuracy (when `data` has labels) over all rows.
    public func evaluate(_ data: TrainingData, loss: Loss) -> Evaluation {
        evaluation(of: predict(data.inputs, rows: data.rowsOfX), data, loss: loss)
    }

    /// `evaluate`, throwing `Interrupted` once `cancel` asks (looked at between chunks of rows).
    public func evaluate(_ data: TrainingData, loss: Loss, cancel: Cancellation) throws(Interrupted) -> Evaluation {
        evaluation(of: try predict(data.x, rows: data.rowsOfX, cancel: cancel), data, loss: loss)
    }

    private func evaluation(of predictions: Tensor, _ data: TrainingData, loss: Loss) -> Evaluation {
        let value = loss.value(predictions: predictions, targets: data.y)
        var accuracy: Float?
        if let labels = data.labels, data.count > 0 {
            let correct = countCorrect(predictions: predictions) { labels[$0] }
            accuracy = Float(correct) / Float(data.count)
        }
        return Evaluation(loss: value, predictions: predictions, accuracy: accuracy)
    }
}

/// Copies the consecutive rows `range` of `source` into `target` (resized to them) in one move.
func copyRows(of source: Tensor, _ range: Range<Int>, into target: inout Tensor) {
    target.resize(rows: range.count, likeRowsOf: source)
    let width = source.columns
    guard width > 0 else { return }
    source.data.withUnsafeBufferPointer { from in
        target.data.withUnsafeMutableBufferPointer { to in
            to.baseAddress!.update(from: from.baseAddress! + range.lowerBound * width, count: range.count * width)
        }
    }
}
