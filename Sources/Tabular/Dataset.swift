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

    /// How many of `rows` (every row when nil) hold each class, in `names` order; nil for values.
    public func classCounts(in rows: [Int]? = nil) -> [Int]? {
        guard case .classes(let labels, let names) = self else { return nil }
        var counts = [Int](repeating: 0, count: names.count)
        if let rows { for r in rows { counts[labels[r]] += 1 } } else { for label in labels { counts[label] += 1 } }
        return counts
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
    /// The features; a loaded table's data set shares the table's columns (see `FeatureMatrix`).
    public var featureMatrix: FeatureMatrix
    public var featureNames: [String]
    public var targetName: String
    public var target: Target
    /// Height, width, channels when each row is an image (e.g. [8, 8, 1] for digits).
    public var imageShape: [Int]?
    /// Steps, channels when each row is a series (e.g. [150, 1]); features run through the
    /// channels at each step (channel fastest), as NHWC does for images.
    public var seriesShape: [Int]?
    /// File name or generator description, for messages.
    public var source: String

    public init(featureMatrix: FeatureMatrix, featureNames: [String], targetName: String,
                target: Target, imageShape: [Int]? = nil, seriesShape: [Int]? = nil, source: String) {
        precondition(featureMatrix.featureCount == featureNames.count, "one name per feature")
        precondition(target.count == featureMatrix.rowCount, "one target per row")
        self.featureMatrix = featureMatrix
        self.featureNames = featureNames
        self.targetName = targetName
        self.target = target
        self.imageShape = imageShape
        self.seriesShape = seriesShape
        self.source = source
    }

    /// A data set of row-major features.
    public init(features: [Float], rowCount: Int, featureNames: [String], targetName: String,
                target: Target, imageShape: [Int]? = nil, seriesShape: [Int]? = nil, source: String) {
        self.init(featureMatrix: FeatureMatrix(rows: features, rowCount: rowCount, featureCount: featureNames.count),
                  featureNames: featureNames, targetName: targetName, target: target,
                  imageShape: imageShape, seriesShape: seriesShape, source: source)
    }

    public var rowCount: Int { featureMatrix.rowCount }

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
        let counts = featureMatrix.missingCounts()
        return (0..<featureCount).filter { counts[$0] > 0 }.map { (featureNames[$0], counts[$0]) }
    }

    /// The rows at `indices`, in that order; names, class names and image or series shape are kept.
    public func rows(_ indices: [Int]) -> Dataset {
        var subset: [Float] = []
        subset.reserveCapacity(indices.count * featureCount)
        for r in indices { subset += featureMatrix.row(r) }
        return Dataset(features: subset, rowCount: indices.count, featureNames: featureNames,
                       targetName: targetName, target: target.rows(indices),
                       imageShape: imageShape, seriesShape: seriesShape, source: source)
    }
}
