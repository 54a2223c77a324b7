import DLCore
import Tabular

extension FuzzTargets {
    /// The PNG and JPEG decoder (the C shim over libpng and libjpeg-turbo) and the steps
    /// after it: any bytes either decode or are refused with an error, never a crash or an
    /// exit; what decodes has exactly the bytes its size makes, read as grey and as RGB at
    /// its own size and resized (down and up).
    public static func image(_ input: UnsafeBufferPointer<UInt8>) {
        let bytes = Array(input)
        // A small budget, so a header that claims a large image is refused rather than decoded
        // slowly (the refusal is what this checks; real loads use the machine's memory). At
        // 16 MB a 65039x100 JPEG, and at 4 MB a 65282x7 CMYK one, passed, and their decodes and
        // resizes under AddressSanitizer took over the fuzzer's second (crashes/image/timeout-…).
        let budget = MemoryBudget(bytes: 1_000_000, source: "fuzz")
        guard let (grey, header) = try? ImageFile.decode(bytes, height: 7, width: 5, channels: 1, budget: budget) else { return }
        precondition(grey.count == 35)
        precondition(header.width > 0 && header.height > 0 && (1...4).contains(header.channels), "header \(header)")
        // The same bytes decode again, to RGB at a size that enlarges one side.
        let height = header.height * 2 % 97 + 1
        guard let (rgb, again) = try? ImageFile.decode(bytes, height: height, width: 3, channels: 3, budget: budget) else {
            preconditionFailure("decoded once but not again at \(height)x3x3")
        }
        precondition(again == header && rgb.count == height * 3 * 3)
    }
}
