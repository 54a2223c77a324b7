import XCTest
@testable import Plot

/// Heatmaps of counts coloured by another matrix (a confusion matrix by row share), and the
/// one-character cells of a matrix too wide for its numbers.
final class ConfusionHeatmapTests: XCTestCase {
    private func confusion(_ k: Int) -> Heatmap {
        let counts = (0..<k).map { r in (0..<k).map { c -> Double? in Double(r == c ? 20 : (c == (r + 1) % k ? 5 : 0)) } }
        let shares = counts.map { row in row.map { $0.map { $0 / 25 } } }
        return Heatmap(title: "Confusion", rowLabels: (0..<k).map { "class_\($0)" }, columnLabels: (0..<k).map { "class_\($0)" },
                       values: counts, range: 0...1, scale: .sequential, decimals: 0, colorValues: shares, colorMeaning: "share of the row")
    }

    func testCountsWithShadesByShare() {
        let text = Chart.heatmap(confusion(3)).terminal(TerminalStyle(width: 80, color: .none))
        let lines = text.split(separator: "\n").map(String.init)
        // 20 of 25 rows is a share of 0.8 ("#"), 5 of 25 is 0.2 (":"), 0 is blank.
        XCTAssertTrue(lines.contains { $0.hasPrefix("class_0") && $0.contains("20#") && $0.contains("5:") }, text)
        XCTAssertTrue(lines.contains("key: \" .:-=+*#%@\" for share of the row 0 to 1"), text)
        XCTAssertFalse(text.contains("20.00"), "counts have no decimals")
        let colour = Chart.heatmap(confusion(3)).terminal(TerminalStyle(width: 80, color: .truecolor))
        XCTAssertTrue(colour.contains("scale (share of the row): 0"), colour)
    }

    func testManyClassesBecomeOneCharacterPerCell() {
        for width in [60, 100] {
            let text = Chart.heatmap(confusion(150)).terminal(TerminalStyle(width: width, color: .none))
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertTrue(text.contains("one character per cell"), text)
            XCTAssertTrue(lines.allSatisfy { $0.count <= width }, "no line wider than \(width)")
            // Every row appears once per block of columns, and the rulers number every tenth column.
            let blocks = lines.filter { $0.hasPrefix("  0 class_0") }.count
            XCTAssertGreaterThan(blocks, 1)
            XCTAssertEqual(lines.filter { $0.hasPrefix("149 class_149") }.count, blocks)
            let rulers = lines.filter { $0.hasPrefix(" ") && $0.trimmingCharacters(in: .whitespaces).allSatisfy { $0.isNumber || $0 == " " } }
            let numbers = Set(rulers.flatMap { $0.split(separator: " ").compactMap { Int($0) } })
            XCTAssertEqual(numbers, Set(stride(from: 0, through: 140, by: 10)), text)
            // The last row's cell in the last column: the confusion 149 -> 0 sits in the first block, the diagonal in the last.
            XCTAssertTrue(lines.last { $0.hasPrefix("149 class_149") }!.hasSuffix("#"), text)
        }
        let colour = Chart.heatmap(confusion(150)).terminal(TerminalStyle(width: 100, color: .ansi256))
        XCTAssertTrue(colour.contains("one character per cell"))
    }

    func testLargeSVGDrawsEveryNonEmptyCellWithoutNumbers() {
        let svg = Chart.heatmap(confusion(200)).svg()
        XCTAssertEqual(svg.components(separatedBy: "class=\"cell\"").count - 1, 400, "the diagonal and one confusion per row")
        XCTAssertEqual(svg.components(separatedBy: "class=\"value\"").count - 1, 0, "8-pixel cells carry no numbers")
        XCTAssertTrue(svg.contains("colour: share of the row"))
        let small = Chart.heatmap(confusion(3)).svg()
        XCTAssertEqual(small.components(separatedBy: "class=\"value\"").count - 1, 9)
        XCTAssertTrue(small.contains(">20</text>"))
    }
}
