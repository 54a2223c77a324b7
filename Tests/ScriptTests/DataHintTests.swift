import XCTest
import DLCore
@testable import Script

/// Data errors from Tabular come in plain words; the hint that names dl's parameters or
/// statements is the shell's, added where the error becomes a diagnostic.
final class DataHintTests: XCTestCase {
    override func tearDown() {
        unsetenv(MemoryBudget.variable)
    }

    func testShapesTooLargeForMemoryHintNamesTheParameters() {
        setenv(MemoryBudget.variable, "10K", 1)
        let (text, outcomes) = runLines(["load shapes n=200 size=28"])
        XCTAssertEqual(outcomes, [.runtimeError], text)
        XCTAssertTrue(text.contains("error: drawing 200 images of 28x28 would need about 630 KB but DL_MEMORY_LIMIT allows 10 KB"), text)
        XCTAssertTrue(text.contains("hint: ask for fewer or smaller images (`n=`, `size=`)"), text)
    }

    func testADeviceIsRefusedWithTheLoadOfAFileAsHint() {
        let (text, outcomes) = runLines(["load \"/dev/null\""])
        XCTAssertEqual(outcomes, [.runtimeError], text)
        XCTAssertTrue(text.contains("error: cannot read '/dev/null': it is a device, not a CSV file"), text)
        XCTAssertTrue(text.contains("hint: save the data to a file first, e.g. `cat … > data.csv`, then `load \"data.csv\"`"), text)
    }
}
