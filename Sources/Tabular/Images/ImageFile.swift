import DLCore
import CImage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The colour mode images are loaded in: `rgb` (3 channels) or `gray` (1).
public enum ImageColor: String, CaseIterable, Sendable {
    case rgb, gray
    public var channels: Int { self == .rgb ? 3 : 1 }
}

/// What a file's header says, read without decoding its pixels.
public struct ImageHeader: Equatable, Sendable {
    public var width: Int
    public var height: Int
    /// Channels the file decodes to: 1 grey, 2 grey and alpha, 3 RGB, 4 RGBA.
    public var channels: Int
    public var isPNG: Bool
    public var bitDepth: Int

    init(_ info: dl_image_info) {
        width = Int(info.width); height = Int(info.height); channels = Int(info.channels)
        isPNG = info.format == Int32(DL_IMAGE_PNG.rawValue); bitDepth = Int(info.bit_depth)
    }

    var cInfo: dl_image_info {
        dl_image_info(format: isPNG ? Int32(DL_IMAGE_PNG.rawValue) : Int32(DL_IMAGE_JPEG.rawValue),
                      width: Int32(width), height: Int32(height), channels: Int32(channels), bit_depth: Int32(bitDepth))
    }

    /// "RGBA", "grey", … for messages.
    public var channelName: String { ["grey", "grey with alpha", "RGB", "RGBA"][max(0, min(3, channels - 1))] }
}

/// Decoding one image file in memory, and the steps after it (channels, size), through the
/// C shim (Sources/CImage): every failure is an error value, never an exit.
public enum ImageFile {
    /// Images with more pixels than this are refused from their header as decompression
    /// bombs, whatever memory there is: Pillow's limit (2 x its MAX_IMAGE_PIXELS warning).
    public static let maximumPixels = 178_956_970

    /// The header of `bytes`, or why they are not an image dl reads.
    public static func header(of bytes: UnsafeBufferPointer<UInt8>) -> Result<ImageHeader, ImageProblem> {
        guard bytes.count > 0 else { return .failure(ImageProblem("the file is empty")) }
        var info = dl_image_info()
        var error = [CChar](repeating: 0, count: Int(DL_IMAGE_ERROR_SIZE))
        if dl_image_read_info(bytes.baseAddress, bytes.count, &info, &error) != 0 {
            if dl_image_sniff(bytes.baseAddress, bytes.count) == Int32(DL_IMAGE_UNKNOWN.rawValue) {
                return .failure(ImageProblem("it is not a PNG or JPEG file (it starts with \(describeStart(bytes)))", notAnImage: true))
            }
            return .failure(ImageProblem(message(error)))
        }
        return .success(ImageHeader(info))
    }

    /// Why `header` cannot be decoded here: a bomb, or more memory than there is. `budget`
    /// nil: nothing known (only the pixel limit applies).
    public static func refusal(of header: ImageHeader, budget: MemoryBudget?) -> ImageProblem? {
        let (pixels, overflow) = header.width.multipliedReportingOverflow(by: header.height)
        let size = "\(header.width) x \(header.height)"
        if overflow || pixels > maximumPixels {
            return ImageProblem("its header says \(size) pixels, more than the 178,956,970 an image may have (a decompression bomb?); refused before decoding")
        }
        if let refused = TabularError.unaffordable("decoding it (\(size) pixels)", needs: pixels * header.channels * 2,
                                                   hint: "", budget: budget) {
            return ImageProblem("its header says \(size) pixels: " + refused.message + "; refused before decoding")
        }
        return nil
    }

    /// Decodes into `decoded` (resized to the header's pixel count), then converts to
    /// `channels` and resizes into `target` (height x width x channels bytes).
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, header: ImageHeader, channels: Int,
                       height: Int, width: Int, into target: UnsafeMutablePointer<UInt8>,
                       scratch: inout ImageScratch) -> ImageProblem? {
        let pixels = header.width * header.height
        scratch.reserve(decoded: pixels * header.channels, converted: pixels * channels,
                        floats: width * header.height * channels)
        var error = [CChar](repeating: 0, count: Int(DL_IMAGE_ERROR_SIZE))
        var info = header.cInfo
        let status = scratch.decoded.withUnsafeMutableBufferPointer {
            dl_image_decode(bytes.baseAddress, bytes.count, &info, $0.baseAddress, &error)
        }
        guard status == 0 else { return ImageProblem(message(error)) }
        let sameSize = header.width == width && header.height == height
        scratch.decoded.withUnsafeBufferPointer { decoded in
            if header.channels == channels {
                if sameSize {
                    target.update(from: decoded.baseAddress!, count: pixels * channels)
                } else {
                    scratch.floats.withUnsafeMutableBufferPointer { floats in
                        dl_image_resize(decoded.baseAddress, Int32(header.width), Int32(header.height), Int32(channels),
                                        target, Int32(width), Int32(height), floats.baseAddress)
                    }
                }
                return
            }
            if sameSize {
                dl_image_convert(decoded.baseAddress, Int32(header.channels), target, Int32(channels), pixels)
                return
            }
            scratch.converted.withUnsafeMutableBufferPointer { converted in
                dl_image_convert(decoded.baseAddress, Int32(header.channels), converted.baseAddress, Int32(channels), pixels)
                scratch.floats.withUnsafeMutableBufferPointer { floats in
                    dl_image_resize(converted.baseAddress, Int32(header.width), Int32(header.height), Int32(channels),
                                    target, Int32(width), Int32(height), floats.baseAddress)
                }
            }
        }
        return nil
    }

    /// Decodes one image file as a model takes it: `height` x `width` x `channels` bytes.
    /// Returns the pixels and the file's header.
    public static func load(path: String, height: Int, width: Int, channels: Int,
                            budget: MemoryBudget? = .current()) throws -> (pixels: [UInt8], header: ImageHeader) {
        var buffer: [UInt8] = []
        guard let count = readWhole(Array(path.utf8), into: &buffer) else {
            throw TabularError("cannot read '\(path)': \(String(cString: strerror(errno)))",
                               hint: "check the path (a relative path starts from the working directory)")
        }
        buffer.removeLast(buffer.count - count)
        do {
            return try decode(buffer, height: height, width: width, channels: channels, budget: budget)
        } catch let problem as ImageProblem {
            throw TabularError("'\(path)' cannot be read as an image: \(problem.message)",
                               hint: problem.notAnImage ? "give a PNG or JPEG file" : "give a PNG or JPEG file that opens in an image viewer")
        }
    }

    /// Decodes the bytes of an image file to `height` x `width` x `channels` bytes; throws
    /// `ImageProblem` (a bomb or what `budget` cannot hold is refused from the header).
    public static func decode(_ bytes: [UInt8], height: Int, width: Int, channels: Int,
                              budget: MemoryBudget?) throws -> (pixels: [UInt8], header: ImageHeader) {
        try bytes.withUnsafeBufferPointer { bytes in
            let header = try self.header(of: bytes).get()
            if let problem = refusal(of: header, budget: budget) { throw problem }
            var scratch = ImageScratch()
            var pixels = [UInt8](repeating: 0, count: height * width * channels)
            let problem = pixels.withUnsafeMutableBufferPointer {
                decode(bytes, header: header, channels: channels, height: height, width: width, into: $0.baseAddress!, scratch: &scratch)
            }
            if let problem { throw problem }
            return (pixels, header)
        }
    }

    /// Reads a whole file into `buffer` (grown as needed, never shrunk); the byte count, or
    /// nil (errno set) when it cannot be read.
    static func readWhole(_ path: [UInt8], into buffer: inout [UInt8], limit: Int = .max) -> Int? {
        let descriptor = withCString(path) { open($0, O_RDONLY) }
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        guard (status.st_mode & S_IFMT) == S_IFREG else { errno = EISDIR; return nil }
        let wanted = min(Int(status.st_size), limit)
        if buffer.count < wanted { buffer = [UInt8](repeating: 0, count: wanted) }
        var got = 0
        while got < wanted {
            let n = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + got, wanted - got) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { break }
            got += n
        }
        return got
    }

    private static func message(_ error: [CChar]) -> String {
        let text = String(decoding: error.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.isEmpty ? "it cannot be decoded" : text
    }

    private static func describeStart(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let start = Array(bytes.prefix(8))
        if start.allSatisfy({ $0 >= 32 && $0 < 127 || $0 == 9 || $0 == 10 || $0 == 13 }) {
            return "text: '" + String(decoding: start, as: UTF8.self).replacingNewlines + "'"
        }
        return start.map { b in let h = String(b, radix: 16); return h.count == 1 ? "0" + h : h }.joined(separator: " ")
    }
}

private extension String {
    var replacingNewlines: String { String(unicodeScalars.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : Character($0) }) }
}

/// Why one file is not loaded.
public struct ImageProblem: Error, Sendable {
    public let message: String
    /// The bytes are not a PNG or JPEG at all (as opposed to a broken one).
    public let notAnImage: Bool
    init(_ message: String, notAnImage: Bool = false) { self.message = message; self.notAnImage = notAnImage }
}

/// One thread's buffers for decoding, grown to the largest image it has seen and reused.
struct ImageScratch {
    var decoded: [UInt8] = []
    var converted: [UInt8] = []
    var floats: [Float] = []
    var file: [UInt8] = []

    mutating func reserve(decoded d: Int, converted c: Int, floats f: Int) {
        if decoded.count < d { decoded = [UInt8](repeating: 0, count: d) }
        if converted.count < c { converted = [UInt8](repeating: 0, count: c) }
        if floats.count < f { floats = [Float](repeating: 0, count: f) }
    }
}

/// `dl_image_resize` on arrays (tests).
func dlResize(_ source: [UInt8], width: Int, height: Int, into target: inout [UInt8], width outWidth: Int, height outHeight: Int,
              scratch: inout [Float]) {
    source.withUnsafeBufferPointer { s in
        target.withUnsafeMutableBufferPointer { t in
            scratch.withUnsafeMutableBufferPointer { f in
                dl_image_resize(s.baseAddress, Int32(width), Int32(height), 1, t.baseAddress, Int32(outWidth), Int32(outHeight), f.baseAddress)
            }
        }
    }
}
