import Tabular

extension FuzzTargets {
    /// The MNIST reader: an IDX file of images or labels, gzipped or not. What it returns
    /// must hold exactly the bytes its sizes make.
    public static func idx(_ input: UnsafeBufferPointer<UInt8>) {
        guard let (dims, bytes) = try? MNIST.readIDX(bytes: Array(input), name: "fuzz-idx1-ubyte") else { return }
        // The sizes' true product: a header may claim sizes whose product overflows an Int
        // unless one of them is 0 (the fuzzer's first report was this check overflowing).
        var product = dims.contains(0) ? 0 : 1
        for d in dims where product != 0 {
            let (next, overflow) = product.multipliedReportingOverflow(by: d)
            precondition(!overflow, "readIDX accepted sizes \(dims) whose product overflows")
            product = next
        }
        precondition(bytes.count == product, "readIDX returned \(bytes.count) bytes for sizes \(dims)")
    }
}
