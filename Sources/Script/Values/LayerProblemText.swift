import Engine

/// The hint for an engine layer problem, in dl's syntax (the engine's message says the rest).
enum LayerProblemText {
    static func hint(_ problem: LayerProblem) -> String? {
        switch problem {
        case .expectedFlatInput:
            return "add `flatten` before it"
        case .expectedImage(_, let received):
            return "declare the image shape with `input \(likelyImageShape(received))`"
        case .expectedSeries(_, let received):
            return received.count == 1
                ? "declare `input \(received[0])x1` (steps x channels) if each row is one series of \(received[0]) values, or `input STEPSxCHANNELS` for several channels"
                : "sequence layers take [steps, channels]: put them before `flatten`, or declare the rows a series with `input STEPSxCHANNELS`"
        case .windowDoesNotFit(let layer, _, let padded, _) where layer == "conv1d":
            return "use a smaller kernel or dilation\(padded ? "" : ", pad=same"), or fewer pooling layers before it"
        case .windowDoesNotFit(let layer, _, let padded, _):
            return layer == "conv"
                ? "use a smaller kernel\(padded ? "" : ", pad=same"), or fewer pooling layers before it"
                : "use a smaller pool size or fewer pooling layers before it"
        case .invalidSetting:
            return nil
        }
    }

    /// What `input` most likely needs: a flattened square grey image is the usual case
    /// (64 -> 8x8x1, 784 -> 28x28x1).
    static func likelyImageShape(_ shape: [Int]) -> String {
        switch shape.count {
        case 1:
            var side = 1
            while side * side < shape[0] { side += 1 }
            return side * side == shape[0] && side > 1 ? "\(side)x\(side)x1" : "HEIGHTxWIDTHxCHANNELS"
        case 2: return "\(shape[0])x\(shape[1])x1"
        default: return "HEIGHTxWIDTHxCHANNELS"
        }
    }
}
