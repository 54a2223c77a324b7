import XCTest
@testable import Script

/// Teaching text wraps on a terminal with a hanging indent and stays one line in a pipe.
final class ParagraphTests: XCTestCase {
    let sentence = "The rows were shuffled, then cut: 120 to train on and 30 held back for `evaluate`, which the model never sees."

    func testWrapsAtTheWidthWithAHangingIndent() {
        let lines = Paragraph(sentence, prefix: "  | ", keepingPrefix: true).lines(width: 40)
        XCTAssertEqual(lines, [
            "  | The rows were shuffled, then cut:",
            "  |   120 to train on and 30 held back",
            "  |   for `evaluate`, which the model",
            "  |   never sees.",
        ])
        XCTAssertTrue(lines.allSatisfy { $0.count <= 40 })
        // Without a bar the continuation is spaces: the prefix's width and the hanging indent.
        XCTAssertEqual(Paragraph("tour: a b c d e f g", hanging: 2).lines(width: 12), ["tour: a b c", "  d e f g"])
        XCTAssertEqual(Paragraph("a b c d e f g h", prefix: "  ", hanging: 2).lines(width: 9), ["  a b c d", "    e f g", "    h"])
    }

    func testOneLineWithoutAWidthOrWhenItFits() {
        XCTAssertEqual(Paragraph(sentence, prefix: "  | ").lines(width: nil), ["  | " + sentence])
        XCTAssertEqual(Paragraph("short", prefix: "  ").lines(width: 40), ["  short"])
    }

    /// A statement in backticks is never split across lines, and a word longer than a line
    /// gets a line to itself.
    func testStatementsAndLongWordsStayWhole() {
        let lines = Paragraph("tour: the task is still `dense 3 softmax`; `tour off` leaves the tour.").lines(width: 30)
        XCTAssertEqual(lines, ["tour: the task is still", "  `dense 3 softmax`;", "  `tour off` leaves the tour."])
        XCTAssertEqual(Paragraph("see datasets/a_rather_long_file_name.csv now").lines(width: 20),
                       ["see", "  datasets/a_rather_long_file_name.csv", "  now"])
    }

    /// Faint text is styled on every line, so a wrapped line is not left unstyled.
    func testFaintStyleOnEveryLine() {
        let text = Paragraph("one two three four", prefix: "  | ", keepingPrefix: true, faint: true).rendered(width: 14, color: true)
        XCTAssertEqual(text, "\u{1B}[2m  | one two\u{1B}[0m\n\u{1B}[2m  |   three\u{1B}[0m\n\u{1B}[2m  |   four\u{1B}[0m\n")
        XCTAssertEqual(Paragraph("one two", faint: true).rendered(width: nil, color: false), "one two\n")
    }

    /// A sink that is not a terminal (a pipe, a test, the JSON mode) gets each paragraph as one line.
    func testAPipeGetsOneLine() {
        let output = CapturedOutput(width: 30)
        output.write(paragraph: Paragraph(sentence, prefix: "  | "))
        XCTAssertEqual(output.text, "  | " + sentence + "\n")
    }
}
