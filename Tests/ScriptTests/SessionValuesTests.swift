import XCTest
import DLCore
import Engine
import Tabular
@testable import Script

/// The session's values: the pipeline, the model spec and the trained model.
final class SessionValuesTests: XCTestCase {
    func session(_ lines: [String], file: StaticString = #filePath, line: UInt = #line) -> Session {
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        for text in lines {
            XCTAssertEqual(interpreter.runInteractive(text), .ok, output.text, file: file, line: line)
        }
        return interpreter.session
    }

    /// Raw rows, as loaded, go through the fitted pipeline to exactly the numbers the model
    /// trains on: imputed (a median and a mode), one-hot encoded, split, min-max scaled.
    func testPipelineTurnsRawRowsIntoTheTrainingFeaturesBitForBit() throws {
        let session = session(["load penguins", "split 0.8 seed=42 stratify", "impute median", "encode onehot island,sex",
                               "scale minmax"])
        let pipeline = try XCTUnwrap(session.data)
        XCTAssertEqual(pipeline.steps.count, 7, "four medians, one mode (sex), two encodings: \(pipeline.steps.map(\.description))")
        let loaded = try BundledData.load("penguins").table
        let raw = Table(columns: loaded.columns.filter { $0.name != pipeline.targetName }, rowCount: loaded.rowCount, source: "raw")
        XCTAssertGreaterThan(raw.columns.map(\.missingCount).reduce(0, +), 0, "the raw rows have gaps to fill")
        let (features, notes) = try pipeline.features(ofRaw: raw)
        XCTAssertEqual(notes, [])
        XCTAssertEqual(features.count, pipeline.scaledFeatures.count)
        XCTAssertTrue(features.elementsEqual(pipeline.scaledFeatures) { $0.bitPattern == $1.bitPattern },
                      "every feature of every row, bit for bit")
        // The training matrix is the training rows of the same numbers.
        let output = LayerEntry(kind: DenseKind(units: 3, activation: .softmax), range: SourceRange(line: 1, column: 1, length: 1),
                                fileName: "-", lineText: nil)
        let spec = ModelSpec(layers: [output])
        let (fit, _) = try pipeline.trainingSets(plan: TrainingPlan(spec: spec), spec: spec,
                                                 at: SourceRange(line: 1, column: 1, length: 1))
        let width = pipeline.dataset!.featureCount
        let expected = pipeline.trainRows.flatMap { features[($0 * width)..<(($0 + 1) * width)] }
        let fitRows = fit.rowsOfX ?? Array(0..<fit.x.rows)
        XCTAssertEqual(fitRows.flatMap { fit.x.data[($0 * width)..<(($0 + 1) * width)] }, expected)
    }

    /// A category never seen in training is encoded as zeros, with a note that says so.
    func testUnseenCategoryIsNamed() throws {
        let session = session(["load penguins", "impute mode", "encode onehot island,sex"])
        let pipeline = try XCTUnwrap(session.data)
        var raw = Table(columns: [], rowCount: 1, source: "raw")
        for column in pipeline.predictColumns {
            raw.columns.append(Column(name: column.name, data: column.isText ? .text([column.name == "island" ? "Atlantis" : "male"]) : .numeric([40])))
        }
        let (_, notes) = try pipeline.features(ofRaw: raw)
        XCTAssertEqual(notes.count, 1)
        XCTAssertTrue(notes[0].hasPrefix("'Atlantis' was never seen in island"), notes[0])
    }

    /// The spec and its seed are the whole recipe: built again, the network starts from the
    /// same weights and its first epoch has the same loss.
    func testSameSpecAndSeedGiveTheSameFirstEpoch() throws {
        let session = session(["load iris", "split 0.8 seed=42", "scale minmax", "dense 16 relu", "dense 3 softmax"])
        let pipeline = try XCTUnwrap(session.data)
        let spec = session.spec
        var plan = TrainingPlan(spec: spec)
        plan.epochs = 1
        var losses: [Float] = []
        for _ in 0..<2 {
            let network = try spec.initialNetwork(inputShape: spec.inputShape(of: pipeline.dataset!))
            let trainer = Trainer(network: network, loss: try spec.resolveLoss(for: pipeline.dataset!), optimizer: spec.makeOptimizer())
            let (fit, _) = try pipeline.trainingSets(plan: plan, spec: spec, at: SourceRange(line: 1, column: 1, length: 1))
            var shuffle = SeededRandom(seed: spec.seed)
            let result = try trainer.train(fit, options: plan.options(schedule: spec.schedule, validation: nil), rng: &shuffle)
            losses.append(try XCTUnwrap(result.records.first?.loss))
        }
        XCTAssertEqual(losses[0].bitPattern, losses[1].bitPattern)
        var other = spec
        other.seed = 7
        let a = try spec.initialNetwork(inputShape: [4]).weights(), b = try other.initialNetwork(inputShape: [4]).weights()
        XCTAssertNotEqual(a, b, "another seed, other weights")
    }

    /// Whether the trained weights still serve is found by comparing them with the spec and
    /// the data they came from.
    func testTrainedModelFitsOnlyItsSpecAndData() throws {
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        let session = interpreter.session
        for line in ["load iris", "split 0.8 seed=42", "dense 8 relu", "dense 3 softmax", "train epochs=2"] {
            XCTAssertEqual(interpreter.runInteractive(line), .ok, output.text)
        }
        let trained = try XCTUnwrap(session.model)
        XCTAssertEqual(trained.epochsTrained, 2)
        XCTAssertEqual(interpreter.runInteractive("optimizer adam"), .ok)
        XCTAssertTrue(session.model === trained, "a new optimizer keeps the weights (its state starts afresh)")
        XCTAssertEqual(interpreter.runInteractive("scale standard"), .ok)
        XCTAssertNil(session.model, "the features changed under the weights")
        XCTAssertEqual(interpreter.runInteractive("train epochs=1"), .ok, output.text)
        let retrained = try XCTUnwrap(session.model)
        XCTAssertEqual(retrained.epochsTrained, 1, "started afresh")
        XCTAssertEqual(interpreter.runInteractive("dropout 0.5"), .ok)
        XCTAssertNil(session.model, "another architecture")
        XCTAssertTrue(output.text.contains("the layers changed: the next `train` starts from fresh weights"), output.text)
    }
}
