import XCTest
import Dispatch
import DLCore
@testable import Engine

/// Two trainers with two networks on two threads at once give exactly what they give one after
/// the other (the set-up a parallel hyper-parameter sweep relies on).
final class ConcurrentTrainingTests: XCTestCase {
    /// What one training job leaves behind, written by the one thread that runs the job.
    private final class Outcome {
        var weights: [Tensor] = []
        var figures: [[Float?]] = []
        var stoppedAt: Int?
        var error: Error?
    }

    /// Job 0: an MLP with dropout, Nesterov, weight decay, a cosine schedule, validation and
    /// early stopping. Job 1: a small CNN (im2col GEMMs) with RMSprop and a step schedule.
    private func runJob(_ job: Int, into outcome: Outcome) throws {
        var rng = SeededRandom(seed: 70 + UInt64(job))
        let network: Network, data: TrainingData, optimizer: Optimizer, options: TrainingOptions
        if job == 0 {
            network = try TuningFixtures.classifier(seed: 71, width: 64, dropout: 0.2)
            data = TuningFixtures.blobs(rows: 2000, std: 0.8, seed: 72)
            optimizer = Optimizer(.nesterov(momentum: 0.9), weightDecay: 0.01)
            options = TrainingOptions(learningRate: 0.02, epochs: 60, batchSize: 8,
                                      schedule: .cosine(epochs: 60, minimum: 0.001),
                                      validation: TuningFixtures.blobs(rows: 300, std: 0.8, seed: 73),
                                      earlyStopping: EarlyStopping(patience: 12))
        } else {
            network = try Network(inputShape: [8, 8, 1], layers: [
                Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 4, padding: .same, activation: .relu),
                Pool2D(size: 2),
                Flatten(),
                Dense(units: 3, activation: .softmax)], rng: &rng)
            let x = rng.uniformTensor(shape: [1200, 8, 8, 1], 0, 1)
            let (y, labels) = rng.oneHot(rows: 1200, classes: 3)
            data = TrainingData(x: x, y: y, labels: labels)
            optimizer = Optimizer(.defaultRMSprop)
            options = TrainingOptions(learningRate: 0.005, epochs: 20, batchSize: 8,
                                      schedule: .step(every: 4, factor: 0.5), validation: data)
        }
        let result = try Trainer(network: network, loss: .crossentropy, optimizer: optimizer)
            .train(data, options: options, rng: &rng)
        outcome.weights = network.weights()
        outcome.figures = result.records.map(\.figures)
        outcome.stoppedAt = result.stoppedAt
    }

    func testTwoTrainersOnTwoThreadsMatchSequentialRuns() throws {
        let sequential = [Outcome(), Outcome()]
        for job in 0..<2 { try runJob(job, into: sequential[job]) }
        XCTAssertNotNil(sequential[0].stoppedAt, "job 0 exercises early stopping")
        XCTAssertEqual(sequential[1].figures.count, 20)

        XCTAssertFalse(Trainer.isSingleThreaded)
        Trainer.setSingleThreaded(true)
        defer { Trainer.setSingleThreaded(false) }
        XCTAssertTrue(Trainer.isSingleThreaded)
        for round in 0..<2 {
            let parallel = [Outcome(), Outcome()]
            DispatchQueue.concurrentPerform(iterations: 2) { job in
                do { try runJob(job, into: parallel[job]) } catch { parallel[job].error = error }
            }
            for job in 0..<2 {
                XCTAssertNil(parallel[job].error, "job \(job), round \(round)")
                XCTAssertEqual(parallel[job].weights, sequential[job].weights, "job \(job), round \(round)")
                XCTAssertEqual(parallel[job].figures.count, sequential[job].figures.count)
                // Figures compared bit for bit (NaN-free here, so == is exact equality).
                XCTAssertEqual(parallel[job].figures, sequential[job].figures, "job \(job), round \(round)")
                XCTAssertEqual(parallel[job].stoppedAt, sequential[job].stoppedAt)
            }
        }
    }

    func testPinnedLargeProductsAreDeterministicAcrossThreads() {
        // 2^25 multiply-adds: above the size where OpenBLAS uses every core when not pinned.
        var rng = SeededRandom(seed: 75)
        let a = rng.uniformTensor(shape: [512, 256], -1, 1), b = rng.uniformTensor(shape: [256, 256], -1, 1)
        func product() -> [Float] {
            var c = [Float](repeating: 0, count: 512 * 256)
            a.data.withUnsafeBufferPointer { a in
                b.data.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        sgemm(transposeA: false, transposeB: false, m: 512, n: 256, k: 256,
                              a: a.baseAddress!, lda: 256, b: b.baseAddress!, ldb: 256, c: c.baseAddress!, ldc: 256)
                    }
                }
            }
            return c
        }
        let threaded = product()
        Trainer.setSingleThreaded(true)
        defer { Trainer.setSingleThreaded(false) }
        let pinned = product()
        final class Box { var c: [Float] = [] }
        let boxes = [Box(), Box()]
        DispatchQueue.concurrentPerform(iterations: 2) { boxes[$0].c = product() }
        XCTAssertEqual(boxes[0].c, pinned)
        XCTAssertEqual(boxes[1].c, pinned)
        // One thread and several sum in different orders, so large products may differ in the
        // last bits between the two settings (they do with OpenBLAS 0.3.21 on 2 cores); only
        // runs under the same setting are bit-identical.
        let worst = zip(pinned, threaded).map { abs($0 - $1) / max(abs($1), 1) }.max()!
        XCTAssertLessThan(worst, 1e-5)
    }
}
