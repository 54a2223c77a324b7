import DLCore
import Engine
#if canImport(Glibc)
import Glibc
#endif

extension Session {
    /// The trained model and its fitted preprocessing that `save model` and the exports hand on.
    func trainedModel(for statement: String, hint: String) throws -> (TrainedModel, FittedPipeline) {
        guard let model, model.isTrained, let fitted = data?.fitted else {
            throw Diagnostic("\(statement) needs a trained model", hint: hint)
        }
        return (model, fitted)
    }

    /// `save model PATH`: the trained model and its preprocessing, as safetensors.
    func saveModel(to file: Placed<String>) throws {
        let path = file.value
        let (model, fitted) = try trainedModel(for: "save model", hint: "run `train` first, e.g. `train lr=0.1 epochs=20`")
        // No size in the message: the history's epoch times make it vary from run to run.
        try writeFile(path, ModelFile.encode(spec: spec, model: model, pipeline: fitted), at: file.range)
        let parameters = model.network.parameterCount
        print("saved model to \(path): \(model.network.variables.count) tensors, \(Format.grouped(parameters)) parameters, "
              + "\(model.epochsTrained) epoch\(model.epochsTrained == 1 ? "" : "s") trained")
    }

    /// `load model PATH`: a saved model with its preprocessing, ready to predict; the data,
    /// layers and weights of the session before it are replaced.
    func loadModel(from file: Placed<String>, statement: SourceRange) throws {
        let path = file.value
        let range = file.range
        let bytes: [UInt8]
        do {
            bytes = try AtomicFile.read(path)
        } catch {
            switch error.code {
            case ENOENT: throw Diagnostic("cannot open '\(path)': no such file", at: range,
                                          hint: scriptFolderHint(for: path) ?? "check the path; `save model \"\(path)\"` writes one")
            case EACCES: throw Diagnostic("cannot open '\(path)': permission denied", at: range, hint: "check the file's permissions")
            case EISDIR: throw Diagnostic("cannot read '\(path)': it is a folder", at: range, hint: "give the path of a .safetensors file")
            default: throw Diagnostic("cannot read '\(path)': \(String(cString: strerror(error.code)))", at: range)
            }
        }
        let place = (range: statement, fileName: context.currentFileName,
                     lineText: context.currentLineText(statement.line))
        let contents: ModelFile.Contents
        do {
            contents = try ModelFile.decode(bytes, placedAt: place)
        } catch {
            throw Diagnostic("cannot load a model from '\(path)': \(error.message)", at: range, hint: error.hint)
        }
        let network = try contents.spec.initialNetwork(inputShape: contents.inputShape)
        network.setWeights(contents.weights)
        let pipeline = DataPipeline(restoring: contents.pipeline, from: path)
        built = nil
        data = pipeline
        spec = contents.spec
        spec.loss = contents.loss
        spec.layersFromFile = spec.layers.count
        built = TrainedModel(restoring: network, architecture: spec.architecture, inputShape: contents.inputShape,
                             dataRevision: pipeline.revision, history: contents.history, restoredEpoch: contents.restoredEpoch,
                             seed: spec.seed, rateReductions: contents.rateReductions,
                             trainedWith: (contents.loss, spec.optimizer, spec.weightDecay))
        lastSweep = nil
        lastOutliers = nil
        markDataStart()
        let fitted = contents.pipeline
        let outputs = fitted.classNames.map { "\($0.count) classes (\($0.joined(separator: ", ")))" } ?? "a number (regression)"
        print("loaded model from \(path): \(spec.layers.map(\.text).joined(separator: ", ")); "
              + "\(Format.grouped(network.parameterCount)) parameters, \(contents.history.count) epoch\(contents.history.count == 1 ? "" : "s") trained")
        if let note = plateauNote(reductions: contents.rateReductions) { print(note) }
        if let window = fitted.window {
            describeLoadedWindow(window, columns: fitted.rawColumns.map(\.name))
        } else if let images = fitted.images {
            print("it takes \(images.height)x\(images.width) \(images.color) images (files are resized and converted to that, "
                  + "\(fitted.scaler == nil ? "pixels 0-255" : "pixels scaled 0-255 to 0-1")) and predicts their class: \(outputs)")
        } else {
            print("it takes \(fitted.rawColumns.count) column\(fitted.rawColumns.count == 1 ? "" : "s") (\(Self.listed(fitted.rawColumns.map(\.name)))) and predicts '\(fitted.targetName)': \(outputs)")
        }
    }

    /// After `load model`: the rate a plateau schedule had lowered goes on lowered, as in the session that saved it.
    func plateauNote(reductions: Int) -> String? {
        guard reductions > 0, case .plateau(let rule) = spec.schedule else { return nil }
        return "its plateau schedule lowered the rate \(reductions) time\(reductions == 1 ? "" : "s"): a `train` goes on lowered, as in the session that saved it "
            + "(at the lr given × \(Format.general(rule.factor))^\(reductions), at least \(Format.general(rule.minimum)))"
    }

    /// Names for a message: all of them, or the first eight and how many in all.
    static func listed(_ names: [String]) -> String {
        names.count > 8 ? names.prefix(8).joined(separator: ", ") + ", … (\(names.count) in all)" : names.joined(separator: ", ")
    }
}

extension Session {
    /// `export onnx PATH`: the model and its preprocessing as one ONNX graph of the raw columns.
    func exportONNX(to file: Placed<String>) throws {
        let path = file.value
        let (model, fitted) = try trainedModel(for: "export onnx", hint: "run `train` first, or `load model \"FILE\"`")
        let bytes = ONNXExport.encode(spec: spec, model: model, pipeline: fitted)
        try writeFile(path, bytes, at: file.range)
        let outputs = fitted.classNames == nil ? "value" : "probabilities, label"
        let dates = ONNXExport.dateInputs(fitted).sorted()
        let dateNote = dates.isEmpty ? "" : "; \(Self.listed(dates)) as seconds since 1970-01-01 (double)"
        if let window = fitted.window {
            let given = ONNXExport.windowChannels(fitted, window)
            let others = ONNXExport.windowTextInputs(fitted).map { "\($0) [N, \(window.steps)] (\(dates.contains($0) ? "seconds since 1970-01-01, double" : "text")), " }.joined()
            print("exported \(path): input \(ONNXExport.windowInput) [N, \(window.steps), \(given.count)] (one window a row, oldest step first, "
                  + "channels \(Self.listed(given)) as loaded; \(others)the \(others.isEmpty ? "" : "encoding and ")scaling \(others.isEmpty ? "is" : "are") inside the graph), output value ('\(window.target)' \(window.horizonPhrase) "
                  + "after each window's last step); \(Format.fixed(Double(bytes.count) / 1024, 1)) KB")
            return
        }
        if let shape = ONNXExport.imageInputShape(fitted) {
            print("exported \(path): input \(ONNXExport.imageInput) [N, \(shape.map(String.init).joined(separator: ", "))] "
                  + "(NHWC float pixels as loaded, 0-255 for photos; the scaling is inside the graph), outputs \(outputs); "
                  + "\(Format.fixed(Double(bytes.count) / 1024, 1)) KB")
            return
        }
        print("exported \(path): inputs \(Self.listed(fitted.rawColumns.map(\.name))) ([N, 1] each\(dateNote)), outputs \(outputs); "
              + "\(Format.fixed(Double(bytes.count) / 1024, 1)) KB")
    }
}

extension Session {
    /// The script `export keras|torch` writes, for the trained model and its data.
    func pythonScript(_ framework: PythonExport.Framework) throws -> String {
        let (model, fitted) = try trainedModel(for: "export \(framework.rawValue)", hint: "run `train` first, e.g. `train lr=0.1 epochs=20`")
        guard let pipeline = data, let plan = model.lastPlan else {
            throw Diagnostic("export \(framework.rawValue) needs a `train` in this session: the script repeats its optimizer, batch and epochs",
                             hint: "a loaded model keeps no training settings; run `train lr=0.1 epochs=20` (it continues from the loaded weights)")
        }
        if let problem = PythonExport.problem(pipeline) {
            throw Diagnostic(problem, hint: "load a CSV, a bundled data set (e.g. `load penguins`) or a folder (`load images \"pets/\"`)")
        }
        return PythonExport(framework: framework, spec: spec, model: model, pipeline: pipeline, fitted: fitted, plan: plan).script
    }

    func exportScript(_ framework: PythonExport.Framework, to file: Placed<String>) throws {
        let path = file.value
        let script = try pythonScript(framework)
        try writeFile(path, script, at: file.range)
        let launch = framework == .torch ? "; `torchrun --nproc_per_node=2 \(path)` trains data parallel" : ""
        print("wrote \(path): `python3 \(path)` trains as this session did, `--weights MODEL.safetensors` starts from dl's weights\(launch)")
    }
}
