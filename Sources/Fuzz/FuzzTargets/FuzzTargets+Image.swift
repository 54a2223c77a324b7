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
        // 16 MB a 65039x100 JPEG passed and its three decodes and resizes under
        // AddressSanitizer took over the fuzzer's second (crashes/image/timeout-47ca…).
        let budget = MemoryBudget(bytes: 4_000_000, source: "fuzz")
        guard let (native, header) = try? ImageFile.decode(bytes, height: 1, width: 1, channels: 3, budget: budget) else { return }
        precondition(native.count == 3)
        precondition(header.width > 0 && header.height > 0 && (1...4).contains(header.channels), "header \(header)")
        for (height, width, channels) in [(header.height, header.width, 1), (7, 5, 3), (header.height * 2 % 97 + 1, 3, 1)] {
            guard let (pixels, again) = try? ImageFile.decode(bytes, height: height, width: width, channels: channels, budget: budget) else {
                preconditionFailure("decoded once but not again at \(height)x\(width)x\(channels)")
            }
            precondition(again == header && pixels.count == height * width * channels)
        }
    }
}
