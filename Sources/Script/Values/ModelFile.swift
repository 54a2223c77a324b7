import DLCore
import Engine
import Foundation

/// A trained model as a safetensors file. The weights go under Keras's names (`dense.kernel`,
/// `dense_1.bias`, `conv2d.kernel`, in Keras's layouts: a dense kernel is [inputs, units], a
/// convolution kernel [height, width, channels, filters]). `__metadata__` holds, as text:
/// `format` ("dl-model") and `format_version`, `dl_version`, and as JSON `spec` (layers,
/// loss, optimizer, schedule, seed, input shape), `pipeline` (raw columns, steps with their
/// fitted values, scaling, classes), `feature_names`, `class_names` (classification only) and
/// `history` (one object per epoch trained), and `restored_epoch` when early stopping left the
/// weights of an earlier epoch than the last, and `learning_rate_reductions` when a plateau
/// schedule lowered the rate (a reader that ignores it predicts the same and trains on at the
/// rate given, so it needs no new version).
enum ModelFile {
    static let format = "dl-model"
    /// The newest version this dl reads. A file is written in the oldest version that holds
    /// it: 2 only for a scaled target (`target_scaling` in the pipeline), which a reader of
    /// version 1 would ignore and so predict on the wrong scale; it refuses version 2 instead.
    /// 3 for a model of image files (`images` in the pipeline), whose `predict "x.png"` an
    /// older reader could not do. 4 for a model trained on `window` data (`window` in the
    /// pipeline), whose forecasts need the windowing an older reader would ignore.
    static let formatVersion = 4

    static func formatVersion(of pipeline: FittedPipeline) -> Int {
        pipeline.window != nil ? 4 : pipeline.images != nil ? 3 : pipeline.targetScaler == nil ? 1 : 2
    }

    /// What a file brings back.
    struct Contents {
        var spec: ModelSpec
        var inputShape: [Int]
        var loss: Loss?
        var pipeline: FittedPipeline
        var history: [HistoryRow]
        /// The epoch whose weights these are, when early stopping restored one before the last.
        var restoredEpoch: Int?
        /// In the order of the network's parameters.
        var weights: [Tensor]
        /// The times a plateau schedule lowered the rate (0 when it never did, or in older files).
        var rateReductions = 0
    }

    /// More reductions than any training makes (each takes at least one epoch); a larger count is a hand-edited file.
    static let maximumRateReductions = 1_000_000

    /// Keras's name for each layer: dense, dense_1, conv2d, max_pooling2d, … (as `summary` shows).
    static func layerNames(_ layers: [LayerEntry]) -> [String] {
        var seen: [String: Int] = [:]
        return layers.map { layer in
            let stem = layer.kerasName
            defer { seen[stem, default: 0] += 1 }
            return seen[stem].map { "\(stem)_\($0)" } ?? stem
        }
    }

    /// Tensor name and shape for each parameter of `network`, in order.
    static func tensorNames(_ spec: ModelSpec, _ network: Network) -> [(name: String, shape: [Int])] {
        zip(layerNames(spec.layers), network.layers).flatMap { name, layer in
            layer.variables.map { ("\(name).\($0.name)", $0.value.shape) }
        }
    }

    static func encode(spec: ModelSpec, model: TrainedModel, pipeline: FittedPipeline) -> [UInt8] {
        let variables = model.network.variables
        let entries = zip(tensorNames(spec, model.network), variables).map {
            Safetensors.Entry(name: $0.name, tensor: $1.value)
        }
        var metadata = [
            "format": format,
            "format_version": String(formatVersion(of: pipeline)),
            "dl_version": dlVersion,
            "spec": json(SpecRecord(spec, inputShape: model.inputShape, loss: model.loss)),
            "pipeline": json(PipelineRecord(pipeline)),
            "feature_names": json(pipeline.featureNames),
            "history": json(model.history),
        ]
        if let classes = pipeline.classNames { metadata["class_names"] = json(classes) }
        if let epoch = model.restoredEpoch { metadata["restored_epoch"] = String(epoch) }
        if model.rateReductions > 0 { metadata["learning_rate_reductions"] = String(model.rateReductions) }
        return Safetensors.encode(entries, metadata: metadata)
    }

    /// The model in `bytes`, with its layers placed at `place` (the statement that loads it).
    /// Throws a message saying what is wrong with the file (the caller names the file).
    static func decode(_ bytes: [UInt8], placedAt place: (range: SourceRange, fileName: String, lineText: String?)) throws(ModelFileProblem) -> Contents {
        let entries: [Safetensors.Entry], metadata: [String: String]
        do {
            (entries, metadata) = try Safetensors.decode(bytes)
        } catch {
            throw ModelFileProblem(error.message, hint: "give a file written by `save model`")
        }
        guard metadata["format"] == format else {
            throw ModelFileProblem(metadata["format"].map { "it is a '\($0)' file, not a dl model" }
                                   ?? "it is a safetensors file but not a dl model (its metadata has no format \"\(format)\")",
                                   hint: "give a file written by `save model`")
        }
        guard let version = metadata["format_version"].flatMap(Int.init), version >= 1 else {
            throw ModelFileProblem("its format_version is missing or not a number", hint: "give a file written by `save model`")
        }
        guard version <= formatVersion else {
            throw ModelFileProblem("it was written in model format version \(version) by dl \(metadata["dl_version"] ?? "?"); this dl \(dlVersion) reads version \(formatVersion)",
                                   hint: "load it with a newer dl")
        }
        guard let specRecord: SpecRecord = decoded(metadata["spec"]),
              let spec = specRecord.spec(placedAt: place), !spec.layers.isEmpty else {
            throw ModelFileProblem("its model spec is missing or malformed", hint: "save the model again")
        }
        guard let pipelineRecord: PipelineRecord = decoded(metadata["pipeline"]), let pipeline = pipelineRecord.fitted else {
            throw ModelFileProblem("its preprocessing (the `pipeline` metadata) is missing or malformed", hint: "save the model again")
        }
        let history: [HistoryRow] = decoded(metadata["history"]) ?? []
        let loss = specRecord.loss.flatMap(Loss.init(rawValue:))

        // The tensors must be exactly those of the architecture it describes.
        let network: Network
        do {
            network = try spec.initialNetwork(inputShape: specRecord.inputShape)
        } catch {
            throw ModelFileProblem("its layers do not build for input \(specRecord.inputShape)", hint: "save the model again")
        }
        let expected = tensorNames(spec, network)
        let found = Dictionary(entries.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
        var weights: [Tensor] = []
        for (name, shape) in expected {
            guard let tensor = found[name] else {
                throw ModelFileProblem("its architecture (\(spec.layers.map(\.text).joined(separator: ", "))) needs tensor '\(name)' of shape \(shape), which the file does not hold",
                                       hint: "the weights come from another model; save this one again")
            }
            guard tensor.shape == shape else {
                throw ModelFileProblem("tensor '\(name)' has shape \(tensor.shape) but its architecture needs \(shape)",
                                       hint: "the weights come from another model; save this one again")
            }
            weights.append(tensor)
        }
        if let extra = entries.first(where: { entry in !expected.contains { $0.name == entry.name } }) {
            throw ModelFileProblem("it holds tensor '\(extra.name)', which its architecture does not have",
                                   hint: "the weights come from another model; save this one again")
        }
        var rateReductions = 0
        if let text = metadata["learning_rate_reductions"] {
            guard let count = Int(text), count >= 0, count <= maximumRateReductions else {
                throw ModelFileProblem("its learning_rate_reductions is '\(text)', not a count from 0 to \(maximumRateReductions)",
                                       hint: "save the model again")
            }
            rateReductions = count
        }
        return Contents(spec: spec, inputShape: specRecord.inputShape, loss: loss, pipeline: pipeline,
                        history: history, restoredEpoch: metadata["restored_epoch"].flatMap(Int.init), weights: weights,
                        rateReductions: rateReductions)
    }

    private static func json<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // These records hold only texts, numbers and lists of them, so encoding cannot fail.
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    private static func decoded<Value: Decodable>(_ text: String?) -> Value? {
        guard let text else { return nil }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try? decoder.decode(Value.self, from: Data(text.utf8))
    }
}

/// What is wrong with a model file, and what to do about it.
struct ModelFileProblem: Error {
    var message: String
    var hint: String

    init(_ message: String, hint: String) {
        self.message = message
        self.hint = hint
    }
}
