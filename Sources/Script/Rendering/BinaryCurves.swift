/// The ROC curve, its area and the average precision of scores for two classes, as
/// scikit-learn's roc_curve, roc_auc_score and average_precision_score compute them: one
/// threshold per distinct score, from the highest down, tied scores taken together.
struct BinaryCurves {
    /// (false positive rate, true positive rate), from (0, 0) to (1, 1).
    let roc: [(fpr: Double, tpr: Double)]
    /// The area under `roc` by the trapezoidal rule; nil when the rows hold one class only.
    let rocAUC: Double?
    /// Σ (R_n − R_{n−1}) P_n over the thresholds (no interpolation); nil without positive rows.
    let averagePrecision: Double?
    let positives: Int
    let negatives: Int

    /// `positive[i]`: whether row i is of the positive class; `scores[i]`: its score (the
    /// probability of the positive class).
    init(positive: [Bool], scores: [Double]) {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        let p = positive.filter { $0 }.count, n = positive.count - p
        positives = p
        negatives = n
        var points: [(fpr: Double, tpr: Double)] = [(0, 0)]
        var tp = 0, fp = 0
        var area = 0.0, precisionSum = 0.0, lastRecall = 0.0
        var i = 0
        while i < order.count {
            let score = scores[order[i]]
            while i < order.count, scores[order[i]] == score {
                if positive[order[i]] { tp += 1 } else { fp += 1 }
                i += 1
            }
            let fpr = n == 0 ? 0 : Double(fp) / Double(n), tpr = p == 0 ? 0 : Double(tp) / Double(p)
            let previous = points[points.count - 1]
            area += (fpr - previous.fpr) * (tpr + previous.tpr) / 2
            points.append((fpr, tpr))
            if p > 0 {
                let recall = Double(tp) / Double(p)
                precisionSum += (recall - lastRecall) * Double(tp) / Double(tp + fp)
                lastRecall = recall
            }
        }
        roc = points
        rocAUC = p == 0 || n == 0 ? nil : area
        averagePrecision = p == 0 ? nil : precisionSum
    }
}
