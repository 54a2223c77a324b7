import XCTest
final class PlotTestsPlaceholder: XCTestCase { func testNothingYet() {} }
