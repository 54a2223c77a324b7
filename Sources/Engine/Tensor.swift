/// A dense Float32 tensor: contiguous, row-major, with value semantics.
///
/// The first dimension is the batch (or row) dimension everywhere in the engine;
/// `columns` is the size of one row, whatever its own shape.
public struct Tensor: Equatable, Sendable {
    /// Dimensions, outermost first.
    public var shape: [Int]
    /// Elements in row-major order; `data.count == shape.reduce(1, *)`.
    public var data: [Float]

    /// A tensor of the given shape with every element set to `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        self.shape = shape
        self.data = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// A tensor wrapping `data`, whose count must equal the product of `shape`.
    public init(shape: [Int], data: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(shape.reduce(1, *) == data.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) elements but got \(data.count)")
        self.shape = shape
        self.data = data
    }

    /// Number of elements (product of the shape).
    public var count: Int { data.count }

    /// Size of the first dimension (1 for a scalar shape `[]`).
    public var rows: Int { shape.first ?? 1 }

    /// Elements per row: `count / rows` (0 when there are no rows).
    public var columns: Int { rows == 0 ? 0 : count / rows }

    /// Changes the number of rows in place, keeping the per-row shape.
    /// The array keeps its capacity, so shrinking for a partial last batch and growing
    /// back for the next epoch does not allocate. New elements are zero; the contents
    /// are otherwise unspecified (callers overwrite them).
    mutating func resize(rows newRows: Int) {
        precondition(!shape.isEmpty, "a scalar tensor has no rows")
        guard shape[0] != newRows else { return }
        let perRowCount = shape.dropFirst().reduce(1, *)
        shape[0] = newRows
        setCount(newRows * perRowCount)
    }

    /// Like `resize(rows:)`, but also takes the per-row shape of `template`
    /// (allocating a new shape array only when that per-row shape differs).
    mutating func resize(rows newRows: Int, likeRowsOf template: Tensor) {
        if shape.count == template.shape.count, shape.dropFirst().elementsEqual(template.shape.dropFirst()) {
            resize(rows: newRows)
            return
        }
        shape = [newRows] + template.shape.dropFirst()
        setCount(newRows * template.shape.dropFirst().reduce(1, *))
    }

    /// Grows or shrinks `data` without giving back capacity.
    private mutating func setCount(_ newCount: Int) {
        if newCount < data.count {
            data.removeLast(data.count - newCount)
        } else if newCount > data.count {
            data.append(contentsOf: repeatElement(0, count: newCount - data.count))
        }
    }
}
