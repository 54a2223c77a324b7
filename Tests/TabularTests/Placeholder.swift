import XCTest
final class TabularTestsPlaceholder: XCTestCase { func testNothingYet() {} }
