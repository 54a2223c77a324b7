import XCTest
import Script

/// Each examples/NAME.dl runs through the interpreter and must print exactly
/// examples/NAME.out (durations masked), as in Crafting Interpreters' test suite.
final class TranscriptTests: XCTestCase {
    func transcript(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let script = try XCTUnwrap(Golden.read("examples/\(name).dl"), "examples/\(name).dl is missing")
        let output = CapturedOutput()
        let outcome = Interpreter(output: output).runScript(script, fileName: "examples/\(name).dl")
        let actual = Golden.maskingTimes(output.text)
        if Golden.updating { Golden.write("examples/\(name).out", actual) }
        let expected = try XCTUnwrap(Golden.read("examples/\(name).out"), "examples/\(name).out is missing; run with DL_UPDATE_GOLDEN=1")
        XCTAssertEqual(outcome, .ok, file: file, line: line)
        XCTAssertEqual(actual, expected, "transcript of \(name).dl differs", file: file, line: line)
    }

    func testIris() throws { try transcript("iris") }
    func testBreastCancer() throws { try transcript("breast_cancer") }
    func testDigits() throws { try transcript("digits") }
    func testDiabetes() throws { try transcript("diabetes") }
    func testMoons() throws { try transcript("moons") }
}
