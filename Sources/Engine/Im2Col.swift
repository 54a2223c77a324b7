// Patch extraction for convolution over NHWC batches. In NHWC one kernel row of a patch
// (kw pixels x inC channels) is a single contiguous run of the input, so a patch is copied as
// kh runs rather than kh*kw*inC scattered loads; positions outside the image read as zero.

/// How padding is added around the image before a window slides over it (Keras's names).
public enum Padding: String, CaseIterable, Sendable {
    /// No padding: windows stay inside the image.
    case valid
    /// Zero padding so the output has `ceil(in / stride)` positions per axis; when the total
    /// padding is odd the extra row/column goes to the bottom/right, as in TensorFlow.
    case same
}

/// Where a kh x kw window visits an NHWC image with a given stride and padding.
/// Shared by `Conv2D` (with padding) and `Pool2D` (padding valid).
struct WindowGeometry: Equatable {
    var inHeight = 0, inWidth = 0, channels = 0
    var kernelHeight = 0, kernelWidth = 0, stride = 1
    /// Zero rows above / columns left of the image (the rest of the padding is below / right).
    var padTop = 0, padLeft = 0
    var outHeight = 0, outWidth = 0

    /// Output positions per axis and the leading padding, or nil when the window does not fit.
    init?(input shape: [Int], kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Padding) {
        precondition(shape.count == 3 && stride > 0 && kernelHeight > 0 && kernelWidth > 0)
        (inHeight, inWidth, channels) = (shape[0], shape[1], shape[2])
        (self.kernelHeight, self.kernelWidth, self.stride) = (kernelHeight, kernelWidth, stride)
        switch padding {
        case .valid:
            guard kernelHeight <= inHeight, kernelWidth <= inWidth else { return nil }
            outHeight = (inHeight - kernelHeight) / stride + 1
            outWidth = (inWidth - kernelWidth) / stride + 1
        case .same:
            outHeight = (inHeight + stride - 1) / stride
            outWidth = (inWidth + stride - 1) / stride
            // TensorFlow: total = max((out - 1) * stride + k - in, 0), the smaller half on top/left.
            padTop = max((outHeight - 1) * stride + kernelHeight - inHeight, 0) / 2
            padLeft = max((outWidth - 1) * stride + kernelWidth - inWidth, 0) / 2
        }
    }

    init() {}

    /// Scalars in one window: kh * kw * inC (a row of the im2col matrix).
    var patchSize: Int { kernelHeight * kernelWidth * channels }
    /// Scalars in one input image.
    var inputSize: Int { inHeight * inWidth * channels }
    /// Output positions per image: outH * outW.
    var positions: Int { outHeight * outWidth }
}

/// x: [batch, inH, inW, inC] -> col: [batch * outH * outW, kh * kw * inC], each row one window
/// laid out [ky, kx, c] (the order of Keras's kernel [kh, kw, inC, filters] viewed as a matrix).
func im2col(_ x: UnsafePointer<Float>, batch: Int, _ g: WindowGeometry, into col: UnsafeMutablePointer<Float>) {
    let c = g.channels, kw = g.kernelWidth, kh = g.kernelHeight
    let rowRun = kw * c, patch = g.patchSize, imageSize = g.inputSize
    var destination = col
    for n in 0..<batch {
        let image = x + n * imageSize
        for oy in 0..<g.outHeight {
            let iy0 = oy * g.stride - g.padTop
            for ox in 0..<g.outWidth {
                let ix0 = ox * g.stride - g.padLeft
                // Kernel columns that land inside the image: one run of (hi - lo) * c floats.
                let lo = max(0, -ix0), hi = min(kw, g.inWidth - ix0)
                let runStart = lo * c, runLength = max(hi - lo, 0) * c
                for ky in 0..<kh {
                    let iy = iy0 + ky
                    let target = destination + ky * rowRun
                    if iy < 0 || iy >= g.inHeight || runLength == 0 {
                        target.update(repeating: 0, count: rowRun)
                        continue
                    }
                    let source = image + (iy * g.inWidth + ix0 + lo) * c
                    if runStart > 0 { target.update(repeating: 0, count: runStart) }
                    copyRun(from: source, to: target + runStart, count: runLength)
                    let tail = rowRun - runStart - runLength
                    if tail > 0 { (target + runStart + runLength).update(repeating: 0, count: tail) }
                }
                destination += patch
            }
        }
    }
}

/// dCol: [batch * outH * outW, kh * kw * inC] -> dx: [batch, inH, inW, inC], the adjoint of
/// `im2col`: every window's gradient is added back onto the pixels it was read from
/// (overlapping windows accumulate); padding positions are dropped.
func col2im(_ col: UnsafePointer<Float>, batch: Int, _ g: WindowGeometry, into x: UnsafeMutablePointer<Float>) {
    let c = g.channels, kw = g.kernelWidth, kh = g.kernelHeight
    let rowRun = kw * c, patch = g.patchSize, imageSize = g.inputSize
    x.update(repeating: 0, count: batch * imageSize)
    var source = col
    for n in 0..<batch {
        let image = x + n * imageSize
        for oy in 0..<g.outHeight {
            let iy0 = oy * g.stride - g.padTop
            for ox in 0..<g.outWidth {
                let ix0 = ox * g.stride - g.padLeft
                let lo = max(0, -ix0), hi = min(kw, g.inWidth - ix0)
                let runStart = lo * c, runLength = max(hi - lo, 0) * c
                if runLength > 0 {
                    for ky in 0..<kh {
                        let iy = iy0 + ky
                        guard iy >= 0 && iy < g.inHeight else { continue }
                        let target = image + (iy * g.inWidth + ix0 + lo) * c
                        let from = source + ky * rowRun + runStart
                        for i in 0..<runLength { target[i] += from[i] }
                    }
                }
                source += patch
            }
        }
    }
}

/// Copies a short run; below a few dozen floats a plain loop beats the memcpy call.
@inline(__always)
func copyRun(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
    if count >= 32 {
        target.update(from: source, count: count)
    } else {
        for i in 0..<count { target[i] = source[i] }
    }
}
