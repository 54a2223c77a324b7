extension StatementTable {
    /// Seeing inside the model (issue 27): the learning-rate finder, feature crosses, and the
    /// pictures of what each neuron and each feature map computes.
    static let seeStatements: [StatementSpec] = [FindLRCommand.spec, FeaturesCommand.spec]
}

/// `findlr`.
struct FindLRCommand: Command {
    static let min = Key<Double>.number("min", .number(min: 0, max: 100, minExclusive: true), default: 1e-6, doc: "the first learning rate")
    static let max = Key<Double>.number("max", .number(min: 0, max: 1000, minExclusive: true), default: 1, doc: "the last learning rate")
    static let steps = Key<Int>.integer("steps", min: 5, max: 100_000, default: 100, doc: "batches, each one step at a higher rate")
    static let batch = Key<Int>.integer("batch", min: 1, max: 10_000_000, default: 32, doc: "rows per batch, as `train batch=`")
    static let spec = StatementSpec(
        name: "findlr", category: .training, keys: [min.spec, max.spec, steps.spec, batch.spec],
        summary: "Find a learning rate: the range test of Smith (2017), as fastai's lr_find.",
        explanation: """
                From fresh weights (drawn from the seed, as a first `train` starts; the session's model is not \
                touched), one optimizer step per batch with the rate raised exponentially from min= to max= over \
                steps= batches (cycling through the training rows as often as needed). The loss is smoothed as \
                fastai smooths it (a debiased moving average, beta 0.98) and the test stops once it passes 4x its \
                minimum. The curve of loss against rate is drawn on a log axis; the suggestion is the steepest descent \
                of the smoothed loss (fastai's steep), with fastai's valley (a point along the longest descent, its \
                default since 2.5) printed beside it. `train lr=suggested` trains with the suggestion.
                """,
        examples: ["findlr", "findlr min=1e-5 max=10 steps=200"],
        command: FindLRCommand.self)

    let min: Double
    let max: Double
    let steps: Int
    let batch: Int
    let statement: SourceRange
    init(_ args: Arguments) {
        min = args[Self.min]; max = args[Self.max]; steps = args[Self.steps]; batch = args[Self.batch]
        statement = args.statement.range
    }

    func run(in session: Session) throws {
        try session.findLearningRate(min: min, max: max, steps: steps, batch: batch, at: statement)
    }
    func explain(in session: Session) -> [String] { session.rangeTestExplanation() }
}

/// `features`.
struct FeaturesCommand: Command {
    static let crosses = Positional<[String]>.names("CROSSES", doc: "the new columns: a*b (a product), a^2, a^3, sin(a), cos(a), abs(a), log1p(a), separated by commas")
    static let spec = StatementSpec(
        name: "features", category: .data, positionals: [crosses.spec],
        summary: "Add feature crosses: new columns computed from others, as TensorFlow Playground's.",
        explanation: """
                Each cross becomes a numeric column named as it is written, computed for every row from the \
                columns as they are at this point (before scaling, which then covers the new columns too): \
                `x1*x2` multiplies columns, `x1^2` and `x1^3` raise one to a power, and `sin(x1)`, `cos(x1)`, \
                `abs(x1)` and `log1p(x1)` apply a function. A cross gives the network a curve it would \
                otherwise have to build from many units: on the spiral, one hidden layer of 8 with \
                `features x1*x2, x1^2, x2^2, sin(x1), sin(x2)` learns what needs far more units without them. \
                The step is recorded: `predict` computes the crosses from the raw values, a saved model keeps them, \
                the ONNX export computes them with its own nodes and the Keras and PyTorch scripts with pandas.
                """,
        examples: ["features x1*x2, x1^2, sin(x1)", "features petal_length_cm*petal_width_cm, log1p(sepal_length_cm)"],
        command: FeaturesCommand.self)

    let crosses: Placed<[String]>
    /// Where each cross was written, so an error points at the one it is about.
    let itemRanges: [SourceRange]
    init(_ args: Arguments) {
        crosses = args.placed(Self.crosses)
        if case .list(let items)? = args.value(Self.crosses.name)?.kind { itemRanges = items.map(\.range) } else { itemRanges = [] }
    }

    func run(in session: Session) throws { try session.addFeatures(crosses, itemRanges: itemRanges) }
    func explain(in session: Session) -> [String] { [
        "Each new column is computed from raw columns for every row, so the network starts from a curve instead of building it from many units.",
        "x1*x2 is positive where the two agree in sign (xor); x1^2 + x2^2 is the distance from the centre (circles); sin follows a spiral's turns.",
        "The crosses are a recorded step: `predict`, `save model` and the exports compute them from the raw values as here.",
    ] }
}
