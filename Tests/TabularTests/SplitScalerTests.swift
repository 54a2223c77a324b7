import XCTest
import DLCore
@testable import Tabular

final class SplitTests: XCTestCase {
    func testSizesDisjointCoveringDeterministic() throws {
        var rng = SeededRandom(seed: 3)
        let (train, test) = try splitIndices(count: 150, trainFraction: 0.8, rng: &rng, stratifyBy: nil)
        XCTAssertEqual(train.count, 120)
        XCTAssertEqual(test.count, 30)
        XCTAssertTrue(Set(train).isDisjoint(with: test))
        XCTAssertEqual(Set(train).union(test), Set(0..<150))
        XCTAssertNotEqual(train, Array(0..<120), "shuffled")
        var again = SeededRandom(seed: 3), other = SeededRandom(seed: 4)
        XCTAssertEqual(try splitIndices(count: 150, trainFraction: 0.8, rng: &again, stratifyBy: nil).train, train)
        XCTAssertNotEqual(try splitIndices(count: 150, trainFraction: 0.8, rng: &other, stratifyBy: nil).train, train)
    }

    func testStratifyKeepsProportions() throws {
        // 100 of class 0, 40 of class 1, 10 of class 2
        let labels = Array(repeating: 0, count: 100) + Array(repeating: 1, count: 40) + Array(repeating: 2, count: 10)
        var rng = SeededRandom(seed: 9)
        let (train, test) = try splitIndices(count: 150, trainFraction: 0.8, rng: &rng, stratifyBy: labels)
        func perClass(_ rows: [Int]) -> [Int] { (0..<3).map { k in rows.filter { labels[$0] == k }.count } }
        XCTAssertEqual(perClass(train), [80, 32, 8])
        XCTAssertEqual(perClass(test), [20, 8, 2])
        XCTAssertEqual(Set(train).union(test), Set(0..<150))
        XCTAssertTrue(Set(train).isDisjoint(with: test))
    }

    func testRoundingAndEdges() throws {
        var rng = SeededRandom(seed: 1)
        XCTAssertEqual(try splitIndices(count: 2, trainFraction: 0.99, rng: &rng, stratifyBy: nil).train.count, 1)
        XCTAssertEqual(try splitIndices(count: 10, trainFraction: 0.01, rng: &rng, stratifyBy: nil).train.count, 1)
        let labels = [0, 0, 0, 1, 1, 1, 1]
        let split = try splitIndices(count: 7, trainFraction: 0.5, rng: &rng, stratifyBy: labels)
        XCTAssertEqual(split.train.count, 4)   // 3.5 rounds to 4
        XCTAssertEqual(split.test.count, 3)
    }

    func testErrors() {
        // count, fraction → message
        let cases: [(Int, Double, String)] = [
            (100, 0, "the training fraction must be between 0 and 1 (exclusive); got 0.0"),
            (100, 1, "the training fraction must be between 0 and 1 (exclusive); got 1.0"),
            (100, 1.5, "the training fraction must be between 0 and 1 (exclusive); got 1.5"),
            (1, 0.5, "splitting needs at least 2 rows; got 1"),
        ]
        for (count, fraction, message) in cases {
            var rng = SeededRandom(seed: 1)
            XCTAssertThrowsError(try splitIndices(count: count, trainFraction: fraction, rng: &rng, stratifyBy: nil)) {
                XCTAssertEqual(($0 as? TabularError)?.message, message)
            }
        }
    }
}

final class ScalerTests: XCTestCase {
    func testMinMaxMapsTrainRowsOntoUnitInterval() {
        // 3 features; rows 0...2 train, row 3 test
        let features: [Float] = [0.1, 5, -3,
                                 0.7, 5, 1,
                                 0.3, 5, .nan,
                                 1.5, 7, -5]
        let scaler = Scaler.fit(.minmax, features: features, featureCount: 3, rows: [0, 1, 2])
        XCTAssertEqual(scaler.offsets, [0.1, 5, -3])
        XCTAssertEqual(scaler.scales[1], 1, "constant column keeps scale 1")
        var scaled = features
        scaler.transform(&scaled)
        XCTAssertEqual(scaled[0], 0)
        XCTAssertEqual(scaled[3], 1)
        XCTAssertEqual(scaled[6], 0.33333334, accuracy: 1e-6)
        XCTAssertEqual(scaled[1], 0)
        XCTAssertEqual(scaled[4], 0)
        XCTAssertEqual(scaled[2], 0)
        XCTAssertEqual(scaled[5], 1)
        XCTAssertTrue(scaled[8].isNaN)
        XCTAssertGreaterThan(scaled[9], 1, "test rows may fall outside")
        XCTAssertLessThan(scaled[11], 0)
        XCTAssertEqual(scaler.transform(row: [0.7, 5, 1]), [1, 0, 1])
    }

    func testMinMaxIsExactlyWithinUnitIntervalForAwkwardValues() {
        var rng = SeededRandom(seed: 5)
        for _ in 0..<200 {
            let values = (0..<20).map { _ in Float(rng.uniform(-1000, 1000)) * Float(rng.uniform()) }
            let scaler = Scaler.fit(.minmax, features: values, featureCount: 1, rows: Array(0..<20))
            var scaled = values
            scaler.transform(&scaled)
            XCTAssertEqual(scaled.min(), 0)
            XCTAssertLessThanOrEqual(scaled.max()!, 1)
            XCTAssertGreaterThanOrEqual(scaled.max()!, 1 - 1e-6)
        }
    }

    func testStandard() {
        let features: [Float] = [1, 10,
                                 2, 10,
                                 3, 10,
                                 .nan, 10,
                                 100, 100]   // last row not fitted
        let scaler = Scaler.fit(.standard, features: features, featureCount: 2, rows: [0, 1, 2, 3])
        XCTAssertEqual(scaler.offsets, [2, 10])
        XCTAssertEqual(scaler.scales[0], 1 / (2.0 / 3.0).squareRoot(), accuracy: 1e-6)
        XCTAssertEqual(scaler.scales[1], 1, "std 0 gives scale 1")
        var scaled = features
        scaler.transform(&scaled)
        XCTAssertEqual(scaled[0], -1.2247449, accuracy: 1e-6)
        XCTAssertEqual(scaled[2], 0)
        XCTAssertEqual(scaled[4], 1.2247449, accuracy: 1e-6)
        XCTAssertTrue(scaled[6].isNaN)
        XCTAssertEqual(scaled[9], 90)
    }

    func testNone() {
        let scaler = Scaler.fit(.none, features: [1, 2, 3, 4], featureCount: 2, rows: [0, 1])
        XCTAssertEqual(scaler, Scaler(method: .none, offsets: [0, 0], scales: [1, 1]))
        var x: [Float] = [1, 2, 3, 4]
        scaler.transform(&x)
        XCTAssertEqual(x, [1, 2, 3, 4])
        XCTAssertEqual(ScalingMethod.allCases.map(\.rawValue), ["minmax", "standard", "none"])
    }
}
