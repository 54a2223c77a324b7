import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Plot

final class TerminalTests: XCTestCase {
    static let allCharts: [Chart] = [.line(Samples.loss), .scatter(Samples.scatter), .histogram(Samples.histogram),
                                     .box(Samples.box), .heatmap(Samples.heatmap), .regions(Samples.regions)]

    func testASCIIOutputIsPlainNarrowAndDeterministic() {
        for chart in Self.allCharts {
            for width in [30, 40, 60, 80, 132] {
                let style = TerminalStyle(width: width, color: .none)
                let text = chart.terminal(style)
                XCTAssertTrue(text.hasSuffix("\n"), chart.title)
                XCTAssertFalse(text.utf8.contains { $0 >= 0x80 || $0 == 0x1B }, "\(chart.title) at \(width)")
                for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                    XCTAssertLessThanOrEqual(line.utf8.count, width, "\(chart.title) at \(width): \(line)")
                }
                XCTAssertEqual(text, chart.terminal(style), "deterministic: \(chart.title)")
                XCTAssertGreaterThan(text.split(separator: "\n").count, 5, chart.title)
            }
        }
    }

    func testColourOutputHasEscapesAndStaysWithinTheWidth() {
        for chart in Self.allCharts {
            let truecolor = chart.terminal(TerminalStyle(width: 80, color: .truecolor))
            XCTAssertTrue(truecolor.contains("\u{1B}["), chart.title)
            XCTAssertTrue(truecolor.contains("38;2;") || truecolor.contains("48;2;"), chart.title)
            let ansi = chart.terminal(TerminalStyle(width: 80, color: .ansi256))
            XCTAssertTrue(ansi.contains("38;5;") || ansi.contains("48;5;"), chart.title)
            XCTAssertFalse(ansi.contains("38;2;"), chart.title)
            for line in truecolor.split(separator: "\n") {
                XCTAssertLessThanOrEqual(visibleWidth(String(line)), 80, "\(chart.title): \(line)")
                // Every coloured line ends with a reset so colour never leaks.
                if let last = line.range(of: "\u{1B}[", options: .backwards) {
                    XCTAssertTrue(line[last.lowerBound...].hasPrefix("\u{1B}[0m"), "\(chart.title): \(line)")
                }
            }
        }
        XCTAssertTrue(Chart.line(Samples.loss).terminal(TerminalStyle(width: 80, color: .truecolor)).contains("38;2;0;114;178m"))
    }

    func testUnicodeCharactersInColourModes() {
        let line = Chart.line(Samples.loss).terminal(TerminalStyle(width: 80, color: .truecolor))
        XCTAssertTrue(line.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }, "braille dots")
        let hist = Chart.histogram(Samples.histogram).terminal(TerminalStyle(width: 80, color: .ansi256))
        XCTAssertTrue(hist.contains("█"))
        let box = Chart.box(Samples.box).terminal(TerminalStyle(width: 80, color: .truecolor))
        XCTAssertTrue(box.contains("├") && box.contains("┤") && box.contains("•"))
        let regions = Chart.regions(Samples.regions).terminal(TerminalStyle(width: 80, color: .truecolor))
        XCTAssertTrue(regions.contains("▀") && regions.contains("48;2;"))
    }

    func testNonASCIINamesAreReplacedInASCIIMode() {
        let chart = LineChart(title: "Größe über Zeit", xLabel: "Zeit → s", yLabel: "µm",
                              series: [Series(name: "naïve", x: [0, 1], y: [0, 1])])
        let text = Chart.line(chart).terminal(TerminalStyle(width: 50, color: .none))
        XCTAssertFalse(text.utf8.contains { $0 >= 0x80 })
        XCTAssertTrue(text.contains("Gr??e ?ber Zeit"))
        XCTAssertTrue(text.contains("* na?ve"))
        // In colour mode the names stay as written.
        XCTAssertTrue(Chart.line(chart).terminal(TerminalStyle(width: 50, color: .truecolor)).contains("naïve"))
    }

    func testHeatmapASCIIValuesShadingAndFootnote() {
        let text = Chart.heatmap(Samples.heatmap).terminal(TerminalStyle(width: 80, color: .none))
        let lines = text.split(separator: "\n").map(String.init)
        let row = try? XCTUnwrap(lines.first { $0.hasPrefix("sepal_width ") })
        XCTAssertEqual(row, "sepal_width         -0.12.        1.00@       -0.43=         n/a")
        XCTAssertTrue(lines.contains("n/a: undefined (e.g. a constant column)"))
        // Too narrow for four columns: the rest wraps into a second block and
        // long names are cut with ".".
        let narrow = Chart.heatmap(Samples.heatmap).terminal(TerminalStyle(width: 40, color: .none))
        XCTAssertTrue(narrow.contains("sepal_l."))
        XCTAssertEqual(narrow.components(separatedBy: "sepal_length ").count - 1, 2)
        XCTAssertTrue(Chart.heatmap(Samples.heatmap).terminal(TerminalStyle(width: 40, color: .truecolor)).contains("sepal_l…"))
    }

    func testBoxPlotGolden() {
        let box = BoxPlot(title: "Box", boxes: [
            BoxStats(name: "a", q1: 2, median: 3, q3: 4, lowerWhisker: 1, upperWhisker: 6, outliers: [9]),
            BoxStats(name: "width", q1: 3, median: 3.5, q3: 5, lowerWhisker: 2.5, upperWhisker: 7, outliers: [0, 10]),
        ])
        let expected = """
                          Box
        a          |--[##|##]----|        o
        width   o      |-[|####]----|        o
               -+--------------+-------------+-
                0              5            10
        """
        XCTAssertEqual(Chart.box(box).terminal(TerminalStyle(width: 40, color: .none)), expected + "\n")
    }

    func testLineChartGolden() {
        let chart = LineChart(title: "Loss", xLabel: "epoch", yLabel: "loss", series: [
            Series(name: "train", x: [1, 2, 3, 4], y: [1.0, 0.6, 0.4, 0.3]),
            Series(name: "val", x: [1, 2, 3, 4], y: [1.1, 0.8, 0.7, 0.75]),
        ])
        let expected = """
                          Loss
        loss
        1.5 +
            |
            |
            |
            |oo
        1.0 +**oooo
            |  *** oooo
            |     **   ooooooo
            |       ***       ooooooooooooooooo
            |          ****
        0.5 +              ******
            |                    ********
            |                            ******
            |
            |
        0.0 +
            ++----------+----------+----------+
             1          2          3          4
                           epoch
        * train  o val
        """
        XCTAssertEqual(Chart.line(chart).terminal(TerminalStyle(width: 40, color: .none)), expected + "\n")
    }
}

/// Columns a line takes on screen: characters outside escape sequences.
func visibleWidth(_ s: String) -> Int {
    var count = 0, inEscape = false
    for ch in s.unicodeScalars {
        if inEscape { if ch == "m" { inEscape = false } } else if ch == "\u{1B}" { inEscape = true } else { count += 1 }
    }
    return count
}

final class RobustnessTests: XCTestCase {
    /// Odd inputs a session can produce: mismatched lengths, one point,
    /// negative or unnamed groups, more bins than columns, huge values,
    /// ragged heatmap rows. Each must render in every mode within the width.
    func testOddInputsRenderWithinTheWidth() throws {
        let charts: [Chart] = [
            .line(LineChart(title: "one point", xLabel: "x", yLabel: "y", series: [Series(name: "s", x: [3], y: [7])])),
            .line(LineChart(title: "gaps", xLabel: "x", yLabel: "y",
                            series: [Series(name: "s", x: [0, 1, 2, 3, 4], y: [1, .nan, 3, 2])])),
            .scatter(ScatterChart(title: "groups", xLabel: "x", yLabel: "y", x: [0, 1e9, 2e9], y: [-1e-7, 0, 3e-7],
                                  groups: [-1, 5], groupNames: ["a"])),
            .histogram(Histogram(title: "many bins", xLabel: "v", values: (0..<1000).map { Double($0) }, bins: 500)),
            .histogram(Histogram(title: "constant", xLabel: "v", values: [2, 2, 2])),
            .box(BoxPlot(title: "flat", boxes: [BoxStats(name: String(repeating: "long_name_", count: 8), q1: 1, median: 1, q3: 1,
                                                         lowerWhisker: 1, upperWhisker: 1, outliers: [.nan])])),
            .heatmap(Heatmap(title: "ragged", rowLabels: ["a", "b", "c"], columnLabels: (0..<15).map { "column_\($0)" },
                             values: [[0.5], [], [1, 2, 3]], range: 0...1)),
            .regions(DecisionRegions(title: "ragged grid", xLabel: "x", yLabel: "y", xRange: 0...1, yRange: 0...1,
                                     grid: [[0, 1], [], [30]], classNames: [], x: [5, 0.5], y: [0.5, -9], groups: [1])),
        ]
        for chart in charts {
            for mode in [ColorMode.none, .ansi256, .truecolor] {
                for width in [24, 80] {
                    let text = chart.terminal(TerminalStyle(width: width, color: mode))
                    for line in text.split(separator: "\n") {
                        XCTAssertLessThanOrEqual(visibleWidth(String(line)), width, "\(chart.title) \(mode) \(width): \(line)")
                    }
                    if mode == .none { XCTAssertFalse(text.utf8.contains { $0 >= 0x80 || $0 == 0x1B }, chart.title) }
                }
            }
            XCTAssertNoThrow(try XMLDocument(xmlString: chart.svg()), chart.title)
        }
    }
}
