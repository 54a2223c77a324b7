import XCTest
import Script

/// Runs lines as typed at the prompt, one interpreter for all of them.
func runLines(_ lines: [String], width: Int = 100) -> (text: String, outcomes: [RunOutcome]) {
    let output = CapturedOutput(width: width)
    let interpreter = Interpreter(output: output)
    let outcomes = lines.enumerated().map { interpreter.runInteractive($1, lineNumber: $0 + 1) }
    return (output.text, outcomes)
}

/// Every fragment must appear in what the lines print (and the outcomes match, when given).
func assertOutput(_ lines: [String], _ expected: [String], outcomes: [RunOutcome]? = nil,
                  file: StaticString = #filePath, line: UInt = #line) {
    let (text, results) = runLines(lines)
    if let outcomes { XCTAssertEqual(results, outcomes, text, file: file, line: line) }
    for fragment in expected {
        XCTAssertTrue(text.contains(fragment), "expected «\(fragment)» in:\n\(text)", file: file, line: line)
    }
}
