import Foundation
import Script
import XCTest

/// The report as a lab report: a results part with the last `evaluate`'s figures, the
/// current data set only, failed statements named and left out, a print stylesheet.
final class ReportResultsTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = try makeTemporaryFolder("dl-report-results")
    }

    /// Runs the lines and then `report`: what they printed, and the page.
    func report(after lines: [String], file: StaticString = #filePath, line: UInt = #line) throws -> (text: String, page: String) {
        let path = directory + "/r.html"
        let (text, outcomes) = runLines(lines + ["report \"\(path)\""])
        XCTAssertEqual(outcomes.last, .ok, text, file: file, line: line)
        return (text, try String(contentsOfFile: path, encoding: .utf8))
    }

    /// The numbered part with this title, up to the next part or the appendix.
    func part(_ title: String, of page: String) -> String {
        guard let heading = page.range(of: ". \(title)</h2>") else { return "" }
        let rest = page[heading.upperBound...]
        return String(rest[..<(rest.range(of: "<h2")?.lowerBound ?? rest.endIndex)])
    }

    /// The appendix: the statements.
    func appendix(of page: String) -> String {
        String(page[(page.range(of: "<h2 class=\"appendix\">")?.lowerBound ?? page.endIndex)...])
    }

    /// The four digits after `prefix` in the text, as printed ("accuracy 0.9667").
    func figure(after prefix: String, in text: String) -> String? {
        guard let start = text.range(of: prefix)?.upperBound else { return nil }
        return String(text[start...].prefix { $0.isNumber || $0 == "." || $0 == "-" })
    }

    let iris = ["load iris", "split 0.8 seed=42 stratify", "scale minmax", "dense 16 relu", "dense 3 softmax",
                "train lr=0.1 epochs=40"]

    func testResultsHoldTheLastEvaluatesFiguresTheConfusionMatrixAndItsPicture() throws {
        let (text, page) = try report(after: iris + ["evaluate"])
        let results = part("Results", of: page)
        let evaluated = String(text[(text.range(of: "evaluate on 30 test rows\n")?.upperBound ?? text.endIndex)...])
        let accuracy = try XCTUnwrap(figure(after: "  accuracy ", in: evaluated), text)
        let balanced = try XCTUnwrap(figure(after: "balanced accuracy ", in: evaluated), text)
        let baseline = try XCTUnwrap(figure(after: "the training rows, gives accuracy ", in: evaluated), text)
        XCTAssertEqual(accuracy.count, 6, accuracy)
        for fragment in ["<p>The last <code>evaluate</code>, on 30 test rows, with the weights after 40 epochs of training.</p>",
                         "<th>accuracy</th><td>\(accuracy) (", " of 30 rows correct)</td>",
                         "<th>balanced accuracy</th><td>\(balanced) (the mean recall over the 3 classes in these rows)</td>",
                         "<th>baseline</th><td>accuracy \(baseline), always guessing &apos;setosa&apos;",
                         "<p class=\"caption\">confusion matrix (rows: true class, columns: predicted class)</p>",
                         "<th>true \\ predicted</th><th class=\"num\">setosa</th><th class=\"num\">versicolor</th><th class=\"num\">virginica</th>",
                         "<p class=\"caption\">precision, recall and F1 per class</p>",
                         ">Confusion matrix, 30 test rows: rows true, columns predicted</text>"] {
            XCTAssertTrue(results.contains(fragment), "expected «\(fragment)» in the results:\n\(results.prefix(3000))")
        }
        // The matrix's cells add up to the rows measured: 10 of each class in a stratified split of iris.
        let cells = results.components(separatedBy: "<tbody>")[1].components(separatedBy: "</tbody>")[0]
        let rows = cells.components(separatedBy: "<tr>").dropFirst()
        XCTAssertEqual(rows.count, 3, cells)
        for row in rows {
            let counts = row.components(separatedBy: "<td class=\"num\">").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
            XCTAssertEqual(counts.reduce(0, +), 10, row)
        }
        XCTAssertEqual(results.components(separatedBy: "<svg").count - 1, 1, "one picture: the heatmap")
        XCTAssertTrue(text.contains(": data, pipeline, model, training (2 curves), results (accuracy \(accuracy), confusion matrix), appendix of 7 statements\n"), text)
    }

    func testARegressionsResultsGiveRSquaredAndPredictedAgainstActual() throws {
        let (text, page) = try report(after: ["load diabetes", "split 0.8", "scale standard", "dense 16 relu", "dense 1",
                                              "optimizer adam", "train lr=0.01 epochs=30", "evaluate"])
        let results = part("Results", of: page)
        let evaluated = String(text[(text.range(of: "evaluate on 88 test rows\n")?.upperBound ?? text.endIndex)...])
        let r2 = try XCTUnwrap(figure(after: "R² ", in: evaluated), text)
        let rmse = try XCTUnwrap(figure(after: "RMSE ", in: evaluated), text)
        for fragment in ["<th>R²</th><td>\(r2)</td>", "<th>RMSE</th><td>\(rmse) (in progression&apos;s units)</td>", "<th>MAE</th>",
                         "<th>baseline</th><td>RMSE ", ">Predicted vs actual progression, 88 test rows</text>"] {
            XCTAssertTrue(results.contains(fragment), "expected «\(fragment)» in the results:\n\(results.prefix(3000))")
        }
        XCTAssertFalse(results.contains("confusion"), results)
        XCTAssertTrue(part("Model", of: page).contains("<th>loss</th><td>mse (inferred: &apos;progression&apos; holds numbers, a regression)</td>"),
                      part("Model", of: page))
        XCTAssertTrue(text.contains("results (R² \(r2), predicted vs actual)"), text)
    }

    /// After early stopping the results name the restored epoch whose weights were measured.
    func testResultsNameTheWeightsEarlyStoppingRestored() throws {
        let lines = Array(iris.dropLast()) + ["train lr=0.1 epochs=1000 validation=0.2 patience=5", "evaluate"]
        let (text, page) = try report(after: lines)
        let stop = try XCTUnwrap(text.range(of: "stopped early at epoch "), text)
        let stopped = text[stop.upperBound...].prefix { $0.isNumber }
        let restored = try XCTUnwrap(text.range(of: "restored weights from epoch "), text)
        let best = text[restored.upperBound...].prefix { $0.isNumber }
        let results = part("Results", of: page)
        XCTAssertTrue(results.contains("with the weights of epoch \(best), which early stopping restored after \(stopped) epochs.</p>"), results.prefix(600).description)
    }

    /// The report never measures the test rows on its own: without an `evaluate` of these
    /// weights it says so, and why, and shows no figures.
    func testWithoutAnEvaluateOfTheseWeightsTheResultsSaySo() throws {
        let untrained = part("Results", of: try report(after: ["load iris", "dense 3 softmax"]).page)
        XCTAssertTrue(untrained.contains("No results: the model has not been trained on this data."), untrained)

        let (text, page) = try report(after: iris)
        let never = part("Results", of: page)
        XCTAssertTrue(never.contains("No <code>evaluate</code> has measured these weights, so there are no test figures. Run <code>evaluate</code> before <code>report</code>"), never)
        XCTAssertFalse(never.contains("<table"), never)
        XCTAssertTrue(text.contains("results (no `evaluate` of these weights)"), text)

        // Trained on after the evaluate: its figures describe weights the model no longer has.
        let stale = part("Results", of: try report(after: iris + ["evaluate", "train epochs=5"]).page)
        XCTAssertTrue(stale.contains("The last <code>evaluate</code> measured the weights after 40 epochs; the model has trained since (45 epochs now)"), stale)
        XCTAssertFalse(stale.contains("<th>accuracy</th>"), stale)

        // Fresh weights after `reset weights` are another model.
        let reset = part("Results", of: try report(after: iris + ["evaluate", "reset weights", "train epochs=40"]).page)
        XCTAssertTrue(reset.contains("No <code>evaluate</code> has measured these weights"), reset)
    }

    /// A report after a second `load` is the second data set's: its summary, its results and
    /// only the statements from its `load` on.
    func testTheReportCoversTheCurrentDataSetFromItsLoad() throws {
        let seattle = ["load seattle", "drop date", "split 0.8 seed=1 stratify", "scale standard", "reset model",
                       "dense 8 relu", "dense 5 softmax", "train lr=0.05 epochs=3"]
        let (_, page) = try report(after: iris + ["evaluate", "sweep lr=0.1,0.01 epochs=3"] + seattle)
        XCTAssertTrue(page.contains("<title>dl report: seattle.csv</title>"), String(page.prefix(400)))
        let statements = appendix(of: page)
        XCTAssertTrue(statements.contains("<p>8 statements from <code>load seattle</code> on, in the order they ran"), statements.prefix(800).description)
        XCTAssertTrue(statements.contains("Left out: the 8 statements before it, which worked on an earlier data set."), statements.prefix(800).description)
        XCTAssertFalse(statements.contains("<code>load iris</code>"), "no statement of iris")
        XCTAssertFalse(statements.contains("<code>evaluate</code></div>"), "nor its evaluate")
        XCTAssertEqual(statements.components(separatedBy: "<section>").count - 1, 8)
        let results = part("Results", of: page)
        XCTAssertTrue(results.contains("No <code>evaluate</code> has measured these weights"), "iris's evaluate is not seattle's: \(results)")
        XCTAssertFalse(results.contains("Sweep"), "nor its sweep: \(results)")
        XCTAssertTrue(part("Data", of: page).contains("drizzle"), part("Data", of: page))
    }

    /// Data loaded for a loaded model carries on from its `load model`: the appendix starts there.
    func testALoadedModelsReportStartsAtItsLoad() throws {
        let model = directory + "/m.safetensors"
        let (_, page) = try report(after: iris + ["save model \"\(model)\"", "load model \"\(model)\"", "load iris", "evaluate"])
        let statements = appendix(of: page)
        XCTAssertTrue(statements.contains("<p>3 statements from <code>load model &quot;\(model)&quot;</code> on"), statements.prefix(800).description)
        XCTAssertTrue(statements.contains("Left out: the 7 statements before it"), statements.prefix(800).description)
        XCTAssertTrue(part("Results", of: page).contains("<th>accuracy</th>"), part("Results", of: page))
    }

    func testASweepOfThisDataSetIsInTheResults() throws {
        let (_, page) = try report(after: iris + ["sweep lr=0.1,0.01 epochs=5", "use best", "evaluate"])
        let results = part("Results", of: page)
        for fragment in ["<h3>Sweep</h3>", "<p class=\"caption\">sweep results, best first by loss</p>",
                         "<td>*</td><td>lr=0.1</td><td class=\"num\">5</td>", "<td>lr=0.01</td>",
                         "best: lr=0.1; <code>use best</code> keeps its weights", "<th>accuracy</th>"] {
            XCTAssertTrue(results.contains(fragment), "expected «\(fragment)» in the results:\n\(results.suffix(3000))")
        }
    }

    /// A statement that failed changed nothing: it is named, with its error, and not listed
    /// among the statements that made the results.
    func testFailedStatementsAreNamedAndLeftOut() throws {
        let (_, page) = try report(after: ["load iris", "plot hist nosuch", "dense 3 softmax", "drop nosuch", "train epochs=2"])
        let statements = appendix(of: page)
        XCTAssertTrue(statements.contains("<p>3 statements from <code>load iris</code> on"), statements.prefix(1500).description)
        XCTAssertTrue(statements.contains("Left out: 2 statements that failed (an error leaves the session as it was, so they made none of the results above)."),
                      statements.prefix(1500).description)
        XCTAssertTrue(statements.contains("<li><span class=\"where\">&lt;stdin&gt;:2</span> <code>plot hist nosuch</code>: &lt;stdin&gt;:2:11: error: &apos;iris.csv&apos; has no column named &apos;nosuch&apos;"),
                      statements.prefix(1500).description)
        XCTAssertTrue(statements.contains("<code>drop nosuch</code>: "), statements.prefix(1500).description)
        XCTAssertEqual(statements.components(separatedBy: "<section>").count - 1, 3)
        XCTAssertFalse(statements.contains("<code>plot hist nosuch</code></div>"), "no section for a failed statement")
    }

    /// On paper no line is cut off (every box wraps), pictures and tables stay whole, the
    /// folded epoch logs print open, and the page has margins.
    func testThePrintStylesheetWrapsLinesAndKeepsPicturesWhole() throws {
        let (_, page) = try report(after: iris + ["evaluate"])
        let style = String(page[page.range(of: "<style>")!.upperBound..<page.range(of: "</style>")!.lowerBound])
        let print = String(style[(style.range(of: "@media print {")?.upperBound ?? style.endIndex)...])
        XCTAssertTrue(style.contains("@page { size: A4; margin: "), style)
        for rule in ["pre { white-space: pre-wrap; overflow-wrap: anywhere; overflow: visible;",
                     "figure, svg, table, tr, .tablebox, ul.failed li { break-inside: avoid; }",
                     "h2, h3, p.caption, .stmt { break-after: avoid; }",
                     "details::details-content { content-visibility: visible; display: block; }"] {
            XCTAssertTrue(print.contains(rule), "expected «\(rule)» in the print stylesheet:\n\(print)")
        }
        XCTAssertTrue(page.contains("<details><summary>epoch log"), "the epoch log folded on screen")
    }

    /// `show` names the loss `train` uses, and where it comes from.
    func testShowNamesTheLoss() {
        assertOutput(["load iris", "dense 3 softmax", "show"], ["loss      crossentropy (inferred from the softmax output)\n"])
        assertOutput(["load breast_cancer", "dense 1 sigmoid", "show"], ["loss      binary_crossentropy (inferred from the sigmoid output)\n"])
        assertOutput(["load iris", "dense 3 softmax", "loss crossentropy", "show"], ["loss      crossentropy (chosen with `loss`)\n"])
        assertOutput(["load iris", "show"], ["loss      inferred from the output layer and the target (`loss` chooses one)\n"])
        assertOutput(["load iris", "dense 2 softmax", "show"], ["loss      inferred from the output layer, once it fits the target 'species'\n"])
    }
}
