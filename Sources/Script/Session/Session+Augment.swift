import DLCore
import Engine
import Plot
import Tabular

extension ImageAugmentation {
    /// "flip horizontal, rotate up to 15 degrees, shift up to 10%, zoom up to 10%, brightness up to 0.2,
    /// contrast up to 0.2" (ASCII, as a picture's title may have to be).
    var description: String {
        var parts: [String] = []
        if let flip { parts.append(flip == .both ? "flip horizontal and vertical" : "flip \(flip.rawValue)") }
        if rotate > 0 { parts.append("rotate up to \(Format.general(rotate)) degrees") }
        if shift > 0 { parts.append("shift up to \(Format.general(shift * 100))%") }
        if zoom > 0 { parts.append("zoom up to \(Format.general(zoom * 100))%") }
        if brightness > 0 { parts.append("brightness up to \(Format.general(brightness))") }
        if contrast > 0 { parts.append("contrast up to \(Format.general(contrast))") }
        return parts.joined(separator: ", ")
    }
}

extension Session {
    /// The image shape of the loaded rows, or an error that says how to declare one.
    func requireImages(for statement: String, at range: SourceRange) throws -> (Dataset, [Int]) {
        let data = try requireDataset(for: statement)
        guard let shape = data.imageShape else {
            throw Diagnostic("\(statement) works on images, but the rows of '\(data.source)' are \(data.featureCount) numbers, not images",
                             at: range,
                             hint: "for a table of pixels, declare the image shape first with `input HxWxC` (e.g. `input 28x28x1`)")
        }
        return (data, shape)
    }

    /// `augment …` (nil: `augment off`).
    func augment(_ augmentation: ImageAugmentation?, at range: SourceRange) throws {
        _ = try requireImages(for: augmentation == nil ? "augment off" : "augment", at: range)
        let before = data!.augmentation
        guard let augmentation else {
            guard before != nil else {
                print("augment off: nothing to switch off; training sees the images as they are")
                return
            }
            data!.setAugmentation(nil)
            print("augment off: training sees the images as they are again; the next `train` starts from fresh weights")
            return
        }
        guard augmentation != before else {
            print("augment: unchanged (\(augmentation.description))")
            return
        }
        data!.setAugmentation(augmentation)
        print("augment: \(augmentation.description), drawn anew for each training image in each batch from the seed; "
              + "validation rows, `evaluate` and `predict` see the images as they are")
    }

    /// `show augment N`: one training image and N versions of it as `augment` changes them in training.
    func showAugment(_ count: Int, row requested: Placed<Int?>, at range: SourceRange) throws {
        let (data, shape) = try requireImages(for: "show augment", at: range)
        let pipeline = self.data!
        guard let augmentation = pipeline.augmentation, let augmenter = pipeline.augmenter() else {
            throw Diagnostic("show augment draws the changes that `augment` makes, but no augmentation is set", at: range,
                             hint: "set one first, e.g. `augment flip=horizontal rotate=15 zoom=0.1`")
        }
        let row: Int
        if let given = requested.value {
            guard given < data.rowCount else {
                throw Diagnostic("there is no row \(given): the data has rows 0 to \(data.rowCount - 1)", at: requested.range)
            }
            row = given
        } else {
            guard let first = pipeline.trainRows.first else {
                throw Diagnostic("show augment draws a training image, but there are no training rows", at: range)
            }
            row = first
        }
        let original = pipeline.scaledRow(row)
        // Its own generator: looking at examples never changes what training draws.
        var random = SeededRandom(seed: SeededRandom.seed(seed, stream: 0xA06))
        var images = [original.map(Double.init)]
        for _ in 0..<count {
            var copy = original
            augmenter.apply(to: &copy, rng: &random)
            images.append(copy.map(Double.init))
        }
        var first = "row \(row)"
        if case .classes(let labels, let names) = data.target { first += ": \(names[labels[row]])" }
        let shown = Double(augmenter.valueRange.lowerBound)...Double(augmenter.valueRange.upperBound)
        let grid = ImageGrid(title: "Row \(row) and \(count) augmented version\(count == 1 ? "" : "s"): \(augmentation.description)",
                             images: images, height: shape[0], width: shape[1], channels: shape[2],
                             captions: [first] + (0..<count).map { "version \($0 + 1)" }, range: shown)
        try draw(.images(grid), to: nil, at: range)
    }
}
