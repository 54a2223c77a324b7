import XCTest
@testable import Script

/// Numbers as tables print them, over the whole range of a Double (the fuzzer found that
/// `describe` of a column holding 1e-45 crashed converting 10^48 to an Int).
final class FormatTests: XCTestCase {
    func testSignificantDigitsTable() {
        let cases: [(Double, String)] = [
            (0, "0"), (1, "1"), (-2.5, "-2.5"), (0.1234567, "0.1235"), (5843.21, "5843"),
            (123456789, "123456789"), (0.00012345, "0.0001235"),
            (1e-45, "1e-45"), (-1.40129846e-45, "-1.401e-45"), (3.4028235e38, "3.403e+38"),
            (9.99996e20, "1e+21"), (1e300, "1e+300"), (5e-324, "4.941e-324"), (.greatestFiniteMagnitude, "1.798e+308"),
            (.nan, "NaN"), (-.infinity, "-inf"),
        ]
        for (value, expected) in cases {
            XCTAssertEqual(Format.significant(value, 4), expected, "\(value)")
        }
    }

    func testFixedWithMoreDecimalsThanADoubleHolds() {
        XCTAssertEqual(Format.fixed(0.98765, 4), "0.9877")
        XCTAssertEqual(Format.fixed(1e-45, 48), "1e-45")
    }
}
