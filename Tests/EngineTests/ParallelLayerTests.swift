import XCTest
import DLCore
@testable import Engine

/// Layers that cut a batch across threads give, bit for bit, what they give on one thread
/// (`Trainer.setSingleThreaded(true)` turns the cutting off).
final class ParallelLayerTests: XCTestCase {
    /// Forward output, input gradient and parameter gradients of one training step of `layer`.
    private func step(_ layer: Layer, input: Tensor, gradient: Tensor) -> [Tensor] {
        let output = layer.forward(input, training: true)
        let gradInput = layer.backward(gradient)
        return [output, gradInput] + layer.parameters.map(\.gradient)
    }

    private func assertSameThreadedAndNot(_ makeLayer: () -> Layer, inputShape: [Int], batch: Int,
                                          file: StaticString = #filePath, line: UInt = #line) throws {
        var rng = SeededRandom(seed: 9)
        let layer = makeLayer()
        try layer.build(inputShape: inputShape, rng: &rng)
        let x = rng.uniformTensor(shape: [batch] + inputShape, -1, 1)
        let g = rng.uniformTensor(shape: [batch] + layer.outputShape, -1, 1)
        XCTAssertFalse(Trainer.isSingleThreaded)
        let threaded = step(layer, input: x, gradient: g)
        Trainer.setSingleThreaded(true)
        defer { Trainer.setSingleThreaded(false) }
        let single = step(layer, input: x, gradient: g)
        for (i, (a, b)) in zip(threaded, single).enumerated() where a != b {
            let diff = zip(a.data, b.data).map { abs($0 - $1) }.max() ?? 0
            XCTFail("tensor \(i) of \(a.shape) differs by up to \(diff)", file: file, line: line)
        }
    }

    func testConvAndPoolMatchOneThread() throws {
        for batch in [1, 3, 64] {
            try assertSameThreadedAndNot({ Conv2D(kernelHeight: 5, kernelWidth: 5, filters: 6, padding: .same,
                                                  activation: .relu) }, inputShape: [28, 28, 1], batch: batch)
            try assertSameThreadedAndNot({ Conv2D(kernelHeight: 5, kernelWidth: 5, filters: 16,
                                                  activation: .tanh) }, inputShape: [14, 14, 6], batch: batch)
            try assertSameThreadedAndNot({ Pool2D(size: 2) }, inputShape: [28, 28, 6], batch: batch)
            try assertSameThreadedAndNot({ Pool2D(size: 3, stride: 2, mode: .avg) }, inputShape: [28, 28, 6], batch: batch)
        }
    }

    /// BatchNorm sums per channel (parts take whole channels) and works row by row elsewhere;
    /// ActivationLayer works row by row.
    func testBatchNormAndActivationMatchOneThread() throws {
        for batch in [1, 3, 64] {
            try assertSameThreadedAndNot({ BatchNorm() }, inputShape: [28, 28, 6], batch: batch)
            try assertSameThreadedAndNot({ BatchNorm() }, inputShape: [300], batch: batch)
            try assertSameThreadedAndNot({ ActivationLayer(.softmax) }, inputShape: [28, 28, 6], batch: batch)
            try assertSameThreadedAndNot({ ActivationLayer(.tanh) }, inputShape: [28, 28, 6], batch: batch)
        }
    }

    /// Batches up to 32: a 128x784 times 784x128 product is "fat" and OpenBLAS threads it
    /// itself (Gemm.swift), which rounds differently from one thread by design.
    func testDenseMatchesOneThread() throws {
        for batch in [1, 5, 32] {
            try assertSameThreadedAndNot({ Dense(units: 128, activation: .relu) }, inputShape: [784], batch: batch)
            try assertSameThreadedAndNot({ Dense(units: 10, activation: .softmax) }, inputShape: [64], batch: batch)
        }
    }
}

extension ParallelLayerTests {
    /// The row blocks conv layers multiply on separate threads, multiplied here one after the
    /// other, reproduce the whole product bit for bit when cut at `sgemmRowGranule` (cut anywhere
    /// else, OpenBLAS rounds some rows differently).
    func testSgemmRowBlocksMatchTheWholeProduct() {
        var rng = SeededRandom(seed: 11)
        for (m, n, k) in [(6400, 16, 150), (50176, 6, 25), (300, 16, 150), (999, 33, 77), (32, 128, 784)] {
            let a = rng.uniformTensor(shape: [m, k], -1, 1), b = rng.uniformTensor(shape: [k, n], -1, 1)
            var whole = [Float](repeating: 0, count: m * n), blocks = whole
            let cut = m / 2 / sgemmRowGranule * sgemmRowGranule
            a.data.withUnsafeBufferPointer { a in
                b.data.withUnsafeBufferPointer { b in
                    whole.withUnsafeMutableBufferPointer { c in
                        sgemm(transposeA: false, transposeB: false, m: m, n: n, k: k, a: a.baseAddress!, lda: k,
                              b: b.baseAddress!, ldb: n, c: c.baseAddress!, ldc: n)
                    }
                    blocks.withUnsafeMutableBufferPointer { c in
                        for rows in [0..<cut, cut..<m] {
                            sgemm(transposeA: false, transposeB: false, m: rows.count, n: n, k: k,
                                  a: a.baseAddress! + rows.lowerBound * k, lda: k, b: b.baseAddress!, ldb: n,
                                  c: c.baseAddress! + rows.lowerBound * n, ldc: n)
                        }
                    }
                }
            }
            XCTAssertEqual(whole, blocks, "\(m)x\(k) times \(k)x\(n)")
        }
    }

    /// The kernel gradient col^T dz computed as separate products over `reductionChains`'
    /// stretches of rows, added in order (`addChains`), is the one product bit for bit: conv
    /// layers spread those stretches over threads. Bit for bit where OpenBLAS chains as its
    /// Haswell kernels do (every 320 rows); elsewhere to rounding.
    func testKernelGradientChainsMatchTheWholeProduct() {
        var rng = SeededRandom(seed: 12)
        for (rows, filters, patch) in [(6400, 16, 150), (3200, 16, 150), (50176, 8, 25), (1000, 33, 77), (700, 120, 9)] {
            let col = rng.uniformTensor(shape: [rows, patch], -1, 1), dz = rng.uniformTensor(shape: [rows, filters], -1, 1)
            var whole = [Float](repeating: 0, count: patch * filters), chained = whole
            var bounds: [Int] = []
            reductionChains(rows, into: &bounds)
            var sums = [Float](repeating: 0, count: (bounds.count - 1) * patch * filters)
            col.data.withUnsafeBufferPointer { a in
                dz.data.withUnsafeBufferPointer { b in
                    whole.withUnsafeMutableBufferPointer { c in
                        sgemm(transposeA: true, transposeB: false, m: patch, n: filters, k: rows, a: a.baseAddress!,
                              lda: patch, b: b.baseAddress!, ldb: filters, c: c.baseAddress!, ldc: filters)
                    }
                    sums.withUnsafeMutableBufferPointer { s in
                        for c in 0..<bounds.count - 1 {
                            let r0 = bounds[c]
                            sgemm(transposeA: true, transposeB: false, m: patch, n: filters, k: bounds[c + 1] - r0,
                                  a: a.baseAddress! + r0 * patch, lda: patch, b: b.baseAddress! + r0 * filters,
                                  ldb: filters, c: s.baseAddress! + c * patch * filters, ldc: filters)
                        }
                        chained.withUnsafeMutableBufferPointer { total in
                            addChains(s.baseAddress!, count: bounds.count - 1, size: patch * filters, into: total.baseAddress!)
                        }
                    }
                }
            }
            if blasAddsLikeHaswell {
                XCTAssertTrue(whole == chained, "\(patch)x\(rows) times \(rows)x\(filters)")
            } else {
                // Another kernel family splits its chains elsewhere: the sums agree to rounding only.
                let scale = whole.map(abs).max() ?? 1
                let diff = zip(whole, chained).map { abs($0 - $1) }.max() ?? 0
                XCTAssertLessThan(diff, 1e-5 * max(scale, 1), "\(patch)x\(rows) times \(rows)x\(filters)")
            }
        }
    }
}
