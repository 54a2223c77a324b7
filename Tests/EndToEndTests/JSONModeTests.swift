import Foundation
import XCTest

/// `dl --json` driven as a program drives it: requests written one at a time into a pipe kept
/// open, each reply read (one line, valid JSON) before the next request is written.
final class JSONModeTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory()
    }

    func testASessionOfRequestsAndReplies() throws {
        let dl = try JSONSession(in: directory)
        defer { dl.stop() }

        let loaded = try dl.ask("load iris")
        XCTAssertEqual(loaded["status"] as? String, "ok", "\(loaded)")
        XCTAssertTrue((loaded["output"] as? String ?? "").contains("150 rows"), "\(loaded)")
        XCTAssertEqual((loaded["pictures"] as? [Any])?.count, 0, "\(loaded)")
        XCTAssertNil(loaded["error"], "\(loaded)")

        let unknown = try dl.ask("dens 3")
        XCTAssertEqual(unknown["status"] as? String, "error", "\(unknown)")
        let error = try XCTUnwrap(unknown["error"] as? [String: Any], "\(unknown)")
        XCTAssertEqual(error["message"] as? String, "unknown statement 'dens'; did you mean 'dense'?")
        XCTAssertEqual(error["line"] as? Int, 1)
        XCTAssertEqual(error["column"] as? Int, 1)
        XCTAssertEqual(error["hint"] as? String, "type `help` to list the statements")
        XCTAssertEqual(error["rendered"] as? String, """
            <stdin>:1:1: error: unknown statement 'dens'; did you mean 'dense'?
                1 | dens 3
                  | ^~~~
            hint: type `help` to list the statements

            """)
        XCTAssertEqual(unknown["output"] as? String, "", "the error is not also in the output")

        // The session is kept: the data loaded before the error is still there.
        let trained = try dl.ask("split 0.8; scale minmax; dense 8 relu; dense 3 softmax; train epochs=2")
        XCTAssertEqual(trained["status"] as? String, "ok", "\(trained)")
        let output = try XCTUnwrap(trained["output"] as? String)
        XCTAssertTrue(output.contains("split: 120 training rows, 30 test rows"), output)
        XCTAssertTrue(output.contains("Epoch 1/2 "), output)
        XCTAssertTrue(output.contains("Epoch 2/2 "), output)
        XCTAssertTrue(output.contains("trained 2 epochs on 120 rows"), output)
        XCTAssertFalse(output.contains("\u{1B}"), "no ANSI escapes: \(output.debugDescription)")
        XCTAssertFalse(output.contains("\r"), "no line redrawn in place: \(output.debugDescription)")

        let plotted = try dl.ask("plot loss")
        XCTAssertEqual(plotted["status"] as? String, "ok", "\(plotted)")
        let pictures = try XCTUnwrap(plotted["pictures"] as? [[String: Any]], "\(plotted)")
        XCTAssertEqual(pictures.count, 1)
        XCTAssertEqual(pictures.first?["title"] as? String, "Loss")
        let svg = try XCTUnwrap(pictures.first?["svg"] as? String)
        XCTAssertTrue(svg.hasPrefix("<svg"), String(svg.prefix(80)))
        XCTAssertTrue(svg.hasSuffix("</svg>\n") || svg.hasSuffix("</svg>"), String(svg.suffix(80)))
        // The client shows the SVG: no drawing in text (ASCII here, braille on a terminal).
        let plotText = try XCTUnwrap(plotted["output"] as? String)
        XCTAssertEqual(plotText, "", "no text drawing of the picture")
        XCTAssertFalse(plotText.unicodeScalars.contains { (0x2580...0x28FF).contains($0.value) }, plotText)

        // A cell: several lines, one reply carrying the id.
        let cell = try dl.ask(#"{"code": "load iris\nsummary", "id": 7}"#)
        XCTAssertEqual(cell["id"] as? Int, 7, "\(cell)")
        XCTAssertEqual(cell["status"] as? String, "ok", "\(cell)")
        let cellText = try XCTUnwrap(cell["output"] as? String)
        XCTAssertTrue(cellText.contains("150 rows"), cellText)
        XCTAssertTrue(cellText.contains("Param #"), "summary ran too: \(cellText)")

        // An error in a cell points at its line within the cell; the id comes back.
        let badCell = try dl.ask(#"{"code": "show\ndense 3 sofmax", "id": "c2"}"#)
        XCTAssertEqual(badCell["id"] as? String, "c2", "\(badCell)")
        XCTAssertEqual(badCell["status"] as? String, "error", "\(badCell)")
        XCTAssertEqual((badCell["error"] as? [String: Any])?["line"] as? Int, 2, "\(badCell)")

        let quit = try dl.ask("quit")
        XCTAssertEqual(quit["status"] as? String, "quit", "\(quit)")
        XCTAssertEqual(dl.waitForExit(timeout: 10), 0)
    }

    func testTablesComeAsValuesAndTheirTextStaysInTheOutput() throws {
        let dl = try JSONSession(in: directory)
        defer { dl.stop() }

        let loaded = try dl.ask("load iris")
        XCTAssertEqual((loaded["tables"] as? [Any])?.count, 0, "a statement without a table: \(loaded)")

        let evaluated = try dl.ask("load iris; split 0.8; dense 3 softmax; train epochs=2; evaluate")
        XCTAssertEqual(evaluated["status"] as? String, "ok", "\(evaluated)")
        let output = try XCTUnwrap(evaluated["output"] as? String)
        let tables = try XCTUnwrap(evaluated["tables"] as? [[String: Any]], "\(evaluated)")
        XCTAssertEqual(tables.map { $0["title"] as? String }, ["confusion matrix", "precision, recall and F1 per class"])
        for table in tables {
            let html = try XCTUnwrap(table["html"] as? String)
            let text = try XCTUnwrap(table["text"] as? String)
            XCTAssertTrue(html.hasPrefix("<table"), html)
            for name in ["setosa", "versicolor", "virginica"] {
                XCTAssertTrue(html.contains("<td>\(name)</td>"), html)
                XCTAssertTrue(text.contains(name), text)
            }
            XCTAssertTrue(output.contains(text), "the table's text is what the output shows: \(text)")
        }
        XCTAssertTrue((tables[1]["html"] as? String ?? "").contains("<th class=\"num\">precision</th>"))
        XCTAssertTrue(output.contains("confusion matrix (rows: true class, columns: predicted class)\ntrue \\ predicted"), output)

        let summary = try dl.ask("summary")
        let layers = try XCTUnwrap(summary["tables"] as? [[String: Any]], "\(summary)")
        XCTAssertEqual(layers.count, 1)
        XCTAssertEqual(layers.first?["title"] as? String, "layers")
        XCTAssertTrue((layers.first?["html"] as? String ?? "").contains("<td>dense (Dense)</td>"), "\(layers)")
        XCTAssertTrue((summary["output"] as? String ?? "").contains(layers.first?["text"] as? String ?? "-"))

        let escaped = try dl.ask("load iris; columns; describe; missing")
        let titles = (escaped["tables"] as? [[String: Any]] ?? []).map { $0["title"] as? String ?? "" }
        XCTAssertEqual(titles, ["columns", "numeric columns", "text columns", "missing values"], "\(escaped)")
    }

    func testEveryLineIsAnsweredInOrderEvenBlankOnesAndComments() throws {
        let dl = try JSONSession(in: directory)
        defer { dl.stop() }
        // All at once: the replies pair with the requests by their order.
        dl.send("\n# only a comment\nload iris\n{\"code\": \"\", \"id\": null}\n{not json\n{\"id\": 3}\ncolumns")
        let replies = try (0..<6).map { _ in try dl.reply() }
        XCTAssertEqual(replies.map { $0["status"] as? String }, ["ok", "ok", "ok", "ok", "error", "error"], "\(replies)")
        XCTAssertEqual(replies[0]["output"] as? String, "")
        XCTAssertEqual(replies[1]["output"] as? String, "")
        XCTAssertTrue((replies[2]["output"] as? String ?? "").contains("150 rows"), "\(replies[2])")
        XCTAssertTrue(replies[3]["id"] is NSNull, "a null id is echoed: \(replies[3])")
        XCTAssertNil(replies[4]["id"], "\(replies[4])")
        XCTAssertTrue(((replies[4]["error"] as? [String: Any])?["message"] as? String ?? "").contains("not valid JSON"))
        XCTAssertEqual(replies[5]["id"] as? Int, 3, "\(replies[5])")
        XCTAssertTrue(((replies[5]["error"] as? [String: Any])?["message"] as? String ?? "").contains("\"code\""))
        // The last line has no newline yet: it is answered once the input ends.
        dl.closeInput()
        let columns = try dl.reply()
        XCTAssertTrue((columns["output"] as? String ?? "").contains("species"), "\(columns)")
        XCTAssertEqual(dl.waitForExit(timeout: 10), 0)
        XCTAssertEqual(dl.remainingOutput(), "", "one reply a request, nothing more")
    }

    func testCompleteAndInspectAskWithoutRunning() throws {
        let dl = try JSONSession(in: directory)
        defer { dl.stop() }
        func json(_ object: [String: Any]) -> String {
            String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        let statement = try dl.ask(json(["complete": "den", "id": 1]))
        XCTAssertEqual(statement["status"] as? String, "ok", "\(statement)")
        XCTAssertEqual(statement["matches"] as? [String], ["dense"], "\(statement)")
        XCTAssertEqual(statement["cursor_start"] as? Int, 0)
        XCTAssertEqual(statement["cursor_end"] as? Int, 3)
        XCTAssertEqual(statement["id"] as? Int, 1)
        XCTAssertNil(statement["output"], "a query has no output field: \(statement)")
        // A cell: the cursor's line is completed; offsets count code points within the whole text.
        let key = try dl.ask(json(["complete": "# é\ntrain ep\nsplit 0.8", "cursor": 12]))
        XCTAssertEqual(key["matches"] as? [String], ["epochs="], "\(key)")
        XCTAssertEqual(key["cursor_start"] as? Int, 10, "\(key)")
        XCTAssertEqual(key["cursor_end"] as? Int, 12, "\(key)")
        // After `;` and `=`: a new statement, a key's allowed words.
        let afterSemicolon = try dl.ask(json(["complete": "load iris; dense 3 so"]))
        XCTAssertEqual(afterSemicolon["matches"] as? [String], ["softmax"], "\(afterSemicolon)")
        XCTAssertEqual(afterSemicolon["cursor_start"] as? Int, 19, "\(afterSemicolon)")
        // Column names come once data is loaded, and completing ran nothing before that.
        let noColumns = try dl.ask(json(["complete": "plot hist sep"]))
        XCTAssertEqual(noColumns["matches"] as? [String], [], "\(noColumns)")
        _ = try dl.ask("load iris")
        let columns = try dl.ask(json(["complete": "plot hist sep"]))
        XCTAssertEqual(columns["matches"] as? [String], ["sepal_length_cm", "sepal_width_cm"], "\(columns)")
        XCTAssertEqual(columns["cursor_start"] as? Int, 10, "\(columns)")

        let dense = try dl.ask(json(["inspect": "dense", "id": "i"]))
        XCTAssertEqual(dense["found"] as? Bool, true, "\(dense)")
        XCTAssertTrue((dense["help"] as? String ?? "").hasPrefix("dense UNITS"), "\(dense)")
        XCTAssertEqual(dense["id"] as? String, "i")
        let plotLoss = try dl.ask(json(["inspect": "load iris\nplot loss to \"a.svg\"\nsplit 0.8", "cursor": 14]))
        XCTAssertTrue((plotLoss["help"] as? String ?? "").hasPrefix("plot loss"), "\(plotLoss)")
        let unknown = try dl.ask(json(["inspect": "dens 3"]))
        XCTAssertEqual(unknown["found"] as? Bool, false, "\(unknown)")
        XCTAssertEqual(unknown["help"] as? String, "")
        let bad = try dl.ask(json(["complete": "den", "cursor": "3"]))
        XCTAssertEqual(bad["status"] as? String, "error", "\(bad)")
        // Inspecting `quit` or `train` runs neither: the session answers on as it was.
        _ = try dl.ask(json(["inspect": "quit"]))
        let state = try dl.ask("show state")
        XCTAssertEqual(state["output"] as? String, "load iris\n", "\(state)")
    }

    func testCtrlCStopsTrainingAndTheSessionAnswersOn() throws {
        let dl = try JSONSession(in: directory)
        defer { dl.stop() }
        let setup = try dl.ask("load iris; split 0.8; dense 16 relu; dense 3 softmax")
        XCTAssertEqual(setup["status"] as? String, "ok", "\(setup)")
        dl.send("train epochs=1000000\n")
        usleep(1_500_000)
        let start = Date()
        dl.interrupt()
        let stopped = try dl.reply(timeout: 10)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5, "the reply comes within moments")
        XCTAssertEqual(stopped["status"] as? String, "ok", "\(stopped)")
        XCTAssertTrue((stopped["output"] as? String ?? "").contains("interrupted at epoch"), "\(stopped)")
        XCTAssertTrue(dl.isRunning, "dl waits for the next request")

        let next = try dl.ask("show")
        XCTAssertEqual(next["status"] as? String, "ok", "\(next)")
        XCTAssertTrue((next["output"] as? String ?? "").contains("120 training / 30 test rows"), "\(next)")
        // The interrupt is spent, and one sent while dl waits for a request is ignored: the next
        // training runs to its end.
        dl.interrupt()
        usleep(300_000)
        XCTAssertTrue(dl.isRunning, "a Ctrl-C while waiting does not end dl")
        let again = try dl.ask("train epochs=2")
        XCTAssertTrue((again["output"] as? String ?? "").contains("trained 2 epochs"), "\(again)")
    }

    func testEndOfInputEndsDlWithStatus0() throws {
        let dl = try JSONSession(in: directory)
        defer { dl.stop() }
        _ = try dl.ask("load nope.csv")   // a failed statement does not change the exit status
        dl.closeInput()
        XCTAssertEqual(dl.waitForExit(timeout: 10), 0)
    }

    /// A client may run dl on a pseudo-terminal: replies are still plain JSON, never coloured
    /// or redrawn although colour would be allowed there, and Ctrl-C from the keyboard works.
    func testOnATerminalRepliesStayPlainJSON() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = nil
        environment["TERM"] = "xterm-256color"
        environment["COLORTERM"] = "truecolor"
        environment["HOME"] = directory.path
        let session = try PseudoTerminalSession(path: DLBinary.path, arguments: ["--json"], environment: environment)
        session.type("dens 3\r")
        session.expect(#""status":"error""#)
        session.type("load iris; split 0.8; dense 8 relu; dense 3 softmax; train epochs=3\r")
        session.expect(#"trained 3 epochs"#)
        session.expect(#""status":"ok""#)
        session.type("plot loss\r")
        session.expect(#""title":"Loss""#)
        session.type("train epochs=1000000\r")
        usleep(1_000_000)
        session.type("\u{03}")
        session.expect("interrupted at epoch")
        session.type("show\r")
        session.expect("120 training / 30 test rows")
        session.expect(#""status":"ok","tables":[]}"#)
        XCTAssertFalse(session.transcript.contains("\u{1B}"), "no ANSI escapes: \(session.transcript.debugDescription)")
        // The terminal turns "\n" into "\r\n" (one Character), and echoes Ctrl-C as "^C".
        let lines = session.transcript.split(whereSeparator: \.isNewline)
            .map { $0.hasPrefix("^C") ? $0.dropFirst(2) : $0 }.filter { $0.hasPrefix("{") }
        let objects = try lines.map { line in
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
        }
        // The long `train` also sent its live line as progress lines, before its reply.
        let replies = objects.filter { $0["status"] != nil }
        XCTAssertEqual(replies.count, 5, session.transcript)
        for progress in objects.filter({ $0["status"] == nil }) {
            XCTAssertEqual(Array(progress.keys), ["progress"], "\(progress)")
        }
        for object in replies {
            let texts = [object["output"] as? String, (object["error"] as? [String: Any])?["rendered"] as? String]
            for text in texts.compactMap({ $0 }) {
                XCTAssertFalse(text.contains("\u{1B}") || text.contains("\r"), "plain text: \(text.debugDescription)")
            }
        }
    }

    /// A `train` that runs a while sends its live line as it goes: lines of their own before
    /// the reply, each `{"progress": LINE, "id": ...}`, at most 5 a second, and a last
    /// `"progress": null`; the reply is as it always was. Other requests send none.
    func testTrainSendsProgressLinesBeforeItsReply() throws {
        let dl = try JSONSession(in: directory)
        defer { dl.stop() }
        let setup = try dl.ask(#"{"code": "load iris; split 0.8; dense 8 relu; dense 3 softmax", "id": "setup"}"#)
        XCTAssertEqual(setup["status"] as? String, "ok", "\(setup)")
        XCTAssertTrue(dl.progress.isEmpty, "no progress for statements without a live line: \(dl.progress)")

        let start = Date()
        let trained = try dl.ask(#"{"code": "train epochs=20000", "id": 41}"#, timeout: 120)
        let seconds = Date().timeIntervalSince(start)
        XCTAssertEqual(trained["status"] as? String, "ok", "\(trained)")
        XCTAssertEqual(trained["id"] as? Int, 41)
        XCTAssertNil(trained["progress"], "\(trained)")
        let output = try XCTUnwrap(trained["output"] as? String)
        XCTAssertTrue(output.contains("trained 20000 epochs"), output)
        XCTAssertFalse(output.contains("━") || output.contains("\r") || output.contains("elapsed"), "the output is as in a pipe: \(output)")
        let progress = dl.progress
        if seconds > 0.5 {
            XCTAssertGreaterThanOrEqual(progress.count, 2, "a line and its end for a \(seconds) s train: \(progress)")
        }
        for message in progress {
            XCTAssertEqual(Set(message.keys), ["progress", "id"], "\(message)")
            XCTAssertEqual(message["id"] as? Int, 41, "\(message)")
        }
        let lines = progress.dropLast().map { $0["progress"] as? String }
        XCTAssertTrue(lines.allSatisfy { $0 != nil }, "\(progress)")
        for line in lines.compactMap({ $0 }) {
            XCTAssertTrue(line.hasPrefix("Epoch ") && line.contains("/20000  ") && line.contains("  loss ")
                          && line.contains("elapsed"), line)
            XCTAssertTrue(line.contains("━") || line.contains("─"), line)
            XCTAssertFalse(line.contains("\u{1B}") || line.contains("\r") || line.contains("\n"), line.debugDescription)
        }
        XCTAssertTrue(progress.last?["progress"] is NSNull, "the line ends with null: \(progress)")
        XCTAssertLessThanOrEqual(Double(lines.count), seconds * 5 + 1, "at most 5 lines a second")

        // A short one may send none; whatever it sends ends with null, and the next request
        // (without a live line) sends none.
        let short = try dl.ask("train epochs=1")
        XCTAssertEqual(short["status"] as? String, "ok", "\(short)")
        if let last = dl.progress.last { XCTAssertTrue(last["progress"] is NSNull, "\(dl.progress)") }
        // A sweep's line (which combination finished) comes the same way.
        let swept = try dl.ask("sweep lr=0.01,0.1 epochs=200")
        XCTAssertEqual(swept["status"] as? String, "ok", "\(swept)")
        XCTAssertTrue(dl.progress.dropLast().allSatisfy { ($0["progress"] as? String)?.isEmpty == false }, "\(dl.progress)")
        if let last = dl.progress.last { XCTAssertTrue(last["progress"] is NSNull, "\(dl.progress)") }
        XCTAssertTrue(dl.progress.allSatisfy { $0["id"] == nil }, "a request without id: \(dl.progress)")
        let shown = try dl.ask("show")
        XCTAssertEqual(shown["status"] as? String, "ok", "\(shown)")
        XCTAssertTrue(dl.progress.isEmpty, "\(dl.progress)")
    }

    func testJSONTakesNoScripts() throws {
        let result = try DLBinary.run(["--json", "-e", "help"], in: directory)
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("--json"), result.stderr)
    }

    func testHelpListsJSON() throws {
        let result = try DLBinary.run(["--help"], in: directory)
        XCTAssertTrue(result.stdout.contains("--json"), result.stdout)
    }
}
