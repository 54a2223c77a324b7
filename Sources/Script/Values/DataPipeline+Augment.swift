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
}
