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
            ("train lr=0.1 b", ["batch=", "balance="]),
            ("train live pac", ["pace="]),
            ("train live pace=f", ["fast"]),
            ("scale m", ["minmax"]),
            ("load ir", ["iris"]),
            ("load m", ["mnist", "moons", "model"]),
            ("save ", ["model", "script"]),
            ("optimizer a", ["adam"]),
            ("split 0.8 st", ["stratify"]),
            ("help tr", ["train"]),
            ("load iris; den", ["dense"]),
            ("reset w", ["weights"]),
            ("nonsense ", []),
            // A `;` or `#` inside quotes is text: the statement is still `load`.
            ("load \"a;b.csv\" tar", ["target="]),
            ("load \"a#b.csv\" tar", ["target="]),
            ("plot loss to \"x;y.svg\"; spl", ["split"]),
            // A comment completes nothing.
            ("dense 3 # so", []),
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
        // A `;` or `#` in a quoted folder's name is part of the path, and the word replaced starts after the quote.
        try FileManager.default.createDirectory(atPath: directory + "/a;b#c", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: directory + "/a;b#c/iris.csv", contents: Data())
        let quoted = "load \"\(directory)/a;b#c/ir"
        XCTAssertEqual(interpreter.completions(line: quoted, cursor: quoted.utf8.count), ["\(directory)/a;b#c/iris.csv"])
        XCTAssertEqual(interpreter.completionWordStart(line: quoted, cursor: quoted.utf8.count), "load \"".utf8.count)
    }
}
