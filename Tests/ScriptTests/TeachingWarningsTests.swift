import XCTest
import Script

/// Warnings that teach: each names what went wrong in the session and the statement that
/// fixes it, and each stays quiet where nothing is wrong.
final class TeachingWarningsTests: XCTestCase {
    func testSoftmaxOnAHiddenLayer() {
        assertOutput(["load iris", "dense 3 softmax", "dense 3 softmax"],
                     ["warning: `dense 3 softmax` (line 2) is now a hidden layer, and softmax belongs on the output"])
        let (quiet, _) = runLines(["load iris", "dense 8 relu", "dense 3 softmax"])
        XCTAssertFalse(quiet.contains("warning"), quiet)
    }

    func testNewDataWhileTheLayersOfThePreviousModelRemain() {
        assertOutput(["load iris", "dense 8 relu", "dense 3 softmax", "load moons"],
                     ["warning: the model keeps its 2 layers (dense 8 relu, dense 3 softmax); `reset model` starts a new one"])
        let (quiet, _) = runLines(["load iris", "dense 8 relu", "reset model", "load moons", "load iris"])
        XCTAssertFalse(quiet.contains("warning"), quiet)
    }

    func testScaleAfterTraining() {
        assertOutput(["load iris", "split 0.8", "dense 8 relu", "dense 3 softmax", "train epochs=1", "scale minmax"],
                     ["warning: the model was trained before this `scale`", "the next `train` starts from fresh weights"])
        let (quiet, _) = runLines(["load iris", "split 0.8", "scale minmax", "dense 8 relu", "dense 3 softmax", "train epochs=1"])
        XCTAssertFalse(quiet.contains("warning"), quiet)
    }
}
