/// The summary rows of scikit-learn's classification_report, balanced accuracy, and the
/// tables `evaluate` shows: the confusion matrix (or its largest confusions) and the
/// per-class figures.
extension ClassificationReport {
    /// Beyond this many classes a full matrix and a row per class no longer fit a screen.
    static let largeClassCount = 20
    /// How many confusions, and how many classes, the tables show beyond `largeClassCount`.
    static let shownWhenLarge = 10

    /// The classes scikit-learn's report lists by default (`unique_labels(y_true, y_pred)`):
    /// those in the true or the predicted labels. The macro average is over these.
    var presentClasses: [Int] {
        classNames.indices.filter { k in matrix[k].reduce(0, +) > 0 || matrix.contains { $0[k] > 0 } }
    }

    /// Unweighted mean (macro) and support-weighted mean of precision, recall and F1 over
    /// `presentClasses`, as the `macro avg` and `weighted avg` rows of classification_report.
    func averages() -> (macro: (precision: Double, recall: Double, f1: Double), weighted: (precision: Double, recall: Double, f1: Double)) {
        var macro = (0.0, 0.0, 0.0), weighted = (0.0, 0.0, 0.0)
        let present = presentClasses
        for k in present {
            let s = scores(k)
            macro = (macro.0 + s.precision, macro.1 + s.recall, macro.2 + s.f1)
            let w = Double(s.support)
            weighted = (weighted.0 + w * s.precision, weighted.1 + w * s.recall, weighted.2 + w * s.f1)
        }
        let n = Double(max(present.count, 1)), t = Double(max(total, 1))
        return ((macro.0 / n, macro.1 / n, macro.2 / n), (weighted.0 / t, weighted.1 / t, weighted.2 / t))
    }

    /// scikit-learn's balanced_accuracy_score: the mean recall over the classes that occur in
    /// the true labels (a class only predicted has no recall and is left out).
    var balancedAccuracy: Double {
        let recalls = classNames.indices.filter { matrix[$0].reduce(0, +) > 0 }.map { scores($0).recall }
        return recalls.isEmpty ? 0 : recalls.reduce(0, +) / Double(recalls.count)
    }

    /// The off-diagonal cells with the most rows, largest first (ties in matrix order).
    func largestConfusions(_ count: Int) -> [(truth: Int, predicted: Int, rows: Int)] {
        var cells: [(truth: Int, predicted: Int, rows: Int)] = []
        for t in classNames.indices {
            for p in classNames.indices where p != t && matrix[t][p] > 0 { cells.append((t, p, matrix[t][p])) }
        }
        return Array(cells.sorted { ($1.rows, $0.truth, $0.predicted) < ($0.rows, $1.truth, $1.predicted) }.prefix(count))
    }

    /// The heading over the confusion matrix.
    static let confusionHeading = "confusion matrix (rows: true class, columns: predicted class)\n"

    /// The confusion matrix; beyond `largeClassCount` classes, its largest confusions instead.
    func confusionTable() -> (heading: String, table: TextTable, title: String) {
        let k = classNames.count
        guard k > Self.largeClassCount else {
            var confusion = TextTable(headers: ["true \\ predicted"] + classNames, rightAligned: Set(1...k))
            for (i, name) in classNames.enumerated() { confusion.rows.append([name] + matrix[i].map(String.init)) }
            return (Self.confusionHeading, confusion, "confusion matrix")
        }
        var table = TextTable(headers: ["true", "predicted", "rows", "of its class"], rightAligned: [2, 3])
        for cell in largestConfusions(Self.shownWhenLarge) {
            let support = matrix[cell.truth].reduce(0, +)
            table.rows.append([classNames[cell.truth], classNames[cell.predicted], String(cell.rows),
                               Format.fixed(Double(cell.rows) / Double(max(support, 1)), 4)])
        }
        let heading = "the \(table.rows.count) largest confusions of \(k) classes (`plot confusion` draws the whole matrix)\n"
        return (heading, table, "largest confusions")
    }

    /// Precision, recall, F1 and support per class, then the `accuracy`, `macro avg` and
    /// `weighted avg` rows of classification_report. Beyond `largeClassCount` classes only the
    /// `shownWhenLarge` with the lowest F1 are listed; the averages still cover every class.
    func perClassTable() -> (table: TextTable, note: String?) {
        var table = TextTable(headers: ["class", "precision", "recall", "f1", "support"], rightAligned: [1, 2, 3, 4])
        var listed = Array(classNames.indices)
        var note: String?
        if classNames.count > Self.largeClassCount {
            let present = presentClasses
            listed = Array(present.sorted { (scores($0).f1, $0) < (scores($1).f1, $1) }.prefix(Self.shownWhenLarge))
            note = "the \(listed.count) of \(present.count) classes with the lowest F1; the averages cover all \(present.count)"
        }
        for k in listed {
            let s = scores(k)
            table.rows.append([classNames[k], Format.fixed(s.precision, 4), Format.fixed(s.recall, 4), Format.fixed(s.f1, 4), String(s.support)])
        }
        table.rulesAfter = [table.rows.count - 1]
        let (macro, weighted) = averages()
        table.rows.append(["accuracy", "", "", Format.fixed(accuracy, 4), String(total)])
        for (name, figures) in [("macro avg", macro), ("weighted avg", weighted)] {
            table.rows.append([name, Format.fixed(figures.precision, 4), Format.fixed(figures.recall, 4), Format.fixed(figures.f1, 4), String(total)])
        }
        return (table, note)
    }
}
