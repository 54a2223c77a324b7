extension StatementTable {
    /// Seeing inside the model (issue 27): the learning-rate finder, feature crosses, and the
    /// pictures of what each neuron and each feature map computes.
    static let seeStatements: [StatementSpec] = [FindLRCommand.spec]
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
