import XCTest
@testable import Engine

/// Nesterov momentum, RMSprop and decoupled weight decay against hand-computed steps.
final class TuningOptimizerTests: XCTestCase {
    func testNesterovTwoSteps() {
        let p = Parameter([1], gradient: [0.5])
        let optimizer = Optimizer(.nesterov(momentum: 0.9))
        optimizer.step([p], learningRate: 0.1)
        // v = 0.9*0 - 0.1*0.5 = -0.05; w += 0.9*(-0.05) - 0.05 = -0.095 -> 0.905
        XCTAssertEqual(p.value.data[0], 0.905, accuracy: 1e-7)
        p.gradient.data[0] = 0.2
        optimizer.step([p], learningRate: 0.1)
        // v = 0.9*(-0.05) - 0.02 = -0.065; w += 0.9*(-0.065) - 0.02 = -0.0785 -> 0.8265
        XCTAssertEqual(p.value.data[0], 0.8265, accuracy: 1e-6)
    }

    func testNesterovDiffersFromPlainMomentum() {
        let a = Parameter([1], gradient: [0.5]), b = Parameter([1], gradient: [0.5])
        Optimizer(.nesterov(momentum: 0.9)).step([a], learningRate: 0.1)
        Optimizer(.sgd(momentum: 0.9)).step([b], learningRate: 0.1)
        XCTAssertEqual(b.value.data[0], 0.95, accuracy: 1e-7)   // plain momentum: w += v
        XCTAssertNotEqual(a.value.data[0], b.value.data[0])
    }

    func testRMSpropTwoSteps() {
        let p = Parameter([1], gradient: [0.5])
        let optimizer = Optimizer(.defaultRMSprop)
        XCTAssertEqual(optimizer.kind, .rmsprop(rho: 0.9, epsilon: 1e-7))
        optimizer.step([p], learningRate: 0.01)
        // s = 0.1*0.25 = 0.025; w = 1 - 0.01*0.5/sqrt(0.025 + 1e-7) = 0.9683773
        XCTAssertEqual(p.value.data[0], 0.9683773, accuracy: 1e-6)
        p.gradient.data[0] = -0.2
        optimizer.step([p], learningRate: 0.01)
        // s = 0.9*0.025 + 0.1*0.04 = 0.0265; w = 0.9683773 + 0.01*0.2/sqrt(0.0265 + 1e-7) = 0.9806632
        XCTAssertEqual(p.value.data[0], 0.9806632, accuracy: 1e-6)
    }

    func testRMSpropEpsilonInsideTheRoot() {
        // g = 1e-4: s = 1e-9. Keras: sqrt(s + eps) = 3.178e-4 gives w = 0.9968534;
        // eps outside the root (sqrt(s) + eps = 3.172e-5) would give 0.9684769.
        let p = Parameter([1], gradient: [1e-4])
        Optimizer(.rmsprop(rho: 0.9, epsilon: 1e-7)).step([p], learningRate: 0.01)
        XCTAssertEqual(p.value.data[0], 0.9968534, accuracy: 1e-6)
    }

    func testWeightDecayOnKernelsOnly() {
        let kernel = Parameter([1, -2], gradient: [0.5, -1])
        let bias = Parameter([0.5], gradient: [1], name: "bias")
        let optimizer = Optimizer(.sgd(momentum: 0), weightDecay: 0.01)
        XCTAssertEqual(optimizer.weightDecay, 0.01)
        optimizer.step([kernel, bias], learningRate: 0.1)
        // kernel: w - w*0.01*0.1 = [0.999, -1.998], then - 0.1*g = [0.949, -1.898]
        XCTAssertEqual(kernel.value.data[0], 0.949, accuracy: 1e-7)
        XCTAssertEqual(kernel.value.data[1], -1.898, accuracy: 1e-6)
        // bias: not decayed, 0.5 - 0.1*1
        XCTAssertEqual(bias.value.data[0], 0.4, accuracy: 1e-7)
    }

    func testWeightDecayWithAdamTwoSteps() {
        let p = Parameter([1], gradient: [0.5])
        let optimizer = Optimizer(.defaultAdam, weightDecay: 0.05)
        optimizer.step([p], learningRate: 0.1)
        // decay: 1 - 1*0.05*0.1 = 0.995; Adam step as in testAdamTwoSteps: -0.0999994 -> 0.8950006
        XCTAssertEqual(p.value.data[0], 0.8950006, accuracy: 2e-6)
        p.gradient.data[0] = -0.2
        optimizer.step([p], learningRate: 0.1)
        // decay: 0.8950006*(1 - 0.005) = 0.8905256; Adam step -0.0345603 -> 0.8559653
        XCTAssertEqual(p.value.data[0], 0.8559653, accuracy: 2e-6)
    }

    func testZeroWeightDecayIsTheOldArithmetic() {
        for kind in [OptimizerKind.sgd(momentum: 0), .sgd(momentum: 0.9), .defaultAdam] {
            let a = Parameter([0.3, -0.7, 1.1], gradient: [0.25, 0.5, -0.125])
            let b = Parameter([0.3, -0.7, 1.1], gradient: [0.25, 0.5, -0.125])
            let withZero = Optimizer(kind, weightDecay: 0), plain = Optimizer(kind)
            for _ in 0..<3 {
                withZero.step([a], learningRate: 0.05)
                plain.step([b], learningRate: 0.05)
            }
            XCTAssertEqual(a.value.data, b.value.data, "\(kind)")
        }
    }
}
