import Engine

/// A model trained on `window` data as ONNX. Inputs, one window a row, oldest step first:
/// `window` [N, steps, channels] holds the numeric channels as loaded, in the model's order
/// (`windowChannels`); a text column that `encode onehot` made channels of comes as its own
/// input [N, steps] of strings ("" for missing), and a date column that `encode date` made
/// channels of as [N, steps] of seconds since 1970 (double), as table models take them.
/// Inside the graph: the recorded steps on each column (fills, clips, the encodings), the
/// channels put back in the model's order, the scaling fitted on the training windows, the
/// layers, and the target's scaling undone. Output `value` [N, 1]: the target `horizon`
/// steps after each window's last step.
extension ONNXExport {
    static let windowInput = "window"

    /// The channels the `window` input holds: the numeric raw columns, in the model's channel order.
    static func windowChannels(_ fitted: FittedPipeline, _ window: FittedWindow) -> [String] {
        let numeric = Set(fitted.rawColumns.filter { !$0.isText }.map(\.name))
        return window.channels.filter { numeric.contains($0) }
    }

    /// The inputs besides `window`: text columns a step reads, each [N, steps].
    static func windowTextInputs(_ fitted: FittedPipeline) -> [String] {
        fitted.rawColumns.filter(\.isText).map(\.name)
    }

    static func encodeWindowed(spec: ModelSpec, model: TrainedModel, pipeline fitted: FittedPipeline, window: FittedWindow) -> [UInt8] {
        var graph = ONNXGraph()
        let steps = window.steps
        let given = windowChannels(fitted, window)
        let dates = dateInputs(fitted)
        graph.reserve(windowInput)
        graph.inputs.append(.init(name: windowInput, type: .float, shape: [nil, steps, given.count]))
        // Each column as [N, steps, 1]: the numeric ones split from `window`, the others reshaped.
        var columns: [String: (tensor: String, isText: Bool)] = [:]
        if given.count == 1 {
            columns[given[0]] = (windowInput, false)
        } else if !given.isEmpty {
            let sizes = graph.constant(.ints([Int](repeating: 1, count: given.count)), dims: [given.count], stem: "window_split")
            let parts = graph.node("Split", [windowInput, sizes], [("axis", .int(2))], outputs: given.count, stem: "window_channel")
            for (name, part) in zip(given, parts) { columns[name] = (part, false) }
        }
        let others = windowTextInputs(fitted)
        let perStep = others.isEmpty ? "" : graph.constant(.ints([-1, steps, 1]), dims: [3], stem: "per_step")
        for name in others {
            graph.reserve(name)
            graph.inputs.append(.init(name: name, type: dates.contains(name) ? .double : .string, shape: [nil, steps]))
            columns[name] = (graph.apply("Reshape", [name, perStep], stem: "\(name)_steps"), true)
        }
        replaySteps(&graph, fitted.steps, on: &columns, dates: dates, rowShape: [steps])
        var x = window.channels.count == 1 ? columns[window.channels[0]]!.tensor
            : graph.apply("Concat", window.channels.map { columns[$0]!.tensor }, [("axis", .int(2))], stem: "window_channels")
        let flat = graph.constant(.ints([-1, steps * window.channels.count]), dims: [2], stem: "window_flat")
        x = graph.apply("Reshape", [x, flat], stem: "window_features")
        return finish(&graph, features: x, spec: spec, model: model, fitted: fitted, metadata: [
            ("window", "steps=\(steps) horizon=\(window.horizon) target=\(window.target)"),
            ("channels", given.joined(separator: ",")),
            ("model_channels", window.channels.joined(separator: ",")),
        ])
    }
}
