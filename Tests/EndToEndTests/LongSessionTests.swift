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
        let directory = try makeTemporaryDirectory()
        // No history file: 10,000 saves of it would measure the disk, not the session.
        let session = try PseudoTerminalSession.dl(in: directory, history: nil)
        session.expectPrompt()
        var resident: [Int: Int] = [:]
        for number in 1...10_000 {
            let statement = number % 100 == 0 ? "show state" : Self.cycle[(number - 1) % Self.cycle.count]
            session.forgetConsumed()
            session.type(statement + "\r")
            session.expectPrompt(timeout: 30)
            if number == 1_000 || number == 10_000 { resident[number] = try session.residentBytes() }
        }
        let growth = resident[10_000]! - resident[1_000]!
        XCTAssertLessThan(growth, Self.allowedGrowth,
                          "resident memory grew from \(resident[1_000]!) to \(resident[10_000]!) bytes over 9,000 statements")
        XCTAssertTrue(session.transcript.contains("load iris; split 0.8"), session.transcript)
    }
}
