/// Accuracy, confusion matrix and per-class precision, recall and F1, as
/// scikit-learn's confusion_matrix and classification_report compute them (the averages,
/// the tables and the largest confusions are in ClassificationReport+Tables.swift).
struct ClassificationReport {
    let classNames: [String]
    /// matrix[true][predicted]
    var matrix: [[Int]]
    var correct: Int
    var total: Int

    init(truth: [Int], predicted: [Int], classNames: [String]) {
        self.classNames = classNames
        var confusion = Array(repeating: Array(repeating: 0, count: classNames.count), count: classNames.count)
        for (t, p) in zip(truth, predicted) { confusion[t][p] += 1 }
        matrix = confusion
        correct = (0..<classNames.count).map { confusion[$0][$0] }.reduce(0, +)
        total = truth.count
    }

    var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Precision, recall, F1 and support of class k (0 when undefined, as scikit-learn's zero_division=0).
    func scores(_ k: Int) -> (precision: Double, recall: Double, f1: Double, support: Int) {
        let predictedK = matrix.map { $0[k] }.reduce(0, +)
        let support = matrix[k].reduce(0, +)
        let hits = Double(matrix[k][k])
        let precision = predictedK == 0 ? 0 : hits / Double(predictedK)
        let recall = support == 0 ? 0 : hits / Double(support)
        let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        return (precision, recall, f1, support)
    }
}

/// Mean squared error, its root, mean absolute error and R² (coefficient of determination),
/// as scikit-learn's mean_squared_error, root_mean_squared_error, mean_absolute_error and
/// r2_score compute them (R² of a constant truth: 1 for a perfect prediction, else 0).
struct RegressionReport {
    var mse = 0.0, mae = 0.0, r2 = 0.0
    let count: Int
    var rmse: Double { mse.squareRoot() }

    init(truth: [Double], predicted: [Double]) {
        count = truth.count
        guard count > 0 else { return }
        let mean = truth.reduce(0, +) / Double(count)
        var squares = 0.0, absolutes = 0.0, total = 0.0
        for (t, p) in zip(truth, predicted) {
            squares += (t - p) * (t - p)
            absolutes += abs(t - p)
            total += (t - mean) * (t - mean)
        }
        mse = squares / Double(count)
        mae = absolutes / Double(count)
        r2 = total == 0 ? (squares == 0 ? 1 : 0) : 1 - squares / total
    }

    func render() -> String {
        "MSE \(Format.fixed(mse, 4))  RMSE \(Format.fixed(rmse, 4))  MAE \(Format.fixed(mae, 4))  R² \(Format.fixed(r2, 4))  (\(count) rows)\n"
    }
}
