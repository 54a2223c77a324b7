import Foundation
import XCTest

extension XCTestCase {
    /// Creates an empty folder `<prefix>-<UUID>` in the temporary directory and returns its path;
    /// the folder and everything in it are removed when the current test ends.
    func makeTemporaryFolder(_ prefix: String) throws -> String {
        let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }
}
