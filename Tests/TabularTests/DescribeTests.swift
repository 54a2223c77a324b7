import XCTest
@testable import Tabular

/// Relative closeness to 5e-5 (four significant digits); exact zero compared absolutely.
func assertClose(_ actual: Double, _ expected: Double, _ what: String,
                 relative: Double = 5e-5, file: StaticString = #filePath, line: UInt = #line) {
    let tolerance = max(abs(expected) * relative, 1e-12)
    XCTAssertEqual(actual, expected, accuracy: tolerance, what, file: file, line: line)
}

final class DescribeTests: XCTestCase {
    /// Compares every numeric column of a bundled set with pandas' figures.
    private func checkAgainstPandas(_ set: String, _ expected: [PandasDescribe.Row]) throws {
        let table = try BundledData.load(set).table
        let numeric = table.describe().filter { if case .numeric = $0 { return true } else { return false } }
        XCTAssertEqual(numeric.map(\.name), expected.map(\.0), "\(set): numeric columns")
        for (description, row) in zip(numeric, expected) {
            guard case let .numeric(name, count, mean, std, low, q25, q50, q75, high) = description else { continue }
            XCTAssertEqual(count, row.1, "\(set).\(name) count")
            let pairs = [("mean", mean, row.2), ("std", std, row.3), ("min", low, row.4), ("25%", q25, row.5),
                         ("50%", q50, row.6), ("75%", q75, row.7), ("max", high, row.8)]
            for (what, got, want) in pairs { assertClose(got, want, "\(set).\(name) \(what)") }
        }
    }

    func testIrisMatchesPandas() throws { try checkAgainstPandas("iris", PandasDescribe.iris) }
    func testBreastCancerMatchesPandas() throws { try checkAgainstPandas("breast_cancer", PandasDescribe.breastCancer) }
    func testDiabetesMatchesPandas() throws { try checkAgainstPandas("diabetes", PandasDescribe.diabetes) }

    func testPenguinsTextColumnsMatchPandas() throws {
        // pandas: p[['species','island','sex']].describe(include='all')
        let table = try BundledData.load("penguins").table
        let text = table.describe().filter { if case .text = $0 { return true } else { return false } }
        XCTAssertEqual(text, [
            .text(name: "species", count: 344, unique: 3, top: "Adelie", freq: 152),
            .text(name: "island", count: 344, unique: 3, top: "Biscoe", freq: 168),
            .text(name: "sex", count: 333, unique: 2, top: "male", freq: 168),
        ])
        // Numeric penguins columns skip the 2 missing rows (pandas: count 342, mean 43.92193).
        guard case let .numeric(_, count, mean, _, _, q25, _, _, _) = table.describe()[2] else {
            return XCTFail("bill_length_mm should be numeric")
        }
        XCTAssertEqual(count, 342)
        assertClose(mean, 43.92192982, "bill_length_mm mean")
        assertClose(q25, 39.225, "bill_length_mm 25%")
    }

    func testTextTiesGoToFirstSeenAndEdgeCases() {
        // pandas: ['z','y','x','y','z'] → top 'z' (first seen among the tied), freq 2
        let table = Table(columns: [
            Column(name: "t", data: .text(["z", "y", "x", "y", "z", nil])),
            Column(name: "empty", data: .text([nil, nil, nil, nil, nil, nil])),
            Column(name: "one", data: .numeric([.nan, 4, .nan, .nan, .nan, .nan])),
        ], rowCount: 6, source: "t")
        let d = table.describe()
        XCTAssertEqual(d[0], .text(name: "t", count: 5, unique: 3, top: "z", freq: 2))
        XCTAssertEqual(d[1], .text(name: "empty", count: 0, unique: 0, top: nil, freq: 0))
        guard case let .numeric(_, count, mean, std, low, q25, _, _, high) = d[2] else { return XCTFail() }
        XCTAssertEqual([Double(count), mean, low, q25, high], [1, 4, 4, 4, 4])
        XCTAssertTrue(std.isNaN, "one value has no sample std (pandas: NaN)")
    }

    func testQuantilesInterpolateLinearly() {
        // numpy.percentile([1, 2, 3, 4, 10], [25, 50, 75, 10]) → 2, 3, 4, 1.4
        let sorted: [Double] = [1, 2, 3, 4, 10]
        XCTAssertEqual(Statistics.quantile(sorted: sorted, 0.25), 2)
        XCTAssertEqual(Statistics.quantile(sorted: sorted, 0.5), 3)
        XCTAssertEqual(Statistics.quantile(sorted: sorted, 0.75), 4)
        XCTAssertEqual(Statistics.quantile(sorted: sorted, 0.1), 1.4, accuracy: 1e-12)
        // [1, 2, 3, 4] at 25%: position 0.75 → 1.75
        XCTAssertEqual(Statistics.quantile(sorted: [1, 2, 3, 4], 0.25), 1.75)
    }

    func testMissingSummaryMatchesPandas() throws {
        // pandas: p.isna().sum() over 344 rows
        let summary = try BundledData.load("penguins").table.missingSummary()
        XCTAssertEqual(summary.map(\.name), ["species", "island", "bill_length_mm", "bill_depth_mm",
                                             "flipper_length_mm", "body_mass_g", "sex", "year"])
        XCTAssertEqual(summary.map(\.missing), [0, 0, 2, 2, 2, 2, 11, 0])
        XCTAssertEqual(summary[6].fraction, 11.0 / 344, accuracy: 1e-15)
        XCTAssertEqual(summary[0].fraction, 0)
    }
}
