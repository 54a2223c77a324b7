import XCTest
import Foundation
@testable import Script

/// Writes replace a file whole, but never replace what is not a plain file: a symbolic
/// link keeps pointing where it did, and a named pipe or device is written, not renamed over.
final class WriteThroughTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder("dl-write")
    }

    func testASymbolicLinkIsWrittenThroughAndKept() throws {
        let real = "\(folder!)/models/v3.dl"
        try FileManager.default.createDirectory(atPath: "\(folder!)/models", withIntermediateDirectories: true)
        try "old".write(toFile: real, atomically: false, encoding: .utf8)
        let link = "\(folder!)/latest.dl"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "models/v3.dl")

        let (text, outcomes) = runLines(["load iris", "save script \"\(link)\""])
        XCTAssertEqual(outcomes, [.ok, .ok], text)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), "models/v3.dl")
        XCTAssertTrue(try String(contentsOfFile: real, encoding: .utf8).contains("load iris"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(), ["latest.dl", "models"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: "\(folder!)/models"), ["v3.dl"])
    }

    func testAReplacedFileKeepsItsPermissions() throws {
        let path = "\(folder!)/private.dl"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertEqual(chmod(path, 0o600), 0)
        let (text, outcomes) = runLines(["load iris", "save script \"\(path)\""])
        XCTAssertEqual(outcomes, [.ok, .ok], text)
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600, "a private file became readable to others")
        XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).contains("load iris"))
    }

    func testANamedPipeIsWrittenNotReplaced() throws {
        let fifo = "\(folder!)/out.pipe"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let received = ReadAll(fifo)
        let (text, outcomes) = runLines(["load iris", "save script \"\(fifo)\""])
        XCTAssertEqual(outcomes, [.ok, .ok], text)
        XCTAssertTrue(received.wait().contains("load iris"))
        var info = stat()
        XCTAssertEqual(lstat(fifo, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO, "the pipe was replaced by a file")
    }
}

/// Reads a named pipe to its end on another thread.
private final class ReadAll: @unchecked Sendable {
    private var bytes = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ path: String) {
        Thread.detachNewThread { [self] in
            if let handle = FileHandle(forReadingAtPath: path) { bytes = handle.readDataToEndOfFile() }
            done.signal()
        }
    }

    func wait() -> String {
        _ = done.wait(timeout: .now() + 10)
        return String(decoding: bytes, as: UTF8.self)
    }
}
