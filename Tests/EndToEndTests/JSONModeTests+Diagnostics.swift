import Foundation
import XCTest

/// `dl --json`'s diagnostics as values (warnings apart from the output, errors with their
/// severity and stable id), and its queries reading statements as the lexer does.
extension JSONModeTests {
    func testWarningsComeAsValuesWithTheirIdAndNotInTheOutput() throws {
        let directory = try makeTemporaryDirectory()
        let dl = try JSONSession(in: directory)
        defer { dl.stop() }

        let quiet = try dl.ask("load iris; dense 8 relu")
        XCTAssertNil(quiet["warnings"], "no warnings, no field: \(quiet)")

        let reply = try dl.ask(#"{"code": "dense 3 softmax\ndense 3 softmax", "id": 3}"#)
        XCTAssertEqual(reply["status"] as? String, "ok", "\(reply)")
        let warnings = try XCTUnwrap(reply["warnings"] as? [[String: Any]], "\(reply)")
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        let warning = try XCTUnwrap(warnings.first)
        XCTAssertEqual(warning["id"] as? String, "softmax-hidden-layer")
        let message = try XCTUnwrap(warning["message"] as? String)
        XCTAssertTrue(message.hasPrefix("`dense 3 softmax` (line 1) is now a hidden layer"), message)
        XCTAssertEqual(warning["line"] as? Int, 2, "the statement that made it hidden: \(warning)")
        XCTAssertEqual(warning["column"] as? Int, 1)
        XCTAssertTrue(warning["hint"] is NSNull, "\(warning)")
        XCTAssertEqual(warning["rendered"] as? String, "warning: \(message)\n")
        XCTAssertEqual(reply["output"] as? String, "", "the warning is not also in the output")

        // A load that keeps the layers warns from its own line; the output is the load's alone.
        let loaded = try dl.ask("load moons")
        let kept = try XCTUnwrap((loaded["warnings"] as? [[String: Any]])?.first, "\(loaded)")
        XCTAssertEqual(kept["id"] as? String, "model-kept-after-load")
        XCTAssertEqual(kept["line"] as? Int, 1)
        let output = try XCTUnwrap(loaded["output"] as? String)
        XCTAssertTrue(output.hasPrefix("loaded moons"), output)
        XCTAssertFalse(output.contains("warning"), output)

        // The next request starts with no warnings.
        let next = try dl.ask("show")
        XCTAssertNil(next["warnings"], "\(next)")
    }

    func testErrorsCarryTheirSeverityAndId() throws {
        let directory = try makeTemporaryDirectory()
        let dl = try JSONSession(in: directory)
        defer { dl.stop() }
        let cases: [(String, String)] = [
            ("dens 3", "unknown-statement"),
            ("train epoch=3", "unknown-key"),
            ("dense 3 sofmax", "unknown-word"),
            ("split 2", "bad-value"),
            ("dense", "missing-argument"),
            (#"load "a.csv"#, "unterminated-string"),
            ("evaluate", "runtime"),
            ("{", "bad-request"),
        ]
        for (request, id) in cases {
            let reply = try dl.ask(request)
            let error = try XCTUnwrap(reply["error"] as? [String: Any], "\(request): \(reply)")
            XCTAssertEqual(error["severity"] as? String, "error", "\(request): \(error)")
            XCTAssertEqual(error["id"] as? String, id, "\(request): \(error)")
        }
    }

    func testCompleteAndInspectTakeSemicolonsAndHashesInQuotesAsText() throws {
        let directory = try makeTemporaryDirectory()
        let dl = try JSONSession(in: directory)
        defer { dl.stop() }
        func json(_ object: [String: Any]) -> String {
            String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        for text in ["load \"a;b.csv\" tar", "load \"a#b.csv\" tar"] {
            let reply = try dl.ask(json(["complete": text]))
            XCTAssertEqual(reply["matches"] as? [String], ["target="], "\(text): \(reply)")
            XCTAssertEqual(reply["cursor_start"] as? Int, 15, "\(text): \(reply)")
        }
        // In a cell, after a line with é: offsets in code points; the word starts after the quote.
        let path = try dl.ask(json(["complete": "# é\nsave model \"x;y", "cursor": 19]))
        XCTAssertEqual(path["cursor_start"] as? Int, 16, "\(path)")
        XCTAssertEqual(path["cursor_end"] as? Int, 19, "\(path)")
        for text in ["plot loss to \"x#y.svg\"", "plot loss to \"x;y.svg\"", "load iris; plot loss to \"x;y.svg\" # a; dense"] {
            let reply = try dl.ask(json(["inspect": text]))
            XCTAssertEqual(reply["found"] as? Bool, true, "\(text): \(reply)")
            XCTAssertTrue((reply["help"] as? String ?? "").hasPrefix("plot loss"), "\(text): \(reply)")
        }
    }
}
