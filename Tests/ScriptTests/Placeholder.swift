import XCTest
final class ScriptTestsPlaceholder: XCTestCase { func testNothingYet() {} }
