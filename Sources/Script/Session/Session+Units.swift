import Engine
import Plot
import Tabular

/// A layer of the pictures: a layer that computes something new (dense, conv, pool) with the
/// layers after it that only reshape its values (activation, batchnorm, dropout), shown after
/// the last of them.
private struct LayerGroup {
    var first: Int
    var last: Int
    var title: String
}

extension Session {
    /// Units of the picture: the plane is sampled on a 16 x 16 grid (Playground's thumbnails are 20 x 20).
    static let unitGrid = 16
    /// At most this many feature maps of one layer are drawn.
    static let mapsShown = 16

    /// The layer groups of the model: each starts at a layer for which `starts` is true.
    private func layerGroups(_ starts: (any LayerKind) -> Bool) -> [LayerGroup] {
        var groups: [LayerGroup] = []
        for (index, entry) in layers.enumerated() {
            if starts(entry.kind) || groups.isEmpty {
                groups.append(LayerGroup(first: index, last: index, title: entry.text))
            } else {
                groups[groups.count - 1].last = index
                groups[groups.count - 1].title += ", " + entry.text
            }
        }
        return groups
    }

    /// The output of every layer for `input`, in inference mode (copies, as layers reuse their buffers).
    private func layerOutputs(_ network: Network, _ input: Tensor) -> [Tensor] {
        var x = input
        var outputs: [Tensor] = []
        for layer in network.layers {
            x = layer.forward(x, training: false)
            outputs.append(Tensor(shape: x.shape, data: Array(x.data)))
        }
        return outputs
    }

    private func trainedNetwork(for statement: String) throws -> TrainedModel {
        guard let model, model.isTrained else {
            throw Diagnostic("\(statement) shows what the model learned, but it has not been trained yet", hint: "run `train` first")
        }
        return model
    }

    /// `plot units [LAYER]`: each unit's activation over the plane of the two raw features, a
    /// column per layer as TensorFlow Playground draws its neurons: the network's inputs, each
    /// hidden layer, and the output's class probabilities.
    func unitPictures(layer requested: Placed<Int?>) throws -> Chart {
        let data = try requireDataset(for: "plot units")
        let raw = self.data!.predictColumns
        guard raw.count == 2, !raw.contains(where: \.isText) else {
            let names = raw.map(\.name)
            let shown = names.count > 8 ? names.prefix(8).joined(separator: ", ") + ", …" : names.joined(separator: ", ")
            throw Diagnostic("plot units draws each unit over the plane of two raw features, but the data has \(names.count)\(names.isEmpty ? "" : " (\(shown))")",
                             at: requested.range,
                             hint: self.data!.table == nil
                                ? "generate two features and train again (e.g. `load blobs features=2`, or `load circles`); crosses of them (`features x1*x2`) may follow"
                                : "keep two numeric features and train again (e.g. `keep \(names.prefix(2).joined(separator: ","))`); crosses of them (`features x1*x2`) may follow")
        }
        guard case .classes(_, let classNames) = data.target else {
            throw Diagnostic("plot units draws a classifier's units, but '\(data.targetName)' is a regression target",
                             at: requested.range, hint: "use `plot \(raw[0].name) vs \(raw[1].name)`")
        }
        let model = try trainedNetwork(for: "plot units")
        let groups = layerGroups { $0 is DenseKind }
        let hidden = groups.dropLast()
        if let layer = requested.value, !(1...Swift.max(1, hidden.count)).contains(layer) || hidden.isEmpty {
            throw Diagnostic("plot units \(layer): the model has \(hidden.count) hidden layer\(hidden.count == 1 ? "" : "s")",
                             at: requested.range, hint: hidden.isEmpty ? "add a hidden layer, e.g. `dense 8 tanh`" : "choose 1 to \(hidden.count), or leave it out for every layer")
        }

        // The plane: the training rows' range of each raw feature, padded by 5%, row 0 at the top.
        let size = Self.unitGrid
        let axes = raw.map { column -> ClosedRange<Double> in
            let index = data.featureNames.firstIndex(of: column.name)!
            let values = trainRows.map { Double(data.featureMatrix[$0, index]) }
            let lo = values.min() ?? 0, hi = values.max() ?? 1
            let pad = Swift.max((hi - lo) * 0.05, 1e-6)
            return (lo - pad)...(hi + pad)
        }
        var xs = [Double](), ys = [Double]()
        for row in 0..<size {
            for col in 0..<size {
                xs.append(axes[0].lowerBound + (Double(col) + 0.5) / Double(size) * (axes[0].upperBound - axes[0].lowerBound))
                ys.append(axes[1].upperBound - (Double(row) + 0.5) / Double(size) * (axes[1].upperBound - axes[1].lowerBound))
            }
        }
        let plane = Table(columns: [Column(name: raw[0].name, data: .numeric(NumericColumn(xs))),
                                    Column(name: raw[1].name, data: .numeric(NumericColumn(ys)))],
                          rowCount: size * size, source: "plane")
        let (features, _) = try self.data!.features(ofRaw: plane)
        let input = Tensor(shape: [size * size] + model.inputShape, data: features)
        let outputs = layerOutputs(model.network, input)

        func symmetric(_ values: [Double]) -> ClosedRange<Double> {
            let m = Swift.max(values.map { Swift.abs($0) }.max() ?? 0, 1e-9)
            return -m...m
        }
        func units(of tensor: Tensor) -> [[Double]] {
            let width = tensor.columns
            return (0..<width).map { u in (0..<(size * size)).map { Double(tensor.data[$0 * width + u]) } }
        }
        var columns: [PanelGrid.Column] = []
        if requested.value == nil {
            let inputs = units(of: input)
            columns.append(PanelGrid.Column(title: "inputs", height: size, width: size, panels: zip(data.featureNames, inputs).map { name, values in
                PanelGrid.Panel(values: values, caption: name, range: symmetric(values))
            }))
        }
        for (k, group) in hidden.enumerated() where requested.value == nil || requested.value == k + 1 {
            let panels = units(of: outputs[group.last]).enumerated().map { u, values -> PanelGrid.Panel in
                let largest = values.map { Swift.abs($0) }.max() ?? 0
                let caption = largest < 1e-6 ? "unit \(u + 1): 0 here" : "unit \(u + 1) (\(Format.fixed(largest, largest < 10 ? 2 : 0)))"
                return PanelGrid.Panel(values: values, caption: caption, range: symmetric(values))
            }
            columns.append(PanelGrid.Column(title: group.title, height: size, width: size, panels: panels))
        }
        if requested.value == nil, let last = outputs.last {
            var probabilities = units(of: last)
            // One sigmoid unit gives p(second class); the first is its complement.
            if probabilities.count == 1, classNames.count == 2 { probabilities.insert(probabilities[0].map { 1 - $0 }, at: 0) }
            let panels = zip(classNames, probabilities).map { name, values in
                PanelGrid.Panel(values: values, caption: "p(\(name))", range: 0...1)
            }
            columns.append(PanelGrid.Column(title: "output", height: size, width: size, panels: panels))
        }
        let scales = "each picture on its own scale (its largest |value| in brackets); output: the probability of each class"
        return .panels(PanelGrid(title: "Units over \(raw[0].name) (across) and \(raw[1].name) (up), \(model.epochsTrained) epochs",
                                 columns: columns, scale: .diverging, key: "orange below 0, white 0, blue above; " + scales + " (white 0.5)",
                                 asciiKey: "O o below 0, blank near 0, + # above; " + scales + " (blank 0.5)"))
    }

    /// `plot activations N [LAYER]`: the feature maps of image row N after each conv and pool
    /// layer, grey from the layer's smallest value (black) to its largest (white), as CNN Explainer shows them.
    func activationMaps(row n: Placed<Int>, layer requested: Placed<Int?>) throws -> Chart {
        let data = try requireDataset(for: "plot activations")
        guard let shape = data.imageShape else {
            throw Diagnostic("plot activations draws the feature maps of an image, but the rows of '\(data.source)' are not images",
                             at: n.range, hint: "load images (e.g. `load digits`), or declare the shape with `input HxWxC`; for two features, `plot units`")
        }
        guard n.value < data.rowCount else {
            throw Diagnostic("there is no row \(n.value): the data has rows 0 to \(data.rowCount - 1)", at: n.range)
        }
        let model = try trainedNetwork(for: "plot activations")
        let groups = layerGroups { $0 is ConvKind || $0 is PoolKind || $0 is DenseKind || $0 is FlattenKind }
            .filter { layers[$0.first].kind is ConvKind || layers[$0.first].kind is PoolKind }
        guard !groups.isEmpty, model.inputShape.count == 3 else {
            throw Diagnostic("plot activations draws the maps of conv and pool layers, but the model has none",
                             at: n.range, hint: "add one, e.g. `conv 3x3 filters=8 relu` before `flatten`; `plot units` draws dense units of two features")
        }
        if let layer = requested.value, !(1...groups.count).contains(layer) {
            throw Diagnostic("plot activations \(n.value) \(layer): the model has \(groups.count) conv and pool layer\(groups.count == 1 ? "" : "s")",
                             at: requested.range, hint: "choose 1 to \(groups.count), or leave it out for every layer")
        }
        let width = data.featureCount
        let scaled = Array(self.data!.scaledFeatures[(n.value * width)..<((n.value + 1) * width)])
        let input = Tensor(shape: [1] + model.inputShape, data: scaled)
        let outputs = layerOutputs(model.network, input)

        func maps(_ values: [Float], _ shape: [Int], title: String, caption: (Int) -> String) -> PanelGrid.Column {
            let (h, w, c) = (shape[0], shape[1], shape[2])
            let all = values.map(Double.init)
            let lo = all.min() ?? 0, hi = all.max() ?? 1
            let range = hi > lo ? lo...hi : lo...(lo + 1)
            let panels = (0..<Swift.min(c, Self.mapsShown)).map { channel in
                PanelGrid.Panel(values: (0..<(h * w)).map { all[$0 * c + channel] }, caption: caption(channel), range: range)
            }
            let more = c > Self.mapsShown ? " (first \(Self.mapsShown) of \(c))" : ""
            return PanelGrid.Column(title: title + more, height: h, width: w, panels: panels)
        }
        var label = "row \(n.value)"
        if case .classes(let labels, let names) = data.target { label += ": \(names[labels[n.value]])" }
        var columns = [maps(scaled, shape, title: "input", caption: { shape[2] == 1 ? label : "channel \($0 + 1)" })]
        for (k, group) in groups.enumerated() where requested.value == nil || requested.value == k + 1 {
            let result = outputs[group.last]
            columns.append(maps(result.data, Array(result.shape.dropFirst()), title: group.title, caption: { "map \($0 + 1)" }))
        }
        var title = "Feature maps of row \(n.value)"
        if case .classes(_, let names) = data.target, let probabilities = outputs.last {
            title += ", predicted \(names[predictedClasses(probabilities)[0]])"
        }
        let key = "each map: one filter's response at every position; "
        return .panels(PanelGrid(title: title, columns: columns, scale: .grey, key: key + "black is the layer's smallest value, white its largest",
                                 asciiKey: key + "blank is the layer's smallest value, @ its largest"))
    }
}
