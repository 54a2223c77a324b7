import Foundation
import XCTest

/// Image files for the `load images` and `predict "x.png"` tests: PNGs written here (8-bit,
/// any colour type, with stored deflate blocks, so no encoder is needed), and JPEGs taken
/// from the image fuzzer's seeds (Tests/FuzzTests/seeds/image, 7x9 pixels).
enum ImageFixtures {
    static let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../FuzzTests/seeds/image").standardized.path

    /// A PNG of `width` x `height` pixels with `channels` (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA)
    /// 8-bit samples each, row by row; `pixel(x, y, c)` gives each sample.
    static func png(width: Int, height: Int, channels: Int, declaredWidth: Int? = nil, declaredHeight: Int? = nil,
                    pixel: (Int, Int, Int) -> UInt8) -> [UInt8] {
        var raw: [UInt8] = []
        for y in 0..<height {
            raw.append(0) // filter: none
            for x in 0..<width { for c in 0..<channels { raw.append(pixel(x, y, c)) } }
        }
        let colorType: UInt8 = [1: 0, 2: 4, 3: 2, 4: 6][channels]!
        var header: [UInt8] = []
        header += bigEndian(UInt32(declaredWidth ?? width)) + bigEndian(UInt32(declaredHeight ?? height))
        header += [8, colorType, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", zlibStored(raw)) + chunk("IEND", [])
    }

    /// A PNG of one colour (RGB), `width` x `height`.
    static func solid(_ width: Int, _ height: Int, _ rgb: [UInt8]) -> [UInt8] {
        png(width: width, height: height, channels: 3) { _, _, c in rgb[c] }
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func seed(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: seeds + "/" + name)))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// zlib with stored (uncompressed) deflate blocks.
    private static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let size = min(65535, data.count - offset)
            let last: UInt8 = offset + size == data.count ? 1 : 0
            out += [last, UInt8(size & 0xFF), UInt8(size >> 8), UInt8(~size & 0xFF), UInt8((~size >> 8) & 0xFF)]
            out += data[offset..<(offset + size)]
            offset += size
        } while offset < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        return out + bigEndian(b << 16 | a)
    }
}
