import Foundation
import XCTest

/// A running `dl --json` with its standard input and output as pipes.
final class JSONSession {
    private let process = Process()
    private let input: FileHandle
    private let outputDescriptor: Int32
    private var pending: [UInt8] = []
    /// The progress lines read before the last reply (`reply` reads past them, as a client does).
    private(set) var progress: [[String: Any]] = []

    init(in directory: URL) throws {
        process.executableURL = URL(fileURLWithPath: DLBinary.path)
        process.arguments = ["--json"]
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        // Colour would be allowed on a terminal: JSON mode must never use it.
        environment["NO_COLOR"] = nil
        environment["TERM"] = "xterm-256color"
        environment["COLORTERM"] = "truecolor"
        environment["DL_HISTORY"] = directory.appendingPathComponent("history").path
        process.environment = environment
        let stdinPipe = Pipe(), stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        input = stdinPipe.fileHandleForWriting
        outputDescriptor = stdoutPipe.fileHandleForReading.fileDescriptor
    }

    var isRunning: Bool { process.isRunning }

    func send(_ text: String) { input.write(Data(text.utf8)) }

    /// Sends one request line and reads its reply.
    func ask(_ line: String, timeout: TimeInterval = 30, file: StaticString = #filePath, line number: UInt = #line) throws -> [String: Any] {
        send(line + "\n")
        return try reply(timeout: timeout, file: file, line: number)
    }

    /// The next reply: lines are read, each of which must be one JSON object, up to the one
    /// with `status`; those before it (progress lines) are kept in `progress`.
    func reply(timeout: TimeInterval = 30, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        progress = []
        while true {
            let object = try nextLine(until: deadline, timeout: timeout, file: file, line: line)
            if object["status"] != nil || object["progress"] == nil { return object }
            progress.append(object)
        }
    }

    /// The next line of output, which must be one JSON object.
    private func nextLine(until deadline: Date, timeout: TimeInterval, file: StaticString, line: UInt) throws -> [String: Any] {
        while !pending.contains(UInt8(ascii: "\n")) {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else {
                XCTFail("no reply within \(timeout) s; got \(String(decoding: pending, as: UTF8.self).debugDescription)", file: file, line: line)
                throw CancellationError()
            }
            var descriptor = pollfd(fd: outputDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, Int32(min(left, 1) * 1000)) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(outputDescriptor, $0.baseAddress, $0.count) }
            if count <= 0 {
                XCTFail("dl ended its output before a reply", file: file, line: line)
                throw CancellationError()
            }
            pending += chunk[0..<count]
        }
        let end = pending.firstIndex(of: UInt8(ascii: "\n"))!
        let bytes = Data(pending[..<end])
        pending.removeSubrange(...end)
        let object = try JSONSerialization.jsonObject(with: bytes)
        return try XCTUnwrap(object as? [String: Any], "a reply is a JSON object: \(String(decoding: bytes, as: UTF8.self))",
                             file: file, line: line)
    }

    /// What dl wrote after the replies read so far, up to the end of its output.
    func remainingOutput() -> String {
        var rest = pending
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(outputDescriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            rest += chunk[0..<count]
        }
        return String(decoding: rest, as: UTF8.self)
    }

    func interrupt() { kill(process.processIdentifier, SIGINT) }

    func closeInput() { try? input.close() }

    func waitForExit(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        guard !process.isRunning else { return nil }
        process.waitUntilExit()
        return process.terminationStatus
    }

    func stop() {
        if process.isRunning { process.terminate() }
        closeInput()
    }
}
