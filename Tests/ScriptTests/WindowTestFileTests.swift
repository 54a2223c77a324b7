import Foundation
import XCTest
@testable import Script

/// `window` after `load "a.csv" test="b.csv"`: dl appends the test file's rows as the series'
/// later rows and keeps the file as the test split, cutting the windows by time where it starts
/// (again after another `window`), and the exported scripts read both files and cut at the same
/// row (Tests/Interop/check_exports.py runs them with dl's weights).
final class WindowTestFileTests: XCTestCase {
    /// 80 days of `a` and `y` as a training file of 60 and a test file of 20 (columns in another order).
    private func files() throws -> (train: String, test: String) {
        let folder = try makeTemporaryFolder("window-test-file")
        var train = "day,a,y\n", test = "y,a,day\n"
        for t in 0..<80 {
            let a: Double = (10 * sin(Double(t) / 4) * 1000).rounded() / 1000
            let y = Double(3 * t)
            if t < 60 { train += "d\(t),\(a),\(y)\n" } else { test += "\(y),\(a),d\(t)\n" }
        }
        return (try writeFile("train.csv", train, in: folder), try writeFile("test.csv", test, in: folder))
    }

    func testWindowKeepsTheTestFileAsTheTestSplitByTime() throws {
        let (train, test) = try files()
        let (text, outcomes) = runLines(["load \"\(train)\" test=\"\(test)\"", "window 6 target=y", "window 8 target=y", "show"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok], text)
        XCTAssertEqual(text.components(separatedBy: "note: the 20 rows of the test file 'test.csv' follow the 60 of the data file as the series' later rows; "
                                       + "it stays the test split: the windows are split by time where it starts").count - 1, 2, text)
        XCTAssertTrue(text.contains("window: 74 windows of 6 steps x 2 channels (a, y)"), text)
        XCTAssertTrue(text.contains("split by time at row 60 of 80: 54 training windows (targets in rows 6–59), 14 test windows (rows 60–79); 6 windows"), text)
        XCTAssertTrue(text.contains("split by time at row 60 of 80: 52 training windows (targets in rows 8–59), 12 test windows (rows 60–79); 8 windows"), text)
    }

    /// A window longer than the test file leaves no test window: no split, a note, and `split` still works.
    func testAWindowLongerThanOneFileLeavesTheWindowsUnsplit() throws {
        let (train, test) = try files()
        let (text, outcomes) = runLines(["load \"\(train)\" test=\"\(test)\"", "window 30 target=y", "split 0.5", "dense 1",
                                         "train lr=0.0001 epochs=1 verbose=0"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok, .ok], text)
        XCTAssertTrue(text.contains("note: 'test.csv' is too short for a window of 30 steps and a horizon of 1, so the windows are not split: "
                                    + "`split FRACTION` cuts them by time elsewhere"), text)
        XCTAssertFalse(text.contains("split by time at row 60"), text)
        XCTAssertTrue(text.contains("split by time at row 40 of 80: 10 training windows"), text)
    }

    func testTheScriptsAppendTheTestFileAsDlDid() throws {
        let (train, test) = try files()
        let (text, outcomes) = runLines(["load \"\(train)\" test=\"\(test)\"", "window 6 target=y", "dense 1",
                                         "train lr=0.001 epochs=1 verbose=0", "show torch", "show keras"])
        XCTAssertEqual(Set(outcomes), [.ok], text)
        for line in ["TEST_DATA = \"\(test)\"  # load … test=: its rows follow DATA's as the series' later rows, as in dl",
                     "    test_frame = pd.read_csv(TEST_DATA, na_values=[\"NA\"])",
                     "    frame = pd.concat([frame, test_frame[frame.columns]], ignore_index=True)  # dl: the test file's rows are the series' later rows",
                     "SPLIT_ROW = 60  #"] {
            XCTAssertEqual(text.components(separatedBy: line).count - 1, 2, "«\(line)» in both scripts:\n\(text)")
        }
        // Without `test=` the scripts read the one file.
        let (plain, _) = runLines(["load \"\(train)\"", "window 6 target=y", "dense 1", "train lr=0.001 epochs=1 verbose=0", "show torch"])
        XCTAssertFalse(plain.contains("TEST_DATA"), plain)
    }
}
