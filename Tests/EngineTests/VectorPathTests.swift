import XCTest
import DLCore
@testable import Engine

/// im2col and max pooling copy and compare whole 8-float vectors that may run past a kernel row
/// or a pixel's channels; these compare them with plain per-scalar definitions on shapes where
/// the overhang lands in every kind of place (next run, next pixel, buffer ends).
final class VectorPathTests: XCTestCase {
    /// Small integers, so windows hold ties and the first-maximum rule is exercised.
    private func tiedValues(_ count: Int, rng: inout SeededRandom) -> [Float] {
        (0..<count).map { _ in Float(Int(rng.uniform(-3, 3))) }
    }

    func testIm2colMatchesTheDefinition() throws {
        var rng = SeededRandom(seed: 7)
        for (shape, k, stride, padding) in [([9, 11, 1], (5, 5), 1, Padding.same), ([7, 6, 3], (3, 2), 2, .same),
                                            ([10, 10, 6], (5, 5), 1, .valid), ([6, 9, 2], (2, 3), 1, .valid),
                                            ([5, 5, 1], (1, 1), 1, .valid), ([8, 8, 1], (3, 3), 1, .same)] {
            let g = try XCTUnwrap(WindowGeometry(input: shape, kernelHeight: k.0, kernelWidth: k.1,
                                                 stride: stride, padding: padding))
            let batch = 3
            let x = tiedValues(batch * g.inputSize, rng: &rng)
            var col = [Float](repeating: .nan, count: batch * g.positions * g.patchSize)
            x.withUnsafeBufferPointer { xb in
                col.withUnsafeMutableBufferPointer { im2col(xb.baseAddress!, batch: batch, g, into: $0.baseAddress!) }
            }
            var expected = [Float]()
            for n in 0..<batch {
                for oy in 0..<g.outHeight {
                    for ox in 0..<g.outWidth {
                        for ky in 0..<k.0 {
                            for kx in 0..<k.1 {
                                for c in 0..<g.channels {
                                    let iy = oy * stride - g.padTop + ky, ix = ox * stride - g.padLeft + kx
                                    let inside = iy >= 0 && iy < g.inHeight && ix >= 0 && ix < g.inWidth
                                    expected.append(inside ? x[n * g.inputSize + (iy * g.inWidth + ix) * g.channels + c] : 0)
                                }
                            }
                        }
                    }
                }
            }
            XCTAssertEqual(col, expected, "\(shape) \(k) stride \(stride) \(padding)")
        }
    }

    func testMaxPoolingMatchesTheDefinition() throws {
        var rng = SeededRandom(seed: 11)
        for (shape, size, stride) in [([6, 6, 6], 2, 2), ([5, 7, 3], 2, 1), ([8, 8, 16], 2, 2),
                                      ([7, 7, 11], 3, 2), ([4, 4, 1], 2, 2)] {
            let pool = Pool2D(size: size, stride: stride)
            try pool.build(inputShape: shape, rng: &rng)
            let g = pool.geometry, batch = 3
            let x = Tensor(shape: [batch] + shape, data: tiedValues(batch * g.inputSize, rng: &rng))
            let y = pool.forward(x, training: true)
            var expected = [Float](), expectedIndex = [Int32]()
            for n in 0..<batch {
                for oy in 0..<g.outHeight {
                    for ox in 0..<g.outWidth {
                        for c in 0..<g.channels {
                            var best = -Float.infinity, bestIndex = -1
                            for ky in 0..<size {
                                for kx in 0..<size {
                                    let i = ((oy * stride + ky) * g.inWidth + ox * stride + kx) * g.channels + c
                                    if bestIndex < 0 || x.data[n * g.inputSize + i] > best {
                                        (best, bestIndex) = (x.data[n * g.inputSize + i], i)
                                    }
                                }
                            }
                            expected.append(best)
                            expectedIndex.append(Int32(bestIndex))
                        }
                    }
                }
            }
            XCTAssertEqual(y.data, expected, "\(shape) size \(size) stride \(stride)")
            XCTAssertEqual(pool.argmax, expectedIndex, "\(shape) size \(size) stride \(stride)")
        }
    }

    func testNarrowBiasActivationMatchesTheRowLoop() {
        var rng = SeededRandom(seed: 3)
        for activation in [Activation.relu, .linear] {
            for width in 1...7 {
                for rows in [1, 3, 17] {
                    var z = (0..<rows * width).map { _ in Float(rng.uniform(-1, 1)) }
                    if z.count > 2 { z[1] = -0.0; z[2] = .nan }
                    let bias = (0..<width).map { _ in Float(rng.uniform(-0.5, 0.5)) }
                    let expected = z.indices.map { i -> Float in
                        let v = z[i] + bias[i % width]
                        return activation == .relu ? max(v, 0) : v
                    }
                    z.withUnsafeMutableBufferPointer { zb in
                        bias.withUnsafeBufferPointer { activation.applyWithBias(zb.baseAddress!, rows: rows, width: width, bias: $0.baseAddress!) }
                    }
                    XCTAssertEqual(z.map(\.bitPattern), expected.map(\.bitPattern), "\(activation) width \(width) rows \(rows)")
                }
            }
        }
    }
}
