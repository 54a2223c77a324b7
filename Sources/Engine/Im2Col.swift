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

    /// The zero rows and columns around an image of `height` x `width` (top, left, bottom,
    /// right): none for `valid`; for `same`, TensorFlow's total = max((out - 1) * stride + k - in, 0),
    /// the smaller half on top/left. The exports hand these to ONNX and PyTorch.
    public func pads(height: Int, width: Int, kernelHeight: Int, kernelWidth: Int, stride: Int)
        -> (top: Int, left: Int, bottom: Int, right: Int) {
        guard self == .same else { return (0, 0, 0, 0) }
        func total(_ size: Int, _ kernel: Int) -> Int { max(((size + stride - 1) / stride - 1) * stride + kernel - size, 0) }
        let rows = total(height, kernelHeight), columns = total(width, kernelWidth)
        return (rows / 2, columns / 2, rows - rows / 2, columns - columns / 2)
    }
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
            (padTop, padLeft, _, _) = padding.pads(height: inHeight, width: inWidth, kernelHeight: kernelHeight,
                                                   kernelWidth: kernelWidth, stride: stride)
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
///
/// Loops run kernel row by kernel row across a whole output row, so the padding tests happen
/// once per (image row, ky) and the columns whose window lies inside the image horizontally
/// copy fixed-length runs with no clipping at all.
func im2col(_ x: UnsafePointer<Float>, batch: Int, _ g: WindowGeometry, into col: UnsafeMutablePointer<Float>) {
    let c = g.channels, kw = g.kernelWidth, s = g.stride
    let rowRun = kw * c, patch = g.patchSize, wideRun = (rowRun + 7) / 8 * 8
    // The overhang of a widened run must fit inside the next kernel row's run.
    let widens = wideRun - rowRun <= rowRun, end = x + batch * g.inputSize
    // Output columns [innerStart, innerEnd) need no horizontal clipping.
    let innerStart = min((g.padLeft + s - 1) / s, g.outWidth)
    let lastInside = g.inWidth - kw + g.padLeft
    let innerEnd = max(innerStart, lastInside < 0 ? 0 : min(g.outWidth, lastInside / s + 1))
    for n in 0..<batch {
        let image = x + n * g.inputSize
        for oy in 0..<g.outHeight {
            let outputRow = col + (n * g.outHeight + oy) * g.outWidth * patch
            for ky in 0..<g.kernelHeight {
                let iy = oy * s - g.padTop + ky
                let target = outputRow + ky * rowRun
                guard iy >= 0 && iy < g.inHeight else {
                    for ox in 0..<g.outWidth { (target + ox * patch).update(repeating: 0, count: rowRun) }
                    continue
                }
                let source = image + iy * g.inWidth * c
                // Below the last kernel row, a run may be copied as whole 8-float vectors: the
                // floats written past its end fall in the next kernel row of the same window,
                // written later in this loop, and those read past it stay inside `x`.
                if widens && ky < g.kernelHeight - 1 && source + (g.inWidth + 8) * c <= end {
                    for ox in innerStart..<innerEnd {
                        copyVectors(from: source + (ox * s - g.padLeft) * c, to: target + ox * patch, count: wideRun)
                    }
                } else {
                    for ox in innerStart..<innerEnd {
                        copyRun(from: source + (ox * s - g.padLeft) * c, to: target + ox * patch, count: rowRun)
                    }
                }
                for ox in 0..<innerStart { copyClipped(source, target + ox * patch, g, ox: ox) }
                for ox in innerEnd..<g.outWidth { copyClipped(source, target + ox * patch, g, ox: ox) }
            }
        }
    }
}

/// Copies `count` floats, a multiple of 8, as 8-float vectors.
@inline(__always)
private func copyVectors(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    repeat {
        UnsafeMutableRawPointer(target + i).storeBytes(
            of: UnsafeRawPointer(source + i).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
        i += 8
    } while i < count
}

/// One kernel row of a window that hangs over the left or right edge: the part inside the
/// image row `source` is copied, the rest zero-filled.
@inline(__always)
private func copyClipped(_ source: UnsafePointer<Float>, _ target: UnsafeMutablePointer<Float>,
                         _ g: WindowGeometry, ox: Int) {
    let c = g.channels, kw = g.kernelWidth, ix0 = ox * g.stride - g.padLeft
    let lo = min(max(0, -ix0), kw), hi = max(min(kw, g.inWidth - ix0), lo)
    if lo > 0 { target.update(repeating: 0, count: lo * c) }
    if hi > lo { copyRun(from: source + (ix0 + lo) * c, to: target + lo * c, count: (hi - lo) * c) }
    if hi < kw { (target + hi * c).update(repeating: 0, count: (kw - hi) * c) }
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
                        addRun(from: source + ky * rowRun + runStart, to: target, count: runLength)
                    }
                }
                source += patch
            }
        }
    }
}

/// `target[i] += source[i]` over a short run, in 8- and 4-wide vectors (each element still gets
/// one addition, so sums are unchanged; the compiler cannot vectorise it itself as the two may
/// overlap for all it knows).
@inline(__always)
func addRun(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i + 8 <= count {
        let sum = UnsafeRawPointer(target + i).loadUnaligned(as: SIMD8<Float>.self)
            + UnsafeRawPointer(source + i).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(target + i).storeBytes(of: sum, as: SIMD8<Float>.self)
        i += 8
    }
    if i + 4 <= count {
        let sum = UnsafeRawPointer(target + i).loadUnaligned(as: SIMD4<Float>.self)
            + UnsafeRawPointer(source + i).loadUnaligned(as: SIMD4<Float>.self)
        UnsafeMutableRawPointer(target + i).storeBytes(of: sum, as: SIMD4<Float>.self)
        i += 4
    }
    while i < count {
        target[i] += source[i]
        i += 1
    }
}

/// Copies a short run (a kernel row: kw * inC floats, often 5 to a few dozen) in 8- and 4-wide
/// vector moves; a memcpy call costs more than the copy at these lengths.
@inline(__always)
func copyRun(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
    if count > 256 {
        target.update(from: source, count: count)
        return
    }
    var i = 0
    while i + 8 <= count {
        UnsafeMutableRawPointer(target + i).storeBytes(
            of: UnsafeRawPointer(source + i).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
        i += 8
    }
    if i + 4 <= count {
        UnsafeMutableRawPointer(target + i).storeBytes(
            of: UnsafeRawPointer(source + i).loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
        i += 4
    }
    while i < count {
        target[i] = source[i]
        i += 1
    }
}
