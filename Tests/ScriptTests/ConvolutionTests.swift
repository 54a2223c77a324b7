import XCTest
import Script

/// Convolution statements at the prompt: shapes, summaries and their errors.
final class ConvolutionTests: XCTestCase {
    /// Classic LeNet-5 on 28x28x1 has Keras's 61,706 parameters.
    func testLeNetSummaryMatchesKeras() {
        assertOutput(["load blobs n=20 features=784 classes=10", "input 28x28x1", "conv 5x5 filters=6 pad=same relu", "pool 2x2",
                      "conv 5x5 filters=16 relu", "pool 2x2", "flatten", "dense 120 relu", "dense 84 relu", "dense 10 softmax", "summary"], [
            "conv2d (Conv2D)                 (None, 28, 28, 6)   relu            156",
            "max_pooling2d (MaxPooling2D)    (None, 14, 14, 6)                     0",
            "conv2d_1 (Conv2D)               (None, 10, 10, 16)  relu          2,416",
            "max_pooling2d_1 (MaxPooling2D)  (None, 5, 5, 16)                      0",
            "flatten (Flatten)               (None, 400)                           0",
            "dense (Dense)                   (None, 120)         relu         48,120",
            "dense_1 (Dense)                 (None, 84)          relu         10,164",
            "dense_2 (Dense)                 (None, 10)          softmax         850",
            "Total params: 61,706",
        ])
    }

    func testDenseDirectlyAfterConvolutionSaysFlattenIsNeeded() {
        assertOutput(["load digits", "conv 3x3 filters=4 relu", "dense 10 softmax", "summary"],
                     ["<stdin>:3:1: error: dense expects a flat input", "add `flatten` before it", "    3 | dense 10 softmax"],
                     outcomes: [.ok, .ok, .ok, .runtimeError])
    }

    func testKernelLargerThanItsInput() {
        assertOutput(["load digits", "conv 5x5 filters=4 relu", "pool 2x2", "conv 5x5", "flatten", "dense 10 softmax", "train epochs=1"],
                     ["<stdin>:4:1: error: the 5x5 kernel does not fit", "    4 | conv 5x5"], outcomes: [.ok, .ok, .ok, .ok, .ok, .ok, .runtimeError])
    }

    func testConvolutionOnDataWithoutImageShape() {
        assertOutput(["load iris", "conv 3x3", "flatten", "dense 3 softmax", "train epochs=1"],
                     ["<stdin>:2:1: error: conv needs images", "`input"], outcomes: [.ok, .ok, .ok, .ok, .runtimeError])
    }

    func testInputMustMatchTheFeatureCount() {
        assertOutput(["load iris", "input 2x2x1", "input 28x28x1"],
                     ["input: each row is a 2x2x1 image", "<stdin>:3:7: error:", "784"], outcomes: [.ok, .ok, .runtimeError])
    }

    func testShowImageAndItsErrors() {
        assertOutput(["load digits", "show image 0", "show image 5000", "load iris", "show image 0"], [
            "row 0 of digits.csv", "row 0: 0",
            "<stdin>:3:12: error: there is no row 5000: the data has rows 0 to 1796",
            "<stdin>:5:12: error: the rows of 'iris.csv' are not images",
        ], outcomes: [.ok, .ok, .runtimeError, .ok, .runtimeError])
    }

    func testPlotFiltersNeedsAConvolution() {
        assertOutput(["load digits", "dense 10 softmax", "train epochs=1", "plot filters", "conv 3x3 filters=2", "flatten",
                      "dense 10 softmax", "plot filters 2"], [
            "<stdin>:4:1: error: plot filters draws convolution kernels, but the model has no `conv` layer",
            "<stdin>:8:14: error: plot filters draws a trained convolution layer's kernels, but the model is not built yet",
        ])
    }

    func testLoadMnistErrorsReachTheUser() {
        assertOutput(["load mnist \"/nonexistent/mnist\""], ["<stdin>:1:12: error:", "/nonexistent/mnist"], outcomes: [.runtimeError])
    }
}
