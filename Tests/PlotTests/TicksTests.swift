import XCTest
@testable import Plot

final class TicksTests: XCTestCase {
    func testNiceTicksTable() {
        let table: [(Double, Double, Int, [Double])] = [
            (0, 1, 6, [0, 0.2, 0.4, 0.6, 0.8, 1]),
            (0, 10, 6, [0, 2, 4, 6, 8, 10]),
            (0.3, 9.7, 6, [0, 2, 4, 6, 8, 10]),
            (-1, 1, 5, [-1, -0.5, 0, 0.5, 1]),
            (0.26, 1.25, 5, [0, 0.5, 1, 1.5]),
            (1, 10, 8, [0, 2, 4, 6, 8, 10]),
            (4.3, 7.9, 8, [4, 5, 6, 7, 8]),
            (0, 1000, 6, [0, 200, 400, 600, 800, 1000]),
            (0.001, 0.0042, 5, [0.001, 0.002, 0.003, 0.004, 0.005]),
            (-37, 112, 6, [-50, 0, 50, 100, 150]),
            (5, 5, 6, [4.5, 5, 5.5]),
            (0, 0, 5, [-1, -0.5, 0, 0.5, 1]),
        ]
        for (lo, hi, count, expected) in table {
            XCTAssertEqual(niceTicks(lo, hi, maxCount: count), expected, "\(lo)...\(hi) max \(count)")
        }
    }

    func testTicksAreExactDecimals() {
        // 3 × 0.1 must come out as 0.3, not 0.30000000000000004.
        XCTAssertEqual(niceTicks(0, 0.5, maxCount: 6), [0, 0.1, 0.2, 0.3, 0.4, 0.5])
        XCTAssertEqual(Scale.nice(0, 0.5, maxTicks: 6).labels, ["0.0", "0.1", "0.2", "0.3", "0.4", "0.5"])
    }

    func testFixedScaleKeepsItsDomain() {
        let s = Scale.fixed(-1.3, 2.7, maxTicks: 5)
        XCTAssertEqual(s.lo, -1.3)
        XCTAssertEqual(s.hi, 2.7)
        XCTAssertEqual(s.ticks, [-1, 0, 1, 2])
        // Step 5 would leave only the tick at 5; one tick more than asked beats a lone one.
        XCTAssertEqual(Scale.fixed(0.86, 8.04, maxTicks: 3).ticks, [2, 4, 6, 8])
    }

    func testNumberFormatting() {
        XCTAssertEqual(formatFixed(0.125, decimals: 2), "0.13")
        XCTAssertEqual(formatFixed(-0.004, decimals: 2), "0.00")
        XCTAssertEqual(formatFixed(-1.5, decimals: 0), "-2")
        XCTAssertEqual(formatFixed(3, decimals: 3), "3.000")
        XCTAssertEqual(formatFixed(0.05, decimals: 3), "0.050")
        XCTAssertEqual(formatShort(4.6333333), "4.633")
        XCTAssertEqual(formatShort(4.6333333, significant: 3), "4.63")
        XCTAssertEqual(formatShort(1200), "1200")
        XCTAssertEqual(formatShort(-0.5), "-0.5")
        XCTAssertEqual(formatShort(12345678), "1.235e7")
        XCTAssertEqual(formatScientific(0.00002), "2e-5")
        XCTAssertEqual(Scale.nice(0, 3e7, maxTicks: 4).labels, ["0", "1e7", "2e7", "3e7"])
    }
}
