import XCTest
import Script

/// Imbalanced classes (`balance=auto`, class counts), two classes (the sigmoid rule, ROC and
/// PR AUC, `plot roc`) and many classes (largest confusions, `plot confusion`) in a session.
final class ClassesSessionTests: XCTestCase {
    /// A CSV of 240 rows whose numeric target holds 0 and 1 (a quarter of the rows are 1).
    private func binaryFile() throws -> String {
        let path = try makeTemporaryFolder("dl-classes") + "/binary.csv"
        var text = "a,b,label\n"
        for i in 0..<240 {
            let a = sin(Double(i) * 1.3), b = cos(Double(i) * 0.7)
            text += "\(a),\(b),\(a + 0.5 * b > 0.6 ? 1 : 0)\n"
        }
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    /// A CSV of 600 rows of 30 classes told apart by one feature.
    private func manyClassesFile() throws -> String {
        let path = try makeTemporaryFolder("dl-classes") + "/many.csv"
        var text = "x,noise,kind\n"
        for i in 0..<600 {
            let k = (i * 7) % 30
            text += "\(Double(k) / 30 + 0.01 * sin(Double(i))),\(cos(Double(i))),k\(k)\n"
        }
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    private let seattle = ["load seattle", "drop date", "split 0.8 stratify", "scale standard", "dense 16 relu", "dense 5 softmax"]

    func testBalanceAutoWeightsTheClassesAndIsRecorded() {
        let (text, outcomes) = runLines(seattle + ["train lr=0.1 epochs=3 verbose=0 balance=auto", "show", "history", "show state"])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: outcomes.count), text)
        // compute_class_weight("balanced") on the 1169 stratified training rows (43 drizzle … 571 sun).
        XCTAssertTrue(text.contains("balance=auto: each class's loss is weighted by n / (k × count): drizzle 5.44, fog 0.711, rain 1.13, snow 12.3, sun 0.409"), text)
        XCTAssertTrue(text.contains("balance=auto (the loss weighted by class)"), text)
        XCTAssertTrue(text.contains("the last `train` weighted each class's loss"), text)
        XCTAssertTrue(text.contains("train lr=0.1 epochs=3 balance=auto"), "show state replays it (`verbose=` only shows):\n\(text)")
    }

    func testBalanceAutoChangesTheTraining() {
        func lastLoss(_ balance: String) -> String {
            let (text, _) = runLines(seattle + ["train lr=0.1 epochs=2 verbose=0\(balance)"])
            // The figures after the time: "trained 2 epochs on 1169 rows in 6ms: loss 1.0665, accuracy 0.5894".
            let line = text.split(separator: "\n").first { $0.hasPrefix("trained ") }.map(String.init) ?? text
            return line.components(separatedBy: ": ").last ?? line
        }
        XCTAssertNotEqual(lastLoss(""), lastLoss(" balance=auto"))
        XCTAssertEqual(lastLoss(" balance=none"), lastLoss(""))
    }

    func testBalanceAutoOnARegressionIsAnError() {
        let lines = ["load diabetes", "scale standard", "dense 1", "train balance=auto", "sweep lr=0.01,0.001 balance=auto", "train lr=0.001 epochs=1 verbose=0"]
        let (text, outcomes) = runLines(lines)
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .runtimeError, .runtimeError, .ok], text)
        XCTAssertTrue(text.contains("4:15: error: balance=auto weights the loss of each class, but 'progression' holds numbers (regression)"), text)
        XCTAssertTrue(text.contains("5:29: error: balance=auto weights the loss of each class"), text)
        XCTAssertTrue(text.contains("hint: leave out `balance=auto`, or say `task classification` if the numbers are classes"), text)
        XCTAssertTrue(text.contains("trained 1 epoch"), "the session goes on:\n\(text)")
    }

    func testBalanceAutoNeedsACrossentropy() {
        let (text, outcomes) = runLines(["load iris", "dense 3 softmax", "loss mse", "train balance=auto", "loss crossentropy", "train epochs=1 verbose=0 balance=auto"])
        XCTAssertEqual(outcomes.suffix(3), [.runtimeError, .ok, .ok], text)
        XCTAssertTrue(text.contains("error: balance=auto weights a crossentropy loss by class, but the loss is mse"), text)
        let (sigmoids, results) = runLines(["load iris", "dense 3 sigmoid", "loss binary_crossentropy", "train balance=auto", "show"])
        XCTAssertEqual(results.suffix(2), [.runtimeError, .ok], sigmoids)
        XCTAssertTrue(sigmoids.contains("error: balance=auto weights binary_crossentropy on one sigmoid unit, but the output layer has 3 units"), sigmoids)
    }

    func testSweepWithBalance() {
        let (text, outcomes) = runLines(seattle + ["sweep lr=0.1,0.05 epochs=2 balance=auto", "use best", "show"])
        XCTAssertEqual(outcomes.last, .ok, text)
        XCTAssertTrue(text.contains("balance=auto (the loss weighted by class)"), "the adopted combination was balanced:\n\(text)")
    }

    func testColumnsAndDescribeCountTheClasses() throws {
        let (text, _) = runLines(["load seattle", "columns", "describe"])
        let line = "target 'weather': 5 classes in 1461 rows: sun 714 (48.9%), fog 411 (28.1%), rain 259 (17.7%), drizzle 54 (3.7%), snow 23 (1.6%)"
        XCTAssertEqual(text.components(separatedBy: line).count - 1, 2, text)
        XCTAssertTrue(text.contains("note: the classes are imbalanced ('snow' has 23 rows, 'sun' 714); `train balance=auto`"), text)
        let (balanced, _) = runLines(["load iris", "columns"])
        XCTAssertFalse(balanced.contains("imbalanced"), balanced)

        let (many, _) = runLines(["load \"\(try manyClassesFile())\"", "columns"])
        XCTAssertTrue(many.contains("target 'kind': 30 classes in 600 rows: the largest k0 20 (3.3%), k1 20 (3.3%)"), many)
        XCTAssertTrue(many.contains("; … ; the smallest "), many)
        XCTAssertFalse(many.contains("k13 20 (3.3%), k14"), "not every class is listed:\n\(many)")

        let (numbers, _) = runLines(["load \"\(try binaryFile())\"", "columns"])
        XCTAssertTrue(numbers.contains("target 'label': numbers with two values, 0 "), numbers)
    }

    func testASigmoidOutputMakesTwoValuesClasses() throws {
        let path = try binaryFile()
        let (text, outcomes) = runLines(["load \"\(path)\"", "split 0.8", "dense 8 relu", "dense 1 sigmoid",
                                         "train lr=0.5 epochs=30 verbose=0", "evaluate", "plot roc"])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: outcomes.count), text)
        XCTAssertTrue(text.contains("note: 'label' holds two values (0 and 1) and the model ends in one sigmoid unit, so they are two classes"), text)
        XCTAssertTrue(text.contains("accuracy"), text)
        XCTAssertTrue(text.contains("ROC AUC "), text)
        XCTAssertTrue(text.contains("PR AUC "), text)
        XCTAssertTrue(text.contains("'1' is the positive class"), text)
        XCTAssertTrue(text.contains("ROC curve, AUC "), text)
        XCTAssertTrue(text.contains("baseline: always guessing '0'"), text)

        // Replacing the output layer makes the target a number again.
        let (again, _) = runLines(["load \"\(path)\"", "dense 1 sigmoid", "reset model", "dense 1", "train epochs=1 verbose=0"])
        XCTAssertTrue(again.contains("note: the model no longer ends in one sigmoid unit, so 'label' (0 and 1) is a number to predict again"), again)
        XCTAssertTrue(again.contains("warning: 'label' holds only the values 0 and 1, but the output layer is linear, so this trains a regression"), again)
        XCTAssertTrue(again.contains("`task classification`"), again)
    }

    func testChangingTheTaskStartsTheWeightsAfresh() throws {
        let (text, _) = runLines(["load \"\(try binaryFile())\"", "split 0.8", "dense 4 relu", "dense 1 sigmoid",
                                  "train epochs=2 verbose=0", "task regression", "train epochs=2 verbose=0",
                                  "task regression", "train epochs=1 verbose=0"])
        XCTAssertTrue(text.contains("the task changed: the next `train` starts from fresh weights"), text)
        XCTAssertEqual(text.components(separatedBy: "the task changed").count - 1, 1, "the same task again keeps the weights:\n\(text)")
        XCTAssertTrue(text.contains("trained 1 epoch (3 in total)"), text)
        XCTAssertFalse(text.contains("(4 in total)"), text)
    }

    func testASavedBinaryModelEvaluatesItsData() throws {
        let path = try binaryFile()
        let model = try makeTemporaryFolder("dl-classes") + "/m.safetensors"
        _ = runLines(["load \"\(path)\"", "dense 4 relu", "dense 1 sigmoid", "train epochs=2 verbose=0", "save model \"\(model)\""])
        let (text, outcomes) = runLines(["load model \"\(model)\"", "load \"\(path)\"", "evaluate"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok], text)
        XCTAssertTrue(text.contains("the loaded model's preprocessing applies"), text)
        XCTAssertTrue(text.contains("ROC AUC"), text)
    }

    func testPlotRocOnThreeClassesIsAnError() {
        let (text, outcomes) = runLines(["load iris", "dense 3 softmax", "train epochs=1 verbose=0", "plot roc", "plot confusion"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .runtimeError, .ok], text)
        XCTAssertTrue(text.contains("4:1: error: plot roc draws the curve of two classes, but 'species' has 3 (setosa, versicolor, virginica)"), text)
        XCTAssertTrue(text.contains("hint: `plot confusion` shows which of several classes are confused"), text)
        XCTAssertTrue(text.contains("Confusion matrix, all 150 rows: rows true, columns predicted"), text)

        let (regression, results) = runLines(["load diabetes", "scale standard", "dense 1", "train lr=0.001 epochs=1 verbose=0", "plot roc", "plot confusion", "show"])
        XCTAssertEqual(results, [.ok, .ok, .ok, .ok, .runtimeError, .runtimeError, .ok], regression)
        XCTAssertTrue(regression.contains("error: plot roc draws how classes are predicted, but 'progression' holds numbers (regression)"), regression)
        let (untrained, _) = runLines(["load breast_cancer", "dense 1 sigmoid", "plot roc"])
        XCTAssertTrue(untrained.contains("error: plot roc shows what the model predicts, but it has not been trained yet"), untrained)
    }

    func testManyClassesShowTheLargestConfusions() throws {
        let (text, outcomes) = runLines(["load \"\(try manyClassesFile())\"", "split 0.8", "scale standard", "dense 16 relu", "dense 30 softmax",
                                         "train lr=0.1 epochs=5 verbose=0", "evaluate", "plot confusion"])
        XCTAssertEqual(outcomes.last, .ok, text)
        XCTAssertTrue(text.contains("largest confusions of 30 classes (`plot confusion` draws the whole matrix)"), text)
        XCTAssertFalse(text.contains("true \\ predicted"), "no full matrix:\n\(text)")
        XCTAssertTrue(text.contains("classes with the lowest F1; the averages cover all"), text)
        XCTAssertTrue(text.contains("one character per cell; rows and columns numbered alike"), text)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertLessThan(lines.count, 150, "the outputs stay short")
        let picture = lines.drop { !$0.contains("Confusion matrix") }
        XCTAssertGreaterThan(picture.count, 30)
        XCTAssertTrue(picture.allSatisfy { $0.count <= 100 }, "the picture is no wider than the terminal:\n\(text)")
    }
}
