import DLCore
import Engine
import Plot
import Tabular
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Session {
    /// Whether `predict "PATH"` names images (a PNG or JPEG file, or a folder) rather than a CSV.
    static func isImagePath(_ path: String) -> Bool {
        if ImageFolderListing.isImageName(Array(path.utf8)) { return true }
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// `predict "photo.jpg"` (the class, the probabilities as bars and the picture) or
    /// `predict "folder/" [to "out.csv"]` (path, predicted class, one probability column per
    /// class): each image read as the training images were (size, colour, scaling).
    func predictImages(_ path: String, at range: SourceRange, to: Placed<String?>) throws {
        guard let fitted = data?.fitted else { _ = try requireDataset(for: "predict"); return }
        guard let model, model.isTrained else {
            throw Diagnostic("predict needs a trained model", hint: "run `train` first, or `load model \"FILE\"`")
        }
        guard let images = fitted.images, let names = fitted.classNames else {
            let trainedOn = fitted.imageShape.map { "rows of \($0.map(String.init).joined(separator: "x")) pixels from a table" }
                ?? "a table (\(Self.listed(fitted.rawColumns.prefix(4).map(\.name) + (fitted.rawColumns.count > 4 ? ["…"] : []))))"
            throw Diagnostic("predict \"\(path)\" gives an image, but this model was trained on \(trainedOn), not on image files",
                             at: range, hint: "predict rows of values (`predict V1,V2,…` or a CSV file); for images, train on `load images \"FOLDER/\"`")
        }
        let expanded = expandHome(path)
        if ImageFolderListing.isImageName(Array(expanded.utf8)) {
            if to.given {
                throw Diagnostic("`to` writes the predictions of a folder of images, not of one image", at: to.range,
                                 hint: "predict \"folder/\" to \"out.csv\"")
            }
            return try predictImage(expanded, shown: path, images: images, names: names, fitted: fitted, model: model, at: range)
        }
        try predictImageFolder(expanded, shown: path, images: images, names: names, fitted: fitted, model: model, at: range, to: to)
    }

    private func predictImage(_ path: String, shown: String, images: ImageSource, names: [String], fitted: FittedPipeline,
                              model: TrainedModel, at range: SourceRange) throws {
        let (pixels, header): ([UInt8], ImageHeader)
        do {
            (pixels, header) = try ImageFile.load(path: path, height: images.height, width: images.width, channels: images.channels)
        } catch let error as TabularError { throw Diagnostic(error, at: range) }
        for note in Self.conversionNotes(header, images: images, name: shown) { print("note: " + note) }
        let output = try probabilities(of: pixels, count: 1, fitted: fitted, model: model)
        let probabilities = output.count == 1 ? [1 - output.data[0], output.data[0]] : output.data
        let best = predictedClasses(output)[0]
        print("predicted: \(names[best])")
        let width = names.map(\.count).max() ?? 0
        for (name, p) in zip(names, probabilities) {
            let bar = String(repeating: self.output.isTerminal ? "█" : "#", count: Int((Double(p) * 30).rounded()))
            print("  " + Format.pad(name, width) + "  " + Format.fixed(p, 4) + (bar.isEmpty ? "" : "  " + bar))
        }
        let channels = images.channels
        let picture = (0..<(images.height * images.width)).map { p in
            (0..<channels).map { Double(pixels[p * channels + $0]) }.reduce(0, +) / Double(channels)
        }
        try draw(.images(ImageGrid(title: shown, images: [picture], height: images.height, width: images.width,
                                   captions: ["\(shown): predicted \(names[best]) (\(Format.fixed(probabilities[best], 2)))"],
                                   range: 0...255)), to: nil, at: range)
    }

    private func predictImageFolder(_ folder: String, shown: String, images: ImageSource, names: [String], fitted: FittedPipeline,
                                    model: TrainedModel, at range: SourceRange, to: Placed<String?>) throws {
        let files: [ImageFileEntry]
        do { files = try ImageFolderListing.listFiles(folder) } catch let error as TabularError { throw Diagnostic(error, at: range) }
        guard !files.isEmpty else {
            throw Diagnostic("'\(shown)' holds no PNG or JPEG images", at: range, hint: "give a folder of images, or one image file")
        }
        let loaded: [UInt8]
        do {
            loaded = try ImageLoader.decode(files, height: images.height, width: images.width, channels: images.channels,
                                            cancel: cancellation)
        } catch let error as TabularError { throw Diagnostic(error, at: range) }
        let output = try probabilities(of: loaded, count: files.count, fitted: fitted, model: model)
        let width = output.columns
        let best = predictedClasses(output)
        var columns = [Column(name: "path", data: .text(files.map { $0.name })),
                       Column(name: "predicted_\(fitted.targetName)", data: .text(best.map { names[$0] }))]
        for (k, name) in names.enumerated() {
            let p = (0..<files.count).map { r in width == 1 ? (k == 1 ? output.data[r] : 1 - output.data[r]) : output.data[r * width + k] }
            columns.append(Column(name: "prob_\(name)", data: .numeric(NumericColumn(floats: p))))
        }
        let result = Table(columns: columns, rowCount: files.count, source: shown)
        if let destination = to.value {
            let bytes = try result.csvBytes(cancel: cancellation)
            try cancellation.check()
            try writeFile(destination, bytes, at: to.range)
            print("predicted \(files.count) image\(files.count == 1 ? "" : "s") of \(shown) into \(destination): path, predicted class and \(names.count) probabilities")
        } else {
            let shownRows = min(result.rowCount, Self.predictShownRows)
            self.output.write(TableView(table: result, rows: Array(0..<shownRows), width: self.output.width).render(), to: .output)
            if result.rowCount > shownRows { print("add `to \"predictions.csv\"` to write all \(result.rowCount) rows") }
        }
    }

    /// The network's outputs for `count` images of 8-bit pixels, scaled as in training.
    private func probabilities(of pixels: [UInt8], count: Int, fitted: FittedPipeline, model: TrainedModel) throws -> Tensor {
        let inputs = ByteRows(bytes: pixels, shape: [count] + model.inputShape, offsets: fitted.scaler?.offsets, scales: fitted.scaler?.scales)
        return try model.network.predict(.bytes(inputs), rows: nil, cancel: cancellation)
    }

    /// What was done to an image to fit the model: channels converted, size changed.
    static func conversionNotes(_ header: ImageHeader, images: ImageSource, name: String) -> [String] {
        var notes: [String] = []
        switch (header.channels, images.channels) {
        case (4, 3), (2, 1):
            notes.append("'\(name)' is \(header.channelName) but the model takes \(images.channels == 3 ? "RGB" : "grey") images: its alpha channel is dropped, as for the training images")
        case (4, 1), (3, 1):
            notes.append("'\(name)' is \(header.channelName) but the model takes grey images: it is converted to grey (L = 0.299 R + 0.587 G + 0.114 B), as the training images were")
        case (1, 3), (2, 3):
            notes.append("'\(name)' is \(header.channelName) but the model takes RGB images: its grey is repeated in the three channels")
        default: break
        }
        if header.height != images.height || header.width != images.width {
            notes.append("'\(name)' is \(header.height)x\(header.width); resized to \(images.height)x\(images.width), the size the model was trained on")
        }
        return notes
    }
}
