import Foundation
import XCTest

/// Relative paths in a script start from the working directory, as in Python, R and bash's
/// `source`; a script that names files beside itself gets a hint with the path that works.
final class RelativePathTests: XCTestCase {
    private var directory: URL!

    /// root/lesson/ holds flowers.csv, more.dl and the scripts; root/elsewhere/ is empty.
    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory()
        let lesson = directory.appendingPathComponent("lesson")
        try FileManager.default.createDirectory(at: lesson, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("elsewhere"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: DLBinary.packageRoot.appendingPathComponent("datasets/iris.csv"),
                                         to: lesson.appendingPathComponent("flowers.csv"))
        let files = [
            "more.dl": "columns\n",
            "from-working-directory.dl": "load \"lesson/flowers.csv\"\nrun \"lesson/more.dl\"\n",
            "loads-beside.dl": "load \"flowers.csv\"\n",
            "runs-beside.dl": "run \"more.dl\"\n",
            "loads-missing.dl": "load \"nowhere.csv\"\n",
        ]
        for (name, text) in files {
            try text.write(to: lesson.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }

    private func run(_ arguments: [String], in folder: String) throws -> DLBinary.Result {
        try DLBinary.run(arguments, in: directory.appendingPathComponent(folder), timeout: 30)
    }

    func testPathsFromTheWorkingDirectoryWorkFromAnywhereTheyPoint() throws {
        let result = try run(["lesson/from-working-directory.dl"], in: ".")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("loaded flowers.csv: 150 rows"), result.stdout)
        XCTAssertTrue(result.stdout.contains("sepal_length_cm"), "more.dl ran `columns`:\n\(result.stdout)")
    }

    func testAFileBesideTheScriptIsNamedWithThePathThatWorks() throws {
        let load = try run(["lesson/loads-beside.dl"], in: ".")
        XCTAssertEqual(load.status, 70)
        XCTAssertTrue(load.stderr.contains("lesson/loads-beside.dl:1:6: error: cannot open 'flowers.csv': no such file"), load.stderr)
        XCTAssertTrue(load.stderr.contains("hint: relative paths start from the working directory, not from the script's folder (lesson); "
                                           + "from here the file is \"lesson/flowers.csv\""), load.stderr)

        let nested = try run(["-e", "run \"../lesson/runs-beside.dl\""], in: "elsewhere")
        XCTAssertEqual(nested.status, 70)
        XCTAssertTrue(nested.stderr.contains("../lesson/runs-beside.dl:1:5: error: cannot open 'more.dl'"), nested.stderr)
        XCTAssertTrue(nested.stderr.contains("from here the file is \"../lesson/more.dl\""), nested.stderr)

        // From the script's own folder the same scripts work.
        XCTAssertEqual(try run(["loads-beside.dl", "runs-beside.dl"], in: "lesson").status, 0)
    }

    func testAFileThatIsNowhereKeepsTheUsualHint() throws {
        let result = try run(["lesson/loads-missing.dl"], in: ".")
        XCTAssertEqual(result.status, 70)
        XCTAssertTrue(result.stderr.contains("cannot open 'nowhere.csv': no such file"), result.stderr)
        XCTAssertTrue(result.stderr.contains("hint: check the path"), result.stderr)
        XCTAssertFalse(result.stderr.contains("working directory"), result.stderr)
    }
}
