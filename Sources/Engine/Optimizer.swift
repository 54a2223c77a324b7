/// Update rule and its hyper-parameters (learning rate is passed per step).
public enum OptimizerKind: Equatable, Sendable {
    /// Keras SGD semantics: `v = m*v - lr*g; w += v` (plain `w -= lr*g` when momentum is 0).
    case sgd(momentum: Float)
    /// Keras `SGD(nesterov=True)`: `v = m*v - lr*g; w += m*v - lr*g`.
    case nesterov(momentum: Float)
    /// Keras Adam: `m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2);`
    /// `w -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)`. Keras defaults 0.9, 0.999, 1e-7.
    case adam(beta1: Float, beta2: Float, epsilon: Float)
    /// Keras 3 RMSprop without momentum, not centered: `s = rho*s + (1-rho)*g^2;`
    /// `w -= lr*g / sqrt(s + eps)` (epsilon inside the root, as Keras and TensorFlow apply it).
    /// Keras defaults rho 0.9, eps 1e-7.
    case rmsprop(rho: Float, epsilon: Float)

    /// Adam with Keras's default hyper-parameters.
    public static let defaultAdam = OptimizerKind.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-7)
    /// RMSprop with Keras's default hyper-parameters.
    public static let defaultRMSprop = OptimizerKind.rmsprop(rho: 0.9, epsilon: 1e-7)
}

/// Applies gradients to parameters. State (velocity, moments) is kept per parameter index
/// and allocated the first time that index is stepped; the step count is shared, as in Keras.
///
/// Weight decay is decoupled, as Keras 3 applies it: before each gradient update,
/// `w -= lr * weightDecay * w` for parameters named "kernel" only. Biases are not decayed
/// (Keras decays every variable unless excluded; excluding biases is the usual choice and
/// keeps a decayed model's offsets free). With weight decay 0 the arithmetic is unchanged.
public final class Optimizer {
    public let kind: OptimizerKind
    /// Decoupled weight decay factor (0: none).
    public let weightDecay: Float

    /// SGD/Nesterov velocity, Adam's first moment or RMSprop's mean square, per parameter index.
    private var firstState: [[Float]] = []
    /// Adam's second moment per parameter index.
    private var secondState: [[Float]] = []
    /// Number of steps taken since the last reset (Adam's bias correction uses it).
    public private(set) var iterations = 0

    /// An optimizer with empty state; `weightDecay` must be finite and not negative.
    public init(_ kind: OptimizerKind, weightDecay: Float = 0) {
        precondition(weightDecay >= 0 && weightDecay.isFinite, "weight decay must be finite and not negative but got \(weightDecay)")
        self.kind = kind
        self.weightDecay = weightDecay
    }

    /// A copy of the optimizer's state (moments and step count), kept in buffers of its own.
    public struct State {
        fileprivate var first: [[Float]] = []
        fileprivate var second: [[Float]] = []
        fileprivate var iterations = 0
        public init() {}
    }

    /// Copies the state into `saved`, reusing its buffers when their sizes fit (so saving at
    /// every epoch allocates nothing after the first, and the optimizer's buffers stay put).
    public func save(into saved: inout State) {
        Self.copy(firstState, into: &saved.first)
        Self.copy(secondState, into: &saved.second)
        saved.iterations = iterations
    }

    /// Puts back a state saved from this optimizer, in place where the sizes fit.
    public func restore(_ saved: State) {
        Self.copy(saved.first, into: &firstState)
        Self.copy(saved.second, into: &secondState)
        iterations = saved.iterations
    }

    private static func copy(_ source: [[Float]], into target: inout [[Float]]) {
        guard target.count == source.count, zip(target, source).allSatisfy({ $0.count == $1.count }) else {
            target = source.map { $0.map { $0 } } // new storage, never shared with the source
            return
        }
        for i in source.indices {
            source[i].withUnsafeBufferPointer { from in
                target[i].withUnsafeMutableBufferPointer { to in
                    if let base = from.baseAddress, from.count > 0 { to.baseAddress!.update(from: base, count: from.count) }
                }
            }
        }
    }

    /// Forgets all state, as if freshly created.
    public func reset() {
        firstState = []
        secondState = []
        iterations = 0
    }

    /// One update of every parameter from its current gradient.
    public func step(_ parameters: [Parameter], learningRate: Float) {
        iterations += 1
        if weightDecay != 0 {
            // Keras 3 decays with the pre-update weights, before the gradient step (the gradient
            // itself was computed from the same weights, so the order only matters for rounding).
            for parameter in parameters where parameter.name == "kernel" {
                decay(parameter, factor: weightDecay, learningRate: learningRate)
            }
        }
        switch kind {
        case .sgd(let momentum):
            if momentum == 0 {
                for parameter in parameters { plainStep(parameter, learningRate: learningRate) }
            } else {
                for (index, parameter) in parameters.enumerated() {
                    ensureState(index: index, count: parameter.value.count, second: false)
                    momentumStep(parameter, velocity: &firstState[index], momentum: momentum, learningRate: learningRate)
                }
            }
        case .nesterov(let momentum):
            for (index, parameter) in parameters.enumerated() {
                ensureState(index: index, count: parameter.value.count, second: false)
                nesterovStep(parameter, velocity: &firstState[index], momentum: momentum, learningRate: learningRate)
            }
        case .rmsprop(let rho, let epsilon):
            for (index, parameter) in parameters.enumerated() {
                ensureState(index: index, count: parameter.value.count, second: false)
                rmspropStep(parameter, meanSquare: &firstState[index], rho: rho, epsilon: epsilon,
                            learningRate: learningRate)
            }
        case .adam(let beta1, let beta2, let epsilon):
            // Bias correction folded into the step size; powers in Double so late steps stay exact.
            let t = Double(iterations)
            let correction = (1 - powDouble(Double(beta2), t)).squareRoot() / (1 - powDouble(Double(beta1), t))
            let alpha = Float(Double(learningRate) * correction)
            for (index, parameter) in parameters.enumerated() {
                ensureState(index: index, count: parameter.value.count, second: true)
                adamStep(parameter, m: &firstState[index], v: &secondState[index],
                         beta1: beta1, beta2: beta2, epsilon: epsilon, alpha: alpha)
            }
        }
    }

    private func ensureState(index: Int, count: Int, second: Bool) {
        while firstState.count <= index { firstState.append([]) }
        if firstState[index].count != count { firstState[index] = [Float](repeating: 0, count: count) }
        guard second else { return }
        while secondState.count <= index { secondState.append([]) }
        if secondState[index].count != count { secondState[index] = [Float](repeating: 0, count: count) }
    }

    private func plainStep(_ parameter: Parameter, learningRate: Float) {
        parameter.gradient.data.withUnsafeBufferPointer { g in
            parameter.value.data.withUnsafeMutableBufferPointer { w in
                for i in 0..<w.count { w[i] -= learningRate * g[i] }
            }
        }
    }

    private func momentumStep(_ parameter: Parameter, velocity: inout [Float], momentum: Float, learningRate: Float) {
        parameter.gradient.data.withUnsafeBufferPointer { g in
            parameter.value.data.withUnsafeMutableBufferPointer { w in
                velocity.withUnsafeMutableBufferPointer { v in
                    for i in 0..<w.count {
                        v[i] = momentum * v[i] - learningRate * g[i]
                        w[i] += v[i]
                    }
                }
            }
        }
    }

    private func adamStep(_ parameter: Parameter, m: inout [Float], v: inout [Float],
                          beta1: Float, beta2: Float, epsilon: Float, alpha: Float) {
        parameter.gradient.data.withUnsafeBufferPointer { g in
            parameter.value.data.withUnsafeMutableBufferPointer { w in
                m.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeMutableBufferPointer { v in
                        guard let gp = g.baseAddress, let wp = w.baseAddress, let mp = m.baseAddress, let vp = v.baseAddress else { return }
                        // Elements are independent: parts of whole 8-lane blocks on threads, each
                        // block as 8 scalar steps would round it (sqrt and / are exact in lanes).
                        let count = w.count, blocks = count / 8
                        forEachPart(of: blocks, work: count * 4) { part in
                            for b in part {
                                let i = b &* 8
                                let gi = UnsafeRawPointer(gp + i).loadUnaligned(as: SIMD8<Float>.self)
                                var mi = UnsafeRawPointer(mp + i).loadUnaligned(as: SIMD8<Float>.self)
                                var vi = UnsafeRawPointer(vp + i).loadUnaligned(as: SIMD8<Float>.self)
                                var wi = UnsafeRawPointer(wp + i).loadUnaligned(as: SIMD8<Float>.self)
                                mi += (gi - mi) * (1 - beta1)
                                vi += (gi * gi - vi) * (1 - beta2)
                                wi -= alpha * mi / (vi.squareRoot() + epsilon)
                                UnsafeMutableRawPointer(mp + i).storeBytes(of: mi, as: SIMD8<Float>.self)
                                UnsafeMutableRawPointer(vp + i).storeBytes(of: vi, as: SIMD8<Float>.self)
                                UnsafeMutableRawPointer(wp + i).storeBytes(of: wi, as: SIMD8<Float>.self)
                            }
                        }
                        for i in blocks * 8 ..< count {
                            let gi = g[i]
                            m[i] += (gi - m[i]) * (1 - beta1)
                            v[i] += (gi * gi - v[i]) * (1 - beta2)
                            w[i] -= alpha * m[i] / (sqrtFloat(v[i]) + epsilon)
                        }
                    }
                }
            }
        }
    }

    private func decay(_ parameter: Parameter, factor: Float, learningRate: Float) {
        parameter.value.data.withUnsafeMutableBufferPointer { w in
            // Keras's `variable - variable * wd * lr`, in that order of operations.
            for i in 0..<w.count { w[i] = w[i] - w[i] * factor * learningRate }
        }
    }

    private func nesterovStep(_ parameter: Parameter, velocity: inout [Float], momentum: Float, learningRate: Float) {
        parameter.gradient.data.withUnsafeBufferPointer { g in
            parameter.value.data.withUnsafeMutableBufferPointer { w in
                velocity.withUnsafeMutableBufferPointer { v in
                    for i in 0..<w.count {
                        let step = learningRate * g[i]
                        v[i] = momentum * v[i] - step
                        w[i] += momentum * v[i] - step
                    }
                }
            }
        }
    }

    private func rmspropStep(_ parameter: Parameter, meanSquare: inout [Float], rho: Float, epsilon: Float,
                             learningRate: Float) {
        parameter.gradient.data.withUnsafeBufferPointer { g in
            parameter.value.data.withUnsafeMutableBufferPointer { w in
                meanSquare.withUnsafeMutableBufferPointer { s in
                    for i in 0..<w.count {
                        let gi = g[i]
                        s[i] = rho * s[i] + (1 - rho) * (gi * gi)
                        w[i] -= learningRate * gi / sqrtFloat(s[i] + epsilon)
                    }
                }
            }
        }
    }
}
