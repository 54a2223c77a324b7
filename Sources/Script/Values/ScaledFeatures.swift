import Synchronization
import Tabular

/// The row-major, scaled features of every row of a pipeline's data set, built the first
/// time something asks for them (`train`, `evaluate`, a boundary plot) and then kept. A
/// `load` alone never builds them, so a large table is in memory once, as its columns.
///
/// The pipeline makes a new one whenever its data set or scaler changes, from the values
/// it is given here, so what it builds can never be stale; copies of the pipeline (a sweep's
/// snapshot) share one, and the lock makes the first build happen once.
final class ScaledFeatures: Sendable {
    private let features: FeatureMatrix
    private let scaler: Scaler?
    private let built = Mutex<[Float]?>(nil)

    init(_ features: FeatureMatrix, scaledBy scaler: Scaler?) {
        self.features = features
        self.scaler = scaler
    }

    /// Whether the matrix has been built (a `train` before this one asked for it).
    var isBuilt: Bool { built.withLock { $0 != nil } }

    /// `rowCount * featureCount` cells, row by row.
    var matrix: [Float] {
        built.withLock { cells in
            if let cells { return cells }
            let matrix = features.rowMajor(scaledBy: scaler)
            cells = matrix
            return matrix
        }
    }
}
