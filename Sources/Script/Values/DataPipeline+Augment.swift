import Engine
import Tabular

extension DataPipeline {
    /// What changes each training image under `augment`, for the trainer; nil without it (or
    /// without images). Brightness and contrast clip to the range of the scaled training pixels
    /// (0 to 1 after `scale minmax`), as Keras's layers clip to their `value_range`.
    func augmenter() -> ImageAugmenter? {
        guard let augmentation, !augmentation.isIdentity, let shape = dataset?.imageShape else { return nil }
        return ImageAugmenter(augmentation, shape: shape, valueRange: pixelRange)
    }

    /// The smallest and largest scaled value of the training rows (0...1 when there are none).
    var pixelRange: ClosedRange<Float> {
        guard let dataset, dataset.featureCount > 0 else { return 0...1 }
        let width = dataset.featureCount
        // A folder of images stays 8-bit: its range is that of the bytes, scaled as every
        // pixel is (one offset and scale for all), without building the float matrix.
        if let bytes = dataset.featureMatrix.bytes {
            var low = UInt8.max, high = UInt8.min
            for row in trainRows {
                for v in bytes[(row * width)..<((row + 1) * width)] {
                    low = min(low, v)
                    high = max(high, v)
                }
            }
            let scaled = { (v: UInt8) in self.scaler.map { (Float(v) - $0.offsets[0]) * $0.scales[0] } ?? Float(v) }
            return high > low ? scaled(low)...scaled(high) : 0...1
        }
        var low = Float.infinity, high = -Float.infinity
        scaledFeatures.withUnsafeBufferPointer { x in
            for row in trainRows {
                let start = row * width
                for k in start..<(start + width) {
                    let v = x[k]
                    if v < low { low = v }
                    if v > high { high = v }
                }
            }
        }
        return low.isFinite && high.isFinite && high > low ? low...high : 0...1
    }

    /// One row's features as the network sees them, scaled, without building every row's
    /// floats (a folder of images stays 8-bit).
    func scaledRow(_ row: Int) -> [Float] {
        guard let dataset else { return [] }
        let raw = dataset.featureMatrix.row(row)
        return scaler?.transform(row: raw) ?? raw
    }
}
