import XCTest
import Script

/// Tab completion is driven by the statement table: (line typed, candidates expected).
final class CompletionTests: XCTestCase {
    func testCompletionTable() {
        let interpreter = Interpreter(output: CapturedOutput())
        let cases: [(String, [String])] = [
            ("den", ["dense"]),
            ("s", ["split", "scale", "summary", "save", "sweep", "schedule", "set", "show"]),
            ("dense 64 re", ["relu"]),
            ("dense 64 ", ["linear", "relu", "sigmoid", "tanh", "softmax", "leaky_relu"]),
            ("train ep", ["epochs="]),
            ("train lr=0.1 b", ["batch="]),
            ("scale m", ["minmax"]),
            ("load ir", ["iris"]),
            ("load m", ["model", "moons", "mnist"]),
            ("save ", ["model", "script"]),
            ("optimizer a", ["adam"]),
            ("split 0.8 st", ["stratify"]),
            ("help tr", ["train"]),
            ("load iris; den", ["dense"]),
            ("reset w", ["weights"]),
            ("nonsense ", []),
        ]
        for (line, expected) in cases {
            XCTAssertEqual(interpreter.completions(line: line, cursor: line.utf8.count), expected, line)
        }
    }

    func testPathsCompleteFromTheWorkingDirectory() throws {
        let directory = NSTemporaryDirectory() + "dl-complete-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: directory + "/data/train.csv", contents: Data())
        FileManager.default.createFile(atPath: directory + "/data/notes.txt", contents: Data())
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let interpreter = Interpreter(output: CapturedOutput())
        let line = "load \"\(directory)/da"
        XCTAssertEqual(interpreter.completions(line: line, cursor: line.utf8.count), ["\(directory)/data/"])
        let inner = "load \"\(directory)/data/"
        XCTAssertEqual(interpreter.completions(line: inner, cursor: inner.utf8.count), ["\(directory)/data/train.csv"])
    }
}
