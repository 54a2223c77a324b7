import XCTest
import Engine
import Plot
@testable import Script

/// `plot units` and `plot activations`: the pictures hold what the layers compute, and each
/// bad request is refused with what was expected and received, the session going on.
final class UnitPictureTests: XCTestCase {
    let circles = ["load circles", "split 0.8", "scale standard", "dense 4 tanh", "dense 3 tanh", "dense 2 softmax", "train lr=0.1 epochs=30 verbose=0"]
    let digits = ["load digits", "split 0.8", "scale minmax", "conv 3x3 filters=4 pad=same relu", "pool 2x2", "flatten", "dense 10 softmax",
                  "train lr=0.05 epochs=1 verbose=0"]

    private func interpreter(_ lines: [String], file: StaticString = #filePath, line: UInt = #line) -> (Interpreter, CapturedOutput) {
        let output = CapturedOutput(width: 100)
        let interpreter = Interpreter(output: output)
        for text in lines { XCTAssertEqual(interpreter.runInteractive(text), .ok, output.text, file: file, line: line) }
        return (interpreter, output)
    }

    private func grid(_ chart: Chart) throws -> PanelGrid {
        guard case .panels(let grid) = chart else { throw XCTSkip("not a panel grid") }
        return grid
    }

    private let none = Placed<Int?>(value: nil, range: SourceRange(line: 1, column: 1, length: 1), given: false)

    /// A first-layer unit's picture is tanh(x W + b) of the scaled plane point, and the output
    /// column holds the class probabilities, which sum to 1.
    func testUnitPicturesHoldTheLayersOutputsOverThePlane() throws {
        let (interpreter, _) = interpreter(circles)
        let session = interpreter.session
        let grid = try grid(try session.unitPictures(layer: none))
        XCTAssertEqual(grid.columns.map(\.title), ["inputs", "dense 4 tanh", "dense 3 tanh", "output"])
        XCTAssertEqual(grid.columns.map(\.panels.count), [2, 4, 3, 2])
        let size = Session.unitGrid
        let inputs = grid.columns[0].panels
        let dense = try XCTUnwrap(session.network?.layers.first as? Dense)
        let kernel = dense.parameters[0].value, bias = dense.parameters[1].value
        for pixel in [0, 37, size * size - 1] {
            let x = [inputs[0].values[pixel], inputs[1].values[pixel]]
            for unit in 0..<4 {
                let z = x[0] * Double(kernel.data[unit]) + x[1] * Double(kernel.data[4 + unit]) + Double(bias.data[unit])
                XCTAssertEqual(grid.columns[1].panels[unit].values[pixel], tanh(z), accuracy: 1e-5)
            }
            let p0 = grid.columns[3].panels[0].values[pixel], p1 = grid.columns[3].panels[1].values[pixel]
            XCTAssertEqual(p0 + p1, 1, accuracy: 1e-5)
        }
        // The inputs are the scaled raw features: x1 rises to the right, x2 to the top.
        XCTAssertLessThan(inputs[0].values[0], inputs[0].values[size - 1])
        XCTAssertGreaterThan(inputs[1].values[0], inputs[1].values[(size - 1) * size])
        // One layer alone: its units only.
        let second = try self.grid(try session.unitPictures(layer: Placed(value: 2, range: none.range, given: true)))
        XCTAssertEqual(second.columns.map(\.title), ["dense 3 tanh"])
    }

    func testTerminalAndSVGPictures() throws {
        let folder = try makeTemporaryFolder("dl-units")
        let (_, output) = interpreter(circles + ["plot units", "plot units to \"\(folder)/units.svg\""])
        XCTAssertTrue(output.text.contains("Units over x1 (across) and x2 (up), 30 epochs"), output.text)
        XCTAssertTrue(output.text.contains("unit 4 ("), output.text)
        XCTAssertTrue(output.text.contains("O o below 0, blank near 0, + # above"), output.text)
        XCTAssertFalse(output.text.unicodeScalars.contains { $0.value > 0x7F && $0 != "─" && $0 != "…" }, "ASCII in a pipe")
        let svg = try String(contentsOfFile: folder + "/units.svg", encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg"), svg)
        XCTAssertTrue(svg.contains(">dense 4 tanh<") && svg.contains(">p(1)<") && svg.contains("orange below 0"), svg)
    }

    /// Crosses are inputs of their own: Playground shows x1^2 beside x1.
    func testCrossesAreDrawnAsInputs() throws {
        let (interpreter, _) = interpreter(["load circles", "features x1^2, x2^2", "split 0.8", "scale standard", "dense 2 tanh", "dense 2 softmax",
                                            "train lr=0.1 epochs=5 verbose=0"])
        let grid = try grid(try interpreter.session.unitPictures(layer: none))
        XCTAssertEqual(grid.columns[0].panels.map(\.caption), ["x1", "x2", "x1^2", "x2^2"])
    }

    func testThreeFeaturesIsRefusedWithTheFixAndTheSessionGoesOn() {
        let (text, outcomes) = runLines(["load iris", "drop sepal_width_cm", "dense 4 relu", "dense 3 softmax", "train epochs=1", "plot units",
                                         "keep petal_length_cm,petal_width_cm", "train epochs=1", "plot units",
                                         "load blobs features=3", "dense 2 softmax", "train epochs=1", "plot units"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok, .ok, .runtimeError, .ok, .ok, .ok, .ok, .ok, .ok, .runtimeError], text)
        XCTAssertTrue(text.contains("plot units draws each unit over the plane of two raw features, but the data has 3 (sepal_length_cm, petal_length_cm, petal_width_cm)"), text)
        XCTAssertTrue(text.contains("keep two numeric features and train again (e.g. `keep sepal_length_cm,petal_length_cm`)"), text)
        XCTAssertTrue(text.contains("but the data has 3 (x1, x2, x3)"), text)
        XCTAssertTrue(text.contains("generate two features and train again (e.g. `load blobs features=2`"), text)
    }

    func testBeforeTrainingOutOfRangeLayerAndRegression() {
        let (text, outcomes) = runLines(["load circles", "dense 3 tanh", "dense 2 softmax", "plot units", "train epochs=1", "plot units 3",
                                         "plot units 1", "load diabetes", "keep age,bmi,progression", "dense 1", "plot units"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .runtimeError, .ok, .runtimeError, .ok, .ok, .ok, .ok, .runtimeError], text)
        XCTAssertTrue(text.contains("plot units shows what the model learned, but it has not been trained yet"), text)
        XCTAssertTrue(text.contains("plot units 3: the model has 1 hidden layer"), text)
        XCTAssertTrue(text.contains("plot units draws a classifier's units, but 'progression' is a regression target"), text)
    }

    /// Each map of the conv layer is its output channel for that image.
    func testActivationMapsAreTheLayersOutputs() throws {
        let (interpreter, output) = interpreter(digits + ["plot activations 5"])
        let session = interpreter.session
        let row = Placed(value: 5, range: SourceRange(line: 1, column: 1, length: 1), given: true)
        let grid = try grid(try session.activationMaps(row: row, layer: none))
        XCTAssertEqual(grid.columns.map(\.title), ["input", "conv 3x3 filters=4 pad=same relu", "pool 2x2 max"])
        XCTAssertEqual(grid.columns.map(\.panels.count), [1, 4, 4])
        XCTAssertEqual(grid.columns.map(\.width), [8, 8, 4])
        let network = try XCTUnwrap(session.network)
        let width = session.dataset!.featureCount
        let x = Tensor(shape: [1, 8, 8, 1], data: Array(session.data!.scaledFeatures[(5 * width)..<(6 * width)]))
        let conv = network.layers[0].forward(x, training: false)
        for channel in 0..<4 {
            let expected = (0..<64).map { Double(conv.data[$0 * 4 + channel]) }
            XCTAssertEqual(grid.columns[1].panels[channel].values, expected)
        }
        XCTAssertTrue(output.text.contains("Feature maps of row 5, predicted"), output.text)
        XCTAssertTrue(output.text.contains("blank is the layer's smallest value"), output.text)
    }

    func testActivationErrors() {
        let (text, outcomes) = runLines(["load iris", "dense 3 softmax", "train epochs=1", "plot activations 0",
                                         "load digits", "dense 10 softmax", "train epochs=1", "plot activations 0",
                                         "reset model", "conv 3x3 filters=2", "flatten", "dense 10 softmax", "train epochs=1",
                                         "plot activations 5000", "plot activations 0 2", "plot activations 0 1"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .runtimeError, .ok, .ok, .ok, .runtimeError, .ok, .ok, .ok, .ok, .ok,
                                  .runtimeError, .runtimeError, .ok], text)
        XCTAssertTrue(text.contains("plot activations draws the feature maps of an image, but the rows of 'iris.csv' are not images"), text)
        XCTAssertTrue(text.contains("plot activations draws the maps of conv and pool layers, but the model has none"), text)
        XCTAssertTrue(text.contains("there is no row 5000: the data has rows 0 to 1796"), text)
        XCTAssertTrue(text.contains("plot activations 0 2: the model has 1 conv and pool layer"), text)
    }
}
