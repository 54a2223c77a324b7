import Dispatch

extension Table {
    /// Rows of this many cells are transposed as one block: the block's column pieces
    /// (64 doubles each) are read in order while its rows (one cache line per feature
    /// column written) stay in cache, instead of striding the whole matrix per column.
    private static let blockRows = 64

    /// The columns as one row-major Float matrix, `rowCount` x `columns.count`; each
    /// column must hold `rowCount` values. With a scaler, each cell is rescaled as it is
    /// written, to the same Float that `scaler.transform` gives. The two halves of the rows
    /// are written at once.
    public static func rowMajor(_ columns: [NumericColumn], rowCount: Int, scaledBy scaler: Scaler? = nil) -> [Float] {
        let width = columns.count
        let total = rowCount * width
        guard total > 0 else { return [] }
        return [Float](unsafeUninitializedCapacity: total) { buffer, initialized in
            let out = buffer.baseAddress!
            let blocks = (rowCount + blockRows - 1) / blockRows
            // Threads only pay off for a large matrix; each part writes its own rows.
            let parts = total >= 1 << 20 ? min(2, blocks) : 1
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let firstBlock = blocks * part / parts, endBlock = blocks * (part + 1) / parts
                let firstRow = firstBlock * blockRows, endRow = min(rowCount, endBlock * blockRows)
                // 2 MB pages for this part's rows: a 188 MB matrix is then under a hundred
                // page faults instead of 46,000, and its release at the end is as much cheaper.
                HugePages.populate(UnsafeMutableRawPointer(out + firstRow * width),
                                   bytes: (endRow - firstRow) * width * MemoryLayout<Float>.stride)
                for block in firstBlock..<endBlock {
                    let first = block * blockRows
                    let last = min(rowCount, first + blockRows)
                    for c in 0..<width {
                        let cells = out + first * width + c
                        let offset = scaler?.offsets[c] ?? 0, scale = scaler?.scales[c] ?? 1
                        switch columns[c].storage {
                        case .float(let values): copy(values, first..<last, to: cells, stride: width, offset, scale)
                        case .double(let values): copy(values, first..<last, to: cells, stride: width, offset, scale)
                        }
                    }
                }
            }
            initialized = total
        }
    }

    /// `(Float(values[r]) - offset) * scale` for the rows, one every `stride` cells from
    /// `cells` on (0 and 1 leave the values as they are: both steps are then exact).
    @inline(__always)
    private static func copy<Value: BinaryFloatingPoint>(_ values: [Value], _ rows: Range<Int>,
                                                         to cells: UnsafeMutablePointer<Float>, stride: Int,
                                                         _ offset: Float, _ scale: Float) {
        values.withUnsafeBufferPointer { column in
            var cell = cells
            for r in rows {
                cell.pointee = (Float(column[r]) - offset) * scale
                cell += stride
            }
        }
    }
}
