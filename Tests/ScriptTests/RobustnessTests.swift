import XCTest
import DLCore
@testable import Script

/// Whatever is typed, checking never crashes: random lines built from the
/// language's own pieces and from arbitrary characters go through the parser and
/// the checker, and every one either checks or yields diagnostics with a place.
final class RobustnessTests: XCTestCase {
    func testRandomLinesNeverCrashTheChecker() {
        let pieces = ["load", "dense", "train", "split", "scale", "help", "predict", "optimizer", "loss", "set",
                      "iris", "moons", "relu", "softmax", "minmax", "sgd", "adam", "stratify", "model",
                      "lr=", "epochs=", "batch=", "seed=", "n=", "target=", "momentum=", "=", ",", ";", "#", "\"",
                      "\"a b.csv\"", "0", "-1", "0.8", "1e-3", "1e400", "99999999999999999999", "5x5", "28x28x1",
                      "0x0", "x", "é", "\t", "\\", "\u{0}", "--", ".", "..", "/", "~/x.csv", "1,2,3", "1,,2"]
        var random = SeededRandom(seed: 2024)
        let checker = Checker(table: .standard)
        for _ in 0..<3000 {
            let count = 1 + random.integer(below: 7)
            let line = (0..<count).map { _ in pieces[random.integer(below: pieces.count)] }
                .joined(separator: random.integer(below: 4) == 0 ? "" : " ")
            let parser = Parser(source: line)
            for diagnostic in parser.diagnostics { XCTAssertNotNil(diagnostic.range, line) }
            for statement in parser.statements {
                do {
                    _ = try checker.check(statement)
                } catch let diagnostic as Diagnostic {
                    XCTAssertNotNil(diagnostic.range, line)
                    XCTAssertFalse(diagnostic.message.isEmpty, line)
                } catch {
                    XCTFail("unexpected error \(error) for \(line)")
                }
            }
        }
    }

    func testOversizedRequestsAreRefusedNotAttempted() {
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        XCTAssertEqual(interpreter.runInteractive("load blobs n=10000000 features=10000"), .badScript)
        XCTAssertTrue(output.text.contains("too large"), output.text)
        XCTAssertEqual(interpreter.runInteractive("load iris; dense 1000000 relu; dense 1000000 relu; dense 3 softmax"), .ok)
        XCTAssertEqual(interpreter.runInteractive("summary"), .runtimeError)
        XCTAssertTrue(output.text.contains("building this model would need about 8 TB (weights and gradients 8 TB)"), output.text)
    }
}
