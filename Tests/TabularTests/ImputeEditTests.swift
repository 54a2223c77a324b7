import XCTest
@testable import Tabular

final class ImputeTests: XCTestCase {
    /// Rows 0...3 are "training"; row 4 holds values that must not leak into the fit.
    private func sample() -> Table {
        Table(columns: [
            Column(name: "x", data: .numeric([1, .nan, 2, 2, 1000, .nan])),
            Column(name: "sex", data: .text(["male", nil, "female", "female", "male", nil])),
            Column(name: "ties", data: .text(["b", "a", "b", "a", "c", nil])),
            Column(name: "empty", data: .numeric([.nan, .nan, .nan, .nan, 5, .nan])),
        ], rowCount: 6, source: "sample.csv")
    }
    private let train = [0, 1, 2, 3]

    func testFittedOnTrainingRowsOnly() throws {
        let t = sample()
        XCTAssertEqual(try t.fillValue(for: "x", strategy: .mean, rows: train), .number(5.0 / 3))
        XCTAssertEqual(try t.fillValue(for: "x", strategy: .median, rows: train), .number(2))
        XCTAssertEqual(try t.fillValue(for: "x", strategy: .mode, rows: train), .number(2))
        // All rows: mean of 1, 2, 2, 1000 = 251.25; median (2 + 2) / 2 = 2
        XCTAssertEqual(try t.fillValue(for: "x", strategy: .mean, rows: Array(0..<6)), .number(251.25))
        XCTAssertEqual(try t.fillValue(for: "sex", strategy: .mode, rows: train), .text("female"))
        // Tie between a and b (2 each): the smallest, as SimpleImputer(strategy='most_frequent')
        XCTAssertEqual(try t.fillValue(for: "ties", strategy: .mode, rows: train), .text("a"))
        XCTAssertEqual(try t.fillValue(for: "x", strategy: .mode, rows: [0, 4]), .number(1))
        XCTAssertEqual(try t.fillValue(for: "x", strategy: .constant(" -1.5 "), rows: train), .number(-1.5))
        XCTAssertEqual(try t.fillValue(for: "sex", strategy: .constant("unknown"), rows: train), .text("unknown"))
    }

    func testErrors() {
        let t = sample()
        XCTAssertThrowsError(try t.fillValue(for: "sex", strategy: .mean, rows: train)) {
            XCTAssertEqual(($0 as? TabularError)?.message, "cannot take the mean of text column 'sex'")
            XCTAssertEqual(($0 as? TabularError)?.problem, .numbersNeeded(column: "sex", strategy: "mean"))
        }
        XCTAssertThrowsError(try t.fillValue(for: "sex", strategy: .median, rows: train)) {
            XCTAssertEqual(($0 as? TabularError)?.message, "cannot take the median of text column 'sex'")
        }
        XCTAssertThrowsError(try t.fillValue(for: "x", strategy: .constant("none"), rows: train)) {
            XCTAssertEqual(($0 as? TabularError)?.message,
                           "cannot fill numeric column 'x' with 'none': it is not a number")
        }
        XCTAssertThrowsError(try t.fillValue(for: "empty", strategy: .median, rows: train)) {
            XCTAssertEqual(($0 as? TabularError)?.message,
                           "column 'empty' has no values in the 4 rows used for fitting")
        }
        XCTAssertThrowsError(try t.fillValue(for: "sexx", strategy: .mode, rows: train)) {
            XCTAssertEqual(($0 as? TabularError)?.hint, "did you mean 'sex'?")
        }
    }

    func testFillCountsAndTypes() {
        var t = sample()
        XCTAssertEqual(t.fill("x", with: .number(2)), 2)
        XCTAssertEqual(t.column(named: "x")?.data, .numeric([1, 2, 2, 2, 1000, 2]))
        XCTAssertEqual(t.fill("x", with: .number(3)), 0, "nothing left to fill")
        XCTAssertEqual(t.fill("sex", with: .text("unknown")), 2)
        XCTAssertEqual(t.column(named: "sex")?.data, .text(["male", "unknown", "female", "female", "male", "unknown"]))
        XCTAssertEqual(t.fill("ties", with: .number(3)), 1)
        XCTAssertEqual(t.column(named: "ties")?.data, .text(["b", "a", "b", "a", "c", "3"]))
        XCTAssertEqual(t.fill("empty", with: .text("n/a")), 5)
        XCTAssertEqual(t.column(named: "empty")?.data, .text(["n/a", "n/a", "n/a", "n/a", "5", "n/a"]))
        XCTAssertEqual(t.fill("nope", with: .number(0)), 0)
    }

    func testPenguinsImputeMatchesPandas() throws {
        // pandas: p.bill_length_mm.mean() = 43.92192982, .median() = 44.45; p.sex.mode()[0] = 'male'
        var p = try BundledData.load("penguins").table
        let all = Array(0..<p.rowCount)
        guard case .number(let mean) = try p.fillValue(for: "bill_length_mm", strategy: .mean, rows: all) else {
            return XCTFail()
        }
        XCTAssertEqual(mean, 43.92192982, accuracy: 5e-8)
        XCTAssertEqual(try p.fillValue(for: "bill_length_mm", strategy: .median, rows: all), .number(44.45))
        XCTAssertEqual(try p.fillValue(for: "sex", strategy: .mode, rows: all), .text("male"))
        XCTAssertEqual(p.fill("sex", with: .text("male")), 11)
        XCTAssertEqual(p.missingSummary().map(\.missing), [0, 0, 2, 2, 2, 2, 0, 0])
    }
}

final class TableEditingTests: XCTestCase {
    func testDropRowsWithMissingReturnsOriginalIndicesAndKeepsLines() throws {
        var p = try BundledData.load("penguins").table
        // pandas: p.dropna() keeps 333 rows; p.dropna(subset=['bill_length_mm']) keeps 342
        var subset = p
        let keptSubset = subset.dropRowsWithMissing(in: ["bill_length_mm"])
        XCTAssertEqual(keptSubset.count, 342)
        XCTAssertFalse(keptSubset.contains(3), "row 3 (line 5) has NA bill length")
        let kept = p.dropRowsWithMissing(in: nil)
        XCTAssertEqual(kept.count, 333)
        XCTAssertEqual(p.rowCount, 333)
        XCTAssertEqual(Array(kept.prefix(5)), [0, 1, 2, 4, 5], "rows 3 has missing cells")
        XCTAssertEqual(p.rowLines?.count, 333)
        XCTAssertEqual(p.line(ofRow: 3), 6, "row 3 now is original row 4, file line 6")
        XCTAssertEqual(p.missingSummary().map(\.missing).reduce(0, +), 0)
        XCTAssertTrue(p.columns.allSatisfy { $0.data.count == 333 })
        XCTAssertEqual(p.dropRowsWithMissing(in: nil), Array(0..<333), "nothing more to drop")
    }

    func testKeepRowsFollowsLinesAndStrayCell() {
        var t = Table(columns: [
            Column(name: "n", data: .text(["1", "2", "oops", "4", "5"])),
            Column(name: "v", data: .numeric([10, 11, 12, 13, 14])),
        ], rowCount: 5, source: "t.csv")
        XCTAssertEqual(t.columns[0].firstNonNumeric?.line, 4)
        t.keepRows([4, 2, 0])
        XCTAssertEqual(t.rowLines, [6, 4, 2])
        XCTAssertEqual(t.columns[1].data, .numeric([14, 12, 10]))
        XCTAssertEqual(t.columns[0].firstNonNumeric?.row, 1)
        XCTAssertEqual(t.columns[0].firstNonNumeric?.line, 4, "still the file line of 'oops'")
        t.keepRows([0, 2])
        XCTAssertNil(t.columns[0].firstNonNumeric, "'oops' is gone")
        XCTAssertEqual(t.rowLines, [6, 2])
    }

    func testDropAndKeepColumns() throws {
        var t = try BundledData.load("iris").table
        try t.dropColumns(["species", "sepal_width_cm"])
        XCTAssertEqual(t.columnNames, ["sepal_length_cm", "petal_length_cm", "petal_width_cm"])
        try t.keepColumns(["petal_width_cm", "sepal_length_cm", "petal_width_cm"])
        XCTAssertEqual(t.columnNames, ["petal_width_cm", "sepal_length_cm"])
        XCTAssertEqual(t.rowCount, 150)

        XCTAssertThrowsError(try t.dropColumns(["sepal_length_cm", "petal_widht_cm"])) {
            let error = $0 as? TabularError
            XCTAssertEqual(error?.message,
                           "'iris.csv' has no column named 'petal_widht_cm'; its columns are: petal_width_cm, sepal_length_cm")
            XCTAssertEqual(error?.hint, "did you mean 'petal_width_cm'?")
        }
        XCTAssertEqual(t.columnNames, ["petal_width_cm", "sepal_length_cm"], "unchanged after an error")
        XCTAssertThrowsError(try t.keepColumns(["sepal_length_cm", "zzz"])) {
            XCTAssertEqual(($0 as? TabularError)?.hint, "use one of the column names listed")
        }
        XCTAssertEqual(t.columnNames, ["petal_width_cm", "sepal_length_cm"])
    }
}
