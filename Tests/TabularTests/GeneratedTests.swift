import XCTest
import DLCore
@testable import Tabular

final class GeneratedTests: XCTestCase {
    private func make(_ name: String, n: Int = 200, noise: Double = 0.1, classes: Int = 2,
                      features: Int = 2, seed: UInt64 = 7) throws -> Dataset {
        var rng = SeededRandom(seed: seed)
        return try Generated.make(name, n: n, noise: noise, classes: classes, features: features, rng: &rng)
    }

    private func labels(_ data: Dataset) -> [Int] {
        guard case .classes(let labels, _) = data.target else { return [] }
        return labels
    }

    func testShapesAndBalance() throws {
        // name, n, classes, features → rows per class
        let cases: [(String, Int, Int, Int, [Int])] = [
            ("moons", 201, 2, 2, [101, 100]),
            ("circles", 100, 2, 2, [50, 50]),
            ("xor", 100, 2, 2, [50, 50]),
            ("spiral", 300, 3, 2, [100, 100, 100]),
            ("blobs", 100, 4, 5, [25, 25, 25, 25]),
        ]
        for (name, n, classes, features, perClass) in cases {
            let data = try make(name, n: n, classes: classes, features: features)
            XCTAssertEqual(data.rowCount, n, name)
            XCTAssertEqual(data.featureCount, features, name)
            XCTAssertEqual(data.featureMatrix.rowMajor().count, n * features, name)
            XCTAssertEqual(data.featureNames, (1...features).map { "x\($0)" }, name)
            XCTAssertEqual(data.targetName, "class", name)
            XCTAssertEqual(data.classNames, (0..<classes).map(String.init), name)
            let labels = self.labels(data)
            XCTAssertEqual((0..<classes).map { k in labels.filter { $0 == k }.count }, perClass, name)
            XCTAssertFalse(data.featureMatrix.rowMajor().contains { !$0.isFinite }, name)
            // Shuffled: the first half is not all one class.
            XCTAssertGreaterThan(Set(labels.prefix(n / 2)).count, 1, name)
        }
    }

    func testDeterministicPerSeed() throws {
        for name in Generated.names {
            let classes = name == "spiral" || name == "blobs" ? 3 : 2
            let a = try make(name, classes: classes, seed: 1), b = try make(name, classes: classes, seed: 1)
            let c = try make(name, classes: classes, seed: 2)
            XCTAssertEqual(a.featureMatrix.rowMajor(), b.featureMatrix.rowMajor(), name)
            XCTAssertEqual(a.target, b.target, name)
            XCTAssertNotEqual(a.featureMatrix.rowMajor(), c.featureMatrix.rowMajor(), name)
        }
    }

    func testMoonsAreTwoInterleavingHalfCircles() throws {
        let data = try make("moons", n: 1000, noise: 0.05)
        let labels = self.labels(data)
        func mean(_ k: Int, _ c: Int) -> Float {
            let rows = labels.indices.filter { labels[$0] == k }
            return rows.map { data.featureMatrix[$0, c] }.reduce(0, +) / Float(rows.count)
        }
        // The upper arc centres at (0, 0.64), the lower one at (1, -0.14).
        XCTAssertEqual(mean(0, 0), 0, accuracy: 0.05)
        XCTAssertEqual(mean(1, 0), 1, accuracy: 0.05)
        XCTAssertEqual(mean(0, 1), 2 / .pi, accuracy: 0.05)
        XCTAssertEqual(mean(1, 1), 0.5 - 2 / .pi, accuracy: 0.05)
        XCTAssertGreaterThan(mean(0, 1), mean(1, 1))
    }

    func testCirclesAndXorGeometry() throws {
        let circles = try make("circles", n: 400, noise: 0)
        let circleLabels = labels(circles)
        for r in 0..<400 {
            let x = circles.featureMatrix[r, 0], y = circles.featureMatrix[r, 1]
            XCTAssertEqual((x * x + y * y).squareRoot(), circleLabels[r] == 0 ? 1 : 0.5, accuracy: 1e-5)
        }
        let xor = try make("xor", n: 400, noise: 0)
        let xorLabels = labels(xor)
        for r in 0..<400 {
            let product = xor.featureMatrix[r, 0] * xor.featureMatrix[r, 1]
            XCTAssertEqual(product > 0 ? 1 : 0, xorLabels[r])
        }
    }

    func testErrors() {
        // name, n, noise, classes, features → message
        let cases: [(String, Int, Double, Int, Int, String)] = [
            ("moons", 100, 0.1, 3, 2, "moons always has 2 classes; got classes = 3"),
            ("circles", 100, 0.1, 2, 3, "circles has 2 features; got features = 3"),
            ("spiral", 5, 0.1, 3, 2, "spiral needs between 6 and 10000000 rows (2 per class at least); got n = 5"),
            ("xor", 100, -1, 2, 2, "noise must be a number of 0 or more (a standard deviation); got -1.0"),
            ("blobs", 100, 0, 1, 2, "blobs needs between 2 and 100 classes; got 1"),
            ("moon", 100, 0.1, 2, 2, "there is no generated data set named 'moon'"),
        ]
        for (name, n, noise, classes, features, message) in cases {
            var rng = SeededRandom(seed: 1)
            XCTAssertThrowsError(try Generated.make(name, n: n, noise: noise, classes: classes,
                                                    features: features, rng: &rng)) { error in
                XCTAssertEqual((error as? TabularError)?.message, message, name)
            }
        }
        var rng = SeededRandom(seed: 1)
        XCTAssertThrowsError(try Generated.make("moon", n: 10, noise: 0, classes: 2, features: 2, rng: &rng)) {
            XCTAssertEqual(($0 as? TabularError)?.hint, "did you mean 'moons'?")
        }
    }

    /// `load blobs features=` takes 2 or more (the statement table); Generated agrees.
    func testBlobsNeedTwoFeaturesAsTheStatementSays() throws {
        var rng = SeededRandom(seed: 1)
        XCTAssertThrowsError(try Generated.make("blobs", n: 100, noise: 0, classes: 3, features: 1, rng: &rng)) { error in
            XCTAssertEqual((error as? TabularError)?.message, "blobs needs between 2 and 10000 features; got 1")
            XCTAssertEqual((error as? TabularError)?.hint, "pick a feature count from 2 to 10000")
        }
        XCTAssertEqual(try make("blobs", n: 100, classes: 3, features: 2).featureCount, 2)
    }
}
