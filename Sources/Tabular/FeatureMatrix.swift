import Dispatch

/// The features of a data set, `rowCount` x `featureCount`; missing cells are `.nan`.
///
/// Generated and image data come as the rows of one row-major matrix. A loaded table's data
/// set keeps the table's own columns instead, so a large table is not held twice: the
/// row-major matrix a network trains on is built from them when it is needed
/// (`rowMajor(scaledBy:)`), once, by the data pipeline that owns it. Every cell reads as
/// `Float(x)` of the column's value, the same Float either way.
public struct FeatureMatrix: Sendable {
    public enum Storage: Sendable {
        /// Row-major, `rowCount * featureCount` cells.
        case rows([Float])
        /// One column per feature, `rowCount` values each.
        case columns([NumericColumn])
        /// Row-major 8-bit values (the pixels of loaded image files), read as `Float(byte)`.
        case bytes([UInt8])
    }

    public let storage: Storage
    public let rowCount: Int
    public let featureCount: Int

    public init(rows cells: [Float], rowCount: Int, featureCount: Int) {
        precondition(cells.count == rowCount * featureCount, "features must be rowCount x featureCount")
        storage = .rows(cells)
        self.rowCount = rowCount
        self.featureCount = featureCount
    }

    public init(bytes: [UInt8], rowCount: Int, featureCount: Int) {
        precondition(bytes.count == rowCount * featureCount, "bytes must be rowCount x featureCount")
        storage = .bytes(bytes)
        self.rowCount = rowCount
        self.featureCount = featureCount
    }

    /// The 8-bit values, when the features are stored so.
    public var bytes: [UInt8]? {
        if case .bytes(let bytes) = storage { return bytes }
        return nil
    }

    public init(columns: [NumericColumn], rowCount: Int) {
        precondition(columns.allSatisfy { $0.count == rowCount }, "every feature column must have rowCount values")
        storage = .columns(columns)
        self.rowCount = rowCount
        featureCount = columns.count
    }

    public subscript(row: Int, feature: Int) -> Float {
        switch storage {
        case .rows(let cells): return cells[row * featureCount + feature]
        case .columns(let columns): return Float(columns[feature][row])
        case .bytes(let bytes): return Float(bytes[row * featureCount + feature])
        }
    }

    /// One feature's values for every row.
    public func column(_ feature: Int) -> [Float] {
        switch storage {
        case .rows(let cells): return (0..<rowCount).map { cells[$0 * featureCount + feature] }
        case .columns(let columns): return columns[feature].floats
        case .bytes(let bytes): return (0..<rowCount).map { Float(bytes[$0 * featureCount + feature]) }
        }
    }

    /// One row's features.
    public func row(_ row: Int) -> [Float] {
        switch storage {
        case .rows(let cells): return Array(cells[(row * featureCount)..<((row + 1) * featureCount)])
        case .columns(let columns): return columns.map { Float($0[row]) }
        case .bytes(let bytes): return bytes[(row * featureCount)..<((row + 1) * featureCount)].map { Float($0) }
        }
    }

    /// The row-major matrix, each cell rescaled as `scaler.transform` would; row-major data
    /// without a scaler is shared, not copied.
    public func rowMajor(scaledBy scaler: Scaler? = nil) -> [Float] {
        let scaler = scaler?.method == ScalingMethod.none ? nil : scaler
        switch storage {
        case .rows(var cells):
            scaler?.transform(&cells)
            return cells
        case .columns(let columns):
            return Table.rowMajor(columns, rowCount: rowCount, scaledBy: scaler)
        case .bytes(let bytes):
            var cells = bytes.map { Float($0) }
            scaler?.transform(&cells)
            return cells
        }
    }

    /// Missing (NaN) cells of each feature.
    public func missingCounts() -> [Int] {
        switch storage {
        case .columns(let columns):
            return columns.map { column in
                switch column.storage {
                case .float(let values): return values.reduce(0) { $0 &+ ($1 != $1 ? 1 : 0) }
                case .double(let values): return values.reduce(0) { $0 &+ ($1 != $1 ? 1 : 0) }
                }
            }
        case .rows(let cells):
            return Self.missingCounts(rowMajor: cells, rowCount: rowCount, width: featureCount)
        case .bytes:
            return [Int](repeating: 0, count: featureCount)
        }
    }

    private static func missingCounts(rowMajor features: [Float], rowCount: Int, width: Int) -> [Int] {
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
        return counts
    }
}

extension FeatureMatrix {
    /// The first cell that is infinite as the network would see it (a Float): `inf` in the
    /// data, or a number beyond Float's ±3.4e38. Missing cells (NaN) do not count. Reads the
    /// storage in place, so checking a large data set before `train` costs one pass.
    public func firstInfinite() -> (row: Int, feature: Int, value: Double)? {
        switch storage {
        case .rows(let cells):
            guard let index = cells.firstIndex(where: \.isInfinite) else { return nil }
            return (index / featureCount, index % featureCount, Double(cells[index]))
        case .columns(let columns):
            for (feature, column) in columns.enumerated() {
                switch column.storage {
                case .float(let values):
                    if let row = values.firstIndex(where: \.isInfinite) { return (row, feature, Double(values[row])) }
                case .double(let values):
                    if let row = values.firstIndex(where: { Float($0).isInfinite }) { return (row, feature, values[row]) }
                }
            }
            return nil
        case .bytes:
            return nil
        }
    }
}
