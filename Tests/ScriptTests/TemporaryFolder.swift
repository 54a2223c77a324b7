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

    /// Writes `text` to `folder/name` and returns the file's path.
    func writeFile(_ name: String, _ text: String, in folder: String) throws -> String {
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
