import Engine

/// A model trained on `window` data as ONNX: one input `window` [N, steps, channels], one
/// window a row (oldest step first, the channels in the model's order, in the units the
/// windows hold them: raw numbers for the loaded columns, 0/1 for encoded ones). Inside the
/// graph: the recorded fills and clips of those channels (IsNaN/Where and Max/Min with one
/// value per channel, the others left alone), the scaling fitted on the training windows,
/// the layers, and the target's scaling undone. Output `value` [N, 1]: the target `horizon`
/// steps after each window's last step.
extension ONNXExport {
    static let windowInput = "window"

    static func encodeWindowed(spec: ModelSpec, model: TrainedModel, pipeline fitted: FittedPipeline, window: FittedWindow) -> [UInt8] {
        var graph = ONNXGraph()
        let channels = window.channels.count
        graph.reserve(windowInput)
        graph.inputs.append(.init(name: windowInput, type: .float, shape: [nil, window.steps, channels]))
        var x = windowInput
        /// One value per channel ([1, 1, channels]): `value` for `name`, `other` for the rest.
        func perChannel(_ name: String, _ value: Float, other: Float, stem: String) -> String {
            graph.constant(.floats(window.channels.map { $0 == name ? value : other }), dims: [1, 1, channels], stem: stem)
        }
        for step in fitted.steps {
            switch step {
            case .fill(let name, .number(let number)) where window.channels.contains(name):
                // NaN for the other channels: Where puts NaN back where it found it.
                let fill = perChannel(name, Float(number), other: .nan, stem: "\(name)_fill")
                let missing = graph.apply("IsNaN", [x], stem: "\(name)_missing")
                x = graph.apply("Where", [missing, fill, x], stem: "\(name)_filled")
            case .clip(let name, let lower, let upper) where window.channels.contains(name):
                let low = perChannel(name, Float(lower), other: -.infinity, stem: "\(name)_low")
                let high = perChannel(name, Float(upper), other: .infinity, stem: "\(name)_high")
                x = graph.apply("Min", [graph.apply("Max", [x, low], stem: "\(name)_raised"), high], stem: "\(name)_clipped")
            default:
                continue // encodings and the rest make channels the input gives as they are
            }
        }
        let flat = graph.constant(.ints([-1, window.steps * channels]), dims: [2], stem: "window_flat")
        x = graph.apply("Reshape", [x, flat], stem: "window_features")
        return finish(&graph, features: x, spec: spec, model: model, fitted: fitted, metadata: [
            ("window", "steps=\(window.steps) horizon=\(window.horizon) target=\(window.target)"),
            ("channels", window.channels.joined(separator: ",")),
        ])
    }
}
