import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A long session at the prompt keeps its memory flat: 10,000 statements (loads, layers,
/// training, help, errors, `show state`) through the real binary on a terminal, with the
/// resident memory read from /proc at statement 1,000 and at 10,000.
final class LongSessionTests: XCTestCase {
    static let cycle = ["load iris", "split 0.8", "describe", "columns", "reset model", "dense 8 relu", "dense 3 softmax",
                        "summary", "help", "train epochs=1", "evaluate", "dens 3", "help dense"]

    /// Measured on the development machine (debug build): from statement 1,000 to 10,000 the
    /// resident memory grew by 11.5 MB while the report kept every output (each `show state`
    /// lists the whole session, so the record grew with the square of its length), and by
    /// 1.1 MB once only the last 1,000 outputs are kept. The bound leaves room for other
    /// allocators and machines.
    static let allowedGrowth = 6 << 20

    func testTenThousandStatementsLeaveMemoryFlat() throws {
        let directory = try DLBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let session = try PromptDriver(path: DLBinary.path, home: directory.path)
        try session.waitForPrompt()
        var resident: [Int: Int] = [:]
        for number in 1...10_000 {
            let statement = number % 100 == 0 ? "show state" : Self.cycle[(number - 1) % Self.cycle.count]
            try session.run(statement)
            if number == 1_000 || number == 10_000 { resident[number] = try session.residentBytes() }
        }
        let growth = resident[10_000]! - resident[1_000]!
        XCTAssertLessThan(growth, Self.allowedGrowth,
                          "resident memory grew from \(resident[1_000]!) to \(resident[10_000]!) bytes over 9,000 statements")
        XCTAssertTrue(session.lastOutput.contains("load iris; split 0.8"), session.lastOutput)
    }
}

/// `dl` on a pseudo-terminal, one statement at a time: types a line and reads until the next
/// prompt, keeping only the output since the last one (a long session's transcript is not kept).
private final class PromptDriver {
    private let master: Int32
    let pid: pid_t
    private var pending: [UInt8] = []
    private(set) var lastOutput = ""

    init(path: String, home: String) throws {
        let environment = ["TERM=xterm", "NO_COLOR=1", "HOME=\(home)", "DL_HISTORY=",
                           "OPENBLAS_NUM_THREADS=1"]
        let argv = [strdup(path), nil], envp = environment.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var size = winsize(ws_row: 30, ws_col: 120, ws_xpixel: 0, ws_ypixel: 0)
        var masterFD: Int32 = -1
        let child = forkpty(&masterFD, nil, nil, &size)
        if child == 0 {
            execve(path, argv, envp)
            _exit(127)
        }
        guard child > 0 else { throw NSError(domain: "forkpty", code: Int(errno)) }
        master = masterFD
        pid = child
    }

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(master)
    }

    func run(_ statement: String) throws {
        let bytes = Array((statement + "\r").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(master, $0.baseAddress! + offset, $0.count - offset) }
            if written > 0 { offset += written } else if errno != EINTR { throw NSError(domain: "write", code: Int(errno)) }
        }
        try waitForPrompt()
    }

    /// Reads until "dl> " arrives; what came before it becomes `lastOutput`.
    func waitForPrompt(timeout: TimeInterval = 30) throws {
        let prompt = Array("dl> ".utf8), deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let end = find(prompt, in: pending) {
                lastOutput = String(decoding: pending[..<end], as: UTF8.self)
                pending.removeSubrange(..<(end + prompt.count))
                return
            }
            guard Date() < deadline else {
                throw NSError(domain: "timeout", code: 0, userInfo: [NSLocalizedDescriptionKey: String(decoding: pending.suffix(2000), as: UTF8.self)])
            }
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 200) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            guard count > 0 else { throw NSError(domain: "dl exited", code: 0) }
            pending += buffer[..<count]
        }
    }

    private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }

    /// VmRSS from /proc/PID/status, in bytes.
    func residentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.split(separator: " ")[1]) else { throw NSError(domain: "VmRSS", code: 0) }
        return kilobytes * 1024
    }
}
