import DLCore

/// A tensor of a layer together with its gradient from the last backward pass. Trainable
/// tensors are a layer's `parameters`; its `states` (batch norm's moving statistics) are
/// `Parameter`s too, which the layer updates itself and whose gradient stays zero.
public final class Parameter {
    /// "kernel", "bias", "gamma", "moving_mean", … (Keras's names).
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

/// Why a layer cannot be built for the input it was given, as data: what the layer expected
/// and what it received. The engine knows nothing of the language that declared the layer;
/// the shell turns a problem into a message with a hint in its own syntax.
public enum LayerProblem: Equatable, Sendable {
    /// A layer that takes one row of features (dense) received a multi-dimensional input.
    case expectedFlatInput(layer: String, received: [Int])
    /// A layer that slides a window (conv, pooling) received something other than
    /// height x width x channels.
    case expectedImage(layer: String, received: [Int])
    /// A layer that reads a series (lstm, conv1d) received something other than
    /// steps x channels.
    case expectedSeries(layer: String, received: [Int])
    /// The window is larger than the (padded) image it slides over.
    case windowDoesNotFit(layer: String, window: [Int], padded: Bool, input: [Int])
    /// A setting out of its range, e.g. expected "at least one filter", received "0".
    case invalidSetting(layer: String, expected: String, received: String)

    /// One sentence without hints: what was expected and what was received.
    public var message: String {
        switch self {
        case .expectedFlatInput(let layer, let received):
            return "\(layer) expects a flat input of shape [features] but got \(describeShape(received))"
        case .expectedImage(let layer, let received):
            let got = received.count == 1 ? "\(received[0]) features" : describeShape(received)
            return "\(layer) needs images (height x width x channels) but got \(got)"
        case .expectedSeries(let layer, let received):
            let got = received.count == 1 ? "\(received[0]) flat features" : describeShape(received)
            return "\(layer) needs series [steps, channels]; it gets \(got)"
        case .windowDoesNotFit(let layer, let window, _, let input):
            let what = layer.hasPrefix("conv") ? "kernel" : "pooling"
            return "the \(window.map(String.init).joined(separator: "x")) \(what) does not fit the \(describeShape(input)) input"
        case .invalidSetting(let layer, let expected, let received):
            return "\(layer) needs \(expected) but got \(received)"
        }
    }
}

/// A layer that cannot be built for its input.
public struct LayerError: Error, Equatable {
    public let problem: LayerProblem
    public init(_ problem: LayerProblem) { self.problem = problem }
    public var message: String { problem.message }
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
    /// What `build` and training would allocate for this per-sample input shape, with the same
    /// checks as `build` (same errors), but allocating nothing.
    func footprint(inputShape: [Int]) throws -> LayerFootprint
    /// x: [batch, inputShape...] -> y: [batch, outputShape...]
    func forward(_ input: Tensor, training: Bool) -> Tensor
    /// Given dLoss/dOutput, accumulates parameter gradients (overwrite, not add, per batch) and returns dLoss/dInput.
    func backward(_ gradOutput: Tensor) -> Tensor
    /// Trainable parameters in a fixed order (empty before build).
    var parameters: [Parameter] { get }
    /// Non-trainable tensors the layer updates itself in training passes (batch norm's moving
    /// mean and variance), in a fixed order; optimizers never see them. Empty by default.
    var states: [Parameter] { get }
}

extension Layer {
    public var states: [Parameter] { [] }

    /// Number of trainable scalars (sum of the parameter value counts), as Keras counts them.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Number of non-trainable scalars (the states), Keras's "Non-trainable params".
    public var nonTrainableCount: Int { states.reduce(0) { $0 + $1.value.count } }

    /// Everything a saved model holds for this layer: the parameters, then the states (Keras's
    /// order of a layer's weights, e.g. gamma, beta, moving_mean, moving_variance).
    public var variables: [Parameter] { parameters + states }
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

/// An output layer whose activation a loss can differentiate jointly with (softmax +
/// crossentropy, sigmoid + binary_crossentropy give dL/dz = p - y; see `Loss.fuses(with:)`):
/// `Dense` and `ActivationLayer`. While the trainer sets `gradientIsPreActivation`, `backward`
/// receives dL/dz instead of dL/dy and skips the activation's derivative.
protocol ActivationFusing: AnyObject {
    var activation: Activation { get }
    var gradientIsPreActivation: Bool { get set }
}
