import XCTest
@testable import Plot

/// Three-channel images in colour: half-block cells with each pixel's RGB on a colour terminal,
/// brightness in ASCII, and coloured rectangles in SVG.
final class ColorImageGridTests: XCTestCase {
    /// A 2x2 image, NHWC: red, green / blue, white; values 0-255.
    private let pixels: [Double] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]

    private func grid(channels: Int = 3, images: [[Double]]? = nil) -> ImageGrid {
        ImageGrid(title: "colours", images: images ?? [pixels], height: 2, width: 2, channels: channels,
                  captions: ["cat → dog (0.91)"], range: 0...255)
    }

    func testTerminalCellsCarryEachPixelsColour() {
        let lines = grid().terminalLines(TerminalStyle(width: 40, color: .truecolor))
        // Line 0 is the title; line 1 holds both pixel rows as half blocks: top (fg) row 0, bottom (bg) row 1.
        let cells = lines[1].prefix(2)
        XCTAssertEqual(cells.map(\.fg), [RGB(255, 0, 0), RGB(0, 255, 0)])
        XCTAssertEqual(cells.map(\.bg), [RGB(0, 0, 255), RGB(255, 255, 255)])
        let text = Chart.images(grid()).terminal(TerminalStyle(width: 40, color: .truecolor))
        XCTAssertTrue(text.contains("\u{1B}[38;2;255;0;0m"), text)
        XCTAssertTrue(text.contains("cat → dog (0.91)"), text)
    }

    func testASCIIShowsBrightnessAndAnArrowItCanPrint() {
        let text = Chart.images(grid()).terminal(TerminalStyle(width: 40, color: .none))
        XCTAssertFalse(text.contains("\u{1B}"), text)
        XCTAssertTrue(text.contains("cat -> dog (0.91)"), text)
        // The white pixel (bottom right) is the brightest: the ramp's last character.
        let rows = text.split(separator: "\n")
        XCTAssertTrue(rows[2].hasSuffix("@@"), text)
    }

    func testSVGFillsArePixelColours() {
        let svg = Chart.images(grid()).svg()
        for colour in ["#ff0000", "#00ff00", "#0000ff", "#ffffff"] {
            XCTAssertTrue(svg.lowercased().contains("fill=\"\(colour)\""), "\(colour) in \(svg)")
        }
    }

    /// One channel stays grey, as before.
    func testOneChannelIsGrey() {
        let lines = grid(channels: 1, images: [[0, 255, 128, 64]]).terminalLines(TerminalStyle(width: 40, color: .truecolor))
        XCTAssertEqual(lines[1].first?.fg, RGB(0, 0, 0))
        XCTAssertEqual(lines[1].dropFirst().first?.fg, RGB(255, 255, 255))
    }
}
