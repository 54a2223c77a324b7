import Engine

/// What `lstm`, `gru` and `rnn` share: `UNITS [return=last|sequences]`, their record, and their
/// ONNX, Keras and PyTorch forms, which differ only in the cell's names, gate count and order.
protocol RecurrentLayerKind: LayerKind {
    static var cell: RecurrentCell { get }
    var units: Int { get }
    var returns: RecurrentReturn { get }
    init(units: Int, returns: RecurrentReturn)
}

/// The three cells as the exports name them.
enum RecurrentCell: Sendable {
    case lstm, gru, rnn

    var statementName: String { switch self { case .lstm: "lstm"; case .gru: "gru"; case .rnn: "rnn" } }
    var gates: Int { switch self { case .lstm: 4; case .gru: 3; case .rnn: 1 } }
    var kerasClass: String { switch self { case .lstm: "LSTM"; case .gru: "GRU"; case .rnn: "SimpleRNN" } }
    var kerasName: String { switch self { case .lstm: "lstm"; case .gru: "gru"; case .rnn: "simple_rnn" } }
    var torchClass: String { switch self { case .lstm: "nn.LSTM"; case .gru: "nn.GRU"; case .rnn: "nn.RNN" } }
    var onnxOp: String { switch self { case .lstm: "LSTM"; case .gru: "GRU"; case .rnn: "RNN" } }
}

/// The parameters the three statements share.
enum RecurrentParameters {
    static let units = Positional<Int>.integer("UNITS", min: 1, max: 100_000, doc: "the size of the state carried from step to step")
    static let returns = Key<RecurrentReturn>.choice(
        "return", default: .last,
        doc: "last (the state after the last step) or sequences (after every step: for another recurrent layer or a dense layer per step)")
}

extension RecurrentLayerKind {
    init(_ args: Arguments) { self.init(units: args[RecurrentParameters.units], returns: args[RecurrentParameters.returns]) }
    init?(record: LayerRecord) {
        guard let units = record.units, units >= 1, let returns = RecurrentReturn(rawValue: record.returns ?? "last") else { return nil }
        self.init(units: units, returns: returns)
    }

    var record: LayerRecord {
        LayerRecord(Self.recordName) { $0.units = units; $0.returns = returns == .last ? nil : returns.rawValue }
    }
    var text: String { "\(Self.cell.statementName) \(units)" + (returns == .last ? "" : " return=sequences") }
    var kerasName: String { Self.cell.kerasName }
    var needsSeries: Bool { true }
    var activation: Activation? { .tanh }

    // MARK: ONNX

    /// ONNX's recurrent operators take [steps, batch, channels] and weights per direction,
    /// [gates*units, in], in ONNX's gate order (LSTM i, o, f, c where Keras has i, f, c, o;
    /// GRU z, r, h as Keras, with linear_before_reset=1 for Keras's reset_after).
    func onnx(_ graph: inout ONNXGraph, _ x: inout ONNXLayerInput, _ layer: LayerContext) {
        graph.channelsLast(&x, layer)  // after a conv1d: [N, channels, steps] back to [N, steps, channels]
        let cell = Self.cell
        let parameters = layer.layer.parameters
        let (kernel, recurrent, bias) = (parameters[0].value, parameters[1].value, parameters[2].value)
        let (steps, channels) = (layer.inputShape[0], layer.inputShape[1])
        let width = cell.gates * units
        // Keras's gate blocks in ONNX's order.
        let order = cell == .lstm ? [0, 3, 1, 2] : Array(0..<cell.gates)
        func onnxLayout(_ m: Tensor, rows: Int) -> [Float] {  // [rows, width] -> [width', rows], gates reordered
            var out = [Float](repeating: 0, count: rows * width)
            for (target, source) in order.enumerated() {
                for u in 0..<units { for r in 0..<rows {
                    out[(target * units + u) * rows + r] = m.data[r * width + source * units + u]
                } }
            }
            return out
        }
        func reordered(_ v: ArraySlice<Float>) -> [Float] { order.flatMap { Array(v.dropFirst($0 * units).prefix(units)) } }
        let inputBias = Array(bias.data.prefix(width))
        let recurrentBias = cell == .gru ? Array(bias.data.suffix(width)) : [Float](repeating: 0, count: width)
        let w = graph.constant(.floats(onnxLayout(kernel, rows: channels)), dims: [1, width, channels], stem: "\(layer.name).kernel")
        let r = graph.constant(.floats(onnxLayout(recurrent, rows: units)), dims: [1, width, units], stem: "\(layer.name).recurrent_kernel")
        let b = graph.constant(.floats(reordered(inputBias[...]) + reordered(recurrentBias[...])), dims: [1, 2 * width], stem: "\(layer.name).bias")
        let timeMajor = graph.apply("Transpose", [x.name], [("perm", .ints([1, 0, 2]))], stem: "\(layer.name)_steps_first")
        var attributes: [(String, ONNXGraph.AttributeValue)] = [("hidden_size", .int(units))]
        if cell == .gru { attributes.append(("linear_before_reset", .int(1))) }
        let outputs = graph.node(cell.onnxOp, [timeMajor, w, r, b], attributes, outputs: 2, stem: layer.name)
        switch returns {
        case .last:
            // Y_h: [1, batch, units] -> [batch, units]
            let dims = graph.constant(.ints([-1, units]), dims: [2], stem: "\(layer.name)_state_shape")
            x.name = graph.apply("Reshape", [outputs[1], dims], stem: "\(layer.name)_last")
        case .sequences:
            // Y: [steps, 1, batch, units] -> [batch, steps, units]
            let dims = graph.constant(.ints([steps, -1, units]), dims: [3], stem: "\(layer.name)_sequence_shape")
            let y = graph.apply("Reshape", [outputs[0], dims], stem: "\(layer.name)_sequence")
            x.name = graph.apply("Transpose", [y], [("perm", .ints([1, 0, 2]))], stem: "\(layer.name)_batch_first")
        }
    }

    // MARK: Keras and PyTorch

    func kerasLines(_ layer: LayerContext) -> [String] {
        let sequences = returns == .sequences ? ", return_sequences=True" : ""
        let cell = Self.cell
        // Keras's defaults are dl's: glorot_uniform kernel, orthogonal recurrent kernel, unit forget bias, GRU reset_after=True.
        return ["    model.add(keras.layers.\(cell.kerasClass)(\(units)\(sequences)))  # \(layer.text)"]
    }

    /// `nn.LSTM`/`nn.GRU`/`nn.RNN` give (outputs, state); `RecurrentOutput` (in the script's
    /// preamble) keeps the last step's or every step's output, as Keras's return_sequences does.
    func torchLines(_ layer: LayerContext) -> [String] {
        ["    layers.append(\(Self.cell.torchClass)(\(layer.inputShape[1]), \(units), batch_first=True))  # \(layer.text)",
         "    layers.append(RecurrentOutput(last=\(returns == .last ? "True" : "False")))"]
    }

    /// PyTorch keeps W and R transposed ([gates*units, in]) with two biases (input and recurrent
    /// side). LSTM's gate order is Keras's (i, f, g, o) and its recurrent bias is zero; GRU's is
    /// r, z, n where Keras has z, r, h, and its bias rows are the two sides.
    var torchTensors: [(attribute: String, tensor: String, layout: String)] {
        switch Self.cell {
        case .lstm, .rnn:
            return [("weight_ih_l0", "kernel", "T"), ("weight_hh_l0", "recurrent_kernel", "T"),
                    ("bias_ih_l0", "bias", ""), ("bias_hh_l0", "bias", "zeros")]
        case .gru:
            return [("weight_ih_l0", "kernel", "T/rzn"), ("weight_hh_l0", "recurrent_kernel", "T/rzn"),
                    ("bias_ih_l0", "bias", "0/rzn"), ("bias_hh_l0", "bias", "1/rzn")]
        }
    }

    // MARK: Explanation

    func explanation(_ layer: LayerContext?) -> [String] {
        var lines: [String] = []
        if let layer {
            let channels = layer.inputShape.last ?? 1
            let inputs = "\(channels) input\(channels == 1 ? "" : "s")"
            let perGate = "\(units) units x (\(inputs) + \(units) recurrent)"
            let count = Format.grouped(layer.layer.parameterCount)
            switch Self.cell {
            case .lstm: lines.append("4 gates x (\(perGate) + \(units) biases) = \(count) weights.")
            case .gru: lines.append("3 gates x (\(perGate) + 2 x \(units) biases) = \(count) weights (GRU keeps an input and a recurrent bias).")
            case .rnn: lines.append("\(perGate) + \(units) biases = \(count) weights.")
            }
            let steps = layer.inputShape[0]
            lines.append(returns == .last
                ? "It reads the \(steps) steps in order and hands on its state after the last one: \(units) numbers per series."
                : "It reads the \(steps) steps in order and hands on its state after every step: \(steps)×\(units) per series.")
        }
        switch Self.cell {
        case .lstm:
            lines.append("At each step the input gate, forget gate and output gate (sigmoids) decide what enters, what stays in and what leaves the cell's memory; a tanh candidate is what may enter. The memory lets it carry information over many steps.")
        case .gru:
            lines.append("At each step an update gate mixes the old state with a tanh candidate, and a reset gate decides how much of the old state the candidate sees: an LSTM with fewer weights and no separate memory.")
        case .rnn:
            lines.append("At each step the new state is tanh(input x W + old state x R + b). Simple, but gradients fade over long series: an LSTM or GRU remembers longer.")
        }
        return lines
    }
}
