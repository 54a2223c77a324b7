import XCTest
@testable import Script

/// Whatever was typed, an error fits on a screen and shows what is there: a huge line is
/// cut around the caret, and characters that print as nothing or reverse the text are named.
final class DiagnosticReadabilityTests: XCTestCase {
    private func render(_ source: String) -> String {
        let parser = Parser(source: source)
        var diagnostics = parser.diagnostics
        let checker = Checker(table: .standard)
        for statement in parser.statements {
            do { _ = try checker.check(statement) } catch let diagnostic as Diagnostic { diagnostics.append(diagnostic) } catch {}
        }
        let renderer = DiagnosticRenderer(fileName: "t.dl", source: source, useColor: false)
        return diagnostics.map(renderer.render).joined()
    }

    func testAHugeLineIsCutAroundTheCaret() {
        let text = render("load iris target=" + String(repeating: "y", count: 200_000) + " bogus=1")
        let lines = text.split(separator: "\n")
        XCTAssertLessThan(text.count, 1_000, text)
        XCTAssertTrue(lines.allSatisfy { $0.count < 220 }, text)
        // The excerpt ends at the unknown key, and the caret sits under it.
        let source = lines.first { $0.contains(" | ") && $0.contains("bogus") }!
        let caret = lines.first { $0.contains("^") }!
        XCTAssertTrue(source.hasPrefix("    1 | …"), String(source))
        XCTAssertEqual(caret.firstIndex(of: "^")!.utf16Offset(in: caret), source.range(of: "bogus")!.lowerBound.utf16Offset(in: source))
    }

    func testALongWordInTheMessageIsElided() {
        let text = render(String(repeating: "x", count: 5_000))
        XCTAssertTrue(text.contains("error: unknown statement '" + String(repeating: "x", count: 39) + "…"), text)
        XCTAssertLessThan(text.count, 600)
    }

    func testInvisibleCharactersAreNamedNotPrinted() {
        let override = render("\u{202E}dense 3")
        XCTAssertTrue(override.contains("unexpected character U+202E (an invisible or control character)"), override)
        XCTAssertFalse(override.contains("\u{202E}"), "a direction override would reverse the terminal's text")
        XCTAssertTrue(override.contains("    1 | \u{FFFD}dense 3"), override)

        let nul = render("dense 3 softmax\u{0}")
        XCTAssertTrue(nul.contains("unexpected character U+0000"), nul)
        XCTAssertFalse(nul.contains("\u{0}"))
    }

    func testVisibleCharactersAreQuotedWithTheirCodePoint() {
        let text = render("help 💥")
        XCTAssertTrue(text.contains("unexpected character '💥' (U+1F4A5)"), text)
        XCTAssertTrue(text.contains("    1 | help 💥"), text)
    }
}
