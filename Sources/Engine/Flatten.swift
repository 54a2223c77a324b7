import DLCore

/// Reshapes each sample to one row: `[h, w, c] -> [h*w*c]` (Keras's `Flatten`). NHWC rows are
/// already in the order a flat row uses, so nothing is copied: the output shares the input's storage.
public final class Flatten: Layer {
    public let kind = "Flatten"
    public private(set) var outputShape: [Int] = []
    public let parameters: [Parameter] = []

    /// Batch shapes handed out, kept so a new batch size rewrites an element instead of
    /// building a new array (the tensors returned last batch are gone by then).
    private var flatShape = [0, 0]     // [batch, h*w*c]
    private var inputBatchShape = [0]  // [batch, inputShape...]

    public init() {}

    public func footprint(inputShape: [Int]) throws -> LayerFootprint {
        guard !inputShape.isEmpty else {
            throw LayerError(.invalidSetting(layer: "flatten", expected: "an input with at least one dimension", received: "a scalar"))
        }
        // A view of its input's storage in both directions: no buffers of its own.
        return LayerFootprint(outputShape: [inputShape.reduce(1, *)], parameters: 0)
    }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws {
        outputShape = try footprint(inputShape: inputShape).outputShape
        flatShape = [0] + outputShape
        inputBatchShape = [0] + inputShape
    }

    // x: [batch, h, w, c] -> y: [batch, h*w*c] (same storage)
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(!outputShape.isEmpty, "flatten used before build")
        precondition(input.columns == outputShape[0] || input.rows == 0,
                     "flatten expects \(outputShape[0]) scalars per sample but got \(input.columns)")
        return reshaped(input, to: &flatShape)
    }

    // dL/dy: [batch, h*w*c] -> dL/dx: [batch, h, w, c] (same storage)
    public func backward(_ gradOutput: Tensor) -> Tensor {
        precondition(gradOutput.columns == outputShape[0] || gradOutput.rows == 0,
                     "flatten backward expects \(outputShape[0]) scalars per sample but got \(gradOutput.columns)")
        return reshaped(gradOutput, to: &inputBatchShape)
    }

    private func reshaped(_ tensor: Tensor, to shape: inout [Int]) -> Tensor {
        if shape[0] != tensor.rows { shape[0] = tensor.rows }
        var result = tensor
        result.shape = shape
        return result
    }
}
