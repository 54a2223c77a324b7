import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Plot

/// The series with its steps coloured by a signed value (`why N` on series data).
final class SeriesOverlayTests: XCTestCase {
    /// 12 steps of 2 channels; steps 2–3 push up, steps 8–9 push down, the rest nearly nothing.
    private func overlay() -> SeriesOverlay {
        let steps = 12, channels = 2
        var values: [Double] = [], contributions: [Double] = []
        for t in 0..<steps {
            for c in 0..<channels {
                values.append(sin(Double(t) / 2) + Double(c))
                contributions.append(t == 2 || t == 3 ? 0.5 : t == 8 || t == 9 ? -0.25 : 0.001)
            }
        }
        return SeriesOverlay(title: "contributions", steps: steps, channels: channels, values: values, contributions: contributions,
                             names: ["channel 0", "channel 1"], caption: "red pushed up")
    }

    func testStepSumsAddTheChannels() {
        let sums = overlay().stepSums
        XCTAssertEqual(sums.count, 12)
        XCTAssertEqual(sums[2], 1.0, accuracy: 1e-12)
        XCTAssertEqual(sums[8], -0.5, accuracy: 1e-12)
    }

    /// Colour: the strip in blocks, full red under the strongest push, blue under the pull;
    /// ASCII: "+" and "-" in the strip and no byte above 0x7F.
    func testTerminalStripAndColours() {
        let text = Chart.seriesOverlay(overlay()).terminal(TerminalStyle(width: 60, color: .truecolor))
        XCTAssertTrue(text.contains("█"), text)
        XCTAssertTrue(text.contains("\u{1B}[38;2;178;24;43m"), "full red for the strongest step: \(text)")
        XCTAssertTrue(text.contains("\u{1B}[38;2;"), text)
        let ascii = Chart.seriesOverlay(overlay()).terminal(TerminalStyle(width: 60, color: .none))
        XCTAssertTrue(ascii.utf8.allSatisfy { $0 < 0x80 }, ascii)
        let strip = ascii.split(separator: "\n").first { $0.drop { $0 == " " }.hasPrefix("|") && $0.contains("+") && $0.contains("-") }
        XCTAssertNotNil(strip, ascii)
        if let strip { XCTAssertLessThan(strip.firstIndex(of: "+")!, strip.firstIndex(of: "-")!, "the push comes before the pull: \(ascii)") }
        for line in ascii.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 60) }
    }

    func testSVGBandsLinesAndDots() throws {
        let svg = Chart.seriesOverlay(overlay()).svg()
        let document = try XMLDocument(xmlString: svg)
        XCTAssertEqual(try document.nodes(forXPath: "//*[local-name()='rect'][@class='step']").count, 12)
        XCTAssertEqual(svg.components(separatedBy: "class=\"step\"").count - 1, 12)
        XCTAssertEqual(svg.components(separatedBy: "class=\"series\"").count - 1, 2)
        XCTAssertEqual(svg.components(separatedBy: "class=\"contribution\"").count - 1, 24)
        XCTAssertTrue(svg.contains("data-step=\"2\" data-contribution=\"1.0\""), svg)
        XCTAssertTrue(svg.contains("red pushed up"))
    }
}
