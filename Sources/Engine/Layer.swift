import DLCore

/// A trainable tensor of a layer together with its gradient from the last backward pass.
public final class Parameter {
    /// "kernel" or "bias" (Keras's names).
    public let name: String
    /// Current value.
    public var value: Tensor
    /// dLoss/dValue from the last backward pass, same shape as `value`.
    public var gradient: Tensor

    /// A parameter with the given value and a zero gradient of the same shape.
    public init(name: String, value: Tensor) {
        self.name = name
        self.value = value
        self.gradient = Tensor(shape: value.shape)
    }
}

/// Why a layer cannot be built for the input it was given: one human sentence, no trailing period.
public struct LayerError: Error, Equatable {
    public let message: String
    public init(message: String) { self.message = message }
    public init(_ message: String) { self.message = message }

    /// The usual error for an input of the wrong shape.
    public static func badInput(_ message: String) -> LayerError { LayerError(message) }
}

/// One step of a feed-forward network. Layers own their parameters and their
/// forward/backward buffers, which they reuse while the batch size stays the same.
public protocol Layer: AnyObject {
    /// Keras class name for summary tables, e.g. "Dense".
    var kind: String { get }
    /// Per-sample output shape (without the batch dimension); valid after build.
    var outputShape: [Int] { get }
    /// Checks the per-sample input shape, allocates and initialises weights from rng.
    func build(inputShape: [Int], rng: inout SeededRandom) throws
    /// x: [batch, inputShape...] -> y: [batch, outputShape...]
    func forward(_ input: Tensor, training: Bool) -> Tensor
    /// Given dLoss/dOutput, accumulates parameter gradients (overwrite, not add, per batch) and returns dLoss/dInput.
    func backward(_ gradOutput: Tensor) -> Tensor
    /// Trainable parameters in a fixed order (empty before build).
    var parameters: [Parameter] { get }
}

extension Layer {
    /// Number of trainable scalars (sum of the parameter value counts), as Keras counts them.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
}

/// Formats a per-sample shape the way messages show it: `8x8x1`.
func describeShape(_ shape: [Int]) -> String {
    shape.isEmpty ? "scalar" : shape.map(String.init).joined(separator: "x")
}

/// A layer whose `backward` can skip the dLoss/dInput product. The trainer switches it off for
/// the first layer, whose input gradient nobody reads (for a convolution that saves a GEMM and
/// the col2im scatter per batch).
protocol InputGradientOptional: AnyObject {
    /// When false, `backward` fills parameter gradients only and returns an empty tensor.
    var computesInputGradient: Bool { get set }
}
