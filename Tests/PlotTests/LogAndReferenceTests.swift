import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Plot

/// Log axes (`plot loss log`, `plot sweep log`) and the reference lines of `plot predictions`
/// (y = x) and `plot residuals` (y = 0).
final class LogAndReferenceTests: XCTestCase {
    private func attribute(_ e: XMLElement, _ name: String) -> String? {
        e.attributes?.first { $0.name == name }?.stringValue
    }

    func testLogTicksSitAtDecades() {
        let table: [(Double, Double, Int, [Double], ClosedRange<Double>)] = [
            // Within a decade or two, at 1, 2 and 5 times each, from the mark below the data to the one above.
            (0.3, 0.8, 7, [0.2, 0.5, 1], 0.2...1),
            (0.4, 1.5, 5, [0.2, 0.5, 1, 2], 0.2...2),
            (0.03, 4, 10, [0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5], 0.02...5),
            // More decades: ticks at the decades inside the data, and the axis ends where the data does.
            (0.03, 4, 7, [0.1, 1], 0.03...4),
            (1, 4000, 5, [1, 10, 100, 1000], 1...4000),
            (0.013, 870, 4, [0.1, 1, 10, 100], 0.013...870),
            // Seven decades inside with room for three or four: every third or second one.
            (0.001, 1000, 3, [0.001, 1, 1000], 0.001...1000),
            (0.001, 1000, 4, [0.001, 0.1, 10, 1000], 0.001...1000),
            (0.01, 100, 5, [0.01, 0.1, 1, 10, 100], 0.01...100),
            // One value: the marks either side of it.
            (5, 5, 5, [2, 5, 10], 2...10),
        ]
        for (lower, upper, count, ticks, domain) in table {
            let scale = Scale.logarithmic(lower, upper, maxTicks: count)
            XCTAssertTrue(scale.isLog)
            XCTAssertEqual(scale.ticks, ticks, "\(lower)...\(upper) max \(count)")
            XCTAssertEqual(scale.lo, domain.lowerBound, "\(lower)...\(upper)")
            XCTAssertEqual(scale.hi, domain.upperBound, "\(lower)...\(upper)")
            XCTAssertLessThanOrEqual(scale.lo, lower)
            XCTAssertGreaterThanOrEqual(scale.hi, upper)
        }
    }

    func testLogPositionsAndLabels() {
        let scale = Scale.logarithmic(1, 100, maxTicks: 5)
        XCTAssertEqual(scale.fraction(1), 0, accuracy: 1e-12)
        XCTAssertEqual(scale.fraction(10), 0.5, accuracy: 1e-12)
        XCTAssertEqual(scale.fraction(100), 1, accuracy: 1e-12)
        XCTAssertEqual(scale.labels, ["1", "10", "100"])
        XCTAssertEqual(Scale.logarithmic(0.00001, 0.01, maxTicks: 5).labels, ["1e-5", "0.0001", "0.001", "0.01"])
        // Nothing positive to place: a default decade rather than a crash.
        XCTAssertEqual(Scale.axis([0, -1], log: true, maxTicks: 5).ticks.first, 1)
    }

    /// A loss that falls from 100 to 0.01: on the log axis each decade has the same height in the SVG.
    func testALogLossCurveSpreadsTheDecades() throws {
        let epochs = (1...5).map(Double.init)
        let chart = LineChart(title: "Loss", xLabel: "epoch", yLabel: "loss",
                              series: [Series(name: "training", x: epochs, y: [100, 10, 1, 0.1, 0.01])], logY: true)
        let svg = Chart.line(chart).svg()
        let doc = try XMLDocument(xmlString: svg)
        let line = try XCTUnwrap(try doc.nodes(forXPath: "//*[local-name()='polyline']").first as? XMLElement)
        let ys = try XCTUnwrap(attribute(line, "points")).split(separator: " ").map { Double($0.split(separator: ",")[1])! }
        let steps = zip(ys, ys.dropFirst()).map { $1 - $0 }
        for step in steps { XCTAssertEqual(step, steps[0], accuracy: 0.02, "\(ys)") }
        let labels = try doc.nodes(forXPath: "//*[local-name()='text'][@class='tick']").compactMap(\.stringValue)
        XCTAssertTrue(["0.01", "0.1", "1", "10", "100"].allSatisfy(labels.contains), "\(labels)")
        // A point at 0 cannot be placed on a log axis: it is left out, not drawn at the bottom.
        var withZero = chart
        withZero.series[0].y[4] = 0
        let terminal = Chart.line(withZero).terminal(TerminalStyle(width: 60, color: .none))
        XCTAssertTrue(terminal.contains("100 +"), terminal)
        XCTAssertFalse(terminal.contains("nan"), terminal)
    }

    func testSweepRunsOfVeryDifferentLengthsOnLogEpochs() {
        let short = Series(name: "epochs=20", x: (1...20).map(Double.init), y: (1...20).map { 10 / Double($0) })
        let long = Series(name: "epochs=4000", x: (1...4000).map(Double.init), y: (1...4000).map { 10 / Double($0) })
        let chart = LineChart(title: "Sweep", xLabel: "epoch", yLabel: "loss", series: [short, long], logX: true, logY: true)
        let svg = Chart.line(chart).svg()
        // The 20-epoch run spans log10(20) / log10(4000) = 36% of the long run's width, not 0.5% as on a linear axis.
        let doc = try! XMLDocument(xmlString: svg)
        let lines = try! doc.nodes(forXPath: "//*[local-name()='polyline']").compactMap { $0 as? XMLElement }
        func xs(_ e: XMLElement) -> [Double] { attribute(e, "points")!.split(separator: " ").map { Double($0.split(separator: ",")[0])! } }
        let shortWidth = xs(lines[0]).max()! - xs(lines[0]).min()!, longWidth = xs(lines[1]).max()! - xs(lines[1]).min()!
        XCTAssertEqual(shortWidth / longWidth, 1.30103 / 3.60206, accuracy: 0.01)  // log10(20) / log10(4000)
    }

    func testReferenceLinesUnderTheScatter() throws {
        let actual = [10.0, 20, 30, 40], predicted = [12.0, 18, 33, 37]
        let identity = ScatterChart(title: "Predicted vs actual", xLabel: "actual", yLabel: "predicted", x: actual, y: predicted,
                                    groups: [], groupNames: [], referenceLines: [.identity])
        let svg = Chart.scatter(identity).svg()
        let doc = try XMLDocument(xmlString: svg)
        let reference = try XCTUnwrap(try doc.nodes(forXPath: "//*[local-name()='line'][@class='reference']").first as? XMLElement)
        func value(_ name: String) -> Double { Double(attribute(reference, name)!)! }
        // y = x on axes that share one range: the diagonal from the bottom left to the top right.
        XCTAssertLessThan(value("x1"), value("x2"))
        XCTAssertGreaterThan(value("y1"), value("y2"))
        let ascii = Chart.scatter(identity).terminal(TerminalStyle(width: 60, color: .none))
        XCTAssertGreaterThan(ascii.filter { $0 == "." }.count, 20, ascii)

        // Residuals all above 0 still show the line at 0: the axis reaches it.
        let residuals = ScatterChart(title: "Residuals", xLabel: "predicted", yLabel: "actual - predicted", x: predicted, y: [1, 2, 3, 4],
                                     groups: [], groupNames: [], referenceLines: [.horizontal(0)])
        let text = Chart.scatter(residuals).terminal(TerminalStyle(width: 60, color: .none))
        XCTAssertTrue(text.split(separator: "\n").contains { $0.hasPrefix("0 +....") }, text)
        XCTAssertTrue(Chart.scatter(residuals).svg().contains("class=\"reference\""))
    }
}
