import Foundation
import Script
import XCTest

/// The HTML report: a summary read from the session's values, training curves when there
/// was training, the epoch lines folded into `<details>`, and everything escaped.
final class ReportTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = try makeTemporaryFolder("dl-report")
    }

    /// Runs the lines and then `report`, and returns the page.
    func report(after lines: [String]) throws -> String {
        let path = directory + "/r.html"
        let (text, outcomes) = runLines(lines + ["report \"\(path)\""])
        XCTAssertEqual(outcomes.last, .ok, text)
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    /// The part of the page before the statements: the summary.
    func summary(of page: String) -> String {
        String(page[..<(page.range(of: "<h2 class=\"appendix\">")?.lowerBound ?? page.endIndex)])
    }

    func testSummaryNamesTheDataThePipelineAndTheLayers() throws {
        let page = try report(after: ["load moons n=200 noise=0.1", "split 0.8", "scale standard",
                                      "dense 8 relu", "dense 2 softmax", "train lr=0.1 epochs=5 verbose=2"])
        let top = summary(of: page)
        for fragment in ["<title>dl report: moons(n: 200, noise: 0.1)</title>",
                         "<h2>1. Data</h2>", "moons(n: 200, noise: 0.1): 200 rows, 2 features, target &apos;class&apos; (2 classes)",
                         "<th>features</th><td>x1, x2</td>", "<th>classes</th><td>0 (100 rows), 1 (100 rows)</td>",
                         "<h2>2. Pipeline</h2>", "160 training / 40 test rows", "<th>scaling</th><td>standard",
                         "<h2>3. Model</h2>", "dense 8 relu → dense 2 softmax (42 parameters)",
                         "<th>loss</th><td>crossentropy (inferred from the softmax output)</td>",
                         "<td>dense_1 (Dense)</td><td>(None, 2)</td><td>softmax</td><td class=\"num\">18</td>",
                         "<h2>4. Training</h2>", "<th>trained</th><td>5 epochs, last loss"] {
            XCTAssertTrue(top.contains(fragment), "expected «\(fragment)» in the summary:\n\(top)")
        }
    }

    func testEpochLinesAreFoldedAndTheRestStaysVisible() throws {
        let page = try report(after: ["load moons n=200", "dense 8 relu", "dense 2 softmax", "train epochs=7 verbose=2"])
        let folds = page.components(separatedBy: "<details>").dropFirst()
        XCTAssertEqual(folds.count, 1, "one epoch log for one `train`")
        let fold = String(folds.first?.components(separatedBy: "</details>").first ?? "")
        XCTAssertTrue(fold.hasPrefix("<summary>epoch log (7 lines)</summary>"), fold)
        let log = fold.components(separatedBy: "<pre>").last?.components(separatedBy: "</pre>").first ?? ""
        let lines = log.split(separator: "\n")
        XCTAssertEqual(lines.count, 7, log)
        XCTAssertTrue(lines.allSatisfy { $0.hasPrefix("Epoch ") }, log)
        // Outside the fold no epoch line is left, but the line that sums up training is.
        var outside = page
        while let open = outside.range(of: "<details>"), let close = outside.range(of: "</details>", range: open.upperBound..<outside.endIndex) {
            outside.removeSubrange(open.lowerBound..<close.upperBound)
        }
        XCTAssertFalse(outside.contains("Epoch "), outside)
        XCTAssertTrue(outside.contains("<pre>trained 7 epochs on 200 rows in"), outside)
    }

    func testTrainingCurvesAreChartsOnlyAfterTraining() throws {
        let trained = summary(of: try report(after: ["load moons n=200", "dense 2 softmax", "train epochs=3"]))
        XCTAssertEqual(trained.components(separatedBy: "<svg").count - 1, 2, "loss and accuracy")
        XCTAssertTrue(trained.contains(">Loss</text>") && trained.contains(">Accuracy</text>"), trained)

        let regression = summary(of: try report(after: ["load diabetes", "scale standard", "dense 1", "train epochs=3"]))
        XCTAssertEqual(regression.components(separatedBy: "<svg").count - 1, 1, "no accuracy for regression")
        XCTAssertTrue(regression.contains(">Loss</text>"), regression)

        let untrained = try report(after: ["load iris", "dense 3 softmax"])
        XCTAssertFalse(untrained.contains("<svg"), untrained)
        XCTAssertFalse(untrained.contains("<details>"), untrained)
        XCTAssertTrue(untrained.contains("<th>trained</th><td>not yet</td>"), untrained)
        XCTAssertTrue(untrained.contains("<th>model</th><td>dense 3 softmax</td>"), "no parameters before a network is built")
    }

    func testTextIsEscaped() throws {
        let page = try report(after: ["load \"no<such>&file.csv\""])
        XCTAssertTrue(page.contains("no&lt;such&gt;&amp;file.csv"), page)
        XCTAssertFalse(page.contains("no<such>"), page)
        XCTAssertTrue(page.contains("<ul class=\"failed\">\n<li><span class=\"where\">&lt;stdin&gt;:1</span> <code>load &quot;no&lt;such&gt;&amp;file.csv&quot;</code>: "),
                      "the failed statement is named, escaped: \(page)")
        XCTAssertTrue(page.contains("<th>data</th><td>none (`load iris` to start)</td>"), page)
    }

    /// A long session's report lists every statement but keeps the output of the last 1,000
    /// only (the `report` itself is one of them), and of each at most 16 KB; `show state` and `save script` still see every statement.
    func testLongSessionsKeepTheLastOutputsAndEveryStatement() throws {
        let lines = ["load iris", "dense 3 softmax"] + Array(repeating: "help dense", count: 1_003)
        let scriptPath = directory + "/s.dl"
        let page = try report(after: lines + ["save script \"\(scriptPath)\""])
        XCTAssertTrue(page.contains("<p>1006 statements from <code>load iris</code> on, in the order they ran"), String(page.prefix(4000)))
        XCTAssertTrue(page.contains("The first 7 statements are listed without their output: a report keeps what the last 1000 printed and drew."))
        XCTAssertFalse(page.contains("loaded iris.csv"), "the first statement's output is let go")
        XCTAssertTrue(page.contains("<code>load iris</code>"))
        XCTAssertEqual(page.components(separatedBy: "not kept)</p>").count - 1, 6, "`dense` printed nothing to let go")
        XCTAssertEqual(page.components(separatedBy: "Add a fully connected layer").count - 1, 998)
        let script = try String(contentsOfFile: scriptPath, encoding: .utf8)
        XCTAssertTrue(script.hasSuffix("is left out).\nload iris\ndense 3 softmax\n"), script)
        let (state, _) = runLines(lines + ["show state"])
        XCTAssertTrue(state.hasSuffix("load iris; dense 3 softmax\n"), String(state.suffix(200)))
    }
}
