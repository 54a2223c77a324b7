import XCTest
import DLCore
@testable import Engine

/// Central-difference gradient checking for Float code: the loss is evaluated in Float by the
/// engine and reduced in Double here, and errors are compared as a norm ratio, which is robust
/// to individual tiny gradient entries.
enum GradientCheck {
    /// Relative error `||analytic - numeric|| / (||analytic|| + ||numeric||)` (0 when both vanish).
    /// `get(i)` / `set(i, v)` read and write the i-th scalar being differentiated, `loss()` evaluates
    /// the loss at the current values. Every scalar is restored afterwards.
    static func relativeError(analytic: [Float], get: (Int) -> Float, set: (Int, Float) -> Void,
                              loss: () -> Double, step: Float = 1e-2) -> Double {
        var difference: Double = 0, analyticNorm: Double = 0, numericNorm: Double = 0
        for i in analytic.indices {
            let original = get(i)
            let up = original + step, down = original - step
            set(i, up); let lossUp = loss()
            set(i, down); let lossDown = loss()
            set(i, original)
            // Divide by the step actually taken in Float, not the nominal one.
            let numeric = (lossUp - lossDown) / (Double(up) - Double(down))
            difference += (Double(analytic[i]) - numeric) * (Double(analytic[i]) - numeric)
            analyticNorm += Double(analytic[i]) * Double(analytic[i])
            numericNorm += numeric * numeric
        }
        let scale = analyticNorm.squareRoot() + numericNorm.squareRoot()
        return scale == 0 ? 0 : difference.squareRoot() / scale
    }

    /// Checks a parameter's stored gradient against the loss.
    static func relativeError(of parameter: Parameter, loss: () -> Double, step: Float = 1e-2) -> Double {
        relativeError(analytic: parameter.gradient.data,
                      get: { parameter.value.data[$0] },
                      set: { parameter.value.data[$0] = $1 },
                      loss: loss, step: step)
    }

    /// Checks `analytic`, a gradient with respect to the input `x`, against
    /// `sum(weights * forward(x))`, moving one scalar of a copy of x at a time.
    static func inputError(analytic: [Float], x: Tensor, weights: Tensor,
                           forward: (Tensor) -> Tensor) -> Double {
        var probe = x
        return relativeError(analytic: analytic, get: { probe.data[$0] }, set: { probe.data[$0] = $1 },
                             loss: { weightedSum(forward(probe), weights) })
    }

    /// Tolerance for the norm ratio: Float round-off over a 2e-2 wide difference stays near
    /// 1e-5, while a gradient off by 10% scores about 5e-2.
    static let tolerance = 1e-3

    /// One training pass of `layer` on x and a backward pass from `weights`, then asserts that the
    /// input gradient has x's shape and that it and every parameter's gradient match central
    /// differences of `sum(weights * layer.forward(x, training: training))`. `training` is the pass
    /// the loss goes through (true where the output depends on the batch, as batch norm's does).
    /// Failures name `context` and what was checked ("input", "kernel", ...). Returns the input
    /// gradient, for the caller's own checks that it is non-trivial.
    @discardableResult
    static func assertGradients(of layer: Layer, x: Tensor, weights: Tensor, training: Bool = false,
                                context: String, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        _ = layer.forward(x, training: true)
        let gradInput = layer.backward(weights)
        XCTAssertEqual(gradInput.shape, x.shape, context, file: file, line: line)
        var errors = [("input", inputError(analytic: gradInput.data, x: x, weights: weights,
                                           forward: { layer.forward($0, training: training) }))]
        let loss = { weightedSum(layer.forward(x, training: training), weights) }
        errors += layer.parameters.map { ($0.name, relativeError(of: $0, loss: loss)) }
        for (what, error) in errors {
            XCTAssertLessThan(error, tolerance, "\(context) \(what)", file: file, line: line)
        }
        return gradInput
    }
}

/// Test-data helpers.
extension SeededRandom {
    /// Values in ±[low, high) with random sign, so nothing sits at 0 (relu's kink).
    mutating func tensorAwayFromZero(shape: [Int], low: Double = 0.3, high: Double = 1.5) -> Tensor {
        let count = shape.reduce(1, *)
        let data = (0..<count).map { _ -> Float in
            let magnitude = Float(uniform(low, high))
            return integer(below: 2) == 0 ? magnitude : -magnitude
        }
        return Tensor(shape: shape, data: data)
    }

    mutating func uniformTensor(shape: [Int], _ low: Double, _ high: Double) -> Tensor {
        Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in Float(uniform(low, high)) })
    }

    /// One-hot rows and their class indices.
    mutating func oneHot(rows: Int, classes: Int) -> (Tensor, [Int]) {
        let labels = (0..<rows).map { _ in integer(below: classes) }
        var t = Tensor(shape: [rows, classes])
        for (r, label) in labels.enumerated() { t.data[r * classes + label] = 1 }
        return (t, labels)
    }
}

/// `sum(weights * y)` in Double: a loss whose gradient w.r.t. y is exactly `weights`.
func weightedSum(_ y: Tensor, _ weights: Tensor) -> Double {
    zip(y.data, weights.data).reduce(0) { $0 + Double($1.0) * Double($1.1) }
}
