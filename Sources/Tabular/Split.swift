import DLCore

/// Shuffled train/test split: `trainFraction` of the rows (rounded, at least one row on
/// each side) go to training. With `labels`, each class is split in that proportion, so
/// both sides keep the class mix; the rounding is settled by largest remainders.
/// Throws `TabularError` for a fraction outside (0, 1), fewer than 2 rows, or labels of
/// the wrong length.
public func splitIndices(count: Int, trainFraction: Double, rng: inout SeededRandom,
                         stratifyBy labels: [Int]?) throws -> (train: [Int], test: [Int]) {
    guard trainFraction > 0, trainFraction < 1 else {
        throw TabularError("the training fraction must be between 0 and 1 (exclusive); got \(trainFraction)",
                           hint: "for an 80/20 split use 0.8")
    }
    guard count >= 2 else {
        throw TabularError("splitting needs at least 2 rows; got \(count)",
                           hint: "use a larger data set")
    }
    let trainCount = min(count - 1, max(1, Int((Double(count) * trainFraction).rounded())))
    guard let labels else {
        let order = rng.permutation(count)
        return (Array(order[..<trainCount]), Array(order[trainCount...]))
    }
    guard labels.count == count else {
        throw TabularError("stratifying needs one label per row: \(count) rows but \(labels.count) labels")
    }

    // Group rows by class, in order of first appearance (deterministic).
    var groups: [Int: [Int]] = [:]
    var classOrder: [Int] = []
    for (row, label) in labels.enumerated() {
        if groups[label] == nil { classOrder.append(label) }
        groups[label, default: []].append(row)
    }
    // Floor of each class's share, then the leftover rows to the largest remainders.
    let exact = classOrder.map { Double(groups[$0]!.count) * Double(trainCount) / Double(count) }
    var shares = exact.map { Int($0.rounded(.down)) }
    let byRemainder = exact.indices.sorted { (exact[$0] - Double(shares[$0]), -$0) > (exact[$1] - Double(shares[$1]), -$1) }
    for k in byRemainder.prefix(trainCount - shares.reduce(0, +)) { shares[k] += 1 }

    var train: [Int] = [], test: [Int] = []
    for (k, label) in classOrder.enumerated() {
        var rows = groups[label]!
        rng.shuffle(&rows)
        train.append(contentsOf: rows[..<shares[k]])
        test.append(contentsOf: rows[shares[k]...])
    }
    rng.shuffle(&train)
    rng.shuffle(&test)
    return (train, test)
}
