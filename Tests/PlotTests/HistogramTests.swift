import XCTest
@testable import Plot

final class HistogramTests: XCTestCase {
    /// Expected counts from numpy:
    /// `len(np.histogram_bin_edges(np.array(d, dtype=float), 'auto')) - 1`.
    func testAutoBinCountMatchesNumpy() {
        XCTAssertEqual(HistogramBins.autoCount([1, 2, 2, 3, 3, 3, 4, 4, 5, 10, 11, 12, 13, 30]), 5)
        XCTAssertEqual(HistogramBins.autoCount((0..<100).map { Double(($0 * $0) % 97) }), 8)
        XCTAssertEqual(HistogramBins.autoCount([5, 5, 5]), 1)
        // IQR 0: Freedman–Diaconis gives 0; numpy 2 raises it to half the square-root width.
        XCTAssertEqual(HistogramBins.autoCount([1, 1, 1, 1, 1, 1, 1, 2, 9]), 6)
        XCTAssertEqual(HistogramBins.autoCount((0..<1000).map { Double(($0 * 37) % 1000) / 7 }), 11)
        XCTAssertEqual(HistogramBins.autoCount((0..<500).map { exp(Double($0 % 50) / 10) }), 15)
        XCTAssertEqual(HistogramBins.autoCount([]), 1)
    }

    /// np.histogram([1,2,2,3,3,3,4,4,5,10,11,12,13,30], bins=4)
    /// → counts [9, 4, 0, 1], edges [1, 8.25, 15.5, 22.75, 30].
    func testCountsAndEdgesMatchNumpy() {
        let h = HistogramBins(values: [1, 2, 2, 3, 3, 3, 4, 4, 5, 10, 11, 12, 13, 30, .nan, .infinity], bins: 4)
        XCTAssertEqual(h.counts, [9, 4, 0, 1])
        XCTAssertEqual(h.edges, [1, 8.25, 15.5, 22.75, 30])
        // The last bin includes its right edge; a constant column gets ±0.5.
        XCTAssertEqual(HistogramBins(values: [2, 2], bins: 2).edges, [1.5, 2, 2.5])
        XCTAssertEqual(HistogramBins(values: [2, 2], bins: 2).counts, [0, 2])
    }

    func testAutomaticBinsAreUsedWhenBinsIsNil() {
        let h = Histogram(title: "t", xLabel: "v", values: (0..<100).map { Double(($0 * $0) % 97) })
        XCTAssertEqual(h.computedBins.counts.count, 8)
        XCTAssertEqual(h.computedBins.counts.reduce(0, +), 100)
    }

    func testTukeyBox() throws {
        // numpy.percentile([1..9, 30], [25, 50, 75]) = 3.25, 5.5, 7.75; fences -3.5 and 14.5.
        let b = try XCTUnwrap(BoxStats.tukey(name: "c", values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 30, .nan]))
        XCTAssertEqual(b.q1, 3.25)
        XCTAssertEqual(b.median, 5.5)
        XCTAssertEqual(b.q3, 7.75)
        XCTAssertEqual(b.lowerWhisker, 1)
        XCTAssertEqual(b.upperWhisker, 9)
        XCTAssertEqual(b.outliers, [30])
        XCTAssertNil(BoxStats.tukey(name: "empty", values: [.nan]))
    }
}
