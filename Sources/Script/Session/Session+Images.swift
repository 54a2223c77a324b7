import Engine
import Plot
import Tabular

extension Session {
    /// Draws row `n` of image data with its label and, after training, the prediction.
    func showImage(_ n: Int, at range: SourceRange) throws {
        let data = try requireDataset(for: "show image")
        guard let shape = data.imageShape else {
            throw Diagnostic("the rows of '\(data.source)' are not images", at: range,
                             hint: "declare the image shape with `input HxWxC` (e.g. `input 28x28x1`) for a table of pixels")
        }
        guard n < data.rowCount else {
            throw Diagnostic("there is no row \(n): the data has rows 0 to \(data.rowCount - 1)", at: range)
        }
        let (height, width, channels) = (shape[0], shape[1], shape[2])
        // NHWC as loaded: three channels are drawn in colour, others as the mean of their channels.
        let pixels = data.featureMatrix.row(n).map(Double.init)
        var caption = "row \(n)"
        if case .classes(let labels, let names) = data.target { caption += ": \(names[labels[n]])" }
        if let model, model.isTrained, case .classes(_, let names) = data.target {
            let scaled = self.data!.scaledRow(n) // this row only: a folder of images is never converted whole
            let predicted = predictedClasses(model.network.predict(Tensor(shape: [1] + model.inputShape, data: scaled)))[0]
            caption += ", predicted \(names[predicted])"
        }
        caption += self.data!.split.map { $0.test.contains(n) ? " (test row)" : " (training row)" } ?? ""
        try draw(.images(ImageGrid(title: "row \(n) of \(data.source)", images: [pixels], height: height, width: width,
                                   channels: channels, captions: [caption])), to: nil, at: range)
    }

    /// The kernels of a convolution layer as small images: mid grey is 0, lighter is positive,
    /// darker negative; in colour (each channel so) when the layer takes three channels, else
    /// averaged over its input channels.
    func filterImages(layer requested: Int, at range: SourceRange) throws -> Chart {
        guard let network else {
            throw Diagnostic("plot filters draws a trained convolution layer's kernels, but the model is not built yet",
                             at: range, hint: "run `train` (or `summary`) first")
        }
        let convs = network.layers.enumerated().compactMap { i, layer in (layer as? Conv2D).map { (i, $0) } }
        guard !convs.isEmpty else {
            throw Diagnostic("plot filters draws convolution kernels, but the model has no `conv` layer", at: range)
        }
        guard requested <= convs.count else {
            throw Diagnostic("there is no convolution layer \(requested)", at: range,
                             hint: "give its number among the conv layers, 1 to \(convs.count)")
        }
        let choice = requested - 1
        let (index, conv) = convs[choice]
        let kernel = conv.parameters[0].value // [kh, kw, inC, filters]
        let (kh, kw, inC, filters) = (kernel.shape[0], kernel.shape[1], kernel.shape[2], kernel.shape[3])
        var images: [[Double]] = []
        let colour = inC == 3
        for f in 0..<filters {
            images.append((0..<(kh * kw)).flatMap { p -> [Double] in
                let weights = (0..<inC).map { Double(kernel.data[(p * inC + $0) * filters + f]) }
                return colour ? weights : [weights.reduce(0, +) / Double(inC)]
            })
        }
        let largest = images.flatMap { $0 }.map(abs).max() ?? 1
        let trained = epochsTrained > 0 ? "after \(epochsTrained) epochs" : "untrained"
        return .images(ImageGrid(title: "Filters of conv layer \(choice + 1) (\(layers[index].text), \(trained))",
                                 images: images, height: kh, width: kw, channels: colour ? 3 : 1,
                                 captions: (1...filters).map { "filter \($0)" },
                                 range: -max(largest, 1e-12)...max(largest, 1e-12)))
    }
}
