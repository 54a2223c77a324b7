import Tabular

extension FuzzTargets {
    /// The MNIST reader: an IDX file of images or labels, gzipped or not.
    public static func idx(_ input: UnsafeBufferPointer<UInt8>) {
        guard let (dims, bytes) = try? MNIST.readIDX(bytes: Array(input), name: "fuzz-idx1-ubyte") else { return }
        precondition(bytes.count == dims.reduce(1, *), "readIDX returned \(bytes.count) bytes for sizes \(dims)")
    }
}
