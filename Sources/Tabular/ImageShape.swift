extension Dataset {
    /// Declares that each row is an image of `shape` = [height, width, channels], pixels in
    /// row-major order with channels last, for a table of pixels such as MNIST-in-CSV (a
    /// label column and 784 pixel columns, loaded with the label as the target). A shape of
    /// [height, width] means one channel. Features are not changed.
    ///
    /// Throws `TabularError` when the shape does not have 2 or 3 positive sizes, or when
    /// the row's feature count is not height x width x channels. A series shape the rows had is replaced.
    public mutating func setImageShape(_ shape: [Int]) throws {
        guard shape.count == 2 || shape.count == 3, shape.allSatisfy({ $0 > 0 }) else {
            throw TabularError("an image shape is height, width and channels, each 1 or more; got \(shape)",
                               hint: "for 28x28 grey images use 28, 28, 1")
        }
        let full = shape.count == 2 ? shape + [1] : shape
        // Sizes are checked one by one so a huge shape reports rather than overflows.
        var needed = 1
        for size in full {
            let (product, overflow) = needed.multipliedReportingOverflow(by: size)
            needed = overflow ? Int.max : product
        }
        guard needed == featureCount else {
            let written = full.map(String.init).joined(separator: "x")
            var hint = "check the shape: height x width x channels must equal the number of features"
            if featureCount - 1 == needed {
                hint = "there is one feature too many: make the label column the target, or drop the extra column"
            } else if case (let area, false) = full[0].multipliedReportingOverflow(by: full[1]),
                      featureCount > 0, featureCount % area == 0 {
                hint = "\(featureCount) features fit \(full[0])x\(full[1]) images with \(featureCount / area) channel(s)"
            }
            throw TabularError("each row of '\(source)' has \(featureCount) features but \(written) images need \(needed)",
                               hint: hint)
        }
        imageShape = full
        seriesShape = nil
    }
}
