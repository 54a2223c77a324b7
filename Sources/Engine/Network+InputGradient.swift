import DLCore

extension Network {
    /// The network's inference outputs for `x` and the gradient of one output unit with respect
    /// to each input row: x [batch, inputShape...] -> (y [batch, outputShape...],
    /// dy[:, unit]/dx [batch, inputShape...]). What attribution methods (integrated gradients)
    /// need: the function differentiated is the one `predict` computes, so dropout passes its
    /// input on and batch normalisation uses its moving statistics; neither the moving
    /// statistics nor the dropout masks' random stream change. The layers' parameter gradients
    /// are overwritten (the next training batch overwrites them again).
    public func inputGradient(_ x: Tensor, unit: Int) -> (outputs: Tensor, gradient: Tensor) {
        precondition(unit >= 0 && unit < outputShape.reduce(1, *), "output unit \(unit) out of range")
        var activations = x
        for layer in layers {
            switch layer {
            case is Dropout: continue
            case is BatchNorm: activations = layer.forward(activations, training: false)
            default: activations = layer.forward(activations, training: true)
            }
        }
        let outputs = activations
        var gradient = Tensor(shape: outputs.shape)
        let width = outputs.columns
        for row in 0..<outputs.rows { gradient.data[row * width + unit] = 1 }
        for layer in layers.reversed() {
            switch layer {
            case is Dropout: continue
            case let norm as BatchNorm: gradient = norm.inferenceInputGradient(gradient)
            default: gradient = layer.backward(gradient)
            }
        }
        return (outputs, gradient)
    }
}

extension BatchNorm {
    /// dL/dy -> dL/dx of the inference map y = x * gamma / sqrt(moving_variance + epsilon) + shift:
    /// a per-feature scale.
    func inferenceInputGradient(_ gradOutput: Tensor) -> Tensor {
        var result = gradOutput
        let width = features
        let scales = (0..<width).map { gamma.value.data[$0] / (movingVariance.value.data[$0] + epsilon).squareRoot() }
        result.data.withUnsafeMutableBufferPointer { g in
            for i in 0..<g.count { g[i] *= scales[i % width] }
        }
        return result
    }
}
