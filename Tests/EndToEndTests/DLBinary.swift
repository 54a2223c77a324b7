import Foundation
import XCTest

/// The built `dl` executable and ways to run it as a user would.
enum DLBinary {
    /// The package root, three levels above this file (Tests/EndToEndTests/DLBinary.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `dl` next to the test bundle (whatever the build folder or configuration),
    /// else `<package root>/.build/debug/dl`.
    static var path: String {
        let testProduct = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let sibling = testProduct.deletingLastPathComponent().appendingPathComponent("dl").path
        if FileManager.default.isExecutableFile(atPath: sibling) { return sibling }
        return packageRoot.appendingPathComponent(".build/debug/dl").path
    }

    /// What a batch run printed and how it ended.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `dl arguments` in `directory` with `input` on standard input (a pipe,
    /// never a terminal), killing it after `timeout` seconds.
    static func run(_ arguments: [String], input: String = "", in directory: URL,
                    timeout: TimeInterval = 10, file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        try launch(path, arguments, input: input, in: directory, timeout: timeout, file: file, line: line)
    }

    /// Runs a `/bin/sh -c` command line in `directory` with `$DL` set to the `dl` executable,
    /// e.g. `ulimit -f 2; exec "$DL" script.dl` to run dl under a file size limit.
    static func run(shell command: String, in directory: URL, timeout: TimeInterval = 10,
                    file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        try launch("/bin/sh", ["-c", command], input: "", in: directory, timeout: timeout, file: file, line: line)
    }

    private static func launch(_ executable: String, _ arguments: [String], input: String, in directory: URL,
                               timeout: TimeInterval, file: StaticString, line: UInt) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["DL_HISTORY"] = directory.appendingPathComponent("history").path
        environment["DL"] = path
        process.environment = environment

        let stdinPipe = Pipe(), stdoutPipe = Pipe(), stderrPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        try process.run()

        // Drain both pipes while the process runs, so neither can fill up and block it.
        let outData = Collected(), errData = Collected()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { outData.data = stdoutPipe.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData.data = stderrPipe.fileHandleForReading.readDataToEndOfFile() }
        stdinPipe.fileHandleForWriting.write(Data(input.utf8))
        try? stdinPipe.fileHandleForWriting.close()

        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            XCTFail("dl \(arguments) did not finish within \(timeout) s", file: file, line: line)
        }
        process.waitUntilExit()
        group.wait()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData.data, as: UTF8.self),
                      stderr: String(decoding: errData.data, as: UTF8.self))
    }

    /// Bytes read on another thread; `DispatchGroup.wait()` orders the hand-over.
    private final class Collected: @unchecked Sendable {
        var data = Data()
    }

    /// A fresh temporary folder holding `files` (name: contents).
    static func temporaryDirectory(with files: [String: String] = [:]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("dl-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, contents) in files {
            try contents.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return directory
    }
}

extension XCTestCase {
    /// `DLBinary.temporaryDirectory(with:)` for the current test: the folder and everything in it
    /// are removed when the test ends.
    func makeTemporaryDirectory(with files: [String: String] = [:]) throws -> URL {
        let directory = try DLBinary.temporaryDirectory(with: files)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory
    }
}
