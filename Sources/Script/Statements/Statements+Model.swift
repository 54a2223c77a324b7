import Engine

extension StatementTable {
    static let modelStatements: [StatementSpec] = LayerKinds.all.prefix(1).map { $0.statement } + [InputCommand.spec]
        + LayerKinds.all.dropFirst().map { $0.statement } + [
        SummaryCommand.spec, SaveModelCommand.spec, ExportONNXCommand.spec, ExportScriptCommand.keras, ExportScriptCommand.torch,
        LoadModelCommand.spec, ResetCommand.spec, LossCommand.spec, OptimizerCommand.spec,
    ]
}

/// `input HxWxC`: the image shape of each row.
struct InputCommand: Command {
    static let shape = Positional<[Int]>.dimension("SHAPE", 3, doc: "height x width x channels of each row's image, e.g. 28x28x1")
    static let spec = StatementSpec(
        name: "input", category: .model, positionals: [shape.spec],
        summary: "Declare the image shape of each row (for convolutional layers).",
        explanation: """
            Convolution and pooling need to know that a row of pixels is an image. Image data sets \
            (digits, mnist, shapes) set it themselves; a CSV of pixels (label, then 784 pixel columns) \
            needs `input 28x28x1`. The number of features must equal height x width x channels.
            """,
        examples: ["input 28x28x1"],
        command: InputCommand.self)

    let shape: Placed<[Int]>
    init(_ args: Arguments) { shape = args.placed(Self.shape) }
    func run(in session: Session) throws { try session.declareInput(shape) }
    func explain(in session: Session) -> [String] { [
        "Each row is now an image of this height, width and channels, so convolutions can see which pixels are neighbours.",
        "Dense layers would see the same pixels as one flat list.",
    ] }
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
            history in its metadata. The file is written to a temporary file and renamed into place, so a \
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
            prediction: an input per column, [N, 1], float for numbers (NaN when missing) and string \
            for text ("" when missing); the recorded fills, clips, one-hot encodings and drops with their \
            fitted values; the scaling; then the layers. Outputs `probabilities` and `label` for \
            classification, `value` for regression. ONNX Runtime runs it: \
            `onnxruntime.InferenceSession("model.onnx").run(None, {"sepal_length_cm": x1, …})`.
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
            (a `save model` file) instead of training. `show keras` prints it.
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
            DistributedDataParallel (gloo on CPU, nccl with CUDA). `show torch` prints it.
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
        framework == .keras ? [
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
