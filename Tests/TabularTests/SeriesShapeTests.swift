import XCTest
@testable import Tabular

/// Dataset.setSeriesShape: a table where each row is one series (the UCR layout).
final class SeriesShapeTests: XCTestCase {
    /// A label column then `values` value columns, 3 rows; row r holds 100r + column.
    private func seriesTable(values: Int) throws -> Dataset {
        let header = (["label"] + (0..<values).map { "t\($0)" }).joined(separator: ",")
        let rows = (0..<3).map { r in ([String(r % 2)] + (0..<values).map { String(100 * r + $0) }).joined(separator: ",") }
        let table = try CSV.parse(bytes: Array((([header] + rows).joined(separator: "\n") + "\n").utf8), source: "series.csv")
        return try table.dataset(target: "label", task: .classification)
    }

    func testSeriesShapeKeepsTheFeaturesChannelFastest() throws {
        var data = try seriesTable(values: 6)
        try data.setSeriesShape([3, 2])
        XCTAssertEqual(data.seriesShape, [3, 2])
        // Step s, channel c is feature s * channels + c: row 1's step 2, channel 1 is column t5.
        XCTAssertEqual(data.featureMatrix.row(1)[2 * 2 + 1], 105)
        XCTAssertEqual(data.rows([2, 0]).seriesShape, [3, 2], "subsets keep the shape")
        XCTAssertEqual(data.featureCount, 6, "features are unchanged")
    }

    func testSeriesAndImageShapesReplaceEachOther() throws {
        var data = try seriesTable(values: 4)
        try data.setImageShape([2, 2, 1])
        try data.setSeriesShape([4, 1])
        XCTAssertEqual(data.seriesShape, [4, 1])
        XCTAssertNil(data.imageShape, "a row is a series or an image, not both")
        try data.setImageShape([2, 2, 1])
        XCTAssertNil(data.seriesShape)
        XCTAssertEqual(data.imageShape, [2, 2, 1])
    }

    func testWrongFeatureCountNamesBothCounts() throws {
        var data = try seriesTable(values: 149)
        XCTAssertThrowsError(try data.setSeriesShape([150, 1])) { error in
            let error = error as! TabularError
            XCTAssertTrue(error.message.contains("149 features"), error.message)
            XCTAssertTrue(error.message.contains("150x1"), error.message)
            XCTAssertTrue(error.message.contains("needs 150"), error.message)
            XCTAssertEqual(error.hint, "149 features make 149 steps of 1 channel: `input 149x1`")
        }
        XCTAssertNil(data.seriesShape, "a failed declaration changes nothing")
        XCTAssertThrowsError(try data.setSeriesShape([0, 1]))
        XCTAssertThrowsError(try data.setSeriesShape([Int.max, 2]), "an overflowing shape reports rather than traps")
        try data.setSeriesShape([149, 1])
        XCTAssertEqual(data.seriesShape, [149, 1])
    }
}
