import Foundation
import XCTest
@testable import Tabular
#if canImport(Glibc)
import Glibc
#endif

/// Paths that are not regular files get an error at once: a named pipe must never leave
/// `load` waiting for a writer in the middle of a lesson.
final class SpecialFileTests: XCTestCase {
    private func message(reading path: String) -> String? {
        do {
            _ = try CSV.read(path: path)
            return nil
        } catch let error as TabularError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    func testANamedPipeIsRefusedWithoutWaiting() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fifo-\(UUID().uuidString)").path
        XCTAssertEqual(mkfifo(path, 0o600), 0)
        defer { unlink(path) }
        let start = Date()
        XCTAssertEqual(message(reading: path), "cannot read '\(path)': it is a named pipe (FIFO), not a CSV file")
        XCTAssertLessThan(Date().timeIntervalSince(start), 1, "no waiting for a writer")
    }

    func testADeviceAndADirectoryAreRefused() {
        XCTAssertEqual(message(reading: "/dev/null"), "cannot read '/dev/null': it is a device, not a CSV file")
        XCTAssertEqual(message(reading: "/tmp"), "cannot read '/tmp': it is a directory, not a CSV file")
    }
}
