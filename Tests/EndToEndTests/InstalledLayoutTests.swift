import Foundation
import XCTest

/// dl installed as scripts/install and the Debian package lay it out (PREFIX/bin/dl beside
/// PREFIX/share/dl/datasets) finds the bundled tables there, from any working directory.
final class InstalledLayoutTests: XCTestCase {
    func testBundledDataIsFoundBesideTheInstalledBinary() throws {
        let prefix = try makeTemporaryDirectory(with: [:])
        defer { try? FileManager.default.removeItem(at: prefix) }
        let bin = prefix.appendingPathComponent("bin")
        let datasets = prefix.appendingPathComponent("share/dl/datasets")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: datasets, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: DLBinary.path, toPath: bin.appendingPathComponent("dl").path)
        // Three rows, not the repository's 150: the count shows which file was read (the
        // checkout's datasets/ would also be found, later in the search).
        try """
            sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,species
            5.1,3.5,1.4,0.2,setosa
            7.0,3.2,4.7,1.4,versicolor
            6.3,3.3,6.0,2.5,virginica

            """.write(to: datasets.appendingPathComponent("iris.csv"), atomically: true, encoding: .utf8)
        let elsewhere = try makeTemporaryDirectory(with: [:])
        defer { try? FileManager.default.removeItem(at: elsewhere) }

        let result = try DLBinary.run(shell: "unset DL_DATASETS; exec '\(bin.path)/dl' -e 'load iris'", in: elsewhere)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("loaded iris.csv: 3 rows"), result.stdout + result.stderr)
    }
}
