import XCTest
import Script

/// Bad input at run time: each case gets a clear error naming the line, and the
/// session carries on (the next statement at the prompt still works).
final class RuntimeErrorTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = try makeTemporaryFolder("dl-errors")
    }

    func file(_ name: String, _ contents: String) -> String {
        let path = directory + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(contents.utf8))
        return path
    }

    func assertError(_ lines: [String], _ expected: [String], file: StaticString = #filePath, line: UInt = #line) {
        let (text, outcomes) = runLines(lines + ["show"])
        XCTAssertEqual(outcomes.last, .ok, "the session must carry on", file: file, line: line)
        XCTAssertTrue(outcomes.contains(.runtimeError), text, file: file, line: line)
        for fragment in expected {
            XCTAssertTrue(text.contains(fragment), "expected «\(fragment)» in:\n\(text)", file: file, line: line)
        }
    }

    func testEncodingTheTargetIsRefused() {
        assertError(["load penguins", "encode onehot island,species"],
                    ["2:15: error: 'species' is the target: dl encodes its classes itself",
                     "hint: encode the text features: `encode onehot island,sex`"])
        let (text, _) = runLines(["load penguins", "encode onehot island,species", "columns"])
        XCTAssertFalse(text.contains("island_"), "nothing was encoded:\n\(text)")
    }

    /// Values beyond Float's range, or so far out that the layers overflow, get an error or
    /// no prediction: never a crash (a bar of NaN length ended dl) nor the first class.
    func testPredictingFromValuesThatOverflow() throws {
        let trained = ["load iris", "split 0.8", "dense 64 relu", "dense 64 relu", "dense 3 softmax", "train epochs=1 verbose=0"]
        assertError(trained + ["predict 1e39,1,1,1"], ["error: 'sepal_length_cm' is given 1e39, beyond the ±3.4e38 of a 32-bit float"])
        assertError(trained + ["predict 3e38,3e38,3e38,3e38"],
                    ["error: the model's output for these values is not a number: they overflow its layers"])
        let rows = file("huge.csv", "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm\n5,3,1,0.2\n3e38,3e38,3e38,3e38\n")
        let destination = directory + "/out.csv"
        let (text, outcomes) = runLines(trained + ["predict \"\(rows)\" to \"\(destination)\""])
        XCTAssertEqual(outcomes.last, .ok, text)
        XCTAssertTrue(text.contains("note: 1 row gives no prediction, from line 3 on"), text)
        let written = try String(contentsOfFile: destination, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(written[2], "3e+38,3e+38,3e+38,3e+38,,,,")
        XCTAssertTrue(written[1].hasPrefix("5,3,1,0.2,"), String(written[1]))
    }

    func testWritingWhereNoFileCanBeCreated() {
        assertError(["load iris", "save script \"/proc/dl-test.dl\""],
                    ["error: cannot write '/proc/dl-test.dl': no file can be created in '/proc'"])
    }

    /// /proc reports a size of 0 for files that hold text: they are read to the end (this one
    /// is tab-separated, and says so) instead of being called empty.
    func testAProcFileIsReadToItsEnd() {
        assertError(["load \"/proc/self/status\""],
                    ["is one column named 'Name: ", "the fields seem to be separated by tabs, not commas"])
        let (text, _) = runLines(["load \"/proc/self/status\""])
        XCTAssertFalse(text.contains("is empty"), text)
    }

    func testOneRowAndOneFeatureAreSingular() {
        let path = file("one.csv", "a,b\n1,2\n")
        assertOutput(["load \"\(path)\""], ["loaded one.csv: 1 row, 1 feature; target 'b'"])
    }

    func testMissingFile() {
        assertError(["load \"\(directory!)/nope.csv\""], ["<stdin>:1:6: error: cannot open", "nope.csv", "hint:"])
    }

    func testEmptyFileAndHeaderOnly() {
        assertError(["load \"\(file("empty.csv", ""))\""], ["error:", "is empty"])
        assertError(["load \"\(file("header.csv", "a,b\n"))\""], ["error:", "has a header but no data rows"])
    }

    func testWrongFieldCountNamesTheLine() {
        let path = file("short.csv", "a,b,c\n1,2,x\n3,4\n")
        assertError(["load \"\(path)\""], ["line 3", "has 2 fields but the header has 3", "hint:"])
    }

    func testTextInNumericColumnNamesColumnLineAndValue() {
        let rows = (1...20).map { "\($0),\($0 * 2),\($0 % 2 == 0 ? "a" : "b")" }
        var lines = ["x,y,label"] + rows
        lines[7] = "7,oops,b"
        let path = file("stray.csv", lines.joined(separator: "\n") + "\n")
        assertError(["load \"\(path)\""], ["column 'y'", "line 8", "'oops'", "hint:"])
    }

    func testMissingValuesReachingTrain() {
        let path = file("gaps.csv", "a,b,label\n1,2,x\nNA,3,y\n4,,x\n5,6,y\n7,8,x\n")
        assertError(["load \"\(path)\"", "dense 2 softmax", "train"],
                    ["<stdin>:3:1: error: missing values reach train: a (1), b (1)", "impute"])
    }

    func testTrainBeforeLoadAndBeforeLayers() {
        assertError(["train"], ["error: train needs data, but nothing is loaded", "load iris"])
        assertError(["load iris", "train"], ["error: train needs a model, but there are no layers yet", "dense 3 softmax"])
    }

    func testOutputLayerMustMatchTheClasses() {
        assertError(["load iris", "dense 8 relu", "dense 4 softmax", "train epochs=1"],
                    ["<stdin>:3:1: error: the last layer has 4 units but 'species' has 3 classes",
                     "    3 | dense 4 softmax", "use `dense 3 softmax`"])
    }

    func testRegressionNeedsOneOutput() {
        assertError(["load diabetes", "dense 3 softmax", "train epochs=1"],
                    ["the last layer has 3 units but 'progression' is one number to predict", "dense 1"])
    }

    func testDivergenceStopsAtOnceAndSaysWhere() {
        assertError(["load diabetes", "dense 64 relu", "dense 1", "train lr=5 epochs=50"],
                    ["error: loss became", "at epoch 1, batch", "the learning rate 5 is likely too high, or the target 'progression' (values up to",
                     ") needs scaling", "or `scale target standard`, so the network learns 'progression' on a small scale"])
    }

    func testPredictNeedsOneValuePerFeature() {
        assertError(["load iris", "dense 3 softmax", "train epochs=1", "predict 1,2,3"],
                    ["predict expects 4 values (sepal_length_cm, sepal_width_cm, petal_length_cm, petal_width_cm) but got 3"])
    }

    func testUnknownTargetColumnSuggests() {
        let path = file("t.csv", "a,species\n1,x\n2,y\n")
        assertError(["load \"\(path)\" target=specie"], ["no column named 'specie'", "did you mean 'species'?"])
    }

    func testCheckErrorsRunNothingOnTheLine() {
        let (text, outcomes) = runLines(["load iris; dens 3", "show"])
        XCTAssertEqual(outcomes, [.badScript, .ok])
        XCTAssertTrue(text.contains("<stdin>:1:12: error: unknown statement 'dens'; did you mean 'dense'?"), text)
        XCTAssertTrue(text.contains("data      none"), "load must not have run:\n\(text)")
    }

    func testSameSeedSameNumbers() {
        let lines = ["load moons n=200", "split 0.8", "dense 8 relu", "dense 2 softmax", "train lr=0.1 epochs=5", "evaluate"]
        let first = runLines(lines).0, second = runLines(lines).0
        func masked(_ s: String) -> String {
            s.replacingOccurrences(of: #"\b\d+(\.\d+)?(ms|s)\b"#, with: "", options: .regularExpression)
        }
        XCTAssertEqual(masked(first), masked(second))
        let other = runLines(["set seed=7"] + lines).0
        XCTAssertNotEqual(masked(first), masked(other.components(separatedBy: "\n").dropFirst().joined(separator: "\n")))
    }

    func testTrainAgainContinuesAndChangedLayersStartFresh() {
        let (text, _) = runLines(["load iris", "split 0.8", "scale minmax", "dense 3 softmax",
                                 "train lr=0.1 epochs=2", "train lr=0.1 epochs=2", "dense 3 softmax", "show"])
        XCTAssertTrue(text.contains("Epoch 3/4"), text)
        XCTAssertTrue(text.contains("(4 in total)"), text)
        XCTAssertTrue(text.contains("the layers changed: the next `train` starts from fresh weights"), text)
        XCTAssertTrue(text.contains("trained   not yet"), text)
    }

    func testRunSharesTheSessionAndReportsItsOwnErrors() {
        let inner = file("inner.dl", "split 0.8\ndense 3 softmax\n")
        let (text, outcomes) = runLines(["load iris", "run \"\(inner)\"", "show"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok])
        XCTAssertTrue(text.contains("split     120 training / 30 test rows"), text)
        XCTAssertTrue(text.contains("model     dense 3 softmax"), text)

        let failing = file("failing.dl", "split 0.8\nsplit 0.9 seed=x\n")
        let (report, results) = runLines(["load iris", "run \"\(failing)\""])
        XCTAssertEqual(results, [.ok, .runtimeError])
        XCTAssertTrue(report.contains("failing.dl:2:16: error: 'seed=' expects a whole number >= 0 but got 'x'"), report)
        XCTAssertEqual(report.components(separatedBy: "error:").count, 2, "one error, reported once:\n\(report)")
    }

    func testRunThatRunsItselfStops() {
        let path = directory + "/loop.dl"
        _ = file("loop.dl", "run \"\(path)\"\n")
        let (text, outcomes) = runLines(["run \"\(path)\""])
        XCTAssertEqual(outcomes, [.runtimeError])
        XCTAssertTrue(text.contains("error: `run` is nested more than 16 deep"), text)
        XCTAssertEqual(text.components(separatedBy: "error:").count, 2, "one error, reported once:\n\(text)")
    }
}
