import DLCore
import Tabular

extension Session {
    /// `load images FOLDER`: every image decoded on all cores into one buffer of 8-bit pixels.
    func loadImages(_ command: LoadImagesCommand) throws {
        let request = ImageLoadRequest(folder: expandHome(command.folder.value), testFolder: command.test.value.map(expandHome),
                                       size: command.size.value.map { ($0[0], $0[1]) }, color: command.color,
                                       skipBad: command.skipBad)
        let loaded: LoadedImages
        do {
            loaded = try ImageLoader.load(request, cancel: cancellation)
        } catch let error as TabularError {
            var diagnostic = Diagnostic(error, at: command.folder.range)
            if let hint = scriptFolderHint(for: request.folder) { diagnostic.hint = hint }
            throw diagnostic
        }
        let source = ImageSource(folder: command.folder.value, testFolder: command.test.value, height: loaded.height,
                                 width: loaded.width, color: loaded.color.rawValue, ownSplit: loaded.trainCount != nil)
        let pipeline = DataPipeline(images: loaded, source: source)
        try cancellation.check() // the last moment the session is still as it was
        install(pipeline)
        for note in loaded.notes { print("note: " + note) }
    }

    /// What `load images` prints: the images, their size and memory, the classes in order with counts.
    func describeLoadedImages(_ images: ImageSource, _ dataset: Dataset) {
        let count = dataset.rowCount
        let bytes = dataset.featureMatrix.bytes?.count ?? dataset.featureCount * count
        print("loaded \(Format.grouped(count)) image\(count == 1 ? "" : "s") from '\(images.folder)': "
              + "\(images.height)x\(images.width) \(images.color) (\(images.height)x\(images.width)x\(images.channels) per row), "
              + "\(describeBytes(bytes)) as 8-bit pixels")
        guard case .classes(let labels, let names) = dataset.target else { return }
        let split = data?.split
        var train = [Int](repeating: 0, count: names.count), test = train
        let testStart = split?.test.first ?? count
        for (row, label) in labels.enumerated() {
            if row < testStart { train[label] += 1 } else { test[label] += 1 }
        }
        let listed = names.indices.map { k in
            "\(names[k]) \(Format.grouped(train[k]))" + (split == nil ? "" : "+\(Format.grouped(test[k]))")
        }
        print("classes (sorted, as Keras orders them): " + listed.joined(separator: ", ")
              + (split == nil ? "" : " (training+test)"))
        if let split {
            print("split: \(split.train.count) training images, \(split.test.count) test images (\(split.description))")
        }
    }

    /// `split` after a folder that came split: the folder's split stands.
    func keepOwnSplit(_ images: ImageSource, _ split: Split) {
        print("split: kept the images' own split, \(split.train.count) training and \(split.test.count) test images "
              + "(\(split.description)); `split` does not reshuffle them")
    }

    /// `scale` on images: 0-255 to 0-1, the same for every image, fitted on nothing.
    func scalePixels(_ method: ScalingMethod, at statement: SourceRange) throws {
        let trained = model != nil
        try data!.scale(method)
        if method == .none {
            print("scale: none (pixels are used as loaded, 0 to 255)")
        } else {
            print("scale: pixels 0-255 map to 0-1 (x / 255), fitted on nothing: training, test and new images are scaled alike"
                  + (method == .standard ? "; on images `scale` always does this, not a per-pixel mean and std" : ""))
        }
        if trained, model == nil {
            warn(Diagnostic("the model was trained before this `scale`: its weights fit the old pixel values, "
                            + "so the next `train` starts from fresh weights (scale before you train)",
                            at: statement, id: "scaled-after-training"))
        }
    }
}
