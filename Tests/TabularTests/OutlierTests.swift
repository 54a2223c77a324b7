import XCTest
@testable import Tabular

final class OutlierTests: XCTestCase {
    private func table(_ values: [Double], name: String = "x") -> Table {
        Table(columns: [Column(name: name, data: .numeric(NumericColumn(values))),
                        Column(name: "label", data: .text(values.map { _ in "a" }))],
              rowCount: values.count, source: "t.csv")
    }

    func testIQRByHand() throws {
        // Sorted: -20 1 2 4 7 8 9 30 (n = 8; NaN skipped; the last row is left out of the fit).
        // q1 at position 1.75: 1 + 0.75·(2 - 1) = 1.75; median at 3.5: 5.5; q3 at 5.25: 8.25.
        // IQR 6.5 → fences 1.75 - 9.75 = -8 and 8.25 + 9.75 = 18; whiskers 1 and 9.
        let t = table([4, 30, 1, .nan, 9, -20, 2, 8, 7, 500])
        let r = try t.outliers(in: "x", method: .iqr, k: 1.5, rows: Array(0..<9))
        XCTAssertEqual(r, OutlierReport(column: "x", method: .iqr, k: 1.5, q1: 1.75, median: 5.5, q3: 8.25,
                                        lowerFence: -8, upperFence: 18, lowerWhisker: 1, upperWhisker: 9,
                                        rows: [1, 5], values: [30, -20]))
        // Rows in the order given; row 9 (500) is judged only when asked for.
        let all = try t.outliers(in: "x", method: .iqr, k: 1.5, rows: [9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
        XCTAssertEqual(all.rows, [9, 5, 1])
        XCTAssertEqual(all.values, [500, -20, 30])
        XCTAssertEqual(OutlierMethod.iqr.defaultK, 1.5)
        XCTAssertEqual(OutlierMethod.zscore.defaultK, 3)
    }

    func testZScoreUsesPopulationStd() throws {
        // Nine zeros and a 10: mean 1, population std sqrt((9·1 + 81) / 10) = 3, so z(10) = 3 exactly.
        let t = table([0, 0, 0, 0, 0, 0, 0, 0, 0, 10])
        let strict = try t.outliers(in: "x", method: .zscore, k: 3, rows: Array(0..<10))
        XCTAssertEqual(strict.lowerFence, -8)
        XCTAssertEqual(strict.upperFence, 10)
        XCTAssertEqual(strict.rows, [], "|z| = 3 is not above 3")
        XCTAssertEqual(strict.upperWhisker, 10)
        let looser = try t.outliers(in: "x", method: .zscore, k: 2.9, rows: Array(0..<10))
        XCTAssertEqual(looser.rows, [9])
        XCTAssertEqual(looser.upperWhisker, 0)
    }

    func testBreastCancerAreaErrorMatchesNumpy() throws {
        // numpy: q1, med, q3 = np.percentile(x, [25, 50, 75]) → 17.85, 24.53, 45.19;
        // fences -23.16 and 86.2; 65 values outside (the first at rows 0, 2, 4, 12, 18);
        // whiskers 6.802 and 83.5.
        let table = try BundledData.load("breast_cancer").table
        let all = Array(0..<table.rowCount)
        let r = try table.outliers(in: "area_error", method: .iqr, k: 1.5, rows: all)
        XCTAssertEqual(r.q1, 17.85, accuracy: 1e-9)
        XCTAssertEqual(r.median, 24.53, accuracy: 1e-9)
        XCTAssertEqual(r.q3, 45.19, accuracy: 1e-9)
        XCTAssertEqual(r.lowerFence, -23.16, accuracy: 1e-9)
        XCTAssertEqual(r.upperFence, 86.2, accuracy: 1e-9)
        XCTAssertEqual(r.rows.count, 65)
        XCTAssertEqual(Array(r.rows.prefix(5)), [0, 2, 4, 12, 18])
        XCTAssertEqual(Array(r.values.prefix(5)), [153.4, 94.03, 94.44, 116.2, 112.4])
        XCTAssertEqual(r.lowerWhisker, 6.802)
        XCTAssertEqual(r.upperWhisker, 83.5)
        // scipy: np.nonzero(abs(stats.zscore(x)) > 3) → rows 122, 212, 265, 368, 461, 503
        let z = try table.outliers(in: "area_error", method: .zscore, k: 3, rows: all)
        XCTAssertEqual(z.rows, [122, 212, 265, 368, 461, 503])
        XCTAssertEqual(z.lowerFence, 40.337079086116 - 3 * 45.45101341563996, accuracy: 1e-9)
        // Fitted on the first 400 rows only: numpy finds 36 outliers there.
        XCTAssertEqual(try table.outliers(in: "area_error", method: .iqr, k: 1.5, rows: Array(0..<400)).rows.count, 36)
    }

    func testErrors() throws {
        let t = table([1, 2, .nan])
        XCTAssertThrowsError(try t.outliers(in: "label", method: .iqr, k: 1.5, rows: [0, 1])) {
            XCTAssertEqual(($0 as? TabularError)?.message,
                           "column 'label' holds text; outliers are found in numeric columns")
        }
        XCTAssertThrowsError(try t.outliers(in: "y", method: .iqr, k: 1.5, rows: [0, 1])) {
            XCTAssertEqual(($0 as? TabularError)?.hint, "did you mean 'x'?")
        }
        XCTAssertThrowsError(try t.outliers(in: "x", method: .iqr, k: -1, rows: [0, 1]))
        XCTAssertThrowsError(try t.outliers(in: "x", method: .zscore, k: 3, rows: [2])) {
            XCTAssertEqual(($0 as? TabularError)?.message, "column 'x' has no values in the 1 rows given")
        }
    }

    func testClipCountsChanges() throws {
        var t = table([-5, 0, 3, .nan, 12, 10])
        XCTAssertEqual(t.clip("x", lower: 0, upper: 10), 2)
        XCTAssertEqual(t.columns[0].data.count, 6)
        guard case .numeric(let v) = t.columns[0].data else { return XCTFail() }
        XCTAssertEqual(Array(v.prefix(3)), [0, 0, 3])
        XCTAssertTrue(v[3].isNaN, "missing stays missing")
        XCTAssertEqual(Array(v.suffix(2)), [10, 10])
        XCTAssertEqual(t.clip("x", lower: 0, upper: 10), 0, "already within bounds")
        XCTAssertEqual(t.clip("label", lower: 0, upper: 1), 0)

        // Clipping breast_cancer's area_error to its IQR fences changes exactly the 65 outliers.
        var bc = try BundledData.load("breast_cancer").table
        let r = try bc.outliers(in: "area_error", method: .iqr, k: 1.5, rows: Array(0..<bc.rowCount))
        XCTAssertEqual(bc.clip("area_error", lower: r.lowerFence, upper: r.upperFence), 65)
        XCTAssertEqual(try bc.outliers(in: "area_error", method: .iqr, k: 1.5, rows: [0]).values, [])
    }
}
