import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Plot

/// The columns of small pictures of `plot units` and `plot activations`.
final class PanelGridTests: XCTestCase {
    static func ramp(_ h: Int, _ w: Int, _ k: Int) -> [Double] { (0..<(h * w)).map { Double(($0 * (k + 1)) % 17) - 8 } }
    static let units = PanelGrid(
        title: "Units over x1 (across) and x2 (up), 30 epochs",
        columns: [PanelGrid.Column(title: "inputs", height: 16, width: 16, panels: (0..<2).map { PanelGrid.Panel(values: ramp(16, 16, $0), caption: "x\($0 + 1)", range: -8...8) }),
                  PanelGrid.Column(title: "dense 6 tanh", height: 16, width: 16, panels: (0..<6).map { PanelGrid.Panel(values: ramp(16, 16, $0), caption: "unit \($0 + 1) (8.00)", range: -8...8) }),
                  PanelGrid.Column(title: "dense 4 tanh", height: 16, width: 16, panels: (0..<4).map { PanelGrid.Panel(values: ramp(16, 16, $0), caption: "unit \($0 + 1) (8.00)", range: -8...8) }),
                  PanelGrid.Column(title: "output", height: 16, width: 16, panels: (0..<2).map { PanelGrid.Panel(values: ramp(16, 16, $0), caption: "p(\($0))", range: -8...8) })],
        scale: .diverging, key: "orange below 0, white 0, blue above", asciiKey: "O o below 0, blank near 0, + # above")
    static let maps = PanelGrid(
        title: "Feature maps of row 3, predicted 3",
        columns: [PanelGrid.Column(title: "input", height: 8, width: 8, panels: [PanelGrid.Panel(values: ramp(8, 8, 0), caption: "row 3: 3", range: -8...8)]),
                  PanelGrid.Column(title: "conv 3x3 filters=8 pad=same relu", height: 8, width: 8,
                                   panels: (0..<8).map { PanelGrid.Panel(values: ramp(8, 8, $0), caption: "map \($0 + 1)", range: -8...8) }),
                  PanelGrid.Column(title: "pool 2x2 max", height: 4, width: 4,
                                   panels: (0..<8).map { PanelGrid.Panel(values: ramp(4, 4, $0), caption: "map \($0 + 1)", range: -8...8) })],
        scale: .grey, key: "black is the layer's smallest value, white its largest", asciiKey: "blank is the layer's smallest value, @ its largest")

    func testTerminalLinesFitTheWidthAndASCIIIsPlain() {
        for grid in [Self.units, Self.maps] {
            for width in [30, 60, 80, 132] {
                let ascii = Chart.panels(grid).terminal(TerminalStyle(width: width, color: .none))
                XCTAssertFalse(ascii.utf8.contains { $0 >= 0x80 || $0 == 0x1B }, "\(grid.title) at \(width)")
                let colour = Chart.panels(grid).terminal(TerminalStyle(width: width, color: .truecolor))
                for text in [ascii, colour] {
                    for line in text.split(separator: "\n") {
                        let visible = line.replacingOccurrences(of: #"\u{1B}\[[0-9;]*m"#, with: "", options: .regularExpression)
                        XCTAssertLessThanOrEqual(visible.count, width, "\(grid.title) at \(width): \(visible)")
                    }
                }
            }
        }
    }

    /// Columns side by side while they fit (four of 16 at 80), the rest in a band below; small maps are zoomed.
    func testLayoutAndZoom() {
        let lines = Chart.panels(Self.units).terminal(TerminalStyle(width: 80, color: .none)).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(lines[1].contains("inputs") && lines[1].contains("dense 6 tanh") && lines[1].contains("output"), String(lines[1]))
        let narrow = Chart.panels(Self.units).terminal(TerminalStyle(width: 40, color: .none))
        XCTAssertTrue(narrow.contains("dense 4 tanh"), narrow)
        XCTAssertLessThan(narrow.components(separatedBy: "\n").firstIndex { $0.contains("inputs") }!,
                          narrow.components(separatedBy: "\n").firstIndex { $0.contains("dense 4 tanh") }!, "a second band")
        // The 4 x 4 pooled maps are drawn 16 columns wide, as wide as the 8 x 8 ones.
        let maps = Chart.panels(Self.maps).terminal(TerminalStyle(width: 80, color: .truecolor))
        XCTAssertTrue(maps.contains("map 8"), maps)
        XCTAssertTrue(Chart.panels(Self.maps).terminal(TerminalStyle(width: 80, color: .none)).contains("blank is the layer's smallest value"))
    }

    func testSVGIsWellFormedWithEveryPanel() throws {
        for grid in [Self.units, Self.maps] {
            let svg = Chart.panels(grid).svg()
            let document = try XMLDocument(xmlString: svg)
            let frames = try document.nodes(forXPath: "//*[@class='frame']").count
            XCTAssertEqual(frames, grid.columns.map(\.panels.count).reduce(0, +))
            XCTAssertTrue(svg.contains(xmlEscaped(grid.key)), grid.key)
        }
    }
}
