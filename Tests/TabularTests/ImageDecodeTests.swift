import XCTest
import DLCore
@testable import Tabular

/// The C shim over libpng and libjpeg-turbo decodes every colour type exactly as Pillow does
/// (sums and first pixels from Pillow 11 on the image fuzzer's seeds, 7x9 pixels), and
/// broken bytes come back as errors.
final class ImageDecodeTests: XCTestCase {
    private let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../FuzzTests/seeds/image").standardized.path

    private func seed(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: seeds + "/" + name)))
    }

    func testEveryColourTypeDecodesAsPillowDecodesIt() throws {
        // (file, sum of convert("RGB"), sum of convert("L"), first RGB pixel)
        let expected: [(String, Int, Int, [UInt8])] = [
            ("rgb.png", 24411, 8330, [206, 21, 45]), ("rgba.png", 24411, 8330, [206, 21, 45]),
            ("grey.png", 24990, 8330, [79, 79, 79]), ("grey-alpha.png", 24990, 8330, [79, 79, 79]),
            ("palette.png", 24327, 8303, [204, 0, 51]), ("palette-trns.png", 24327, 8303, [204, 0, 51]),
            ("bilevel.png", 24480, 8160, [0, 0, 0]), ("grey16.png", 23097, 7699, [206, 206, 206]),
            ("rgb.jpg", 24435, 8330, [85, 71, 106]), ("grey.jpg", 24951, 8317, [70, 70, 70]),
            ("cmyk.jpg", 24400, 8329, [207, 33, 49]), ("progressive.jpg", 24383, 8323, [77, 67, 66]),
        ]
        for (name, rgbSum, greySum, first) in expected {
            let bytes = try seed(name)
            let (rgb, header) = try ImageFile.decode(bytes, height: 9, width: 7, channels: 3, budget: nil)
            let (grey, _) = try ImageFile.decode(bytes, height: 9, width: 7, channels: 1, budget: nil)
            XCTAssertEqual([header.height, header.width], [9, 7], name)
            XCTAssertEqual(rgb.reduce(0) { $0 + Int($1) }, rgbSum, name)
            XCTAssertEqual(grey.reduce(0) { $0 + Int($1) }, greySum, name)
            XCTAssertEqual(Array(rgb[0..<3]), first, name)
        }
    }

    func testResizingKeepsASolidColourAndAveragesWhenShrinking() throws {
        // Two columns, black and white: shrunk to one column, each pixel is their mean.
        var pixels: [UInt8] = []
        for _ in 0..<4 { pixels += [0, 255] }
        var target = [UInt8](repeating: 0, count: 4)
        var scratch = [Float](repeating: 0, count: 4)
        dlResize(pixels, width: 2, height: 4, into: &target, width: 1, height: 4, scratch: &scratch)
        XCTAssertEqual(target, [128, 128, 128, 128])
    }

    func testBrokenBytesAreErrorsNotExits() throws {
        let rgb = try seed("rgb.png"), jpeg = try seed("rgb.jpg")
        for (bytes, message) in [(Array(rgb.prefix(rgb.count / 2)), "truncated"), (Array(jpeg.prefix(jpeg.count - 40)), "truncated"),
                                 (Array("plain text".utf8), "not a PNG or JPEG file"), ([], "empty")] {
            XCTAssertThrowsError(try ImageFile.decode(bytes, height: 2, width: 2, channels: 3, budget: nil)) { error in
                XCTAssertTrue((error as? ImageProblem)?.message.contains(message) == true, "\(error)")
            }
        }
        XCTAssertThrowsError(try ImageFile.decode(try seed("bomb-header.png"), height: 2, width: 2, channels: 3, budget: nil)) { error in
            XCTAssertTrue((error as? ImageProblem)?.message.contains("30000 x 30000 pixels") == true, "\(error)")
        }
    }
}
