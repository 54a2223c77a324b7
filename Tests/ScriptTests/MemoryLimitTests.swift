import XCTest
import DLCore
@testable import Script

/// Models and data that cannot fit in memory are refused with their size, at the line of the
/// layer that takes most, before anything is allocated; models that fit train as before.
final class MemoryLimitTests: XCTestCase {
    override func tearDown() {
        unsetenv(MemoryBudget.variable)
    }

    /// A conv model whose training buffers no machine has (over a terabyte of im2col columns):
    /// refused at `train`, at the second conv's line, before a weight is drawn.
    func testConvModelTooLargeForAnyMachineIsRefusedWithItsSize() {
        let (text, outcomes) = runLines(["load shapes n=2000 size=64", "conv 5x5 filters=4096 relu", "conv 5x5 filters=4096 relu",
                                         "flatten", "dense 4 softmax", "train batch=1000 epochs=1", "show"])
        XCTAssertEqual(outcomes.suffix(2), [.runtimeError, .ok], text)
        XCTAssertTrue(text.contains("<stdin>:3:1: error: training this model would need about "), text)
        XCTAssertTrue(text.contains(" TB (weights "), text)
        XCTAssertTrue(text.contains("activations for batch 1000"), text)
        XCTAssertTrue(text.contains("hint: use fewer filters"), text)
        XCTAssertFalse(text.contains("epoch 1"), text)
    }

    /// DL_MEMORY_LIMIT sets the budget: the same model is refused under 2 GB with the exact
    /// figures, and trains once the batch fits.
    func testMemoryLimitOverrideAndTheExactMessage() {
        setenv(MemoryBudget.variable, "2G", 1)
        let (text, outcomes) = runLines(["load digits", "conv 3x3 filters=4096 relu", "conv 3x3 filters=4096 relu",
                                         "flatten", "dense 10 softmax", "train batch=1000 epochs=1"])
        XCTAssertEqual(outcomes.last, .runtimeError, text)
        XCTAssertTrue(text.contains("""
            <stdin>:3:1: error: training this model would need about 5 GB (weights 1.2 GB, activations for batch 1000 3.7 GB) but DL_MEMORY_LIMIT allows 2 GB
                3 | conv 3x3 filters=4096 relu
                  | ^~~~~~~~~~~~~~~~~~~~~~~~~~
            hint: use fewer filters, pooling earlier (`pool 2x2`) to shrink the maps, or a smaller batch (`train batch=184` would fit); `reset model` starts the layers again
            """), text)
    }

    func testSweepCountsEveryCombinationItKeeps() {
        setenv(MemoryBudget.variable, "150M", 1)
        // One combination fits (about 60 MB), four kept for `use best` do not.
        let lines = ["load digits", "conv 3x3 filters=256 relu", "flatten", "dense 10 softmax"]
        let (one, oneOutcomes) = runLines(lines + ["sweep lr=0.01 epochs=1 batch=256"])
        XCTAssertEqual(oneOutcomes.last, .ok, one)
        let (text, outcomes) = runLines(lines + ["sweep lr=0.1,0.01,0.001,0.0001 epochs=1 batch=256"])
        XCTAssertEqual(outcomes.last, .runtimeError, text)
        XCTAssertTrue(text.contains("error: this sweep's 4 combinations (each kept for `use best`) would need about"), text)
        XCTAssertTrue(text.contains("would need about 234 MB (weights 3 MB, activations for batch 256 114 MB, evaluation 116 MB) but DL_MEMORY_LIMIT allows 150 MB"), text)
    }

    /// A dense model is still refused where it is built (`summary`), with its weights' size.
    func testDenseModelRefusedWhenBuilt() {
        let (text, outcomes) = runLines(["load iris", "dense 1000000 relu", "dense 1000000 relu", "dense 3 softmax", "summary"])
        XCTAssertEqual(outcomes.last, .runtimeError, text)
        XCTAssertTrue(text.contains("<stdin>:3:1: error: building this model would need about 8 TB (weights and gradients 8 TB) but"), text)
        XCTAssertTrue(text.contains("hint: use fewer units"), text)
    }

    /// Data is refused before it is read or generated: a CSV by its size and cells, a
    /// generated set by its rows (under the 100,000,000-value limit of the statement).
    func testDataTooLargeForTheBudgetIsRefusedBeforeReading() throws {
        let path = NSTemporaryDirectory() + "dl-memory-\(getpid()).csv"
        try String(repeating: "1,2,3\n", count: 1000).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        setenv(MemoryBudget.variable, "10K", 1)
        let (text, outcomes) = runLines(["load \"\(path)\"", "load moons n=10000", "load iris"])
        XCTAssertEqual(outcomes, [.runtimeError, .runtimeError, .ok], text)
        XCTAssertTrue(text.contains("error: 'dl-memory-\(getpid()).csv' is 6 KB: loading it would need about 18 KB (the file 6 KB, about 3,000 cells 12 KB) but DL_MEMORY_LIMIT allows 10 KB"), text)
        XCTAssertTrue(text.contains("hint: load a part of it, e.g. `head -n 100001"), text)
        XCTAssertTrue(text.contains("error: generating 10000 rows of 2 features would need about 880 KB but DL_MEMORY_LIMIT allows 10 KB"), text)
    }

    func testBudgetParsingAndByteNames() {
        XCTAssertEqual(MemoryBudget.parse("2G"), 2_000_000_000)
        XCTAssertEqual(MemoryBudget.parse(" 512m "), 512_000_000)
        XCTAssertEqual(MemoryBudget.parse("123"), 123)
        XCTAssertNil(MemoryBudget.parse("lots"))
        XCTAssertNil(MemoryBudget.parse("-1G"))
        XCTAssertEqual(describeBytes(61_300_000_000), "61.3 GB")
        XCTAssertEqual(describeBytes(2_000_000_000), "2 GB")
        XCTAssertEqual(describeBytes(999), "999 bytes")
        XCTAssertEqual(describeBytes(8_000_800_000_000), "8 TB")
        XCTAssertEqual(describeBytes(150_400_000), "150 MB")
        setenv(MemoryBudget.variable, "1.5G", 1)
        XCTAssertEqual(MemoryBudget.current(), MemoryBudget(bytes: 1_500_000_000, source: "DL_MEMORY_LIMIT allows"))
        unsetenv(MemoryBudget.variable)
        let machine = MemoryBudget.current()
        XCTAssertNotNil(machine)
        XCTAssertGreaterThan(machine?.bytes ?? 0, 1 << 26, "a machine that runs the tests has more than 64 MiB free")
    }
}
