/// Numeric column arrays that a parser fills in place, so a large file's cells are written
/// once, straight into the array (`[Float]` or `[Double]`) each column ends up as, rather than into a scratch
/// buffer that is then copied (a copy of a 60,000 x 785 table is 377 MB of memory traffic
/// and as many page faults again).
enum ColumnArrays {
    /// Above this many columns the arrays are filled through scratch buffers and copied:
    /// in-place filling nests one initializer closure per column, and that nesting must
    /// stay well inside the smallest thread stack that may call the reader.
    static let inPlaceLimit = 1024

    /// Calls `fill` with `count` writable buffers of `capacity` elements each (column `c`
    /// at index `c`; contents undefined until written); `fill` returns how many leading
    /// rows it wrote, and those become the arrays returned.
    static func make<Element>(count: Int, capacity: Int,
                              fill: (UnsafePointer<UnsafeMutablePointer<Element>>) throws -> Int) rethrows -> [[Element]] {
        let capacity = max(1, capacity)
        if count > inPlaceLimit {
            return try makeByCopy(count: count, capacity: capacity, fill: fill)
        }
        var pointers: [UnsafeMutablePointer<Element>] = []
        pointers.reserveCapacity(count)
        var columns: [[Element]] = []
        columns.reserveCapacity(count)
        var rows = 0
        // Each array's storage is only valid inside its own initializer, so the
        // initializers nest: the innermost one runs `fill` while every buffer is live.
        func nest(_ c: Int) throws {
            guard c < count else {
                rows = try pointers.withUnsafeBufferPointer { try fill($0.baseAddress!) }
                return
            }
            let column = try [Element](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                pointers.append(buffer.baseAddress!)
                try nest(c + 1)
                initialized = rows
            }
            columns.append(column)
        }
        try nest(0)
        // The innermost initializer finished first, so the columns came out last to first.
        columns.reverse()
        return columns
    }

    /// The same through scratch buffers, copied into arrays at the end (wide tables).
    private static func makeByCopy<Element>(count: Int, capacity: Int,
                                            fill: (UnsafePointer<UnsafeMutablePointer<Element>>) throws -> Int) rethrows -> [[Element]] {
        var pointers = (0..<count).map { _ in UnsafeMutablePointer<Element>.allocate(capacity: capacity) }
        defer { pointers.forEach { $0.deallocate() } }
        let rows = try pointers.withUnsafeBufferPointer { try fill($0.baseAddress!) }
        var columns: [[Element]] = []
        columns.reserveCapacity(count)
        for c in 0..<count {
            columns.append(Array(UnsafeBufferPointer(start: pointers[c], count: rows)))
            // Free as we go, so the copies never double the peak memory.
            pointers[c].deallocate()
            pointers[c] = UnsafeMutablePointer<Element>.allocate(capacity: 1)
        }
        return columns
    }
}
