import Foundation
import XCTest

/// `dl` with flags, script files, `-e` and piped standard input: exit codes (sysexits)
/// and what reaches stdout and stderr.
final class BatchTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory(with: [
            "bad.dl": "load iris\ndens 64 relu\n",
            "failing.dl": "set seed=1\nload \"nope.csv\"\n",
            "good.dl": """
                load iris
                split 0.8
                dense 16 relu
                dense 3 softmax
                train epochs=2

                """,
        ])
    }

    func testUnknownFlagIsAUsageError() throws {
        let result = try DLBinary.run(["--bogus"], in: directory)
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("--bogus"), result.stderr)
        XCTAssertEqual(result.stdout, "")
    }

    func testMissingScriptFileExits66() throws {
        let result = try DLBinary.run(["missing.dl"], in: directory)
        XCTAssertEqual(result.status, 66, result.stderr)
        XCTAssertTrue(result.stderr.contains("dl: cannot open 'missing.dl': No such file or directory"),
                      result.stderr)
        XCTAssertEqual(result.stdout, "")
    }

    func testCheckErrorRunsNothingAndExits65() throws {
        let result = try DLBinary.run(["bad.dl"], in: directory)
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("bad.dl:2:1: error: unknown statement 'dens'; did you mean 'dense'?"),
                      result.stderr)
        // Line 1 (`load iris`) must not have run: nothing at all on stdout.
        XCTAssertEqual(result.stdout, "")
    }

    func testRuntimeFailureExits70AndNamesTheLine() throws {
        let result = try DLBinary.run(["failing.dl"], in: directory)
        XCTAssertEqual(result.status, 70, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        let errorOnLine2 = try Regex(#"failing\.dl:2:[0-9]+: error:"#)
        XCTAssertNotNil(result.stderr.firstMatch(of: errorOnLine2), result.stderr)
    }

    func testExecuteRunsStatements() throws {
        let result = try DLBinary.run(["-e", "help"], in: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("dense"), result.stdout)
    }

    func testPipedStandardInputRunsAsAScript() throws {
        let result = try DLBinary.run([], input: "help dense\n", in: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("dense UNITS"), result.stdout)
        // No prompt and no welcome line when standard input is not a terminal.
        XCTAssertFalse(result.stdout.contains("dl> "), result.stdout)
        XCTAssertFalse(result.stdout.contains("type 'help'"), result.stdout)
    }

    func testCheckOnlyChecks() throws {
        let result = try DLBinary.run(["--check", "good.dl"], in: directory)
        XCTAssertEqual(result.status, 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        XCTAssertFalse(result.stdout.contains("Epoch"), result.stdout)
        XCTAssertFalse(result.stderr.contains("error"), result.stderr)
    }

    func testCheckReportsBadScripts() throws {
        let result = try DLBinary.run(["--check", "bad.dl"], in: directory)
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("bad.dl:2:1: error:"), result.stderr)
    }

    func testVersion() throws {
        let result = try DLBinary.run(["--version"], in: directory)
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "0.1")
    }

    /// `dl script.dl | head -3`: the reader leaves early; dl ends quietly with status 0.
    func testAClosedPipeEndsQuietly() throws {
        // Far more than a pipe buffer holds (64 KB), so dl is still writing when head leaves.
        let script = directory.appendingPathComponent("long.dl").path
        try String(repeating: "help\n", count: 60).write(toFile: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "set -o pipefail; \"$0\" \"$1\" | head -3", DLBinary.path, script]
        process.currentDirectoryURL = directory
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let out = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "pipefail sees dl's own status: \(err)")
        XCTAssertEqual(out.filter { $0 == "\n" }.count, 3, out)
        XCTAssertEqual(err, "", "no broken-pipe noise")
    }
}
