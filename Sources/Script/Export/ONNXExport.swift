import DLCore
import Engine
import Tabular

/// A trained model and its preprocessing as one ONNX graph that takes the raw columns, or,
/// for images, one input `images` [N, height, width, channels]: float pixels as loaded (0–255
/// for photos and MNIST, the table's values for a table of pixels), in NHWC order, which the
/// graph flattens and scales itself (`imageInputShape`).
///
/// Inputs: one per raw column, named as the column, [N, 1]: float for numbers (NaN for a
/// missing value), string for text ("" for a missing value), and double for a date column
/// that `encode date` reads: seconds since 1970-01-01 (NaN for a missing value; see
/// ONNXExport+Dates.swift). The recorded steps follow in order (fills as IsNaN/Where or an
/// ai.onnx.ml LabelEncoder, clips as Clip, one-hot encodings as ai.onnx.ml OneHotEncoder
/// with unseen categories as zeros, a date's parts by arithmetic, drops by leaving columns
/// out), then the features are concatenated in the model's order and scaled
/// (Sub, Mul), then the layers run (Gemm; images go NCHW for Conv and the pools and back to
/// NHWC before Flatten, so the dense weights keep dl's order). Outputs: `probabilities`
/// [N, classes] and `label` [N] (the class name) for classification, `value` [N, 1] for
/// regression (in the target's units: a scaled target's inverse, Div and Add, ends the graph).
enum ONNXExport {
    /// Stands for "no category": never a real one, so OneHotEncoder gives it zeros.
    static let unseen = "\u{0}unseen"

    /// The name of an image model's one input.
    static let imageInput = "images"

    /// An image model's input shape [height, width, channels] when the graph takes whole images:
    /// the rows are images and no step changes their pixels, so the features are the raw columns.
    static func imageInputShape(_ fitted: FittedPipeline) -> [Int]? {
        guard let shape = fitted.imageShape, fitted.steps.isEmpty,
              fitted.featureNames == fitted.rawColumns.map(\.name), !fitted.rawColumns.contains(where: \.isText),
              shape.reduce(1, *) == fitted.featureNames.count else { return nil }
        return shape
    }

    static func encode(spec: ModelSpec, model: TrainedModel, pipeline fitted: FittedPipeline) -> [UInt8] {
        if let window = fitted.window { return encodeWindowed(spec: spec, model: model, pipeline: fitted, window: window) }
        var graph = ONNXGraph()
        if let shape = imageInputShape(fitted) {
            // Images: one input, [N, H, W, C] pixels as loaded (0–255 for photos), flattened in
            // dl's NHWC order and scaled here, so the caller never repeats dl's scaling.
            graph.reserve(imageInput)
            graph.inputs.append(.init(name: imageInput, type: .float, shape: [nil] + shape.map { Optional($0) }))
            let flat = graph.constant(.ints([-1, shape.reduce(1, *)]), dims: [2], stem: "pixels_shape")
            let x = graph.apply("Reshape", [imageInput, flat], stem: "pixels")
            return finish(&graph, features: x, spec: spec, model: model, fitted: fitted)
        }
        // The current table: column name -> tensor ([N, 1]), and its kind.
        var columns: [String: (tensor: String, isText: Bool)] = [:]
        let dates = dateInputs(fitted)
        for raw in fitted.rawColumns {
            graph.reserve(raw.name)
            let type: ONNXGraph.ElementType = dates.contains(raw.name) ? .double : raw.isText ? .string : .float
            graph.inputs.append(.init(name: raw.name, type: type, shape: [nil, 1]))
            columns[raw.name] = (raw.name, raw.isText)
        }
        replaySteps(&graph, fitted.steps, on: &columns, dates: dates)
        let x = graph.apply("Concat", fitted.featureNames.map { columns[$0]!.tensor }, [("axis", .int(1))], stem: "features")
        return finish(&graph, features: x, spec: spec, model: model, fitted: fitted)
    }

    /// From the features [N, F] as loaded: the scaling, the layers and the outputs.
    static func finish(_ graph: inout ONNXGraph, features: String, spec: ModelSpec, model: TrainedModel,
                       fitted: FittedPipeline, metadata extra: [(String, String)] = []) -> [UInt8] {
        var x = features
        if let scaler = fitted.scaler {
            let width = scaler.offsets.count
            let offsets = graph.constant(.floats(scaler.offsets), dims: [1, width], stem: "scale_offsets")
            let scales = graph.constant(.floats(scaler.scales), dims: [1, width], stem: "scale_factors")
            x = graph.apply("Mul", [graph.apply("Sub", [x, offsets], stem: "centered"), scales], stem: "scaled")
        }
        x = network(&graph, x, spec: spec, model: model)

        let outputUnits = model.network.layers.last!.outputShape.reduce(1, *)
        if let names = fitted.classNames {
            var probabilities = x
            if outputUnits == 1 {
                // One sigmoid unit gives p(second class): [1 - p, p], as `predict` shows it.
                let one = graph.constant(.floats([1]), dims: [], stem: "one")
                probabilities = graph.apply("Concat", [graph.apply("Sub", [one, x], stem: "first_class"), x], [("axis", .int(1))], stem: "pair")
            }
            let renamed = graph.apply("Identity", [probabilities], stem: "probabilities")
            let best = graph.apply("ArgMax", [probabilities], [("axis", .int(1)), ("keepdims", .int(0))], stem: "class_index")
            let label = graph.apply("LabelEncoder", [best], [
                ("keys_int64s", .ints(Array(names.indices))), ("values_strings", .strings(names)), ("default_string", .string("")),
            ], domain: "ai.onnx.ml", stem: "label")
            graph.outputs = [.init(name: renamed, type: .float, shape: [nil, names.count]), .init(name: label, type: .string, shape: [nil])]
        } else {
            if let target = fitted.targetScaler {
                // `scale target`: the network gives the scaled target; back to its units, x = x' / scale + offset.
                let scale = graph.constant(.floats(target.scales), dims: [1, 1], stem: "target_scale")
                let offset = graph.constant(.floats(target.offsets), dims: [1, 1], stem: "target_offset")
                x = graph.apply("Add", [graph.apply("Div", [x, scale], stem: "target_unscaled"), offset], stem: "target_value")
            }
            graph.outputs = [.init(name: graph.apply("Identity", [x], stem: "value"), type: .float, shape: [nil, 1])]
        }
        var metadata = [("dl_version", dlVersion), ("target", fitted.targetName),
                        ("features", fitted.featureNames.joined(separator: ",")),
                        ("layers", spec.layers.map(\.text).joined(separator: "; "))]
        if let names = fitted.classNames { metadata.append(("classes", names.joined(separator: ","))) }
        metadata += extra
        return graph.encode(name: "dl", producerVersion: dlVersion, metadata: metadata)
    }

    /// The layers, from the scaled features [N, F] to the output.
    private static func network(_ graph: inout ONNXGraph, _ input: String, spec: ModelSpec, model: TrainedModel) -> String {
        var x = input
        let shape = model.inputShape          // per sample, as dl holds it (NHWC for images)
        var channelsFirst = false
        if shape.count == 3 {
            let dims = graph.constant(.ints([-1] + shape), dims: [4], stem: "image_shape")
            x = graph.apply("Transpose", [graph.apply("Reshape", [x, dims], stem: "images")], [("perm", .ints([0, 3, 1, 2]))], stem: "images_nchw")
            channelsFirst = true
        } else if shape.count == 2 {
            // Series stay [N, steps, channels]; a layer that needs another layout transposes.
            let dims = graph.constant(.ints([-1] + shape), dims: [3], stem: "series_shape")
            x = graph.apply("Reshape", [x, dims], stem: "series")
        }
        var value = ONNXLayerInput(name: x, channelsFirst: channelsFirst)
        for (kind, layer) in LayerContext.all(spec: spec, network: model.network) { kind.onnx(&graph, &value, layer) }
        return value.name
    }
}

extension ONNXGraph {
    /// The activation's node after `x` (none for linear), named after the layer.
    mutating func activate(_ x: String, _ activation: Activation, _ name: String) -> String {
        switch activation {
        case .linear: return x
        case .relu: return apply("Relu", [x], stem: "\(name)_relu")
        case .sigmoid: return apply("Sigmoid", [x], stem: "\(name)_sigmoid")
        case .tanh: return apply("Tanh", [x], stem: "\(name)_tanh")
        case .softmax: return apply("Softmax", [x], [("axis", .int(-1))], stem: "\(name)_softmax")
        case .leakyRelu: return apply("LeakyRelu", [x], [("alpha", .float(Activation.leakySlope))], stem: "\(name)_leaky_relu")
        }
    }
}
