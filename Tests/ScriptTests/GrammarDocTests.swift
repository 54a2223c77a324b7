import XCTest
@testable import Script

/// grammar.md's statement reference must equal what the statement table says.
final class GrammarDocTests: XCTestCase {
    static let begin = "<!-- statements:begin (generated from the statement table; a test keeps it equal) -->\n"
    static let end = "<!-- statements:end -->"

    func testGrammarReferenceMatchesStatementTable() throws {
        let doc = try XCTUnwrap(Golden.read("grammar.md"), "grammar.md is missing")
        let begin = try XCTUnwrap(doc.range(of: Self.begin), "grammar.md lacks the begin marker")
        let end = try XCTUnwrap(doc.range(of: Self.end), "grammar.md lacks the end marker")
        let documented = String(doc[begin.upperBound..<end.lowerBound])
        let expected = StatementTable.standard.markdownReference()
        if Golden.updating, documented != expected {
            Golden.write("grammar.md", String(doc[..<begin.upperBound]) + expected + String(doc[end.lowerBound...]))
        }
        XCTAssertEqual(documented, expected, "grammar.md's statement reference differs from the table; rerun with DL_UPDATE_GOLDEN=1")
    }

    func testEveryStatementIsInHelp() {
        let overview = HelpText.overview(.standard)
        for name in StatementTable.standard.names {
            XCTAssertTrue(overview.contains("  \(name) "), name)
            let spec = StatementTable.standard[name]!
            XCTAssertTrue(HelpText.render(spec.family, table: .standard).contains(spec.usage + "\n"), name)
        }
    }
}
