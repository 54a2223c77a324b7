import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Plot

/// The signed bars of `importance` and `why`, and the image map beside its picture.
final class AttributionChartTests: XCTestCase {
    static let bars = SignedBars(title: "contributions to p(virginica), from the mean training row",
                                 labels: ["petal_width_cm = 2.1 pushed towards virginica", "sepal_width_cm = 3 pushed away from virginica",
                                          "petal_length_cm = 5.6 pushed towards virginica"],
                                 values: [0.41, -0.12, 0.2], valueTexts: ["(+0.4100)", "(-0.1200)", "(+0.2000)"],
                                 footnote: "contributions add up to +0.4900; prediction - baseline = 0.9000 - 0.4100 = +0.4900 (gap 1e-06, 64 steps)")
    static let importance = SignedBars(title: "permutation importance: drop in R²", labels: ["bmi", "s5", "s6"],
                                       values: [0.31, 0.15, -0.01], valueTexts: ["0.3100 ± 0.0600", "0.1500 ± 0.0200", "-0.0100 ± 0.0100"],
                                       errors: [0.06, 0.02, 0.01], footnote: "R² 0.53 on 88 test rows")
    static let overlay = ImageOverlay(title: "contributions to p(6), from the mean training image",
                                      image: (0..<64).map { Double($0 % 8) }, values: (0..<64).map { (Double($0) - 31.5) / 31.5 },
                                      height: 8, width: 8, caption: "left: the row; right: red pushed towards 6, blue away from 6")
    static let charts: [Chart] = [.bars(bars), .bars(importance), .overlay(overlay)]

    func testASCIIIsPlainAndNarrow() {
        for chart in Self.charts {
            for width in [30, 60, 80, 132] {
                let text = chart.terminal(TerminalStyle(width: width, color: .none))
                XCTAssertFalse(text.utf8.contains { $0 >= 0x80 || $0 == 0x1B }, "\(chart.title) at \(width)")
                for line in text.split(separator: "\n") {
                    XCTAssertLessThanOrEqual(line.count, width, "\(chart.title) at \(width): \(line)")
                }
            }
        }
        let importance = Chart.bars(Self.importance).terminal(TerminalStyle(width: 80, color: .none))
        XCTAssertTrue(importance.contains("0.3100 +/- 0.0600"), importance)
        XCTAssertTrue(importance.contains("drop in R^2"), importance)
    }

    /// Positive bars go right of the axis, negative ones left, on one scale.
    func testBarsAreSignedAroundOneAxis() throws {
        let text = Chart.bars(Self.bars).terminal(TerminalStyle(width: 100, color: .none))
        let lines = text.split(separator: "\n").map(String.init)
        let positive = try XCTUnwrap(lines.first { $0.hasPrefix("petal_width_cm") })
        let negative = try XCTUnwrap(lines.first { $0.hasPrefix("sepal_width_cm") })
        let half = try XCTUnwrap(lines.first { $0.hasPrefix("petal_length_cm") })
        let axis = try XCTUnwrap(positive.firstIndex(of: "|"))
        XCTAssertEqual(negative.firstIndex(of: "|").map { negative.distance(from: negative.startIndex, to: $0) },
                       positive.distance(from: positive.startIndex, to: axis))
        XCTAssertFalse(negative.contains("+++"))
        XCTAssertTrue(negative.contains("---|"), negative)
        let long = positive.filter { $0 == "+" }.count - 1, short = half.filter { $0 == "+" }.count - 1
        XCTAssertEqual(Double(short) / Double(long), 0.2 / 0.41, accuracy: 0.1, "\(positive)\n\(half)")
        XCTAssertTrue(text.contains("gap 1e-06"), "the footnote wraps rather than being cut: \(text)")
    }

    func testColourStaysWithinTheWidth() {
        for chart in Self.charts {
            let text = chart.terminal(TerminalStyle(width: 80, color: .truecolor))
            XCTAssertTrue(text.contains("38;2;"), chart.title)
            for line in text.split(separator: "\n") {
                XCTAssertLessThanOrEqual(visibleWidth(String(line)), 80, "\(chart.title): \(line)")
            }
        }
    }

    func testSVGIsWellFormedWithOneBarOrTwoPanels() throws {
        let bars = try XMLDocument(xmlString: Chart.bars(Self.importance).svg())
        XCTAssertEqual(try bars.nodes(forXPath: "//*[local-name()='rect'][@class='bar']").count, 3)
        XCTAssertEqual(try bars.nodes(forXPath: "//*[local-name()='line'][@class='whisker']").count, 3)
        let overlay = try XMLDocument(xmlString: Chart.overlay(Self.overlay).svg())
        XCTAssertEqual(try overlay.nodes(forXPath: "//*[local-name()='rect'][@class='pixel']").count, 128, "the picture and the map")
        let svg = Chart.overlay(Self.overlay).svg()
        XCTAssertTrue(svg.contains("#b2182b"), "the strongest positive pixel is full red")
        XCTAssertTrue(svg.contains("#2166ac"), "the strongest negative pixel is full blue")
    }
}
