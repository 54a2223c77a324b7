import XCTest
import Engine
import Tabular
@testable import Script

/// `save model` and `load model`: a model comes back in a fresh session predicting exactly
/// what it predicted when saved, through the same preprocessing; a bad file is refused and
/// leaves the session as it was.
final class ModelFileTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder("dl-models")
    }

    /// An interpreter that has run `lines`, each of which must succeed.
    private func interpreter(_ lines: [String], file: StaticString = #filePath, line: UInt = #line) -> (Interpreter, CapturedOutput) {
        let output = CapturedOutput(width: 100)
        let interpreter = Interpreter(output: output)
        for text in lines {
            XCTAssertEqual(interpreter.runInteractive(text), .ok, output.text, file: file, line: line)
        }
        return (interpreter, output)
    }

    /// The raw rows of a bundled data set as `predict` takes them (the loaded columns, target excepted).
    private func rawRows(_ name: String, target: String) throws -> Table {
        let loaded = try BundledData.load(name).table
        return Table(columns: loaded.columns.filter { $0.name != target }, rowCount: loaded.rowCount, source: "raw")
    }

    /// What the session's model predicts for raw rows, through the session's pipeline.
    private func predictions(_ session: Session, _ raw: Table) throws -> [Float] {
        let model = try XCTUnwrap(session.model)
        let (features, _) = try XCTUnwrap(session.data).features(ofRaw: raw)
        return model.network.predict(Tensor(shape: [raw.rowCount] + model.inputShape, data: features)).data
    }

    private func assertRoundTrip(_ lines: [String], data: String, target: String,
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        let path = folder + "/\(data).safetensors"
        let (trained, _) = interpreter(lines + ["save model \"\(path)\""], file: file, line: line)
        let (loaded, output) = interpreter(["load model \"\(path)\""], file: file, line: line)
        XCTAssertTrue(output.text.contains("loaded model from \(path)"), output.text, file: file, line: line)
        let raw = try rawRows(data, target: target)
        let before = try predictions(trained.session, raw), after = try predictions(loaded.session, raw)
        XCTAssertEqual(after.count, before.count, file: file, line: line)
        XCTAssertEqual(after.map(\.bitPattern), before.map(\.bitPattern), "every probability of every raw row, bit for bit", file: file, line: line)
        XCTAssertEqual(loaded.session.history.map(\.loss), trained.session.history.map(\.loss), file: file, line: line)
        XCTAssertEqual(loaded.session.spec.architecture, trained.session.spec.architecture, file: file, line: line)
    }

    func testPenguinsPipelineComesBackWithItsFillsEncodingsAndScaling() throws {
        // The raw rows have missing cells and text columns: the saved medians, modes and
        // categories must fill and encode them as in training.
        try assertRoundTrip(["load penguins", "split 0.8 seed=42 stratify", "impute median", "encode onehot island,sex",
                             "scale minmax", "dense 8 relu", "dense 3 softmax", "train lr=0.1 epochs=3"],
                            data: "penguins", target: "species")
    }

    func testConvolutionalModelComesBack() throws {
        try assertRoundTrip(["load digits", "scale minmax", "conv 3x3 filters=4 relu", "pool 2x2", "flatten", "dense 10 softmax",
                             "optimizer adam", "train lr=0.01 epochs=2"],
                            data: "digits", target: "digit")
    }

    func testLoadedModelAnswersPredictAndSummaryAndNamesWhatItLacks() throws {
        let path = folder + "/iris.safetensors"
        let (trained, trainedOutput) = interpreter(["load iris", "scale minmax", "dense 8 relu", "dense 3 softmax",
                                                    "train lr=0.1 epochs=5", "save model \"\(path)\"", "predict 5.9,3,5.1,1.8"])
        let (loaded, output) = interpreter(["load model \"\(path)\"", "show", "summary", "predict 5.9,3,5.1,1.8"])
        XCTAssertTrue(output.text.contains("scaling   minmax, as fitted for the loaded model"), "show names the model's scaling:\n\(output.text)")
        let predicted = { (text: String) in text.components(separatedBy: "predicted: ").last ?? "" }
        XCTAssertEqual(predicted(output.text), predicted(trainedOutput.text))
        XCTAssertTrue(output.text.contains("dense_1 (Dense)  (None, 3)"), output.text)
        XCTAssertTrue(output.text.contains("and predicts 'species': 3 classes (setosa, versicolor, virginica)"), output.text)
        XCTAssertEqual(loaded.runInteractive("evaluate"), .runtimeError)
        XCTAssertTrue(output.text.contains("brings its preprocessing but no rows"), output.text)
        XCTAssertNotNil(trained.session.model)
    }

    /// Data with the model's columns, loaded after the model, goes through the model's own
    /// fitted steps and scaler: `evaluate` measures what the saving session measured, and
    /// `train` goes on from the saved weights.
    func testDataLoadedAfterTheModelIsEvaluatedAndTrainedOnAsBefore() throws {
        let path = folder + "/penguins.safetensors"
        let steps = ["load penguins", "impute median", "encode onehot island,sex", "drop year", "scale minmax",
                     "dense 8 relu", "dense 3 softmax", "train lr=0.1 epochs=3"]
        let (_, trainedOutput) = interpreter(steps + ["save model \"\(path)\"", "evaluate"])
        let (_, output) = interpreter(["load model \"\(path)\"", "load penguins", "evaluate", "train lr=0.1 epochs=1"])
        let figures = { (text: String) in text.components(separatedBy: "\n").first { $0.hasPrefix("loss ") && $0.contains("accuracy") } }
        XCTAssertNotNil(figures(trainedOutput.text))
        XCTAssertEqual(figures(output.text), figures(trainedOutput.text), output.text)
        XCTAssertTrue(output.text.contains("the loaded model's preprocessing applies: impute bill_length_mm = "), output.text)
        XCTAssertTrue(output.text.contains("trained 1 epoch (4 in total)"), output.text)

        // Data without the model's columns: the layers stay, the weights start afresh.
        let (other, otherOutput) = interpreter(["load model \"\(path)\"", "load iris"])
        XCTAssertTrue(otherOutput.text.contains("this data does not have them, so `train` starts afresh"), otherOutput.text)
        XCTAssertNil(other.session.model)
    }

    /// Each bad file is an error naming the problem, and the session goes on as it was.
    func testBadFilesAreRefusedAndTheSessionStaysAsItWas() throws {
        let good = folder + "/good.safetensors"
        let (session, output) = interpreter(["load iris", "dense 8 relu", "dense 3 softmax", "train lr=0.1 epochs=2",
                                             "save model \"\(good)\""])
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: good)))
        let (entries, metadata) = try Safetensors.decode(bytes)
        func variant(_ name: String, metadata change: (inout [String: String]) -> Void = { _ in },
                     entries edit: (inout [Safetensors.Entry]) -> Void = { _ in }) throws -> String {
            var m = metadata, e = entries
            change(&m)
            edit(&e)
            let path = folder + "/\(name).safetensors"
            try Data(Safetensors.encode(e, metadata: m)).write(to: URL(fileURLWithPath: path))
            return path
        }
        let truncated = folder + "/truncated.safetensors"
        try Data(bytes.dropLast(10)).write(to: URL(fileURLWithPath: truncated))
        let csv = folder + "/iris.csv"
        try Data("a,b\n1,2\n".utf8).write(to: URL(fileURLWithPath: csv))
        let cases: [(String, String)] = [
            (folder + "/missing.safetensors", "no such file"),
            (folder, "it is a folder"),
            (truncated, "it is truncated"),
            (csv, "only 0 bytes follow"),
            (try variant("foreign", metadata: { $0["format"] = nil }), "not a dl model"),
            (try variant("newer", metadata: { $0["format_version"] = "5" }), "model format version 5"),
            (try variant("other", metadata: { $0["spec"] = $0["spec"]!.replacingOccurrences(of: "\"units\":8", with: "\"units\":9") }),
             "tensor 'dense.kernel' has shape [4, 8] but its architecture needs [4, 9]"),
            (try variant("extra", entries: { $0.append(Safetensors.Entry(name: "dense_9.bias", tensor: Tensor(shape: [1], data: [0]))) }),
             "it holds tensor 'dense_9.bias'"),
            (try variant("lacking", entries: { $0.removeLast() }), "needs tensor 'dense_1.bias' of shape [3]"),
            (try variant("nospec", metadata: { $0["spec"] = "{}" }), "model spec is missing or malformed"),
        ]
        let predictBefore = session.runInteractive("predict 5.9,3,5.1,1.8")
        XCTAssertEqual(predictBefore, .ok)
        for (path, expected) in cases {
            let before = output.text.count
            XCTAssertEqual(session.runInteractive("load model \"\(path)\""), .runtimeError, path)
            let message = String(output.text.dropFirst(before))
            XCTAssertTrue(message.contains(expected), "expected «\(expected)» in:\n\(message)")
            XCTAssertEqual(session.runInteractive("evaluate"), .ok, "the session keeps its data and model after \(path)")
        }
    }

    func testExportNeedsATrainedModelAndWritesAnONNXModelProto() throws {
        let (session, output) = interpreter(["load iris", "dense 3 softmax"])
        XCTAssertEqual(session.runInteractive("export onnx \"\(folder)/m.onnx\""), .runtimeError)
        XCTAssertTrue(output.text.contains("export onnx needs a trained model"), output.text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/m.onnx"))
        XCTAssertEqual(session.runInteractive("train epochs=1"), .ok)
        XCTAssertEqual(session.runInteractive("export onnx \"\(folder)/m.onnx\""), .ok)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/m.onnx")))
        // Field 1 (ir_version) = 8, then field 2 (producer_name) = "dl".
        XCTAssertEqual(Array(bytes.prefix(6)), [0x08, 0x08, 0x12, 0x02, 0x64, 0x6C])
        // ONNX Runtime's own check of the file is scripts/interop.
    }

    func testExportedScriptsFollowTheSession() throws {
        let (session, output) = interpreter(["load moons", "dense 8 relu", "dense 2 softmax", "train epochs=1"])
        XCTAssertEqual(session.runInteractive("export torch \"\(folder)/t.py\""), .runtimeError)
        XCTAssertTrue(output.text.contains("the data must come from a CSV file, a bundled data set or `load images`"), output.text)
        let (digits, digitsOutput) = interpreter(["load digits", "split 0.8", "scale minmax", "conv 3x3 filters=4 pad=same relu", "pool 2x2",
                                                  "flatten", "dense 10 softmax", "optimizer adam", "train lr=0.01 epochs=1 patience=2 validation=0.2",
                                                  "show torch", "export keras \"\(folder)/k.py\""])
        let torch = digitsOutput.text
        for line in ["layers.append(nn.ZeroPad2d((1, 1, 1, 1)))  # pad=same, as TensorFlow pads",
                     "layers.append(nn.Conv2d(1, 4, kernel_size=(3, 3), stride=1))  # conv 3x3 filters=4 pad=same relu",
                     "    RELU_LAYERS.add(layers[-1])\n    layers.append(nn.ReLU())\n", "layers.append(NHWCFlatten())", "PATIENCE = 2", "VALIDATION = 0.2", "IMAGE_SHAPE = (8, 8, 1)",
                     "torch.optim.Adam(net.parameters(), lr=0.01, betas=(0.9, 0.999)",
                     "dist.init_process_group(\"nccl\" if torch.cuda.is_available() else \"gloo\")",
                     "    x_train, x_test, y_train, y_test = train_test_split(frame, y, test_size=0.1998, random_state=42, stratify=None)"] {
            XCTAssertTrue(torch.contains(line), "expected «\(line)» in the torch script:\n\(torch)")
        }
        let keras = try String(contentsOfFile: folder + "/k.py", encoding: .utf8)
        for line in ["model.add(keras.layers.Conv2D(4, (3, 3), strides=1, padding=\"same\", activation=\"relu\", kernel_initializer=keras.initializers.RandomNormal(stddev=math.sqrt(2 / 9))))",
                     "strategy = tf.distribute.MirroredStrategy()", "keras.callbacks.EarlyStopping(monitor=\"val_loss\", patience=PATIENCE"] {
            XCTAssertTrue(keras.contains(line), "expected «\(line)» in the keras script:\n\(keras)")
        }
        XCTAssertNotNil(digits.session.model)
    }

    /// A loaded model keeps no optimizer or epochs, so a script of it waits for a `train` here.
    func testScriptsOfALoadedModelNeedATrainInThisSession() throws {
        let path = folder + "/iris.safetensors"
        _ = interpreter(["load iris", "split 0.8", "scale minmax", "dense 3 softmax", "train epochs=2", "save model \"\(path)\""])
        let (session, output) = interpreter(["load model \"\(path)\"", "load iris"])
        XCTAssertEqual(session.runInteractive("export torch \"\(folder)/t.py\""), .runtimeError)
        XCTAssertTrue(output.text.contains("export torch needs a `train` in this session"), output.text)
        XCTAssertEqual(session.runInteractive("show keras"), .runtimeError)
        XCTAssertTrue(output.text.contains("export keras needs a `train` in this session"), output.text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/t.py"))
        XCTAssertEqual(session.runInteractive("train lr=0.05 epochs=3"), .ok, output.text)
        XCTAssertEqual(session.runInteractive("export torch \"\(folder)/t.py\""), .ok, output.text)
        let script = try String(contentsOfFile: folder + "/t.py", encoding: .utf8)
        XCTAssertTrue(script.contains("EPOCHS = 3"), script)
    }

    func testProtobufWriterEncodesTheWireFormat() {
        var writer = ProtobufWriter()
        writer.integer(1, 150)
        writer.integer(2, -1)
        writer.string(3, "hi")
        writer.float(4, 1)
        writer.integers(5, [3, 270])
        writer.message(6) { $0.integer(1, 1) }
        XCTAssertEqual(writer.bytes, [0x08, 0x96, 0x01,
                                      0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
                                      0x1A, 0x02, 0x68, 0x69,
                                      0x25, 0x00, 0x00, 0x80, 0x3F,
                                      0x2A, 0x03, 0x03, 0x8E, 0x02,
                                      0x32, 0x02, 0x08, 0x01])
    }

    func testSaveNeedsATrainedModelAndAPlaceToWrite() throws {
        let (session, output) = interpreter(["load iris", "dense 3 softmax"])
        XCTAssertEqual(session.runInteractive("save model \"\(folder)/m.safetensors\""), .runtimeError)
        XCTAssertTrue(output.text.contains("save model needs a trained model"), output.text)
        XCTAssertEqual(session.runInteractive("train epochs=1"), .ok)
        XCTAssertEqual(session.runInteractive("save model \"\(folder)\""), .runtimeError)
        XCTAssertTrue(output.text.contains("it is a folder"), output.text)
        XCTAssertEqual(session.runInteractive("save model \"\(folder)/no/such/m.safetensors\""), .runtimeError)
        XCTAssertTrue(output.text.contains("does not exist"), output.text)
        // sysfs refuses new files even to root: a folder without write permission.
        XCTAssertEqual(session.runInteractive("save model \"/sys/m.safetensors\""), .runtimeError)
        XCTAssertTrue(output.text.contains("cannot write '/sys/m.safetensors': permission denied"), output.text)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder)
        XCTAssertEqual(leftovers, [], "no temporary file is left behind")
    }
}
