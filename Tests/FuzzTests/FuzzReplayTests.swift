import XCTest
import FuzzTargets

/// Every seed of the fuzz corpus, and every input a fuzzer ever reported (kept in
/// crashes/TARGET/ once fixed), run through the same target function the fuzzer calls:
/// each must return normally (no crash, no broken check) and in good time (no hang).
final class FuzzReplayTests: XCTestCase {
    private let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    func testSeedsRunClean() throws {
        try replay("seeds", atLeast: 8)
    }

    func testPastCrashesRunClean() throws {
        try replay("crashes", atLeast: 0)
    }

    /// A target named in scripts/fuzz with no function behind it would fuzz nothing.
    func testEveryTargetHasAFunctionAndSeeds() throws {
        let script = try String(contentsOf: folder.appendingPathComponent("../../scripts/fuzz"), encoding: .utf8)
        for name in ["script", "statements", "csv", "table", "idx", "model", "image"] {
            XCTAssertNotNil(FuzzTargets.all[name], name)
            XCTAssertTrue(script.contains("\(name))"), "scripts/fuzz does not offer \(name)")
        }
        XCTAssertEqual(FuzzTargets.all.count, 7)
    }

    private func replay(_ kind: String, atLeast minimum: Int) throws {
        for (name, target) in FuzzTargets.all.sorted(by: { $0.key < $1.key }) {
            // `table` and `statements` start from the csv and script seeds (as scripts/fuzz
            // does) and keep their own crashes.
            let seeds = kind != "seeds" ? name : ["table": "csv", "statements": "script"][name] ?? name
            let inputs = try inputFiles(folder.appendingPathComponent("\(kind)/\(seeds)"))
            XCTAssertGreaterThanOrEqual(inputs.count, minimum, "\(kind)/\(name)")
            for input in inputs {
                let bytes = try [UInt8](Data(contentsOf: input))
                let start = Date()
                bytes.withUnsafeBufferPointer { target($0) }
                // The fuzzers count over a second (optimised) as a hang; a debug build is
                // several times slower, so a hang here is what takes far longer still.
                XCTAssertLessThan(Date().timeIntervalSince(start), 10, "\(kind)/\(name)/\(input.lastPathComponent)")
            }
        }
    }

    private func inputFiles(_ url: URL) throws -> [URL] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
