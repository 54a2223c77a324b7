import Foundation
import XCTest
import DLCore
@testable import Tabular

/// Tabular's hints are plain words, never the shell's syntax (backticks, `key=`): where the
/// fix is a parameter or a statement, the error says so as a `problem` and the shell writes it.
final class PlainHintTests: XCTestCase {
    override func tearDown() {
        unsetenv(MemoryBudget.variable)
    }

    private func assertPlain(_ hint: String?, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotNil(hint, file: file, line: line)
        XCTAssertFalse(hint?.contains("`") ?? true, "a backtick in \(hint ?? "")", file: file, line: line)
        XCTAssertFalse(hint?.contains("=") ?? true, "a key= in \(hint ?? "")", file: file, line: line)
    }

    func testShapesTooLargeForMemoryNameNoParameters() {
        setenv(MemoryBudget.variable, "10K", 1)
        var rng = SeededRandom(seed: 1)
        XCTAssertThrowsError(try Shapes.make(n: 200, size: 28, classes: 4, noise: 0.1, rng: &rng)) { error in
            let error = error as? TabularError
            XCTAssertEqual(error?.message, "drawing 200 images of 28x28 would need about 630 KB but DL_MEMORY_LIMIT allows 10 KB")
            XCTAssertEqual(error?.hint, "ask for fewer or smaller images")
            XCTAssertEqual(error?.problem, .imagesTooLarge)
            assertPlain(error?.hint)
        }
    }

    func testADeviceIsRefusedWithAPlainHint() {
        XCTAssertThrowsError(try CSV.read(path: "/dev/null")) { error in
            let error = error as? TabularError
            XCTAssertEqual(error?.problem, .notARegularFile)
            assertPlain(error?.hint)
        }
    }
}
