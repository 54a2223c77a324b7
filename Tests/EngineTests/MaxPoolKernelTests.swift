import XCTest
import CKernels
import DLCore
@testable import Engine

/// CKernels' max pooling against the scalar rule it must follow: per window and channel, in
/// window order, a value replaces the best only when it is greater (the first of ties stays, a
/// NaN never replaces, a NaN that comes first is kept), on the AVX2 and portable builds.
final class MaxPoolKernelTests: XCTestCase {
    private func reference(_ x: [Float], _ s: dl_pool_shape, images: Int) -> ([Float], [Int32]) {
        var y: [Float] = [], index: [Int32] = []
        let (h, w, c) = (s.height, s.width, s.channels)
        for n in 0..<images {
            for oy in 0..<s.outHeight { for ox in 0..<s.outWidth { for ch in 0..<c {
                let first = (oy * s.stride * w + ox * s.stride) * c + ch
                var best = x[n * h * w * c + first], bestIndex = first
                for ky in 0..<s.size { for kx in 0..<s.size {
                    let p = first + (ky * w + kx) * c
                    let value = x[n * h * w * c + p]
                    if value > best { best = value; bestIndex = p }
                } }
                y.append(best); index.append(Int32(bestIndex))
            } } }
        }
        return (y, index)
    }

    func testVectorAndPortableFollowTheScalarRule() {
        var rng = SeededRandom(seed: 21)
        for (size, step, channels) in [(2, 2, 13), (3, 2, 8), (2, 2, 32), (2, 1, 5)] {
            let (h, w, images) = (9, 7, 3)
            var s = dl_pool_shape(height: h, width: w, channels: channels, size: size, stride: step,
                                  outHeight: (h - size) / step + 1, outWidth: (w - size) / step + 1)
            // Few distinct values, so ties are common, and a sprinkling of NaN.
            var x = (0..<(images * h * w * channels)).map { _ in Float(Int(rng.uniform(0, 4))) }
            for i in stride(from: 5, to: x.count, by: 37) { x[i] = .nan }
            let (expected, expectedIndex) = reference(x, s, images: images)
            for portable in [false, true] {
                dl_direct_conv_use_portable(portable ? 1 : 0)
                defer { dl_direct_conv_use_portable(0) }
                var y = [Float](repeating: 0, count: expected.count), index = [Int32](repeating: -1, count: expected.count)
                dl_max_pool(&s, x, images, &y, &index)
                XCTAssertEqual(index, expectedIndex, "size \(size) stride \(step) channels \(channels) portable \(portable)")
                XCTAssertEqual(y.map(\.bitPattern), expected.map(\.bitPattern), "size \(size) portable \(portable)")
            }
        }
    }

    /// The one-pass routed backward gives the two-pass values bit for bit: zeros, 0 + gy at each
    /// argmax (a -0 gradient becomes +0), times the slope where the pooled value is not above 0.
    func testRoutedBackwardMatchesClearingThenScattering() {
        var rng = SeededRandom(seed: 22)
        let (h, w, c, images) = (8, 6, 11, 2)
        var s = dl_pool_shape(height: h, width: w, channels: c, size: 2, stride: 2, outHeight: 4, outWidth: 3)
        let x = (0..<(images * h * w * c)).map { _ in Float(rng.uniform(-1, 1)) }
        var y = [Float](repeating: 0, count: images * 12 * c), index = [Int32](repeating: 0, count: y.count)
        dl_max_pool(&s, x, images, &y, &index)
        var gy = y.map { _ in Float(rng.uniform(-1, 1)) }
        for i in stride(from: 3, to: gy.count, by: 9) { gy[i] = -0.0 }
        for slope: Float in [0, 0.3] {
            var expected = [Float](repeating: 0, count: x.count)
            for i in gy.indices {
                let at = i / (12 * c) * h * w * c + Int(index[i])
                let v = expected[at] + gy[i]
                expected[at] = y[i] > 0 ? v : v * slope
            }
            var dx = [Float](repeating: .nan, count: x.count)
            dl_max_pool_backward_routed(&s, gy, y, index, images, slope, &dx)
            XCTAssertEqual(dx.map(\.bitPattern), expected.map(\.bitPattern), "slope \(slope)")
        }
    }
}
