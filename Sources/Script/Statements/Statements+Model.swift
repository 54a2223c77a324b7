import DLCore
import Engine

extension StatementTable {
    static let modelStatements: [StatementSpec] = LayerKinds.all.prefix(1).map { $0.statement } + [InputCommand.spec]
        + LayerKinds.all.dropFirst().map { $0.statement } + [
        SummaryCommand.spec, SaveModelCommand.spec, ExportONNXCommand.spec, ExportScriptCommand.keras, ExportScriptCommand.torch,
        LoadModelCommand.spec, ResetCommand.spec, LossCommand.spec, OptimizerCommand.spec,
    ]
}

/// `input STEPSxCHANNELS` or `input HxWxC`: the series or image shape of each row.
struct InputCommand: Command {
    static let shape = Positional<[Int]>.shape(
        "SHAPE", doc: "steps x channels of each row's series (150x1), or height x width x channels of its image (28x28x1)")
    static let spec = StatementSpec(
        name: "input", category: .model, positionals: [shape.spec],
        summary: "Declare that each row is a series (steps x channels) or an image (height x width x channels).",
        explanation: """
            Sequence layers, convolution and pooling need to know how a row's numbers are laid out. \
            Two sizes declare a series: `input 150x1` for a CSV where each row is one series of 150 \
            values (the UCR layout: a label, then the values over time). With C channels the columns \
            run through the channels at each step (t0c0, t0c1, …, t1c0, …), as NHWC does for images. \
            Three sizes declare an image: a CSV of pixels (label, then 784 pixel columns) needs \
            `input 28x28x1`. Image data sets (digits, mnist, shapes) and `load waves` set their shape \
            themselves. The number of features must equal the product of the sizes.
            """,
        examples: ["input 150x1", "input 28x28x1"],
        command: InputCommand.self)

    let shape: Placed<[Int]>
    init(_ args: Arguments) { shape = args.placed(Self.shape) }
    func run(in session: Session) throws { try session.declareInput(shape) }
    func explain(in session: Session) -> [String] {
        if shape.value.count == 2 {
            return [
                "Each row is now a series of \(shape.value[0]) steps with \(shape.value[1]) value\(shape.value[1] == 1 ? "" : "s") per step, so sequence layers can read it in order of time.",
                "Dense layers would see the same values as one flat list, with no notion of which came first.",
            ]
        }
        return [
            "Each row is now an image of this height, width and channels, so convolutions can see which pixels are neighbours.",
            "Dense layers would see the same pixels as one flat list.",
        ]
    }
}

/// `summary`: the Keras-style table of layers.
struct SummaryCommand: Command {
    static let spec = StatementSpec(
        name: "summary", category: .model,
        summary: "Show the model's layers, output shapes and parameter counts.",
        explanation: """
            A table in the manner of Keras' model.summary(): one row per layer with its output shape \
            (None stands for the batch size) and its number of parameters, then the totals: trainable \
            ones, which training adjusts, and non-trainable ones (batchnorm's moving statistics).
            """,
        examples: ["summary"],
        command: SummaryCommand.self)

    init(_ args: Arguments) {}
    func run(in session: Session) throws { try session.summary() }
    func explain(in session: Session) -> [String] { [
        "Output Shape is what each layer hands on for one row (None stands for the batch); Param # counts its weights and biases.",
        "Training adjusts every one of these parameters; more of them fit more, and also overfit more easily.",
    ] }
}

/// `save model FILE`.
struct SaveModelCommand: Command {
    static let file = Positional<String>.path("FILE", doc: "the .safetensors file to write")
    static let spec = StatementSpec(
        name: "save model", category: .model, positionals: [file.spec],
        summary: "Save the trained model with its preprocessing, as safetensors.",
        explanation: """
            Writes the weights in the safetensors format under Keras's names (dense.kernel, dense_1.bias, \
            conv2d.kernel, …), with the layers, loss, optimizer, seed, the fitted preprocessing (fills, \
            categories, clips, dropped columns, scaling), the feature and class names and the training \
            history in its metadata; for a model trained on `window` data, the windowing too (format \
            version 4), so that `load model` and `predict "recent.csv"` forecast as this session does. The file is written to a temporary file and renamed into place, so a \
            failure never leaves half a model behind. Python reads it with `safetensors.numpy.load_file`.
            """,
        examples: ["save model \"iris.safetensors\""],
        command: SaveModelCommand.self)

    let file: Placed<String>
    init(_ args: Arguments) { file = args.placed(Self.file) }
    func run(in session: Session) throws { try session.saveModel(to: file) }
    func explain(in session: Session) -> [String] { [
        "The file holds the weights as safetensors tensors and, in its metadata, the layers and the fitted preprocessing.",
        "`load model` in a fresh dl restores a model that predicts from raw columns; it was written whole or not at all.",
    ] }
}

/// `export onnx FILE`.
struct ExportONNXCommand: Command {
    static let file = Positional<String>.path("FILE", doc: "the .onnx file to write")
    static let spec = StatementSpec(
        name: "export onnx", category: .model, positionals: [file.spec],
        summary: "Export the trained model with its preprocessing as an ONNX model that takes the raw columns.",
        explanation: """
            One graph (opset 13, with ai.onnx.ml for the encodings) from the raw columns to the \
            prediction: an input per column, [N, 1], float for numbers (NaN when missing), string \
            for text ("" when missing), and double for a column that `encode date` reads: seconds since \
            1970-01-01 (numpy: `dates.astype("datetime64[s]").astype("float64")`; NaN when missing); the \
            recorded fills, clips, encodings and drops with their fitted values; the scaling; then the layers. Outputs `probabilities` and `label` for \
            classification, `value` for regression. ONNX Runtime runs it: \
            `onnxruntime.InferenceSession("model.onnx").run(None, {"sepal_length_cm": x1, …})`. An image \
            model takes one input instead, `images`: [N, height, width, channels] float pixels as loaded \
            (NHWC, 0–255 for photos and MNIST), and scales them inside the graph. A model trained on \
            `window` data takes `window`: [N, steps, channels] floats in raw units, one window a \
            row, oldest step first (the fills and scaling are inside the graph), plus [N, steps] for each \
            column that `encode` made channels of (text, or a date's seconds), and gives `value`, the \
            target `horizon` steps after each window.
            """,
        examples: ["export onnx \"iris.onnx\""],
        command: ExportONNXCommand.self)

    let file: Placed<String>
    init(_ args: Arguments) { file = args.placed(Self.file) }
    func run(in session: Session) throws { try session.exportONNX(to: file) }
    func explain(in session: Session) -> [String] { [
        "ONNX is a format that inference engines (ONNX Runtime, browsers, phones) read; the graph includes the preprocessing.",
        "It takes the raw columns, so a deployed model needs no Python and no dl.",
    ] }
}

/// `export keras FILE` and `export torch FILE`: one command, two statements.
struct ExportScriptCommand: Command {
    static let file = Positional<String>.path("FILE", doc: "the .py file to write")
    static let keras = StatementSpec(
        name: "export keras", category: .model, positionals: [file.spec],
        summary: "Write a Python script that redoes the session with pandas, scikit-learn and Keras.",
        explanation: """
            The data steps with the values dl fitted (SimpleImputer, OneHotEncoder, MinMaxScaler or \
            StandardScaler after train_test_split with the same share and seed), the same layers and \
            initialisation, optimizer, loss, batch size, epochs, schedule and early stopping as the last \
            `train`, inside a tf.distribute strategy. `--weights FILE.safetensors` starts from dl's weights \
            (a `save model` file) instead of training. `show keras` prints it. A model trained on \
            `load images` reads its folder with `keras.utils.image_dataset_from_directory` (the same size, \
            colour mode, class order and split; `Rescaling(1/255)` when dl scaled). The test file of \
            `load … test=` is the script's test split, as in dl (UCR's .ts, .tsv and .txt files are read \
            by the script's `read_series`). After `window` it builds the same sliding windows from the CSV \
            and splits them by time at dl's row, never shuffled.
            """,
        examples: ["export keras \"train_keras.py\""],
        command: ExportScriptCommand.self)
    static let torch = StatementSpec(
        name: "export torch", category: .model, positionals: [file.spec],
        summary: "Write a Python script that redoes the session with pandas, scikit-learn and PyTorch.",
        explanation: """
            As `export keras`, in PyTorch: convolutions run NCHW and flatten in dl's order, so \
            `--weights FILE.safetensors` loads dl's weights (kernels transposed as PyTorch lays them out). \
            Launched as `torchrun --nproc_per_node=N`, it trains data parallel with \
            DistributedDataParallel (gloo on CPU, nccl with CUDA). `show torch` prints it. A model \
            trained on `load images` reads its folder with torchvision's `ImageFolder` (the same resize, \
            colour mode, class order and split; `ToTensor` for the 0-1 scaling) and, under `torchrun`, \
            shares the images out with a `DistributedSampler`.
            """,
        examples: ["export torch \"train_torch.py\""],
        command: ExportScriptCommand.self)

    let framework: PythonExport.Framework
    let file: Placed<String>
    init(_ args: Arguments) {
        framework = args.statementName.hasSuffix("torch") ? .torch : .keras
        file = args.placed(Self.file)
    }
    func run(in session: Session) throws { try session.exportScript(framework, to: file) }
    func explain(in session: Session) -> [String] {
        if session.data?.images != nil {
            return ["The script reads the same folder with \(framework == .keras ? "Keras's image_dataset_from_directory" : "torchvision's ImageFolder"): "
                    + "the same size, colour mode, class order, split and scaling, then the same layers and training."]
        }
        return framework == .keras ? [
            "The script repeats this session step by step in pandas, scikit-learn and Keras: the same split, preprocessing, layers and training.",
            "Run it to compare the frameworks, or with --weights to start from dl's trained weights.",
        ] : [
            "The script repeats this session step by step in pandas, scikit-learn and PyTorch: the same split, preprocessing, layers and training.",
            "Under torchrun it trains data parallel: each process takes a share of every batch and the gradients are averaged.",
        ]
    }
}

/// `load model FILE`.
struct LoadModelCommand: Command {
    static let file = Positional<String>.path("FILE", doc: "a .safetensors file written by `save model`")
    static let spec = StatementSpec(
        name: "load model", category: .model, positionals: [file.spec],
        summary: "Load a saved model with its preprocessing, ready to predict.",
        explanation: """
            Replaces the session's data, layers and weights with the saved model and the preprocessing it \
            was trained through: `summary`, `history`, `plot loss` and `predict V1,V2,…` (raw values, as \
            the file had them) work at once. Data with the model's columns loaded next goes through the \
            model's own fitted steps and scaler, so `evaluate` measures the model on it and `train` goes on \
            from the saved weights (with a fresh optimizer). The file is checked before anything is replaced: a truncated \
            or foreign file, a dtype other than F32, tensors that do not fit the saved layers, or a newer \
            format version is an error and the session stays as it was.
            """,
        examples: ["load model \"iris.safetensors\""],
        command: LoadModelCommand.self)

    let file: Placed<String>
    let statement: SourceRange
    init(_ args: Arguments) { file = args.placed(Self.file); statement = args.statement.range }
    func run(in session: Session) throws { try session.loadModel(from: file, statement: statement) }
    func explain(in session: Session) -> [String] { [
        "The model is back with its weights and its preprocessing: `predict` takes raw values as the training data had them.",
        "Load data with the same columns to `evaluate` it; `train` continues from these weights.",
    ] }
}

/// `reset model|weights`.
struct ResetCommand: Command {
    enum Part: String, CaseIterable, Sendable { case model, weights }
    static let part = Positional<Part>.choice(
        "PART", doc: "model removes every layer; weights keeps the layers and re-initialises them from the seed")
    static let spec = StatementSpec(
        name: "reset", category: .model, positionals: [part.spec],
        summary: "Remove the layers, or start the weights afresh.",
        explanation: """
            `reset model` forgets the architecture so you can build another one. `reset weights` keeps \
            the layers and draws new initial weights from the seed, so the next `train` starts over.
            """,
        examples: ["reset model", "reset weights"],
        command: ResetCommand.self)

    let part: Part
    init(_ args: Arguments) { part = args[Self.part] }

    func run(in session: Session) {
        if part == .weights { session.noteFileWeightsDropped() }
        session.built = nil
        switch part {
        case .model:
            session.spec.layers = []
            session.spec.layersFromFile = 0
            session.print("model reset: no layers")
        case .weights:
            session.print("weights reset: the next `train` starts from fresh weights (seed \(session.seed))")
        }
    }

    func explain(in session: Session) -> [String] {
        part == .model ? [
            "The layers are gone; the data and its preprocessing stay.",
            "Add layers again, from the input side to the output layer.",
        ] : [
            "The next `train` starts from the initial weights the seed draws, as a fresh session would.",
            "Resetting is how two settings are compared fairly: both start from the same weights.",
        ]
    }
}

/// `loss FUNCTION`.
struct LossCommand: Command {
    static let function = Positional<Loss>.choice("FUNCTION", doc: "crossentropy, binary_crossentropy, mse or mae")
    static let spec = StatementSpec(
        name: "loss", category: .model, positionals: [function.spec],
        summary: "Choose the loss function (inferred from the output layer when not given).",
        explanation: """
            Without this statement dl picks crossentropy for a softmax output, binary_crossentropy \
            for a single sigmoid unit and mse (mean squared error) otherwise. mae is the mean absolute error.
            """,
        examples: ["loss mse"],
        command: LossCommand.self)

    let loss: Loss
    init(_ args: Arguments) { loss = args[Self.function] }

    func run(in session: Session) {
        session.spec.loss = loss
        session.print("loss: \(loss.rawValue)")
    }

    func explain(in session: Session) -> [String] {
        switch loss {
        case .mse: return [
            "Mean squared error: the mean of (prediction − truth)², the loss for numbers.",
            "Squaring makes big misses cost much more than small ones.",
        ]
        case .mae: return [
            "Mean absolute error: the mean of |prediction − truth|, a loss for numbers.",
            "Every unit of error costs the same, so a few big misses (outliers) weigh less than with mse.",
        ]
        case .binaryCrossentropy: return [
            "Binary cross-entropy: −log of the probability the sigmoid output gives the true answer (yes or no), averaged over the rows.",
            "It is 0 for a sure right answer and grows without bound for a sure wrong one.",
        ]
        case .crossentropy: return [
            "Cross-entropy: −log of the probability the model gives the true class, averaged over the rows.",
            "It is 0 for a sure right answer and grows without bound for a sure wrong one.",
        ]
        }
    }
}

/// `optimizer sgd|adam|rmsprop [...]`. A changed optimizer reaches the trained model by
/// comparison: its next `train` makes a fresh optimizer state (TrainedModel.trainer).
struct OptimizerCommand: Command {
    enum Name: String, CaseIterable, Sendable { case sgd, adam, rmsprop }
    static let name = Positional<Name>.choice("NAME", doc: "sgd (stochastic gradient descent), adam or rmsprop")
    static let fraction = ParameterType.number(min: 0, max: 1, maxExclusive: true)
    static let momentum = Key<Double>.number("momentum", fraction, default: 0, onlyWith: "sgd",
                                             doc: "sgd only: the share of the previous step added to the next one")
    static let beta1 = Key<Double>.number("beta1", fraction, default: 0.9, onlyWith: "adam",
                                          doc: "adam only: decay of the running mean of gradients")
    static let beta2 = Key<Double>.number("beta2", fraction, default: 0.999, onlyWith: "adam",
                                          doc: "adam only: decay of the running mean of squared gradients")
    static let rho = Key<Double>.number("rho", fraction, default: 0.9, onlyWith: "rmsprop",
                                        doc: "rmsprop only: decay of the running mean of squared gradients")
    static let weightDecay = Key<Double>.number("weight_decay", .number(min: 0, max: 1), default: 0,
                                                doc: "shrink every kernel weight by lr·weight_decay each step (decoupled, as Keras; biases are not decayed)")
    static let nesterov = Flag("nesterov", doc: "sgd only: Nesterov momentum (look ahead before the step)")
    static let spec = StatementSpec(
        name: "optimizer", category: .model, positionals: [name.spec],
        keys: [momentum.spec, beta1.spec, beta2.spec, rho.spec, weightDecay.spec], flags: [nesterov.spec],
        summary: "Choose how the weights are updated (default: sgd).",
        explanation: """
            sgd moves each weight against its gradient, scaled by the learning rate; momentum smooths \
            the steps and `nesterov` looks ahead. adam and rmsprop adapt the step of each weight from \
            running averages of its gradients and often need a smaller learning rate (0.001).
            """,
        examples: ["optimizer sgd momentum=0.9 nesterov", "optimizer adam", "optimizer rmsprop weight_decay=0.0001"],
        command: OptimizerCommand.self)

    let kind: OptimizerKind
    let weightDecay: Double
    let usesNesterov: Bool
    let statement: Statement

    init(_ args: Arguments) {
        usesNesterov = args[Self.nesterov]
        switch args[Self.name] {
        case .adam: kind = .adam(beta1: Float(args[Self.beta1]), beta2: Float(args[Self.beta2]), epsilon: 1e-7)
        case .rmsprop: kind = .rmsprop(rho: Float(args[Self.rho]), epsilon: 1e-7)
        case .sgd:
            let momentum = Float(args[Self.momentum])
            kind = usesNesterov ? .nesterov(momentum: momentum) : .sgd(momentum: momentum)
        }
        weightDecay = args[Self.weightDecay]
        statement = args.statement
    }

    func check() throws {
        guard usesNesterov else { return }
        switch kind {
        case .nesterov(let momentum) where momentum == 0:
            throw Diagnostic("nesterov needs momentum", at: statement.range, hint: "e.g. `optimizer sgd momentum=0.9 nesterov`")
        case .nesterov: return
        default:
            throw Diagnostic("nesterov applies to sgd only", at: statement.range, hint: "use `optimizer sgd momentum=0.9 nesterov`")
        }
    }

    func run(in session: Session) {
        session.spec.optimizer = kind
        session.spec.weightDecay = weightDecay
        session.print("optimizer: \(session.spec.optimizerDescription)")
    }

    func explain(in session: Session) -> [String] { session.explainOptimizer() }
}
