import Engine

/// A layer statement as written (`dense 64 relu`, `conv 5x5 filters=6`, …), kept
/// with its place so shape and output errors can point at the line that caused it.
struct LayerEntry: Sendable {
    enum Kind: Equatable, Sendable {
        case dense(units: Int, activation: Activation)
        case conv(kernel: [Int], filters: Int, stride: Int, padding: Padding, activation: Activation)
        case pool(size: Int, stride: Int, mode: PoolingMode)
        case flatten
        case dropout(rate: Double)
    }

    var kind: Kind
    var range: SourceRange
    var fileName: String
    var lineText: String?

    /// The statement that declares it, as `show` lists it.
    var text: String {
        switch kind {
        case .dense(let units, let activation):
            return "dense \(units)" + (activation == .linear ? "" : " \(activation.rawValue)")
        case .conv(let kernel, let filters, let stride, let padding, let activation):
            var text = "conv \(kernel[0])x\(kernel[1]) filters=\(filters)"
            if stride != 1 { text += " stride=\(stride)" }
            if padding != .valid { text += " pad=\(padding.rawValue)" }
            return text + (activation == .linear ? "" : " \(activation.rawValue)")
        case .pool(let size, let stride, let mode):
            return "pool \(size)x\(size) \(mode.rawValue)" + (stride == size ? "" : " stride=\(stride)")
        case .flatten: return "flatten"
        case .dropout(let rate): return "dropout \(Format.general(rate))"
        }
    }

    /// A fresh engine layer for this statement.
    func makeLayer() -> Layer {
        switch kind {
        case .dense(let units, let activation): return Dense(units: units, activation: activation)
        case .conv(let kernel, let filters, let stride, let padding, let activation):
            return Conv2D(kernelHeight: kernel[0], kernelWidth: kernel[1], filters: filters, stride: stride,
                          padding: padding, activation: activation)
        case .pool(let size, let stride, let mode): return Pool2D(size: size, stride: stride, mode: mode)
        case .flatten: return Flatten()
        case .dropout(let rate): return Dropout(rate: Float(rate))
        }
    }

    /// Whether the layer works on images, so the data goes in as [h, w, c].
    var needsImages: Bool {
        switch kind {
        case .conv, .pool: return true
        default: return false
        }
    }

    /// The units and activation of a dense layer (the only kind that can be an output layer).
    var dense: (units: Int, activation: Activation)? {
        if case .dense(let units, let activation) = kind { return (units, activation) }
        return nil
    }

    /// Keras's layer name stem for `summary`: dense, conv2d, max_pooling2d, …
    var kerasName: String {
        switch kind {
        case .dense: return "dense"
        case .conv: return "conv2d"
        case .pool(_, _, .max): return "max_pooling2d"
        case .pool(_, _, .avg): return "average_pooling2d"
        case .flatten: return "flatten"
        case .dropout: return "dropout"
        }
    }

    /// The activation shown by `summary` ("" for layers without one).
    var activationName: String {
        switch kind {
        case .dense(_, let activation), .conv(_, _, _, _, let activation): return activation.rawValue
        default: return ""
        }
    }
}
