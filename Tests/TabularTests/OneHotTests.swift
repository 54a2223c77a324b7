import XCTest
@testable import Tabular

final class OneHotTests: XCTestCase {
    func testPenguinsIslandMatchesGetDummies() throws {
        var p = try BundledData.load("penguins").table
        let encoding = try OneHotEncoding.fit(p, column: "island", rows: Array(0..<p.rowCount))
        XCTAssertEqual(encoding.categories, ["Biscoe", "Dream", "Torgersen"])
        XCTAssertEqual(encoding.newColumnNames, ["island_Biscoe", "island_Dream", "island_Torgersen"])
        let result = encoding.apply(to: &p)
        XCTAssertEqual(result.unseen, 0)
        XCTAssertNil(result.firstUnseen)
        XCTAssertEqual(p.columnNames, ["species", "island_Biscoe", "island_Dream", "island_Torgersen",
                                       "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g",
                                       "sex", "year"])
        // pandas: pd.get_dummies(p.island).sum() → Biscoe 168, Dream 124, Torgersen 52
        let ones = encoding.newColumnNames.map { name -> Double in
            guard case .numeric(let v)? = p.column(named: name)?.data else { return -1 }
            return v.reduce(0, +)
        }
        XCTAssertEqual(ones, [168, 124, 52])
        // The first row is Adelie on Torgersen.
        XCTAssertEqual((1...3).map { value(p.columns[$0], 0) }, [0, 0, 1])

        // sex has 11 missing: pandas get_dummies(p.sex) gives female 165, male 168, and all-zero rows.
        let sex = try OneHotEncoding.fit(p, column: "sex", rows: Array(0..<p.rowCount))
        sex.apply(to: &p)
        let female = p.column(named: "sex_female")!, male = p.column(named: "sex_male")!
        XCTAssertEqual((0..<p.rowCount).map { value(female, $0) }.reduce(0, +), 165)
        XCTAssertEqual((0..<p.rowCount).map { value(male, $0) }.reduce(0, +), 168)
        XCTAssertEqual(value(female, 3) + value(male, 3), 0, "row 3 has no sex: all zeros")
    }

    func testFittedOnTrainingRowsUnseenGetZeros() throws {
        var t = Table(columns: [
            Column(name: "id", data: .numeric([1, 2, 3, 4, 5, 6])),
            Column(name: "c", data: .text(["b", "a", nil, "b", "z", "y"])),
            Column(name: "after", data: .numeric([0, 0, 0, 0, 0, 0])),
        ], rowCount: 6, source: "t")
        let encoding = try OneHotEncoding.fit(t, column: "c", rows: [0, 1, 2, 3])
        XCTAssertEqual(encoding, OneHotEncoding(column: "c", categories: ["a", "b"]))
        let result = encoding.apply(to: &t)
        XCTAssertEqual(result.unseen, 2)
        XCTAssertEqual(result.firstUnseen, "z")
        XCTAssertEqual(t.columnNames, ["id", "c_a", "c_b", "after"])
        XCTAssertEqual(t.columns[1].data, .numeric([0, 1, 0, 0, 0, 0]))
        XCTAssertEqual(t.columns[2].data, .numeric([1, 0, 0, 1, 0, 0]))
        XCTAssertEqual(encoding.apply(to: &t).unseen, 0, "column already encoded: nothing to do")
        XCTAssertEqual(t.columnNames, ["id", "c_a", "c_b", "after"])
    }

    func testErrors() throws {
        let p = try BundledData.load("penguins").table
        XCTAssertThrowsError(try OneHotEncoding.fit(p, column: "year", rows: [0, 1])) {
            XCTAssertEqual(($0 as? TabularError)?.message,
                           "column 'year' holds numbers; one-hot encoding is for text columns")
        }
        XCTAssertThrowsError(try OneHotEncoding.fit(p, column: "islnd", rows: [0, 1])) {
            XCTAssertEqual(($0 as? TabularError)?.hint, "did you mean 'island'?")
        }
        XCTAssertThrowsError(try OneHotEncoding.fit(p, column: "sex", rows: [3, 8])) {
            XCTAssertEqual(($0 as? TabularError)?.message, "column 'sex' has no values in the 2 rows used for fitting")
        }
    }

    private func value(_ column: Column, _ row: Int) -> Double {
        guard case .numeric(let v) = column.data else { return .nan }
        return v[row]
    }
}
