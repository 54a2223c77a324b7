import Foundation
import XCTest
import DLCore
@testable import Tabular

/// Dataset.setImageShape on tables of pixels, and the generated Shapes images.
final class ImageDataTests: XCTestCase {
    // MARK: - setImageShape

    /// A label column then `pixels` pixel columns, 3 rows.
    private func pixelTable(pixels: Int, target: String? = "label") throws -> Dataset {
        let header = (["label"] + (0..<pixels).map { "p\($0)" }).joined(separator: ",")
        let rows = (0..<3).map { r in ([String(r)] + (0..<pixels).map { String(($0 + r) % 256) }).joined(separator: ",") }
        let table = try CSV.parse(bytes: Array((([header] + rows).joined(separator: "\n") + "\n").utf8), source: "pixels.csv")
        return try table.dataset(target: target, task: .classification)
    }

    func testSetImageShapeOnACSVDataset() throws {
        var data = try pixelTable(pixels: 12)
        try data.setImageShape([2, 2, 3])
        XCTAssertEqual(data.imageShape, [2, 2, 3])
        try data.setImageShape([3, 4])
        XCTAssertEqual(data.imageShape, [3, 4, 1], "two sizes mean one channel")
        XCTAssertEqual(data.featureCount, 12, "features are unchanged")
        XCTAssertEqual(data.rows([2, 0]).imageShape, [3, 4, 1], "subsets keep the shape")
    }

    func testSetImageShapeWrongFeatureCount() throws {
        var data = try pixelTable(pixels: 4)
        XCTAssertThrowsError(try data.setImageShape([3, 3, 1])) { error in
            XCTAssertEqual(error as? TabularError, TabularError(
                "each row of 'pixels.csv' has 4 features but 3x3x1 images need 9",
                hint: "check the shape: height x width x channels must equal the number of features"))
        }
        XCTAssertThrowsError(try data.setImageShape([2, 2, 3])) { error in
            XCTAssertEqual(error as? TabularError, TabularError(
                "each row of 'pixels.csv' has 4 features but 2x2x3 images need 12",
                hint: "4 features fit 2x2 images with 1 channel(s)"))
        }
        XCTAssertNil(data.imageShape, "a failed call leaves the data set as it was")
    }

    func testSetImageShapeHintsAtTheLabelColumn() throws {
        // The label column became a feature: one feature more than the pixels.
        var data = try pixelTable(pixels: 4, target: "p3")
        data.featureNames.append("extra")
        let cells = data.featureMatrix.rowMajor()
        data.featureMatrix = FeatureMatrix(rows: (0..<3).flatMap { r in cells[(r * 4)..<(r * 4 + 4)] + [0] }, rowCount: 3, featureCount: 5)
        XCTAssertThrowsError(try data.setImageShape([2, 2, 1])) { error in
            XCTAssertEqual((error as? TabularError)?.message, "each row of 'pixels.csv' has 5 features but 2x2x1 images need 4")
            XCTAssertEqual((error as? TabularError)?.hint,
                           "there is one feature too many: make the label column the target, or drop the extra column")
        }
    }

    func testSetImageShapeSuggestsChannels() throws {
        var data = try pixelTable(pixels: 12)
        XCTAssertThrowsError(try data.setImageShape([2, 2, 1])) { error in
            XCTAssertEqual((error as? TabularError)?.hint, "12 features fit 2x2 images with 3 channel(s)")
        }
    }

    func testSetImageShapeRejectsBadShapes() throws {
        var data = try pixelTable(pixels: 4)
        for shape in [[4], [2, 2, 1, 1], [2, 0, 1], [-2, -2, 1], [Int.max, Int.max, 2]] {
            XCTAssertThrowsError(try data.setImageShape(shape), "\(shape)") { error in
                XCTAssertNotNil((error as? TabularError)?.hint, "\(shape)")
            }
        }
    }

    // MARK: - Shapes

    private func shapes(n: Int = 400, size: Int = 28, classes: Int = 4, noise: Double = 0.1,
                        seed: UInt64 = 3) throws -> Dataset {
        var rng = SeededRandom(seed: seed)
        return try Shapes.make(n: n, size: size, classes: classes, noise: noise, rng: &rng)
    }

    private func labels(_ data: Dataset) -> [Int] {
        guard case .classes(let labels, _) = data.target else { return [] }
        return labels
    }

    func testShapesLayoutAndBalance() throws {
        for (n, size, classes, perClass) in [(402, 28, 4, [101, 101, 100, 100]), (30, 8, 2, [15, 15]),
                                             (31, 64, 3, [11, 10, 10]), (8, 128, 4, [2, 2, 2, 2])] {
            let data = try shapes(n: n, size: size, classes: classes)
            XCTAssertEqual(data.rowCount, n)
            XCTAssertEqual(data.featureCount, size * size)
            XCTAssertEqual(data.featureMatrix.rowMajor().count, n * size * size)
            XCTAssertEqual(data.imageShape, [size, size, 1])
            XCTAssertEqual(data.featureNames.first, "px0")
            XCTAssertEqual(data.featureNames.last, "px\(size * size - 1)")
            XCTAssertEqual(data.targetName, "shape")
            XCTAssertEqual(data.classNames, Array(["circle", "square", "triangle", "cross"].prefix(classes)))
            let labels = self.labels(data)
            XCTAssertEqual((0..<classes).map { k in labels.filter { $0 == k }.count }, perClass)
            XCTAssertTrue(data.featureMatrix.rowMajor().allSatisfy { $0 >= 0 && $0 <= 1 }, "pixels in [0, 1]")
        }
        XCTAssertEqual(Shapes.classNames, ["circle", "square", "triangle", "cross"])
    }

    func testShapesAreShuffledAndDeterministic() throws {
        let a = try shapes(seed: 5), b = try shapes(seed: 5), c = try shapes(seed: 6)
        XCTAssertEqual(a.featureMatrix.rowMajor(), b.featureMatrix.rowMajor())
        XCTAssertEqual(a.target, b.target)
        XCTAssertNotEqual(a.featureMatrix.rowMajor(), c.featureMatrix.rowMajor())
        XCTAssertGreaterThan(Set(labels(a).prefix(20)).count, 1, "rows are shuffled")
    }

    func testCleanImagesAreOutlinesOnABlackBackground() throws {
        let data = try shapes(n: 200, noise: 0)
        let pixels = 28 * 28
        for r in 0..<data.rowCount {
            let image = data.featureMatrix.rowMajor()[(r * pixels)..<((r + 1) * pixels)]
            let ink = image.reduce(0, +), dark = image.filter { $0 == 0 }.count
            // Strokes are anti-aliased: a 1-pixel line between pixel centres is two halves.
            XCTAssertGreaterThanOrEqual(image.max()!, 0.5, "row \(r) has a visible stroke")
            XCTAssertGreaterThan(ink, 20, "row \(r) has a whole outline")
            // An outline leaves most of the image empty, even at the largest size.
            XCTAssertGreaterThan(dark, pixels / 2, "row \(r) is mostly background")
        }
    }

    /// Total ink must not tell the classes apart: similar means, and no ink threshold
    /// separates any two classes much better than chance.
    func testInkDoesNotSeparateClasses() throws {
        for noise in [0.0, 0.1] {
            let data = try shapes(n: 2000, noise: noise, seed: 11)
            let labels = self.labels(data), pixels = 28 * 28
            var ink: [[Float]] = [[], [], [], []]
            for r in 0..<data.rowCount {
                ink[labels[r]].append(data.featureMatrix.rowMajor()[(r * pixels)..<((r + 1) * pixels)].reduce(0, +))
            }
            let means = ink.map { $0.reduce(0, +) / Float($0.count) }
            XCTAssertLessThan(means.max()! / means.min()!, 1.25, "means \(means), noise \(noise)")
            for a in 0..<4 {
                for b in (a + 1)..<4 {
                    XCTAssertLessThan(bestThresholdAccuracy(ink[a], ink[b]), 0.65, "classes \(a), \(b), noise \(noise)")
                }
            }
        }
    }

    /// The best accuracy of "class a when ink < t (or > t)" over every threshold t.
    private func bestThresholdAccuracy(_ a: [Float], _ b: [Float]) -> Double {
        let all = (a.map { ($0, 0) } + b.map { ($0, 1) }).sorted { $0.0 < $1.0 }
        var belowA = 0, belowB = 0, best = 0
        for (_, k) in all {
            if k == 0 { belowA += 1 } else { belowB += 1 }
            best = max(best, belowA + (b.count - belowB), belowB + (a.count - belowA))
        }
        return Double(best) / Double(all.count)
    }

    /// Shapes appear all over the image: the ink centroids span most of it in both axes.
    func testPositionsCoverTheImage() throws {
        let data = try shapes(n: 400, noise: 0)
        var xs: [Float] = [], ys: [Float] = []
        for r in 0..<data.rowCount {
            var total: Float = 0, sx: Float = 0, sy: Float = 0
            for p in 0..<784 {
                let v = data.featureMatrix[r, p]
                total += v; sx += v * Float(p % 28); sy += v * Float(p / 28)
            }
            xs.append(sx / total); ys.append(sy / total)
        }
        for centres in [xs, ys] {
            XCTAssertLessThan(centres.min()!, 8)
            XCTAssertGreaterThan(centres.max()!, 19)
        }
    }

    func testShapesErrors() {
        let cases: [(Int, Int, Int, Double, String)] = [
            (100, 7, 4, 0.1, "shapes needs an image size from 8 to 128 pixels; got size = 7"),
            (100, 129, 4, 0.1, "shapes needs an image size from 8 to 128 pixels; got size = 129"),
            (100, 28, 1, 0.1, "shapes has 2 to 4 classes (circle, square, triangle, cross); got classes = 1"),
            (100, 28, 5, 0.1, "shapes has 2 to 4 classes (circle, square, triangle, cross); got classes = 5"),
            (7, 28, 4, 0.1, "shapes with 4 classes of 28x28 needs between 8 and 318877 images (2 per class at least); got n = 7"),
            (100, 28, 4, -0.5, "noise must be a number of 0 or more (the std of pixel noise); got -0.5"),
            (100, 28, 4, .nan, "noise must be a number of 0 or more (the std of pixel noise); got nan"),
        ]
        for (n, size, classes, noise, message) in cases {
            XCTAssertThrowsError(try shapes(n: n, size: size, classes: classes, noise: noise)) { error in
                XCTAssertEqual((error as? TabularError)?.message, message)
                XCTAssertNotNil((error as? TabularError)?.hint)
            }
        }
    }

    /// The module never prints: generating and loading write nothing to standard output.
    func testPrintsNothing() throws {
        let path = NSTemporaryDirectory() + "shapes-stdout-\(getpid()).txt"
        defer { try? FileManager.default.removeItem(atPath: path) }
        fflush(stdout)
        let saved = dup(1)
        let file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        XCTAssertGreaterThanOrEqual(file, 0)
        dup2(file, 1)
        _ = try? shapes(n: 20)
        _ = try? shapes(n: 1)
        _ = try? MNIST.load(folder: "/no/such/folder")
        fflush(stdout)
        dup2(saved, 1)
        close(file)
        close(saved)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)).count, 0)
    }
}
