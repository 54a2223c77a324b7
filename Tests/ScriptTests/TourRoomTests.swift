import XCTest
import Engine
@testable import Script

/// `tour` runs in a session of its own: the user's session is put aside and comes back as it
/// was; a statement that does not do the task is not applied; steps done for the learner are
/// one line each.
final class TourRoomTests: XCTestCase {
    /// A user's session with data, layers, weights, a history and `explain on`.
    static let userSession = ["set seed=7", "load iris", "split 0.7", "scale standard", "dense 8 tanh", "dense 3 softmax",
                              "train lr=0.05 epochs=4 verbose=0", "explain on"]

    private func interpreter(_ lines: [String], file: StaticString = #filePath, line: UInt = #line) -> (Interpreter, CapturedOutput) {
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        for text in lines {
            XCTAssertEqual(interpreter.runInteractive(text), .ok, "\(text):\n\(output.text)", file: file, line: line)
        }
        return (interpreter, output)
    }

    /// The user's values, compared by what they hold.
    private struct Values: Equatable {
        var layers: [String]
        var trainRows: [Int]
        var scaling: String
        var seed: UInt64
        var weights: [[Float]]
        var losses: [Float]
        var explaining: Bool
        var recorded: [String]

        init(_ session: Session) {
            layers = session.layers.map(\.text)
            trainRows = session.trainRows
            scaling = session.data.map { "\($0.scaling)" } ?? "-"
            seed = session.seed
            weights = session.network?.weights().map(\.data) ?? []
            losses = session.history.map(\.loss)
            explaining = session.explaining
            recorded = session.recorder.entries.map(\.statement)
        }
    }

    func testTourOffBringsTheUserSessionBackAsItWas() {
        let (interpreter, output) = interpreter(Self.userSession)
        let before = Values(interpreter.session)
        XCTAssertEqual(before.layers, ["dense 8 tanh", "dense 3 softmax"])
        XCTAssertEqual(before.losses.count, 4)

        for line in ["tour 3", "dense 16 relu", "dense 3 softmax", "summary", "train lr=0.1 epochs=5"] {
            XCTAssertEqual(interpreter.runInteractive(line), .ok, output.text)
        }
        // Inside the tour: the tour's own layers, data and weights; the user's are untouched.
        let room = interpreter.session.active
        XCTAssertFalse(room === interpreter.session)
        XCTAssertEqual(room.layers.map(\.text), ["dense 16 relu", "dense 3 softmax"])
        XCTAssertEqual(room.trainRows.count, 120, "the tour's split 0.8 stratify")
        XCTAssertEqual(room.epochsTrained, 5)
        XCTAssertFalse(room.explaining, "the tour's session starts fresh")
        var during = Values(interpreter.session)
        XCTAssertEqual(during.recorded.first, "tour 3", "the record is the tour's while it runs")
        during.recorded = before.recorded
        XCTAssertEqual(during, before)
        XCTAssertFalse(output.text.contains("the model keeps"), output.text)

        XCTAssertEqual(interpreter.runInteractive("tour off"), .ok)
        XCTAssertTrue(interpreter.session.active === interpreter.session)
        XCTAssertTrue(output.text.contains("tour: off. Your session is back as you left it (iris.csv; 2 layers: dense 8 tanh, dense 3 softmax; 4 epochs trained)."),
                      output.text)
        var after = Values(interpreter.session)
        XCTAssertEqual(after.recorded, before.recorded, "the tour's statements are not the user's")
        after.recorded = before.recorded
        XCTAssertEqual(after, before)
    }

    /// Back from the tour, the session goes on exactly as if there had been no tour: the next
    /// train continues from the same weights with the same shuffles, to the same numbers.
    func testTheSessionGoesOnAsIfThereHadBeenNoTour() {
        let (plain, plainOutput) = interpreter(Self.userSession)
        let (toured, touredOutput) = interpreter(Self.userSession + ["tour 4", "train lr=0.2 epochs=20", "evaluate", "tour off"])
        var evaluations: [String] = []
        for (interpreter, output) in [(plain, plainOutput), (toured, touredOutput)] {
            XCTAssertEqual(interpreter.runInteractive("train lr=0.05 epochs=3 verbose=0"), .ok, output.text)
            let start = output.text.endIndex
            XCTAssertEqual(interpreter.runInteractive("evaluate"), .ok, output.text)
            evaluations.append(String(output.text[start...]))
        }
        XCTAssertEqual(Values(toured.session).losses.count, 7)
        XCTAssertEqual(Values(toured.session).weights, Values(plain.session).weights, "bit for bit")
        XCTAssertEqual(evaluations[0], evaluations[1])
        XCTAssertTrue(evaluations[0].contains("accuracy"), evaluations[0])
    }

    /// Finishing the tour brings the user's session back too.
    func testFinishingTheTourBringsTheUserSessionBack() {
        let (interpreter, output) = interpreter(Self.userSession + ["explain off"])
        let before = Values(interpreter.session)
        for line in ["tour 4", "train lr=0.1 epochs=5", "evaluate", "train epochs=40 validation=0.2 patience=3", "evaluate"] {
            XCTAssertEqual(interpreter.runInteractive(line), .ok, output.text)
        }
        XCTAssertTrue(output.text.contains("tour complete"), output.text)
        XCTAssertTrue(output.text.contains("Your session is back as you left it"), output.text)
        XCTAssertTrue(interpreter.session.active === interpreter.session)
        XCTAssertEqual(Values(interpreter.session), before)
    }

    /// `dense 3 relu` where the task is `dense 3 softmax`: not applied, and the tour says why.
    func testAWrongAnswerIsNotApplied() {
        let (interpreter, output) = interpreter(["tour 3", "dense 16 relu"])
        let room = interpreter.session.active
        XCTAssertEqual(interpreter.runInteractive("dense 3 relu"), .ok)
        XCTAssertEqual(room.layers.map(\.text), ["dense 16 relu"], "the wrong answer changed nothing")
        XCTAssertTrue(output.text.contains("tour: `dense 3 relu` is not applied: the output layer needs softmax to give class probabilities. "
                                           + "The task is still `dense 3 softmax`"), output.text)
        XCTAssertEqual(interpreter.runInteractive("dense 4 softmax"), .ok)
        XCTAssertTrue(output.text.contains("the output layer needs one unit per species, and iris has 3"), output.text)
        XCTAssertEqual(room.layers.map(\.text), ["dense 16 relu"])
        // The right answer is applied, and the tour goes on.
        XCTAssertEqual(interpreter.runInteractive("dense 3 softmax"), .ok)
        XCTAssertEqual(room.layers.map(\.text), ["dense 16 relu", "dense 3 softmax"])
        XCTAssertTrue(output.text.contains("(task 3 of 3)"), output.text)
        XCTAssertEqual(interpreter.runInteractive("summary"), .ok)
        XCTAssertTrue(output.text.contains("Total params: 131"), "(4+1)·16 + (16+1)·3:\n\(output.text)")
    }

    /// A hidden softmax or a linear hidden layer is declined with its own reason; a variation fits.
    func testHiddenLayerReasons() {
        assertOutput(["tour 3", "dense 8 softmax", "dense 8", "dense 1 relu", "dense 8 tanh"], [
            "tour: `dense 8 softmax` is not applied: a hidden layer passes what it found on to the next layer, and softmax",
            "tour: `dense 8` is not applied: without an activation the layer is linear",
            "tour: `dense 1 relu` is not applied: one unit passes a single number on",
            "tour step 3 of 4, architecture (task 2 of 3)",
        ])
    }

    /// Statements that change the data or the model wait for their task; looking ones run.
    func testOtherChangesWaitForTheirTask() {
        let (interpreter, output) = interpreter(["tour 3", "split 0.5", "train epochs=3", "dropout 0.2", "head 2", "help split"])
        let room = interpreter.session.active
        XCTAssertEqual(room.trainRows.count, 120, "split 0.5 was not applied")
        XCTAssertEqual(room.layers.count, 0)
        XCTAssertEqual(room.epochsTrained, 0)
        for statement in ["split 0.5", "train epochs=3", "dropout 0.2"] {
            XCTAssertTrue(output.text.contains("tour: `\(statement)` is not applied: it changes the data or the model"), output.text)
        }
        XCTAssertTrue(output.text.contains("[2 of 150 rows x 5 columns]"), "head runs as usual:\n\(output.text)")
        XCTAssertTrue(output.text.contains("tour: still waiting for `dense 16 relu` (or `tour off`)"), output.text)
        // A data set other than iris, where the task is `load iris`.
        assertOutput(["tour", "load penguins"], ["tour: `load penguins` is not applied: the tour is written for iris"])
        assertOutput(["tour", "load iris", "split 0.3"], ["the fraction is the share of rows to train on, and 0.3 trains on fewer rows than it tests on"])
        assertOutput(["tour", "load iris", "split 0.97"], ["0.97 keeps about 4 of the 150 rows to test on"])
        assertOutput(["tour 4", "train epochs=20 validation=0.2 patience=3"], ["early stopping (`patience=`) is the last task of this step"])
    }

    /// Every statement the tour keeps to its task is a statement dl knows.
    func testChangingStatementsAreStatements() {
        for name in Tour.changingStatements {
            XCTAssertNotNil(StatementTable.standard[name], name)
        }
        for task in Tour.steps.flatMap(\.tasks) {
            XCTAssertNotNil(StatementTable.standard[task.statement], task.statement)
        }
    }

    /// `tour 3` and `tour 4` do the earlier steps silently, one line each: no tables, no
    /// epochs, no "still waiting".
    func testStepsDoneForTheLearnerAreOneLineEach() {
        for (start, count) in [(3, 6), (4, 9)] {
            let (text, outcomes) = runLines(["tour \(start)"])
            XCTAssertEqual(outcomes, [.ok], text)
            let done = text.components(separatedBy: "\n").filter { $0.hasPrefix("done for you: ") }
            XCTAssertEqual(done.count, count, text)
            XCTAssertEqual(done.first, "done for you: load iris")
            for noise in ["still waiting", "loaded iris.csv", "split:", "count", "Pearson", "Epoch", "Total params"] {
                XCTAssertFalse(text.contains(noise), "«\(noise)» in:\n\(text)")
            }
            XCTAssertTrue(text.contains("tour step \(start) of 4"), text)
        }
    }

    /// A tour started within a tour starts afresh; the user's session still comes back.
    func testATourWithinATourStartsAfresh() {
        let (interpreter, output) = interpreter(Self.userSession + ["tour 3", "dense 16 relu", "tour 3"])
        XCTAssertEqual(interpreter.session.active.layers.count, 0, output.text)
        XCTAssertEqual(interpreter.runInteractive("tour off"), .ok)
        XCTAssertEqual(interpreter.session.layers.map(\.text), ["dense 8 tanh", "dense 3 softmax"])
        XCTAssertEqual(interpreter.session.recorder.entries.map(\.statement), Self.userSession)
        XCTAssertEqual(interpreter.runInteractive("tour off"), .ok)
        XCTAssertTrue(output.text.contains("tour: no tour is running"), output.text)
    }

    /// Tab completion offers the tour's columns while it runs.
    func testCompletionOffersTheTourColumns() {
        let (interpreter, _) = interpreter(["load penguins", "tour 3"])
        XCTAssertTrue(interpreter.completions(line: "drop sep", cursor: 8).contains("sepal_length_cm"))
        XCTAssertEqual(interpreter.runInteractive("tour off"), .ok)
        XCTAssertTrue(interpreter.completions(line: "drop isl", cursor: 8).contains("island"))
    }
}
