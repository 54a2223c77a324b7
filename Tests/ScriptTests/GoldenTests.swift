import XCTest

/// The comparison used off the Haswell kernel family must still catch what a transcript
/// test is for: changed words, lost lines and numbers that moved beyond rounding.
final class GoldenTests: XCTestCase {
    let golden = """
        Epoch   1/20  ====================  loss 0.8536  accuracy 0.6500  <time>
        trained 20 epochs on 120 rows in <time>: loss 0.0712, accuracy 0.9750
        loss 0.0814  accuracy 0.9667 (29/30 correct)
        circle               100       0
        """

    func testExactComparisonWantsEveryByte() {
        XCTAssertNil(Golden.mismatch(golden, golden, exact: true))
        XCTAssertNotNil(Golden.mismatch(golden.replacingOccurrences(of: "0.0712", with: "0.0713"), golden, exact: true))
    }

    func testRoundingDriftIsAccepted() {
        let drifted = golden.replacingOccurrences(of: "0.8536", with: "0.6101") // a progress line drifts freely
            .replacingOccurrences(of: "0.0712", with: "0.0709")
            .replacingOccurrences(of: "0.9667 (29/30", with: "0.9600 (28/30")
            .replacingOccurrences(of: "circle               100", with: "circle                99")
        XCTAssertNil(Golden.mismatch(drifted, golden, exact: false))
    }

    func testRealChangesAreCaught() {
        let cases = [
            golden.replacingOccurrences(of: "accuracy 0.9667", with: "acc 0.9667"),          // words
            golden.replacingOccurrences(of: "0.9667 (29/30", with: "0.8667 (26/30"),          // a figure
            golden.replacingOccurrences(of: "on 120 rows", with: "on 150 rows"),              // a count
            golden.replacingOccurrences(of: "\ncircle               100       0", with: ""), // a line
            golden.replacingOccurrences(of: "Epoch   1/20", with: "Epoch   1/200"),           // a progress line's shape
        ]
        for (i, changed) in cases.enumerated() {
            XCTAssertNotNil(Golden.mismatch(changed, golden, exact: false), "case \(i)")
        }
    }
}

/// Pictures drawn with the shading ramp: a pixel one shade off is rounding, more is a change.
final class GoldenShadingTests: XCTestCase {
    let picture = "==**==     ----++     ##::%%     --==++       ..::"

    func testOneShadeApartIsAccepted() {
        let drifted = "==**==     ----++     ##::%%     --==++     ....::"
        XCTAssertNil(Golden.mismatch(drifted, picture, exact: false))
        XCTAssertNotNil(Golden.mismatch(drifted, picture, exact: true))
    }

    func testFartherShadesAndOtherTextAreCaught() {
        XCTAssertNotNil(Golden.mismatch("==**==     ----++     ##::%%     --==++     ==..::", picture, exact: false))
        XCTAssertNotNil(Golden.mismatch("==**==     ----++     ##::%%     --==++     a ..::", picture, exact: false))
        XCTAssertNotNil(Golden.mismatch("==**==     ----++     ##::%%     --==++       ..:", picture, exact: false))
    }
}
