import XCTest
@testable import Tabular

final class CorrelationTests: XCTestCase {
    private let irisNames = ["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"]

    private func assertMatrix(_ m: CorrelationMatrix, _ expected: [[Double?]], accuracy: Double,
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(m.values.count, expected.count, file: file, line: line)
        for (i, row) in expected.enumerated() {
            for (j, want) in row.enumerated() {
                let got = m.values[i][j]
                guard let want else { XCTAssertNil(got, "[\(i)][\(j)]", file: file, line: line); continue }
                guard let got else { XCTFail("[\(i)][\(j)] is nil, want \(want)", file: file, line: line); continue }
                XCTAssertEqual(got, want, accuracy: accuracy, "[\(i)][\(j)]", file: file, line: line)
            }
        }
    }

    func testIrisPearsonMatchesPandas() throws {
        // pandas: df.drop(columns='species').corr(), rounded to 6 places
        let iris = try BundledData.load("iris").table
        let m = try iris.correlation(method: .pearson, columns: nil, rows: Array(0..<150))
        XCTAssertEqual(m.names, irisNames, "species (text) left out")
        assertMatrix(m, [[1.0, -0.11757, 0.871754, 0.817941], [-0.11757, 1.0, -0.42844, -0.366126],
                         [0.871754, -0.42844, 1.0, 0.962865], [0.817941, -0.366126, 0.962865, 1.0]],
                     accuracy: 1e-6)
        XCTAssertEqual(m.constantColumns, [])
        // pandas: pairs with |r| >= 0.9 → only petal length / petal width (0.962865)
        let strong = m.strongPairs(threshold: 0.9)
        XCTAssertEqual(strong.map { "\($0.a)/\($0.b)" }, ["petal_length_cm/petal_width_cm"])
        XCTAssertEqual(strong[0].r, 0.962865, accuracy: 1e-6)
        // >= 0.8: 0.962865, 0.871754, 0.817941, strongest first
        XCTAssertEqual(m.strongPairs(threshold: 0.8).map { "\($0.a)/\($0.b)" },
                       ["petal_length_cm/petal_width_cm", "sepal_length_cm/petal_length_cm",
                        "sepal_length_cm/petal_width_cm"])
        // Negative correlations count by magnitude: sepal width / petal length is -0.42844.
        XCTAssertEqual(m.strongPairs(threshold: 0.4).last?.r ?? 0, -0.42844, accuracy: 1e-6)
    }

    func testIrisSpearmanMatchesPandas() throws {
        // pandas: df.drop(columns='species').corr(method='spearman')
        let iris = try BundledData.load("iris").table
        let m = try iris.correlation(method: .spearman, columns: nil, rows: Array(0..<150))
        assertMatrix(m, [[1.0, -0.166778, 0.881898, 0.834289], [-0.166778, 1.0, -0.309635, -0.289032],
                         [0.881898, -0.309635, 1.0, 0.937667], [0.834289, -0.289032, 0.937667, 1.0]],
                     accuracy: 1e-6)
        XCTAssertEqual(m.strongPairs(threshold: 0.9).map(\.r).count, 1)
    }

    func testPairwiseCompleteAndUndefined() throws {
        // pandas on the same frame: d.corr() and d.corr(method='spearman')
        let n = Double.nan
        let t = Table(columns: [
            Column(name: "x", data: .numeric([1, 2, 3, 4, 5, n, 7, 8])),
            Column(name: "y", data: .numeric([2, n, 1, 5, 4, 6, 9, 9])),
            Column(name: "z", data: .numeric([n, 1, 2, 2, 3, 4, 1, n])),
            Column(name: "label", data: .text(["a", "b", "a", "b", "a", "b", "a", "b"])),
            Column(name: "c", data: .numeric([3, 3, 3, n, 3, 3, 3, 3])),
            Column(name: "w", data: .numeric([n, n, n, n, n, n, 1, 2])),
        ], rowCount: 8, source: "t.csv")
        let pearson = try t.correlation(method: .pearson, columns: nil, rows: Array(0..<8))
        XCTAssertEqual(pearson.names, ["x", "y", "z", "c", "w"])
        XCTAssertEqual(pearson.constantColumns, ["c"])
        // x/w: 2 complete pairs → 1; y/w: y is 9, 9 there → undefined; z/w: 1 pair → undefined.
        assertMatrix(pearson, [[1.0, 0.9097176523, 0.0310684883, nil, 1.0],
                               [0.9097176523, 1.0, -0.2256213141, nil, nil],
                               [0.0310684883, -0.2256213141, 1.0, nil, nil],
                               [nil, nil, nil, nil, nil],
                               [1.0, nil, nil, nil, 1.0]], accuracy: 1e-9)
        let spearman = try t.correlation(method: .spearman, columns: nil, rows: Array(0..<8))
        assertMatrix(spearman, [[1.0, 0.8696565535, 0.158113883, nil, 1.0],
                                [0.8696565535, 1.0, -0.2051956704, nil, nil],
                                [0.158113883, -0.2051956704, 1.0, nil, nil],
                                [nil, nil, nil, nil, nil],
                                [1.0, nil, nil, nil, 1.0]], accuracy: 1e-9)
        XCTAssertEqual(spearman.strongPairs(threshold: 0.5).map { "\($0.a)/\($0.b)" }, ["x/w", "x/y"])
    }

    func testColumnsAndRowsChosen() throws {
        let iris = try BundledData.load("iris").table
        // Order as asked; text columns passed over.
        let m = try iris.correlation(method: .pearson, columns: ["petal_width_cm", "species", "petal_length_cm"],
                                     rows: Array(0..<150))
        XCTAssertEqual(m.names, ["petal_width_cm", "petal_length_cm"])
        XCTAssertEqual(m.values[0][1] ?? 0, 0.962865, accuracy: 1e-6)
        // On rows 0, 1, 2 petal width is 0.2 throughout: constant there, so undefined.
        let few = try iris.correlation(method: .pearson, columns: nil, rows: [0, 1, 2])
        XCTAssertEqual(few.constantColumns, ["petal_width_cm"])
        XCTAssertNil(few.values[3][3])
        XCTAssertThrowsError(try iris.correlation(method: .pearson, columns: ["petal_lenght_cm"], rows: [0, 1])) {
            XCTAssertEqual(($0 as? TabularError)?.hint, "did you mean 'petal_length_cm'?")
        }
        XCTAssertThrowsError(try iris.correlation(method: .spearman, columns: ["species"], rows: [0, 1])) {
            XCTAssertEqual(($0 as? TabularError)?.message, "'iris.csv' has no numeric columns to correlate among species")
        }
    }

    func testAverageRanks() {
        // scipy.stats.rankdata([10, 20, 10, 30, 20, 10]) → [2, 4.5, 2, 6, 4.5, 2]
        XCTAssertEqual(Statistics.averageRanks([10, 20, 10, 30, 20, 10]), [2, 4.5, 2, 6, 4.5, 2])
    }
}
