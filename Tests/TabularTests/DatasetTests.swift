import XCTest
@testable import Tabular

final class DatasetTests: XCTestCase {
    private func table(_ text: String) throws -> Table {
        try CSV.parse(bytes: Array(text.utf8), source: "t.csv")
    }

    private func datasetError(_ text: String, target: String? = nil, task: LearningTask? = nil) -> TabularError? {
        do { _ = try table(text).dataset(target: target, task: task); return nil } catch { return error as? TabularError }
    }

    func testTextTargetGivesSortedClasses() throws {
        let data = try table("a,b,y\n1,2,dog\n3,4,cat\n5,NA,dog\n").dataset(target: nil, task: nil)
        XCTAssertEqual(data.featureMatrix.rowMajor().count, 6)
        XCTAssertEqual(Array(data.featureMatrix.rowMajor()[0..<4]), [1, 2, 3, 4])
        XCTAssertTrue(data.featureMatrix.rowMajor()[5].isNaN)
        XCTAssertEqual(data.target, .classes(labels: [1, 0, 1], names: ["cat", "dog"]))
        XCTAssertEqual(data.task, .classification)
        XCTAssertEqual(data.featureNames, ["a", "b"])
        XCTAssertEqual(data.targetName, "y")
        XCTAssertEqual(data.missingCounts().map(\.name), ["b"])
        XCTAssertEqual(data.missingCounts().map(\.count), [1])
    }

    func testMissingCountsOfALargeMatrix() {
        // Over a million cells, so the rows are counted in two halves.
        let rows = 2101, width = 500
        var features = [Float](repeating: 1, count: rows * width)
        for (row, column) in [(0, 3), (1050, 3), (1051, 3), (2100, 3), (2100, 499), (1050, 0)] {
            features[row * width + column] = .nan
        }
        let data = Dataset(features: features, rowCount: rows, featureNames: (0..<width).map { "f\($0)" },
                           targetName: "y", target: .values([Float](repeating: 0, count: rows)), source: "t")
        XCTAssertEqual(data.missingCounts().map(\.name), ["f0", "f3", "f499"])
        XCTAssertEqual(data.missingCounts().map(\.count), [1, 4, 1])
    }

    func testNumericTargetRegressionOrClasses() throws {
        let t = try table("y,a\n10,1\n2,2\n10,3\n2.5,4\n")
        let regression = try t.dataset(target: "y", task: nil)
        XCTAssertEqual(regression.target, .values([10, 2, 10, 2.5]))
        XCTAssertEqual(regression.task, .regression)
        XCTAssertEqual(regression.featureNames, ["a"])
        let classes = try t.dataset(target: "y", task: .classification)
        XCTAssertEqual(classes.target, .classes(labels: [2, 0, 2, 1], names: ["2", "2.5", "10"]))
    }

    func testRowsSubset() throws {
        let data = try table("a,b,y\n1,2,x\n3,4,y\n5,6,z\n").dataset(target: "y", task: nil)
        let subset = data.rows([2, 0])
        XCTAssertEqual(subset.featureMatrix.rowMajor(), [5, 6, 1, 2])
        XCTAssertEqual(subset.rowCount, 2)
        XCTAssertEqual(subset.target, .classes(labels: [2, 0], names: ["x", "y", "z"]))
    }

    func testErrors() {
        // input, target, task → message, hint
        let cases: [(String, String?, LearningTask?, String, String)] = [
            ("island,m,y\nTorgersen,1,a\nBiscoe,2,b\nTorgersen,3,a\nDream,4,b\n", nil, nil,
             "feature column 'island' holds text ('Torgersen', 'Biscoe', …)",
             "drop it or one-hot encode it"),
            ("x,y\n1,a\n2,b\n3,c\nabc,d\n5,e\n", "y", nil,
             "column 'x' holds numbers but line 5 has 'abc'",
             "fix or remove that cell, or mark it missing with NA"),
            ("species,mass\na,1\nb,2\n", "specis", nil,
             "'t.csv' has no column named 'specis'; its columns are: species, mass",
             "did you mean 'species'?"),
            ("species,mass\na,1\nb,2\n", "zzz", nil,
             "'t.csv' has no column named 'zzz'; its columns are: species, mass",
             "use one of the column names listed"),
            ("a,y\n1,x\n2,\n3,NA\n", nil, nil,
             "2 rows have no value in target column 'y' (the first at line 3)",
             "drop the rows whose target is missing, or fill them in, before building the data set"),
            ("a,y\n1,x\n2,z\n", nil, .regression,
             "target column 'y' holds text, so it cannot be a regression target",
             "use classification for a text target, or pick a numeric target column"),
        ]
        for (input, target, task, message, hint) in cases {
            let error = datasetError(input, target: target, task: task)
            XCTAssertEqual(error?.message, message, input)
            XCTAssertEqual(error?.hint, hint, input)
        }
    }

    func testSuggest() {
        let words = ["dense", "relu", "sigmoid", "softmax", "dropout"]
        // word → suggestion
        let cases: [(String, String?)] = [
            ("dens", "dense"), ("relu", "relu"), ("xyz", nil), ("RELU", "relu"),
            ("sigmiod", "sigmoid"), ("sotfmax", "softmax"), ("dropuot", "dropout"), ("d", nil),
        ]
        for (word, expected) in cases {
            XCTAssertEqual(Suggest.closest(to: word, in: words), expected, word)
        }
        XCTAssertEqual(Suggest.distance("ab", "ba"), 1)
        XCTAssertEqual(Suggest.distance("kitten", "sitting"), 3)
        XCTAssertEqual(Suggest.distance("", "abc"), 3)
    }
}
