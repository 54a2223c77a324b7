import Dispatch

/// What a model learns to predict.
public enum LearningTask: String, Sendable {
    case classification, regression
}

/// The target of a data set: class indices with their names, or real values.
public enum Target: Equatable, Sendable {
    /// `labels[r]` indexes `names`. Text labels are sorted lexicographically; numeric ones
    /// numerically and written as integers when integral ("0", "1", ...).
    case classes(labels: [Int], names: [String])
    case values([Float])

    /// Number of rows.
    public var count: Int {
        switch self {
        case .classes(let labels, _): return labels.count
        case .values(let values): return values.count
        }
    }

    /// The same target restricted to `indices`, in that order (class names kept).
    public func rows(_ indices: [Int]) -> Target {
        switch self {
        case .classes(let labels, let names): return .classes(labels: indices.map { labels[$0] }, names: names)
        case .values(let values): return .values(indices.map { values[$0] })
        }
    }
}

/// Numeric features and a target, ready for training.
public struct Dataset: Sendable {
    /// Row-major [rowCount, featureCount]; missing cells are `.nan`.
    public var features: [Float]
    public var rowCount: Int
    public var featureNames: [String]
    public var targetName: String
    public var target: Target
    /// Height, width, channels when each row is an image (e.g. [8, 8, 1] for digits).
    public var imageShape: [Int]?
    /// File name or generator description, for messages.
    public var source: String

    public init(features: [Float], rowCount: Int, featureNames: [String], targetName: String,
                target: Target, imageShape: [Int]? = nil, source: String) {
        precondition(features.count == rowCount * featureNames.count, "features must be rowCount x featureCount")
        precondition(target.count == rowCount, "one target per row")
        self.features = features
        self.rowCount = rowCount
        self.featureNames = featureNames
        self.targetName = targetName
        self.target = target
        self.imageShape = imageShape
        self.source = source
    }

    public var featureCount: Int { featureNames.count }

    /// `.classification` for a class target, `.regression` for values.
    public var task: LearningTask {
        if case .classes = target { return .classification }
        return .regression
    }

    /// Class names, or nil for regression.
    public var classNames: [String]? {
        if case .classes(_, let names) = target { return names }
        return nil
    }

    /// Features with at least one missing (NaN) cell, in feature order.
    public func missingCounts() -> [(name: String, count: Int)] {
        let width = featureCount
        guard width > 0 else { return [] }
        // A large matrix is counted in two halves of its rows at once: the pass only
        // reads memory (188 MB for 60,000 x 784), and one core does not saturate it.
        let parts = features.count >= 1 << 20 ? min(2, rowCount) : 1
        var partCounts = [[Int]](repeating: [Int](repeating: 0, count: width), count: max(1, parts))
        features.withUnsafeBufferPointer { cells in
            partCounts.withUnsafeMutableBufferPointer { partCounts in
                guard let cells = cells.baseAddress else { return }
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    partCounts[part].withUnsafeMutableBufferPointer { counts in
                        let counts = counts.baseAddress!
                        // Row by row rather than `i % width` per cell (a division per cell
                        // dominated this for a large data set), and without branches, so
                        // the inner loop is vector code.
                        for row in rowCount * part / parts ..< rowCount * (part + 1) / parts {
                            let cell = cells + row * width
                            // `x != x` is NaN as one vector compare; `isNaN` became bit tests.
                            for c in 0..<width { counts[c] &+= cell[c] != cell[c] ? 1 : 0 }
                        }
                    }
                }
            }
        }
        var counts = partCounts[0]
        for other in partCounts.dropFirst() {
            for c in 0..<width { counts[c] += other[c] }
        }
        return (0..<width).filter { counts[$0] > 0 }.map { (featureNames[$0], counts[$0]) }
    }

    /// The rows at `indices`, in that order; names, class names and image shape are kept.
    public func rows(_ indices: [Int]) -> Dataset {
        let width = featureCount
        var subset: [Float] = []
        subset.reserveCapacity(indices.count * width)
        for r in indices { subset.append(contentsOf: features[(r * width)..<((r + 1) * width)]) }
        return Dataset(features: subset, rowCount: indices.count, featureNames: featureNames,
                       targetName: targetName, target: target.rows(indices),
                       imageShape: imageShape, source: source)
    }
}
