import DLCore
import Engine

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
        session.built = nil
        switch part {
        case .model:
            session.spec.layers = []
            session.print("model reset: no layers")
        case .weights:
            session.trainingRandom = SeededRandom(seed: session.seed) // the shuffles start over too, as in a fresh session
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
