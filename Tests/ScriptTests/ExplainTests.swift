import XCTest
@testable import Script

/// `explain on`: every statement has two to five lines, and the ones that teach with
/// numbers use this session's numbers.
final class ExplainTests: XCTestCase {
    /// Each statement's explanation, given its own first example on a session with trained
    /// iris weights, has two to five non-empty lines (`explain off` alone says nothing).
    func testEveryStatementHasAnExplanation() throws {
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        for line in ["load iris", "split 0.8 stratify", "scale minmax", "dense 8 relu", "dense 3 softmax", "train epochs=2",
                     "explain on"] {
            XCTAssertEqual(interpreter.runInteractive(line), .ok, output.text)
        }
        let checker = Checker(table: .standard)
        for spec in StatementTable.standard.statements {
            let example = try XCTUnwrap(spec.examples.first, spec.name)
            let (_, command) = try checker.check(Parser(source: example, firstLine: 1).statements[0])
            let lines = command.explain(in: interpreter.session)
            XCTAssertTrue((2...5).contains(lines.count), "\(spec.name): \(lines)")
            XCTAssertFalse(lines.contains { $0.trimmingCharacters(in: .whitespaces).isEmpty }, "\(spec.name): \(lines)")
        }
    }

    func testTheNumbersAreTheSessions() {
        assertOutput(["explain on", "load iris", "split 0.8 stratify", "scale minmax", "dense 64 relu", "dense 3 softmax",
                      "train lr=0.1 epochs=20 batch=32"], [
            "  | Test rows: 10 of class setosa, 10 of class versicolor, 10 of class virginica.",
            "`stratify` kept each class's share the same in both parts",
            "  | x' = (x − min) / (max − min) maps every feature onto [0, 1]: 'sepal_length_cm' min 4.3, max 7.9; 'sepal_width_cm' min 2, max 4.4.",
            "fitted on the 120 training rows and applied unchanged to the 30 test rows",
            "  | It adds (4 inputs + 1 bias) × 64 units = 320 weights",
            "relu passes positive values and turns negative ones into 0",
            "  | It adds (64 inputs + 1 bias) × 3 units = 195 weights",
            "It minimised the cross-entropy (−log of the probability given to the true class) on 120 rows: 4 batches of up to 32 rows per epoch, × 20 epochs = 80 steps.",
        ])
    }

    func testOffStopsTheLines() {
        let (text, _) = runLines(["explain on", "explain off", "load iris", "split 0.8"])
        XCTAssertEqual(text.components(separatedBy: "  | ").count - 1, 2, "only explain on's own two lines:\n\(text)")
    }
}
