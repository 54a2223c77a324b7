import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Plot

final class SVGTests: XCTestCase {
    /// Parses the document (failing the test if it is not well-formed XML)
    /// and returns the elements named `element` with class `cls`.
    private func marks(_ svg: String, _ element: String, _ cls: String,
                       file: StaticString = #filePath, line: UInt = #line) throws -> [XMLElement] {
        let doc = try XMLDocument(xmlString: svg)
        let nodes = try doc.nodes(forXPath: "//*[local-name()='\(element)'][@class='\(cls)']")
        return nodes.compactMap { $0 as? XMLElement }
    }

    /// An attribute's value as a number (fails the test if missing).
    private func number(_ e: XMLElement, _ name: String) throws -> Double {
        let text = e.attributes?.first { $0.name == name }?.stringValue
        return try XCTUnwrap(text.flatMap(Double.init), "\(name) of \(e)")
    }

    private func attribute(_ e: XMLElement, _ name: String) -> String? {
        e.attributes?.first { $0.name == name }?.stringValue
    }

    private func texts(_ svg: String) throws -> [String] {
        let doc = try XMLDocument(xmlString: svg)
        return try doc.nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue)
    }

    func testEveryChartIsAStandaloneDocument() throws {
        let charts: [Chart] = [.line(Samples.loss), .scatter(Samples.scatter), .histogram(Samples.histogram),
                               .box(Samples.box), .heatmap(Samples.heatmap), .regions(Samples.regions)]
        for chart in charts {
            let svg = chart.svg()
            XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" "), chart.title)
            XCTAssertTrue(svg.contains("viewBox=\"0 0 640 420\""), chart.title)
            XCTAssertFalse(svg.contains("<script"), chart.title)
            XCTAssertFalse(svg.contains("href"), chart.title)
            let doc = try XMLDocument(xmlString: svg)
            XCTAssertEqual(doc.rootElement()?.localName, "svg")
            XCTAssertEqual(try marks(svg, "rect", "background").count, 1)
            XCTAssertTrue(try texts(svg).contains(chart.title), chart.title)
            XCTAssertEqual(svg, chart.svg(), "deterministic: \(chart.title)")
        }
    }

    func testLineChartHasOnePolylinePerSeriesAndALegend() throws {
        let svg = Chart.line(Samples.loss).svg()
        let lines = try marks(svg, "polyline", "series")
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(attribute(lines[0], "points")?.split(separator: " ").count, 10)
        XCTAssertEqual(try marks(svg, "text", "legend").compactMap(\.stringValue), ["train", "validation"])
        XCTAssertEqual(try marks(svg, "text", "xlabel").first?.stringValue, "epoch")
        XCTAssertEqual(try marks(svg, "text", "ylabel").first?.stringValue, "loss")
    }

    func testScatterHasOneCirclePerPoint() throws {
        let svg = Chart.scatter(Samples.scatter).svg()
        XCTAssertEqual(try marks(svg, "circle", "point").count, 60)
        XCTAssertEqual(try marks(svg, "text", "legend").compactMap(\.stringValue), ["setosa", "versicolor", "virginica"])
        // Points of different groups get different colours.
        let fills = Set(try marks(svg, "circle", "point").compactMap { attribute($0, "fill") })
        XCTAssertEqual(fills.count, 3)
    }

    func testScatterSkipsNonFinitePoints() throws {
        let chart = ScatterChart(title: "t", xLabel: "x", yLabel: "y", x: [1, .nan, 3, 4], y: [1, 2, .infinity, 4],
                                 groups: [], groupNames: [])
        XCTAssertEqual(try marks(Chart.scatter(chart).svg(), "circle", "point").count, 2)
    }

    func testHistogramHasOneBarPerBin() throws {
        XCTAssertEqual(try marks(Chart.histogram(Samples.histogram).svg(), "rect", "bar").count,
                       HistogramBins(values: Samples.histogramValues, bins: nil).counts.count)
        var fixed = Samples.histogram
        fixed.bins = 7
        XCTAssertEqual(try marks(Chart.histogram(fixed).svg(), "rect", "bar").count, 7)
        let empty = Histogram(title: "empty", xLabel: "v", values: [.nan])
        XCTAssertEqual(try marks(Chart.histogram(empty).svg(), "rect", "bar").count, 1)
    }

    func testBoxPlotMarksPerColumn() throws {
        let svg = Chart.box(Samples.box).svg()
        XCTAssertEqual(try marks(svg, "rect", "box").count, 3)
        XCTAssertEqual(try marks(svg, "line", "median").count, 3)
        XCTAssertEqual(try marks(svg, "line", "whisker").count, 6)
        XCTAssertEqual(try marks(svg, "circle", "outlier").count, 4)
        XCTAssertEqual(try marks(svg, "text", "name").compactMap(\.stringValue), ["sepal_length", "sepal_width", "petal_length"])
        // The median line lies inside its box.
        let box = try marks(svg, "rect", "box")[1], median = try marks(svg, "line", "median")[1]
        let x = try number(box, "x"), w = try number(box, "width"), m = try number(median, "x1")
        XCTAssertTrue(x < m && m < x + w, "\(x) < \(m) < \(x + w)")
    }

    func testHeatmapCellsValuesAndMissing() throws {
        let svg = Chart.heatmap(Samples.heatmap).svg()
        XCTAssertEqual(try marks(svg, "rect", "cell").count, 16)
        let values = try marks(svg, "text", "value").compactMap(\.stringValue)
        XCTAssertEqual(values.count, 16)
        XCTAssertEqual(values.filter { $0 == "n/a" }.count, 7)
        XCTAssertEqual(Array(values.prefix(3)), ["1.00", "-0.12", "0.87"])
        XCTAssertTrue(try texts(svg).contains { $0.hasPrefix("n/a: undefined") })
        // Diverging colours: +1 red, -0.43 bluish, 1.00 and 0.87 not the same.
        let fills = try marks(svg, "rect", "cell").compactMap { attribute($0, "fill") }
        XCTAssertEqual(fills[0], "#b2182b")
        XCTAssertNotEqual(fills[0], fills[2])
    }

    func testTextIsEscaped() throws {
        let svg = Chart.heatmap(Samples.heatmap).svg()
        XCTAssertTrue(svg.contains("Correlation &lt;matrix&gt; &amp; more"))
        XCTAssertTrue(try texts(svg).contains("Correlation <matrix> & more"))
        let chart = LineChart(title: "a\"b'c", xLabel: "<x>", yLabel: "&", series: [Series(name: "<s>", x: [1, 2], y: [1, 2])])
        XCTAssertTrue(try texts(Chart.line(chart).svg()).contains("<s>"))
    }

    func testDecisionRegionsMergeRuns() throws {
        let svg = Chart.regions(Samples.regions).svg()
        XCTAssertEqual(try marks(svg, "circle", "point").count, 5)
        let regions = try marks(svg, "rect", "region")
        // Each of the 40 rows has at most three runs; never one rect per grid cell.
        XCTAssertGreaterThanOrEqual(regions.count, 40)
        XCTAssertLessThanOrEqual(regions.count, 120)
        let uniform = DecisionRegions(title: "one class", xLabel: "a", yLabel: "b", xRange: 0...1, yRange: 0...1,
                                      grid: Array(repeating: Array(repeating: 1, count: 60), count: 60),
                                      classNames: ["no", "yes"], x: [], y: [], groups: [])
        XCTAssertEqual(try marks(Chart.regions(uniform).svg(), "rect", "region").count, 60)
    }

    func testEmptyChartsStillRender() throws {
        let charts: [Chart] = [
            .line(LineChart(title: "none", xLabel: "", yLabel: "", series: [])),
            .scatter(ScatterChart(title: "none", xLabel: "", yLabel: "", x: [], y: [], groups: [], groupNames: [])),
            .box(BoxPlot(title: "none", boxes: [])),
            .heatmap(Heatmap(title: "none", rowLabels: [], columnLabels: [], values: [], range: -1...1)),
            .regions(DecisionRegions(title: "none", xLabel: "", yLabel: "", xRange: 0...1, yRange: 0...1,
                                     grid: [], classNames: [], x: [], y: [], groups: [])),
        ]
        for chart in charts {
            XCTAssertNoThrow(try XMLDocument(xmlString: chart.svg()))
            XCTAssertTrue(chart.terminal(TerminalStyle(width: 60, color: .none)).hasSuffix("\n"))
        }
    }
}
