import Foundation
import XCTest

/// Ctrl-C at the prompt while a long `load`, `evaluate` or `predict … to` runs: the statement
/// stops within moments, says so in one line, and the session is as it was before it.
final class InterruptTests: XCTestCase {
    /// A numeric CSV of about `megabytes` MB (columns f0…f9, then y in 0…2): a block of rows
    /// written over and over, so making it takes well under a second.
    private func writeNumericCSV(_ url: URL, megabytes: Int) throws {
        var block = ""
        var state: UInt64 = 1
        for _ in 0..<10_000 {
            var cells: [String] = []
            for _ in 0..<11 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                cells.append(String((state >> 33) % 1000))
            }
            cells[10] = String(Int(cells[10])! % 3)
            block += cells.joined(separator: ",") + "\n"
        }
        let header = (0..<10).map { "f\($0)" }.joined(separator: ",") + ",y\n"
        _ = FileManager.default.createFile(atPath: url.path, contents: Data(header.utf8))
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        let data = Data(block.utf8)
        for _ in 0 ..< (megabytes << 20) / data.count + 1 { handle.write(data) }
    }

    /// Runs `lines` at the prompt, each to its prompt.
    private func type(_ lines: [String], into session: PseudoTerminalSession, timeout: TimeInterval = 30) {
        for line in lines {
            session.type(line + "\r")
            session.expectPrompt(timeout: timeout)
        }
    }

    /// Types `statement`, and Ctrl-C once it has run for `after` seconds; the one-line
    /// message must come within a few seconds, then the prompt.
    private func interrupt(_ statement: String, after: TimeInterval, in session: PseudoTerminalSession,
                           file: StaticString = #filePath, line: UInt = #line) {
        let name = statement.split(separator: " ").first!
        session.type(statement + "\r")
        usleep(UInt32(after * 1_000_000))
        let start = Date()
        session.type("\u{03}")
        session.expect("interrupted: \(name) stopped; the session is as it was", timeout: 10, file: file, line: line)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5, "Ctrl-C is honoured within moments", file: file, line: line)
        session.expectPrompt(file: file, line: line)
        XCTAssertTrue(session.isRunning, "dl lives on after Ctrl-C", file: file, line: line)
    }

    func testCtrlCStopsTheLoadOfALargeFileAndKeepsTheDataBefore() throws {
        let directory = try makeTemporaryDirectory()
        let big = directory.appendingPathComponent("big.csv")
        try writeNumericCSV(big, megabytes: 160)
        let session = try PseudoTerminalSession.dl(in: directory)
        session.expectPrompt()
        type(["load iris", "split 0.8"], into: session)
        interrupt("load \"\(big.path)\"", after: 0.5, in: session)
        session.type("show\r")
        session.expect("120 training / 30 test rows")
        session.expectPrompt()
        session.type("columns\r")
        session.expect("species")
        session.expectPrompt()
        XCTAssertFalse(session.transcript.contains("loaded big.csv"), session.transcript)
    }

    func testCtrlCStopsEvaluateAndKeepsTheTrainedModel() throws {
        let directory = try makeTemporaryDirectory()
        let session = try PseudoTerminalSession.dl(in: directory)
        session.expectPrompt()
        // A wide network on a million rows, trained on 0.2% of them: `evaluate` then has
        // 998,000 rows through two 1024-unit layers, seconds even on a fast machine.
        type(["load blobs n=1000000 features=20 classes=3", "split 0.002", "dense 1024 relu", "dense 1024 relu",
              "dense 3 softmax", "train lr=0.01 epochs=1 batch=256"], into: session, timeout: 60)
        interrupt("evaluate", after: 0.5, in: session)
        XCTAssertFalse(session.transcript.contains("evaluate on"), session.transcript)
        session.type("show\r")
        session.expect("trained   1 epoch")
        session.expectPrompt()
    }

    func testCtrlCStopsPredictToAFileAndWritesNothing() throws {
        let directory = try makeTemporaryDirectory()
        let big = directory.appendingPathComponent("big.csv"), small = directory.appendingPathComponent("small.csv")
        try writeNumericCSV(big, megabytes: 160)
        try writeNumericCSV(small, megabytes: 1)
        let out = directory.appendingPathComponent("out.csv")
        try Data("old contents\n".utf8).write(to: out)
        let session = try PseudoTerminalSession.dl(in: directory)
        session.expectPrompt()
        type(["load \"\(small.path)\"", "dense 8 relu", "dense 1", "train epochs=1 batch=256"], into: session, timeout: 60)
        interrupt("predict \"\(big.path)\" to \"\(out.path)\"", after: 0.5, in: session)
        XCTAssertEqual(try String(contentsOf: out, encoding: .utf8), "old contents\n", "the old file stays")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        XCTAssertEqual(names.filter { $0.hasSuffix(".tmp") }, [], "no temporary file is left")
        session.type("show\r")
        session.expect("small.csv")
        session.expect("trained   1 epoch")
        session.expectPrompt()
    }
}
