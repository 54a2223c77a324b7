import XCTest
@testable import Tabular

final class BundledDataTests: XCTestCase {
    func testShapesAndTargets() throws {
        // name → rows, features, class names (nil for regression)
        let cases: [(String, Int, Int, [String]?)] = [
            ("iris", 150, 4, ["setosa", "versicolor", "virginica"]),
            ("breast_cancer", 569, 30, ["benign", "malignant"]),
            ("digits", 1797, 64, (0...9).map(String.init)),
            ("diabetes", 442, 10, nil),
        ]
        for (name, rows, features, classes) in cases {
            let data = try BundledData.dataset(name)
            XCTAssertEqual(data.rowCount, rows, name)
            XCTAssertEqual(data.featureCount, features, name)
            XCTAssertEqual(data.featureMatrix.rowMajor().count, rows * features, name)
            XCTAssertEqual(data.classNames, classes, name)
            XCTAssertEqual(data.task, classes == nil ? .regression : .classification, name)
            XCTAssertTrue(data.missingCounts().isEmpty, name)
        }
        let digits = try BundledData.dataset("digits")
        XCTAssertEqual(digits.imageShape, [8, 8, 1])
        XCTAssertEqual(digits.targetName, "digit")
        XCTAssertEqual(Array(digits.featureMatrix.rowMajor()[0..<4]), [0, 0, 5, 13])
        let iris = try BundledData.dataset("iris")
        XCTAssertEqual(Array(iris.featureMatrix.rowMajor()[0..<4]), [5.1, 3.5, 1.4, 0.2])
        XCTAssertNil(iris.imageShape)
        if case .classes(let labels, _) = iris.target {
            XCTAssertEqual((0..<3).map { k in labels.filter { $0 == k }.count }, [50, 50, 50])
        }
        if case .values(let values) = try BundledData.dataset("diabetes").target {
            XCTAssertEqual(values.prefix(2), [151, 75])
        }
    }

    func testPenguinsTable() throws {
        let (table, target) = try BundledData.load("penguins")
        XCTAssertEqual(target, "species")
        XCTAssertEqual(table.rowCount, 344)
        XCTAssertEqual(table.columns.count, 8)
        XCTAssertEqual(table.columnNames, ["species", "island", "bill_length_mm", "bill_depth_mm",
                                           "flipper_length_mm", "body_mass_g", "sex", "year"])
        XCTAssertEqual(table.column(named: "bill_length_mm")?.missingCount, 2)
        XCTAssertEqual(table.column(named: "sex")?.missingCount, 11)
        XCTAssertEqual(table.column(named: "species")?.missingCount, 0)
        guard case .text = table.column(named: "island")?.data else { return XCTFail("island should be text") }
        guard case .numeric = table.column(named: "year")?.data else { return XCTFail("year should be numeric") }
        // Building a data set straight away fails on the text feature column.
        XCTAssertThrowsError(try table.dataset(target: target, task: nil)) { error in
            XCTAssertEqual((error as? TabularError)?.message,
                           "feature column 'island' holds text ('Torgersen', 'Biscoe', …)")
            XCTAssertEqual((error as? TabularError)?.problem, .textFeature(column: "island", others: ["sex"]))
        }
    }

    func testPathWorksFromAnotherDirectory() throws {
        let before = FileManager.default.currentDirectoryPath
        defer { _ = FileManager.default.changeCurrentDirectoryPath(before) }
        XCTAssertEqual(chdir("/tmp"), 0)
        for name in BundledData.names {
            let path = try BundledData.path(of: name)
            XCTAssertTrue(path.hasSuffix("/datasets/\(name).csv"), path)
            XCTAssertTrue(FileManager.default.fileExists(atPath: path), path)
        }
        XCTAssertEqual(try BundledData.load("iris").table.rowCount, 150)
    }

    func testUnknownBundledName() {
        XCTAssertThrowsError(try BundledData.path(of: "irs")) { error in
            XCTAssertEqual(error as? TabularError,
                           TabularError("there is no bundled data set named 'irs'", hint: "did you mean 'iris'?"))
        }
    }
}
