import XCTest
@testable import Engine

final class OptimizerTests: XCTestCase {
    func testPlainSGD() {
        let p = Parameter([1, -2], gradient: [0.5, -1])
        Optimizer(.sgd(momentum: 0)).step([p], learningRate: 0.1)
        XCTAssertEqual(p.value.data[0], 0.95, accuracy: 1e-7)
        XCTAssertEqual(p.value.data[1], -1.9, accuracy: 1e-7)
    }

    func testSGDMomentumTwoSteps() {
        let p = Parameter([1], gradient: [0.5])
        let optimizer = Optimizer(.sgd(momentum: 0.9))
        optimizer.step([p], learningRate: 0.1)
        // v = 0.9*0 - 0.1*0.5 = -0.05; w = 0.95
        XCTAssertEqual(p.value.data[0], 0.95, accuracy: 1e-7)
        p.gradient.data[0] = 0.2
        optimizer.step([p], learningRate: 0.1)
        // v = 0.9*(-0.05) - 0.1*0.2 = -0.065; w = 0.885
        XCTAssertEqual(p.value.data[0], 0.885, accuracy: 1e-6)
        optimizer.reset()
        optimizer.step([p], learningRate: 0.1)
        // Fresh velocity: v = -0.02; w = 0.865
        XCTAssertEqual(p.value.data[0], 0.865, accuracy: 1e-6)
    }

    func testAdamTwoSteps() {
        let p = Parameter([1], gradient: [0.5])
        let optimizer = Optimizer(.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-7))
        optimizer.step([p], learningRate: 0.1)
        // m = 0.05, v = 0.00025, alpha = 0.1*sqrt(0.001)/0.1 = 0.0316228
        // w = 1 - 0.0316228*0.05/(0.0158114 + 1e-7) = 0.9000006
        XCTAssertEqual(p.value.data[0], 0.9000006, accuracy: 2e-6)
        p.gradient.data[0] = -0.2
        optimizer.step([p], learningRate: 0.1)
        // m = 0.025, v = 0.00028975, alpha = 0.1*sqrt(1-0.999^2)/(1-0.9^2) = 0.0235317
        // w = 0.9000006 - 0.0235317*0.025/(0.0170220 + 1e-7) = 0.8654403
        XCTAssertEqual(p.value.data[0], 0.8654403, accuracy: 2e-6)
        XCTAssertEqual(optimizer.iterations, 2)
    }

    func testStatePerParameterIndex() {
        let a = Parameter([0], gradient: [1]), b = Parameter([0, 0], gradient: [-1, 2])
        let optimizer = Optimizer(.sgd(momentum: 0.5))
        optimizer.step([a, b], learningRate: 1)
        optimizer.step([a, b], learningRate: 1)
        // v1 = -g, v2 = 0.5*v1 - g = -1.5 g; w = -2.5 g
        XCTAssertEqual(a.value.data, [-2.5])
        XCTAssertEqual(b.value.data, [2.5, -5])
    }
}
