/// Rows kept as 8-bit values (the pixels of a folder of images) that a network sees as
/// Float32 only a batch at a time: each value becomes `(Float(byte) - offsets[f]) * scales[f]`
/// as the batch is filled, so 10,000 32x32x3 images cost their 30.7 MB, not four times that.
public struct ByteRows: Sendable {
    /// `shape.reduce(1, *)` values, row by row.
    public let bytes: [UInt8]
    /// [rows, per-row shape...], e.g. [10000, 32, 32, 3].
    public let shape: [Int]
    /// Per value of a row (`columns` each); nil: the bytes as they are (0...255).
    public let offsets: [Float]?
    public let scales: [Float]?

    public init(bytes: [UInt8], shape: [Int], offsets: [Float]? = nil, scales: [Float]? = nil) {
        precondition(shape.reduce(1, *) == bytes.count, "shape \(shape) needs \(shape.reduce(1, *)) bytes but got \(bytes.count)")
        let columns = shape.dropFirst().reduce(1, *)
        precondition((offsets == nil) == (scales == nil) && (offsets?.count ?? columns) == columns
                     && (scales?.count ?? columns) == columns, "one offset and one scale per value of a row")
        self.bytes = bytes
        self.shape = shape
        self.offsets = offsets
        self.scales = scales
    }

    public var rows: Int { shape.first ?? 0 }
    public var columns: Int { shape.dropFirst().reduce(1, *) }

    /// Converts the rows at `indices` into `target` (resized to them without reallocating
    /// once its capacity suffices): the per-batch step, allocation-free.
    func convert(rows indices: some Collection<Int>, into target: inout Tensor) {
        if target.shape.count != shape.count || !target.shape.dropFirst().elementsEqual(shape.dropFirst()) {
            target = Tensor(shape: [indices.count] + shape.dropFirst()) // once: later batches reuse it
        } else {
            target.resize(rows: indices.count)
        }
        let width = columns
        guard width > 0 else { return }
        bytes.withUnsafeBufferPointer { from in
            target.data.withUnsafeMutableBufferPointer { to in
                var destination = to.baseAddress!
                for row in indices {
                    let source = from.baseAddress! + row * width
                    if let offsets, let scales {
                        offsets.withUnsafeBufferPointer { o in
                            scales.withUnsafeBufferPointer { s in
                                for j in 0..<width { destination[j] = (Float(source[j]) - o[j]) * s[j] }
                            }
                        }
                    } else {
                        for j in 0..<width { destination[j] = Float(source[j]) }
                    }
                    destination += width
                }
            }
        }
    }

    /// Every row as one Float32 tensor (tests and small data; training converts per batch).
    public func floats() -> Tensor {
        var tensor = Tensor(shape: [0] + shape.dropFirst())
        convert(rows: 0..<rows, into: &tensor)
        return tensor
    }
}

/// The inputs of a data set: Float32 rows, or 8-bit rows converted a batch at a time.
public enum InputRows: Sendable {
    case floats(Tensor)
    case bytes(ByteRows)

    public var rows: Int {
        switch self {
        case .floats(let x): return x.rows
        case .bytes(let b): return b.rows
        }
    }

    /// The shape of one row.
    public var rowShape: [Int] {
        switch self {
        case .floats(let x): return Array(x.shape.dropFirst())
        case .bytes(let b): return Array(b.shape.dropFirst())
        }
    }

    /// The rows at `indices`, in that order, as Float32 in `target`.
    func gather(at indices: ArraySlice<Int>, into target: inout Tensor) {
        switch self {
        case .floats(let x): gatherRows(of: x, at: indices, into: &target)
        case .bytes(let b): b.convert(rows: indices, into: &target)
        }
    }

    /// The consecutive rows `range` as Float32 in `target`.
    func copy(_ range: Range<Int>, into target: inout Tensor) {
        switch self {
        case .floats(let x): copyRows(of: x, range, into: &target)
        case .bytes(let b): b.convert(rows: range, into: &target)
        }
    }
}
