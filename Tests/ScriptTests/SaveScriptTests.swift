import XCTest
@testable import Script

/// `save script`: the statements of `show state`, one a line, as a script that rebuilds the session.
final class SaveScriptTests: XCTestCase {
    func testTheSavedScriptReproducesTheSession() throws {
        let folder = NSTemporaryDirectory() + "dl-script-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/session.dl"
        let output = CapturedOutput(width: 100)
        let interpreter = Interpreter(output: output)
        for line in ["load iris", "help split", "split 0.8 stratify", "scale minmax; dense 8 relu", "dense 3 sofmax",
                     "dense 3 softmax", "train lr=0.1 epochs=5", "trian", "evaluate", "plot loss", "save script \"\(path)\""] {
            _ = interpreter.runInteractive(line)
        }
        XCTAssertTrue(output.text.contains("saved 6 statements to \(path)"), output.text)
        let script = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(script.hasPrefix("# Saved by `save script` (dl "), script)
        // What only looks or writes (help, evaluate, plot) and what failed are left out.
        XCTAssertEqual(script.split(separator: "\n").dropFirst(), ["load iris", "split 0.8 stratify", "scale minmax", "dense 8 relu",
                                                                 "dense 3 softmax", "train lr=0.1 epochs=5"])
        // Run again, it trains as the session did, and `evaluate` prints the same figures.
        let again = CapturedOutput(width: 100)
        XCTAssertEqual(Interpreter(output: again).runScript(script + "evaluate\n", fileName: "session.dl"), .ok, again.text)
        let figures = { (text: String) in text.components(separatedBy: "\n").filter { $0.hasPrefix("loss ") || $0.hasPrefix("trained ") }
            .map { $0.replacingOccurrences(of: #"in \S+:"#, with: "", options: .regularExpression) } }
        XCTAssertEqual(figures(again.text), figures(output.text))
        XCTAssertEqual(figures(output.text).count, 2, output.text)
    }
}
