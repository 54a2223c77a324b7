import DLCore
import Foundation
import XCTest
@testable import Tabular

/// Ctrl-C while a large CSV loads: the reader looks at its `Cancellation` every few MB (here
/// every 64 KB), in every phase (reading the file, counting lines, parsing, reading text columns again), and
/// throws `Interrupted` instead of returning a table.
final class CSVCancellationTests: XCTestCase {
    /// Says "stop" from its `after`-th look on (and stays so, as the Ctrl-C flag does).
    private final class StopAfter: @unchecked Sendable {
        private let lock = NSLock()
        private var looks = 0
        let after: Int
        init(_ after: Int) { self.after = after }
        var looksSoFar: Int { lock.withLock { looks } }
        var cancellation: Cancellation {
            Cancellation { [self] in lock.withLock { looks += 1; return looks > after } }
        }
    }

    /// About `megabytes` MB of quote-free numbers (the split, multi-threaded path), or with
    /// a quoted text column (the sequential path and a second pass over the text).
    private func csv(megabytes: Int, quoted: Bool) -> [UInt8] {
        var block = ""
        for i in 0..<2000 { block += quoted ? "\(i),\"n\(i % 7)\",\(i % 3)\n" : "\(i),\(i % 97),\(i * 7 % 1000),\(i % 3)\n" }
        let bytes = Array(block.utf8)
        var text = Array((quoted ? "a,name,y\n" : "a,b,c,y\n").utf8)
        for _ in 0 ..< (megabytes << 20) / bytes.count + 1 { text += bytes }
        return text
    }

    /// Reads `bytes` as a split read of two parts would, looking every 64 KB.
    private func read(_ bytes: [UInt8], cancel: Cancellation) throws -> Table {
        try bytes.withUnsafeBufferPointer { buffer in
            var reader = CSVReader(bytes: buffer, source: "t.csv")
            reader.cancel = cancel
            reader.cancellationStride = 64 << 10
            return try reader.read()
        }
    }

    /// Stopped after none, some, half and all but one of the looks an uninterrupted read takes.
    private func assertStopsAtEveryLook(_ bytes: [UInt8], atLeast: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let counter = StopAfter(.max)
        let whole = try read(bytes, cancel: counter.cancellation)
        XCTAssertEqual(whole.rowCount, try CSV.parse(bytes: bytes, source: "t.csv").rowCount, file: file, line: line)
        let looks = counter.looksSoFar
        XCTAssertGreaterThanOrEqual(looks, atLeast, file: file, line: line)
        for after in [0, 1, looks / 2, looks - 1] {
            XCTAssertThrowsError(try read(bytes, cancel: StopAfter(after).cancellation), "stop after \(after) of \(looks) looks",
                                 file: file, line: line) { error in
                XCTAssertTrue(error is Interrupted, "\(error)", file: file, line: line)
            }
        }
    }

    func testSplitReadStopsWhileCountingAndWhileParsing() throws {
        // 2 MB in two parts: 32 pieces counted, and a look every 64 KB of parsing.
        try assertStopsAtEveryLook(csv(megabytes: 2, quoted: false), atLeast: 40)
    }

    func testQuotedReadStopsInOnePieceAndInTheTextPass() throws {
        let bytes = csv(megabytes: 1, quoted: true)
        guard case .text = try read(bytes, cancel: .never).columns[1].data else { return XCTFail("a text column expected") }
        try assertStopsAtEveryLook(bytes, atLeast: 16)
    }

    func testReadingTheFileStops() throws {
        // Large enough for the read into huge pages, which looks before each read of a few MB.
        let path = NSTemporaryDirectory() + "dl-cancel-\(getpid()).csv"
        try Data(csv(megabytes: 3, quoted: false)).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let counter = StopAfter(.max)
        XCTAssertEqual(try CSV.read(path: path, cancel: counter.cancellation).rowCount, try CSV.read(path: path).rowCount)
        for after in 0 ..< counter.looksSoFar {
            XCTAssertThrowsError(try CSV.read(path: path, cancel: StopAfter(after).cancellation), "stop after \(after) looks") { error in
                XCTAssertTrue(error is Interrupted, "\(error)")
            }
        }
    }

    func testWritingStopsToo() throws {
        let table = try CSV.parse(bytes: Array("a,b\n1,x\n2,y\n".utf8), source: "t.csv")
        XCTAssertEqual(try table.csvBytes(cancel: .never), table.csvBytes())
        XCTAssertThrowsError(try table.csvBytes(cancel: Cancellation { true })) { XCTAssertTrue($0 is Interrupted) }
    }
}
