import XCTest
@testable import Engine

/// The safetensors codec: what it writes reads back, and every malformed file is refused
/// with the problem named.
final class SafetensorsTests: XCTestCase {
    private let entries = [
        Safetensors.Entry(name: "dense.kernel", tensor: Tensor(shape: [2, 3], data: [1, -2, 3.5, 0, .leastNonzeroMagnitude, -0.0])),
        Safetensors.Entry(name: "dense.bias", tensor: Tensor(shape: [3], data: [0.1, 0.2, 0.3])),
        Safetensors.Entry(name: "empty", tensor: Tensor(shape: [0, 4], data: [])),
    ]

    /// A file with the given header text and data bytes.
    private func file(_ header: String, data: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes += $0 }
        return bytes + Array(header.utf8) + [UInt8](repeating: 0, count: data)
    }

    private func assertProblem(_ bytes: [UInt8], _ expected: SafetensorsProblem, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Safetensors.decode(bytes), file: file, line: line) { error in
            XCTAssertEqual(error as? SafetensorsProblem, expected, file: file, line: line)
        }
    }

    func testRoundTripKeepsNamesShapesBitsAndMetadata() throws {
        let metadata = ["format": "dl-model", "quote\"and\\slash\n": "ü ✓ \u{1}"]
        let bytes = Safetensors.encode(entries, metadata: metadata)
        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
        XCTAssertEqual(headerLength % 8, 0, "the data starts 8-byte aligned")
        let (decoded, readMetadata) = try Safetensors.decode(bytes)
        XCTAssertEqual(readMetadata, metadata)
        XCTAssertEqual(decoded.map(\.name), entries.map(\.name))
        XCTAssertEqual(decoded.map(\.tensor.shape), entries.map(\.tensor.shape))
        XCTAssertEqual(decoded.flatMap(\.tensor.data).map(\.bitPattern), entries.flatMap(\.tensor.data).map(\.bitPattern))
    }

    func testMalformedFilesAreRefused() {
        let good = Safetensors.encode(entries, metadata: [:])
        assertProblem([], .truncated(bytes: 0))
        assertProblem(Array(good.prefix(5)), .truncated(bytes: 5))
        assertProblem(Array(good.prefix(20)), .headerPastEnd(claimed: UInt64(good[0]) | UInt64(good[1]) << 8, available: 12))
        assertProblem(Array(good.dropLast(4)), .dataPastEnd(name: "dense.bias", end: 36, available: 32))
        assertProblem(good + [0, 0], .trailingBytes(count: 2))
        let csv = Array("label,x\n1,2\n3,4\n".utf8)
        let claimed = csv.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        assertProblem(csv, .headerPastEnd(claimed: claimed, available: csv.count - 8))
        assertProblem(file("[1, 2, 3]", data: 0), .notSafetensors)
        assertProblem(file("{\"a\": ", data: 0), .notSafetensors)
        assertProblem(file(#"{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, data: 4), .unsupportedDtype(name: "w", dtype: "F16"))
        assertProblem(file(#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: 8), .sizeMismatch(name: "w", shape: [3], bytes: 8))
        assertProblem(file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: 12),
                      .overlap(name: "b", begin: 4, previousEnd: 8))
        assertProblem(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#, data: 12),
                      .gap(name: "b", begin: 8, previousEnd: 4))
        assertProblem(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: 8), .gap(name: "a", begin: 4, previousEnd: 0))
        assertProblem(file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: 4), .dataPastEnd(name: "a", end: 8, available: 4))
        assertProblem(file(#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: 4), .badEntry(name: "a", reason: "its shape is not a list of sizes"))
        assertProblem(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, data: 4), .badEntry(name: "a", reason: "its data_offsets are not [begin, end]"))
        assertProblem(file(#"{"__metadata__":{"k":1}}"#, data: 0), .badEntry(name: "__metadata__", reason: "the value of 'k' is not text"))
        assertProblem(file(#"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}}"#, data: 0),
                      .sizeMismatch(name: "a", shape: [4611686018427387904, 4], bytes: 0))
    }

    func testEveryProblemSaysWhatWasFound() {
        let problems: [SafetensorsProblem] = [.truncated(bytes: 3), .headerPastEnd(claimed: 99, available: 5), .notSafetensors,
                                              .unsupportedDtype(name: "w", dtype: "BF16"), .overlap(name: "b", begin: 4, previousEnd: 8)]
        let messages = problems.map(\.message)
        XCTAssertTrue(messages[0].contains("3 bytes long"))
        XCTAssertTrue(messages[1].contains("99 bytes but only 5"))
        XCTAssertTrue(messages[3].contains("BF16"))
        XCTAssertTrue(messages[4].contains("'b' starts at byte 4"))
    }
}
