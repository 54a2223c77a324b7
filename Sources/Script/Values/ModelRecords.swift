import Engine
import Tabular

// The JSON forms of the model spec, the fitted pipeline and the history, as `save model`
// writes them into a safetensors file's metadata. Field names are spelled out (no Swift
// enum encodings), so the metadata reads well and other tools can use it.

/// A layer statement: `{"layer": "dense", "units": 64, "activation": "relu"}`. Each layer
/// kind writes and reads its own fields (`LayerKind.record`, `init(record:)`).
struct LayerRecord: Codable, Equatable, Sendable {
    var layer: String
    var units: Int?
    var activation: String?
    var kernel: [Int]?
    var filters: Int?
    var stride: Int?
    var padding: String?
    var size: Int?
    var mode: String?
    /// A recurrent layer's `return=` when it is not `last`.
    var returns: String?
    var rate: Double?
    var momentum: Double?
    var epsilon: Double?
    var dilation: Int?

    init(_ layer: String, _ fill: (inout LayerRecord) -> Void) {
        self.layer = layer
        fill(&self)
    }

    /// The layer, or nil when its kind is unknown or a field is missing or out of range.
    var kind: (any LayerKind)? { LayerKinds.kind(of: self) }
}

/// The model spec: layers, loss, optimizer, weight decay, schedule, seed, and the input shape
/// the weights were built for.
struct SpecRecord: Codable, Equatable {
    var layers: [LayerRecord]
    var inputShape: [Int]
    /// The loss training minimised; nil when the model was never trained.
    var loss: String?
    var optimizer: String
    var momentum: Float?
    var beta1: Float?
    var beta2: Float?
    var rho: Float?
    var epsilon: Float?
    var weightDecay: Double
    var schedule: String
    var every: Int?
    var factor: Float?
    var rate: Float?
    var epochs: Int?
    var minimum: Float?
    /// A plateau schedule's settings (`schedule plateau`), kept in doubles as the statement reads them.
    var plateau: PlateauRecord?
    var seed: UInt64

    init(_ spec: ModelSpec, inputShape: [Int], loss: Loss?) {
        layers = spec.layers.map(\.record)
        self.inputShape = inputShape
        self.loss = (loss ?? spec.loss)?.rawValue
        switch spec.optimizer {
        case .sgd(let m): optimizer = "sgd"; momentum = m
        case .nesterov(let m): optimizer = "nesterov"; momentum = m
        case .adam(let b1, let b2, let eps): optimizer = "adam"; beta1 = b1; beta2 = b2; epsilon = eps
        case .rmsprop(let r, let eps): optimizer = "rmsprop"; rho = r; epsilon = eps
        }
        weightDecay = spec.weightDecay
        switch spec.schedule {
        case .constant: schedule = "constant"
        case .step(let e, let f): schedule = "step"; every = e; factor = f
        case .exponential(let r): schedule = "exponential"; rate = r
        case .cosine(let e, let m): schedule = "cosine"; epochs = e; minimum = m
        case .plateau(let rule): schedule = "plateau"; plateau = PlateauRecord(rule)
        }
        seed = spec.seed
    }

    /// The spec with its layers placed at `place` (the `load model` statement), or nil when a
    /// field is missing or out of range.
    func spec(placedAt place: (range: SourceRange, fileName: String, lineText: String?)) -> ModelSpec? {
        var spec = ModelSpec()
        for record in layers {
            guard let kind = record.kind else { return nil }
            spec.layers.append(LayerEntry(kind: kind, range: place.range, fileName: place.fileName, lineText: place.lineText))
        }
        switch optimizer {
        case "sgd": spec.optimizer = .sgd(momentum: momentum ?? 0)
        case "nesterov": spec.optimizer = .nesterov(momentum: momentum ?? 0)
        case "adam":
            guard let beta1, let beta2, let epsilon else { return nil }
            spec.optimizer = .adam(beta1: beta1, beta2: beta2, epsilon: epsilon)
        case "rmsprop":
            guard let rho, let epsilon else { return nil }
            spec.optimizer = .rmsprop(rho: rho, epsilon: epsilon)
        default: return nil
        }
        switch schedule {
        case "constant": spec.schedule = .constant
        case "step":
            guard let every, every >= 1, let factor else { return nil }
            spec.schedule = .step(every: every, factor: factor)
        case "exponential":
            guard let rate else { return nil }
            spec.schedule = .exponential(rate: rate)
        case "cosine":
            guard let epochs, epochs >= 1, let minimum else { return nil }
            spec.schedule = .cosine(epochs: epochs, minimum: minimum)
        case "plateau":
            guard let rule = plateau?.rule else { return nil }
            spec.schedule = .plateau(rule)
        default: return nil
        }
        spec.weightDecay = weightDecay
        spec.seed = seed
        return spec
    }
}

/// A recorded preprocessing step: `{"step": "impute", "column": "age", "number": 28}`.
struct StepRecord: Codable, Equatable {
    var step: String
    var columns: [String]?
    var column: String?
    var number: Double?
    var text: String?
    var categories: [String]?
    var lower: Double?
    var upper: Double?
    /// The parts of `encode date` (year, month, …).
    var parts: [String]?

    /// nil for a step that is not replayed on new rows (a removal of rows).
    init?(_ step: PipelineStep) {
        switch step {
        case .drop(let names): self.step = "drop"; columns = names
        case .keep(let names): self.step = "keep"; columns = names
        case .fill(let name, .number(let value)): self.step = "impute"; column = name; number = value
        case .fill(let name, .text(let value)): self.step = "impute"; column = name; text = value
        case .encode(let encoding): self.step = "onehot"; column = encoding.column; categories = encoding.categories
        case .encodeDate(let encoding): self.step = "date"; column = encoding.column; parts = encoding.parts.map(\.rawValue)
        case .clip(let name, let low, let high): self.step = "clip"; column = name; lower = low; upper = high
        case .removedRows: return nil
        case .features(let crosses): self.step = "features"; columns = crosses.map(\.name)
        }
    }

    var pipelineStep: PipelineStep? {
        switch step {
        case "drop": return columns.map(PipelineStep.drop)
        case "keep": return columns.map(PipelineStep.keep)
        case "impute":
            guard let column else { return nil }
            if let number { return .fill(column, .number(number)) }
            return text.map { .fill(column, .text($0)) }
        case "onehot":
            guard let column, let categories else { return nil }
            return .encode(OneHotEncoding(column: column, categories: categories))
        case "clip":
            guard let column, let lower, let upper, lower <= upper else { return nil }
            return .clip(column, lower: lower, upper: upper)
        case "features":
            let crosses = (columns ?? []).compactMap { FeatureCross.parse($0).cross }
            guard !crosses.isEmpty, crosses.count == columns?.count else { return nil }
            return .features(crosses)
        case "date":
            guard let column, let parts else { return nil }
            let known = parts.compactMap(DateEncoding.Part.init(rawValue:))
            guard known.count == parts.count, !known.isEmpty else { return nil }
            return .encodeDate(DateEncoding(column: column, parts: known))
        default: return nil
        }
    }
}

/// The fitted pipeline: raw columns, target, steps, features, scaling, classes, image shape.
struct PipelineRecord: Codable, Equatable {
    var columns: [RawColumn]
    /// Absent in files that dropped nothing.
    var droppedColumns: [String]?
    var target: String
    var steps: [StepRecord]
    var features: [String]
    var scaling: String
    var offsets: [Float]?
    var scales: [Float]?
    var classes: [String]?
    var imageShape: [Int]?
    /// Steps, channels when each row is a series; absent otherwise.
    var seriesShape: [Int]?
    /// How the training CSV was written; absent for the standard dialect.
    var csv: DialectRecord?
    /// `scale target` (absent without it): the target's method, offset and scale, x' = (x - offset) * scale.
    var targetScaling: String?
    var targetOffset: Float?
    var targetScale: Float?
    /// A model trained on image files (format version 3): their size and colour mode.
    var images: ImageSource?
    /// `augment` (absent without it): training-time only, kept for training on.
    var augment: ImageAugmentation?
    /// A model trained on `window` data (format version 4): steps, horizon, target and channels.
    var window: FittedWindow?

    init(_ fitted: FittedPipeline) {
        columns = fitted.rawColumns
        droppedColumns = fitted.droppedColumns
        target = fitted.targetName
        steps = fitted.steps.compactMap(StepRecord.init)
        features = fitted.featureNames
        scaling = fitted.scaler?.method.rawValue ?? ScalingMethod.none.rawValue
        offsets = fitted.scaler?.offsets
        scales = fitted.scaler?.scales
        classes = fitted.classNames
        imageShape = fitted.imageShape
        images = fitted.images
        seriesShape = fitted.seriesShape
        csv = fitted.dialect.isStandard ? nil : DialectRecord(fitted.dialect)
        augment = fitted.augmentation
        window = fitted.window
        if let target = fitted.targetScaler {
            targetScaling = target.method.rawValue
            targetOffset = target.offsets.first
            targetScale = target.scales.first
        }
    }

    /// nil when a field is missing or does not fit the others.
    var fitted: FittedPipeline? {
        var steps: [PipelineStep] = []
        for record in self.steps {
            guard let step = record.pipelineStep else { return nil }
            steps.append(step)
        }
        guard let method = ScalingMethod(rawValue: scaling) else { return nil }
        var scaler: Scaler?
        if method != .none {
            guard let offsets, let scales, offsets.count == features.count, scales.count == features.count else { return nil }
            scaler = Scaler(method: method, offsets: offsets, scales: scales)
        }
        if let imageShape, imageShape.count != 3 || imageShape.reduce(1, *) != features.count { return nil }
        if let seriesShape, seriesShape.count != 2 || !seriesShape.allSatisfy({ $0 > 0 && $0 <= 10_000_000 })
            || seriesShape[0] * seriesShape[1] != features.count || imageShape != nil { return nil }
        var targetScaler: Scaler?
        if let targetScaling {
            guard let method = ScalingMethod(rawValue: targetScaling), method != .none, classes == nil,
                  let targetOffset, let targetScale, targetOffset.isFinite, targetScale.isFinite, targetScale != 0 else { return nil }
            targetScaler = Scaler(method: method, offsets: [targetOffset], scales: [targetScale])
        }
        var fitted = FittedPipeline(rawColumns: columns, droppedColumns: droppedColumns ?? [], targetName: target, steps: steps, featureNames: features,
                                    scaler: scaler, classNames: classes, imageShape: imageShape, targetScaler: targetScaler)
        fitted.seriesShape = seriesShape
        if let augment {
            guard imageShape != nil, !augment.isIdentity, augment.isValid else { return nil }
            fitted.augmentation = augment
        }
        if let window {
            guard let checked = window.checked(featureCount: features.count), seriesShape == [checked.steps, checked.channels.count],
                  classes == nil else { return nil }
            fitted.window = checked
        }
        if let csv {
            guard let dialect = csv.dialect else { return nil }
            fitted.dialect = dialect
        }
        if let images {
            guard let imageShape, imageShape == [images.height, images.width, images.channels],
                  ["rgb", "gray"].contains(images.color) else { return nil }
            fitted.images = images
        }
        return fitted
    }
}

/// How a CSV is written, as pandas' read_csv keys: `{"sep": ";", "decimal": ",", "thousands": ".", "na": ["NULL"]}`.
struct DialectRecord: Codable, Equatable {
    var sep: String
    var decimal: String
    var thousands: String?
    var na: [String]?

    init(_ dialect: CSVDialect) {
        sep = String(UnicodeScalar(dialect.separator))
        decimal = String(UnicodeScalar(dialect.decimal))
        thousands = dialect.thousands.map { String(UnicodeScalar($0)) }
        na = dialect.missing.isEmpty ? nil : dialect.missing
    }

    /// nil when a separator is not one ASCII character or the settings conflict.
    var dialect: CSVDialect? {
        func byte(_ text: String) -> UInt8? { text.utf8.count == 1 && text.utf8.first! < 0x80 ? text.utf8.first : nil }
        guard let separator = byte(sep), let point = byte(decimal) else { return nil }
        var dialect = CSVDialect(separator: separator, decimal: point, missing: na ?? [])
        if let thousands {
            guard let grouping = byte(thousands) else { return nil }
            dialect.thousands = grouping
        }
        return dialect.problem == nil ? dialect : nil
    }
}
