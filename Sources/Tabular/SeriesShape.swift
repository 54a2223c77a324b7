extension Dataset {
    /// Declares that each row is one series of `shape` = [steps, channels], for a table where
    /// each row is a series (the UCR layout: a label, then the values over time). The feature
    /// columns, in order, run through the channels at each step (channel fastest), as NHWC
    /// does for images: with 2 channels, columns are s0c0, s0c1, s1c0, s1c1, … Features are
    /// not changed; an image shape the rows had is replaced.
    ///
    /// Throws `TabularError` when the shape does not have 2 positive sizes, or when the row's
    /// feature count is not steps x channels (the message names both counts).
    public mutating func setSeriesShape(_ shape: [Int]) throws {
        guard shape.count == 2, shape.allSatisfy({ $0 > 0 }) else {
            throw TabularError("a series shape is steps and channels, each 1 or more; got \(shape)",
                               hint: "for series of 150 values use 150x1")
        }
        let (needed, overflow) = shape[0].multipliedReportingOverflow(by: shape[1])
        guard !overflow, needed == featureCount else {
            let written = "\(shape[0])x\(shape[1])"
            var hint = "check the shape: steps x channels must equal the number of features"
            if featureCount - 1 == needed {
                hint = "there is one feature too many: make the label column the target (`target=COLUMN` on `load`), or drop the extra column"
            } else if featureCount > 0, shape[1] > 0, featureCount % shape[1] == 0 {
                hint = "\(featureCount) features make \(featureCount / shape[1]) steps of \(shape[1]) channel\(shape[1] == 1 ? "" : "s"): `input \(featureCount / shape[1])x\(shape[1])`"
            }
            throw TabularError("each row of '\(source)' has \(featureCount) features but a \(written) series (steps x channels) needs \(overflow ? "more than \(Int.max)" : String(needed))",
                               hint: hint)
        }
        seriesShape = shape
        imageShape = nil
    }
}

extension Dataset {
    /// The first row whose series ends early: its last cells are missing while earlier ones
    /// are not (a ragged CSV, or the archive's NaN padding of shorter series), with the
    /// number of steps it holds. Nil when every row is complete or missing in the middle only.
    public func firstRaggedSeries(channels: Int) -> (row: Int, steps: Int)? {
        let width = featureCount
        guard channels > 0, width > 0 else { return nil }
        for r in 0..<rowCount {
            let row = featureMatrix.row(r)
            guard row[width - 1].isNaN else { continue }
            var end = width
            while end > 0, row[end - 1].isNaN { end -= 1 }
            if end > 0 { return (r, (end + channels - 1) / channels) }
        }
        return nil
    }
}
