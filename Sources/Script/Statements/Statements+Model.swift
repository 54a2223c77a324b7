import Engine

extension StatementTable {
    static let modelStatements: [StatementSpec] = [
        StatementSpec(
            name: "dense", category: .model,
            positionals: [
                PositionalSpec("UNITS", .integer(min: 1, max: 1_000_000), doc: "the number of neurons in the layer"),
                PositionalSpec("ACTIVATION", .word(Activation.allCases.map(\.rawValue)), default: "linear",
                               doc: "relu, sigmoid, tanh, softmax, linear or leaky_relu (slope 0.01)"),
            ],
            summary: "Add a fully connected layer to the model.",
            explanation: """
                Every unit is connected to every input: the layer computes activation(x·W + b). Hidden \
                layers usually use relu; the output layer uses softmax for classes, sigmoid for one yes/no \
                output, and linear for regression. Adding a layer after training starts the weights afresh.
                """,
            examples: ["dense 64 relu", "dense 3 softmax", "dense 1"],
            explain: { session, _ in session.explainLayer() },
            action: { session, args in session.addDense(args) }),

        StatementSpec(
            name: "input", category: .model,
            positionals: [PositionalSpec("SHAPE", .dimension(3), doc: "height x width x channels of each row's image, e.g. 28x28x1")],
            summary: "Declare the image shape of each row (for convolutional layers).",
            explanation: """
                Convolution and pooling need to know that a row of pixels is an image. Image data sets \
                (digits, mnist, shapes) set it themselves; a CSV of pixels (label, then 784 pixel columns) \
                needs `input 28x28x1`. The number of features must equal height x width x channels.
                """,
            examples: ["input 28x28x1"],
            explain: { _, _ in [
                "Each row is now an image of this height, width and channels, so convolutions can see which pixels are neighbours.",
                "Dense layers would see the same pixels as one flat list.",
            ] },
            action: { session, args in try session.declareInput(args) }),

        StatementSpec(
            name: "conv", category: .model,
            positionals: [
                PositionalSpec("KERNEL", .dimension(2), doc: "the size of each filter, e.g. 5x5"),
                PositionalSpec("ACTIVATION", .word(Activation.allCases.map(\.rawValue)), default: "linear",
                               doc: "relu (usual), linear, sigmoid, tanh, leaky_relu"),
            ],
            keys: [
                KeySpec("filters", .integer(min: 1, max: 4096), default: 8, doc: "how many filters (output channels)"),
                KeySpec("stride", .integer(min: 1, max: 64), default: 1, doc: "the step between filter positions"),
                KeySpec("pad", .word(Padding.allCases.map(\.rawValue)), default: "valid",
                        doc: "valid (no padding: the image shrinks) or same (zero padding keeps the size at stride 1)"),
            ],
            summary: "Add a 2-D convolution layer: filters slid over the image, weights shared.",
            explanation: """
                Each filter is a small KxK window of weights slid over the whole image, so the same weights \
                look for the same pattern everywhere (weight sharing). The output has one channel per \
                filter. Usually followed by relu and a `pool`; `flatten` comes before the dense layers.
                """,
            examples: ["conv 5x5", "conv 5x5 filters=6 pad=same relu", "conv 3x3 filters=16 stride=2 relu"],
            explain: { session, _ in session.explainLayer() },
            action: { session, args in
                session.addLayer(.conv(kernel: args.dimension("KERNEL")!, filters: args.integer("filters")!,
                                       stride: args.integer("stride")!, padding: args.choice("pad")!,
                                       activation: args.choice("ACTIVATION")!), args)
            }),

        StatementSpec(
            name: "pool", category: .model,
            positionals: [
                PositionalSpec("SIZE", .dimension(2), doc: "the window, e.g. 2x2 (square windows)"),
                PositionalSpec("MODE", .word(PoolingMode.allCases.map(\.rawValue)), default: "max",
                               doc: "max keeps the largest value of each window; avg their mean"),
            ],
            keys: [KeySpec("stride", .integer(min: 1, max: 64), doc: "the step between windows (default: the window size)")],
            summary: "Add a pooling layer: shrink the image by keeping the max (or mean) of each window.",
            explanation: "`pool 2x2` halves the height and width. It has no weights; it makes the next layers cheaper and a little insensitive to small shifts.",
            examples: ["pool 2x2", "pool 2x2 avg", "pool 3x3 stride=2"],
            validate: { args in
                let size = args.dimension("SIZE")!
                if size[0] != size[1] {
                    throw Diagnostic("pooling windows are square, but \(size[0])x\(size[1]) is not", at: args.range(of: "SIZE"),
                                     hint: "use e.g. `pool 2x2`")
                }
            },
            explain: { session, _ in session.explainLayer() },
            action: { session, args in
                let size = args.dimension("SIZE")![0]
                session.addLayer(.pool(size: size, stride: args.integer("stride") ?? size,
                                       mode: args.choice("MODE")!), args)
            }),

        StatementSpec(
            name: "flatten", category: .model,
            summary: "Add a flatten layer: an image becomes one row of features for dense layers.",
            explanation: "Between the convolution/pooling layers and the dense layers: 5x5x16 becomes 400 features. It has no weights.",
            examples: ["flatten"],
            explain: { session, _ in session.explainLayer() },
            action: { session, args in session.addLayer(.flatten, args) }),

        StatementSpec(
            name: "dropout", category: .model,
            positionals: [PositionalSpec("RATE", .number(min: 0, max: 1, maxExclusive: true), doc: "the share of values set to zero while training, e.g. 0.5")],
            summary: "Add a dropout layer: randomly silence a share of values while training.",
            explanation: """
                During training each value is zeroed with probability RATE and the rest are scaled by \
                1/(1-RATE) (inverted dropout), so nothing changes at evaluation time. It fights overfitting.
                """,
            examples: ["dropout 0.5"],
            explain: { session, _ in session.explainLayer() },
            action: { session, args in session.addLayer(.dropout(rate: args.number("RATE")!), args) }),

        StatementSpec(
            name: "summary", category: .model,
            summary: "Show the model's layers, output shapes and parameter counts.",
            explanation: """
                A table in the manner of Keras' model.summary(): one row per layer with its output shape \
                (None stands for the batch size) and its number of trainable parameters, then the totals.
                """,
            examples: ["summary"],
            explain: { _, _ in [
                "Output Shape is what each layer hands on for one row (None stands for the batch); Param # counts its weights and biases.",
                "Training adjusts every one of these parameters; more of them fit more, and also overfit more easily.",
            ] },
            action: { session, _ in try session.summary() }),

        StatementSpec(
            name: "save model", category: .model,
            positionals: [PositionalSpec("FILE", .path, doc: "the .safetensors file to write")],
            summary: "Save the trained model with its preprocessing, as safetensors.",
            explanation: """
                Writes the weights in the safetensors format under Keras's names (dense.kernel, dense_1.bias, \
                conv2d.kernel, …), with the layers, loss, optimizer, seed, the fitted preprocessing (fills, \
                categories, clips, dropped columns, scaling), the feature and class names and the training \
                history in its metadata. The file is written to a temporary file and renamed into place, so a \
                failure never leaves half a model behind. Python reads it with `safetensors.numpy.load_file`.
                """,
            examples: ["save model \"iris.safetensors\""],
            explain: { _, _ in [
                "The file holds the weights as safetensors tensors and, in its metadata, the layers and the fitted preprocessing.",
                "`load model` in a fresh dl restores a model that predicts from raw columns; it was written whole or not at all.",
            ] },
            action: { session, args in try session.saveModel(args) }),

        StatementSpec(
            name: "export onnx", category: .model,
            positionals: [PositionalSpec("FILE", .path, doc: "the .onnx file to write")],
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
            explain: { _, _ in [
                "ONNX is a format that inference engines (ONNX Runtime, browsers, phones) read; the graph includes the preprocessing.",
                "It takes the raw columns, so a deployed model needs no Python and no dl.",
            ] },
            action: { session, args in try session.exportONNX(args) }),

        StatementSpec(
            name: "export keras", category: .model,
            positionals: [PositionalSpec("FILE", .path, doc: "the .py file to write")],
            summary: "Write a Python script that redoes the session with pandas, scikit-learn and Keras.",
            explanation: """
                The data steps with the values dl fitted (SimpleImputer, OneHotEncoder, MinMaxScaler or \
                StandardScaler after train_test_split with the same share and seed), the same layers and \
                initialisation, optimizer, loss, batch size, epochs, schedule and early stopping as the last \
                `train`, inside a tf.distribute strategy. `--weights FILE.safetensors` starts from dl's weights \
                (a `save model` file) instead of training. `show keras` prints it.
                """,
            examples: ["export keras \"train_keras.py\""],
            explain: { _, _ in [
                "The script repeats this session step by step in pandas, scikit-learn and Keras: the same split, preprocessing, layers and training.",
                "Run it to compare the frameworks, or with --weights to start from dl's trained weights.",
            ] },
            action: { session, args in try session.exportScript(.keras, args) }),

        StatementSpec(
            name: "export torch", category: .model,
            positionals: [PositionalSpec("FILE", .path, doc: "the .py file to write")],
            summary: "Write a Python script that redoes the session with pandas, scikit-learn and PyTorch.",
            explanation: """
                As `export keras`, in PyTorch: convolutions run NCHW and flatten in dl's order, so \
                `--weights FILE.safetensors` loads dl's weights (kernels transposed as PyTorch lays them out). \
                Launched as `torchrun --nproc_per_node=N`, it trains data parallel with \
                DistributedDataParallel (gloo on CPU, nccl with CUDA). `show torch` prints it.
                """,
            examples: ["export torch \"train_torch.py\""],
            explain: { _, _ in [
                "The script repeats this session step by step in pandas, scikit-learn and PyTorch: the same split, preprocessing, layers and training.",
                "Under torchrun it trains data parallel: each process takes a share of every batch and the gradients are averaged.",
            ] },
            action: { session, args in try session.exportScript(.torch, args) }),

        StatementSpec(
            name: "load model", category: .model,
            positionals: [PositionalSpec("FILE", .path, doc: "a .safetensors file written by `save model`")],
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
            explain: { _, _ in [
                "The model is back with its weights and its preprocessing: `predict` takes raw values as the training data had them.",
                "Load data with the same columns to `evaluate` it; `train` continues from these weights.",
            ] },
            action: { session, args in try session.loadModel(args) }),

        StatementSpec(
            name: "reset", category: .model,
            positionals: [PositionalSpec("PART", .word(["model", "weights"]),
                                         doc: "model removes every layer; weights keeps the layers and re-initialises them from the seed")],
            summary: "Remove the layers, or start the weights afresh.",
            explanation: """
                `reset model` forgets the architecture so you can build another one. `reset weights` keeps \
                the layers and draws new initial weights from the session seed, so the next `train` starts over.
                """,
            examples: ["reset model", "reset weights"],
            explain: { _, args in args.text("PART") == "model" ? [
                "The layers are gone; the data and its preprocessing stay.",
                "Add layers again, from the input side to the output layer.",
            ] : [
                "The next `train` starts from the initial weights the seed draws, as a fresh session would.",
                "Resetting is how two settings are compared fairly: both start from the same weights.",
            ] },
            action: { session, args in session.reset(args) }),

        StatementSpec(
            name: "loss", category: .model,
            positionals: [PositionalSpec("FUNCTION", .word(Loss.allCases.map(\.rawValue)),
                                         doc: "crossentropy, binary_crossentropy, mse or mae")],
            summary: "Choose the loss function (inferred from the output layer when not given).",
            explanation: """
                Without this statement dl picks crossentropy for a softmax output, binary_crossentropy \
                for a single sigmoid unit and mse (mean squared error) otherwise. mae is the mean absolute error.
                """,
            examples: ["loss mse"],
            explain: { session, _ in session.spec.loss == .mse ? [
                "Mean squared error: the mean of (prediction − truth)², the loss for numbers.",
                "Squaring makes big misses cost much more than small ones.",
            ] : [
                "Cross-entropy: −log of the probability the model gives the true class, averaged over the rows.",
                "It is 0 for a sure right answer and grows without bound for a sure wrong one.",
            ] },
            action: { session, args in session.setLoss(args) }),

        StatementSpec(
            name: "optimizer", category: .model,
            positionals: [PositionalSpec("NAME", .word(["sgd", "adam", "rmsprop"]), doc: "sgd (stochastic gradient descent), adam or rmsprop")],
            keys: [
                KeySpec("momentum", .number(min: 0, max: 1, maxExclusive: true), default: 0, onlyWith: "sgd",
                        doc: "sgd only: the share of the previous step added to the next one"),
                KeySpec("beta1", .number(min: 0, max: 1, maxExclusive: true), default: 0.9, onlyWith: "adam",
                        doc: "adam only: decay of the running mean of gradients"),
                KeySpec("beta2", .number(min: 0, max: 1, maxExclusive: true), default: 0.999, onlyWith: "adam",
                        doc: "adam only: decay of the running mean of squared gradients"),
                KeySpec("rho", .number(min: 0, max: 1, maxExclusive: true), default: 0.9, onlyWith: "rmsprop",
                        doc: "rmsprop only: decay of the running mean of squared gradients"),
                KeySpec("weight_decay", .number(min: 0, max: 1), default: 0,
                        doc: "shrink every kernel weight by lr·weight_decay each step (decoupled, as Keras; biases are not decayed)"),
            ],
            flags: [FlagSpec("nesterov", doc: "sgd only: Nesterov momentum (look ahead before the step)")],
            summary: "Choose how the weights are updated (default: sgd).",
            explanation: """
                sgd moves each weight against its gradient, scaled by the learning rate; momentum smooths \
                the steps and `nesterov` looks ahead. adam and rmsprop adapt the step of each weight from \
                running averages of its gradients and often need a smaller learning rate (0.001).
                """,
            examples: ["optimizer sgd momentum=0.9 nesterov", "optimizer adam", "optimizer rmsprop weight_decay=0.0001"],
            validate: { args in
                if args.flag("nesterov"), args.text("NAME") != "sgd" {
                    throw Diagnostic("nesterov applies to sgd only", at: args.statement.range, hint: "use `optimizer sgd momentum=0.9 nesterov`")
                }
                if args.flag("nesterov"), args.number("momentum")! == 0 {
                    throw Diagnostic("nesterov needs momentum", at: args.statement.range, hint: "e.g. `optimizer sgd momentum=0.9 nesterov`")
                }
            },
            explain: { session, _ in session.explainOptimizer() },
            action: { session, args in session.setOptimizer(args) }),
    ]
}
