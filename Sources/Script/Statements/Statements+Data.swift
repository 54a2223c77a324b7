import Tabular

extension StatementTable {
    static let dataStatements: [StatementSpec] = loadStatements + [TaskCommand.spec, SplitCommand.spec, ScaleCommand.spec]
}

/// The names `load` accepts besides file paths.
enum DataSources {
    static var names: [String] { BundledData.names + Generated.names + ["shapes", "mnist"] }

    static func looksLikePath(_ word: String) -> Bool {
        word.contains("/") || word.contains(".") || word.hasPrefix("~")
    }
}

/// `task`.
struct TaskCommand: Command {
    static let kind = Positional<String>.word("KIND", ["classification", "regression"], doc: "classification (class labels) or regression (numbers)")
    static let spec = StatementSpec(
        name: "task", category: .data, positionals: [kind.spec],
        summary: "Say whether the target holds classes or numbers to predict.",
        explanation: """
                A numeric target is treated as regression by default. `task classification` makes each \
                distinct target value a class (e.g. 0/1 labels). Applies to the loaded data and to later loads.
                """,
        examples: ["task classification"],
        command: TaskCommand.self)

    let task: LearningTask
    init(_ args: Arguments) { task = args[Self.kind] == "regression" ? .regression : .classification }

    func run(in session: Session) throws { try session.setTask(task) }
    func explain(in session: Session) -> [String] { [
        "Classification predicts one of a few labels; regression predicts a number.",
        "The task decides the output layer (softmax units, one per class, or one linear unit) and the loss (crossentropy or mse).",
    ] }
}

/// `split`.
struct SplitCommand: Command {
    static let fraction = Positional<Double>.number("FRACTION", .number(min: 0, max: 1, minExclusive: true, maxExclusive: true),
                                                 doc: "the share of rows used for training; the rest is the test set")
    static let seed = Key<Int?>.integer("seed", min: 0, doc: "seed for the shuffle (default: the session seed)")
    static let stratify = Flag("stratify", doc: "keep each class's share the same on both sides")
    static let spec = StatementSpec(
        name: "split", category: .data, positionals: [fraction.spec], keys: [seed.spec], flags: [stratify.spec],
        summary: "Shuffle the rows and split them into training and test sets.",
        explanation: """
                `split 0.8` keeps 80% of the rows for training and holds 20% back for `evaluate`. Scaling \
                is fitted on the training rows only, so nothing about the test rows leaks into training.
                """,
        examples: ["split 0.8", "split 0.8 seed=42 stratify"],
        command: SplitCommand.self)

    let fraction: Placed<Double>
    let seed: Int?
    let stratified: Bool
    let statement: SourceRange
    init(_ args: Arguments) { fraction = args.placed(Self.fraction); seed = args[Self.seed]; stratified = args[Self.stratify]; statement = args.statement.range }

    func run(in session: Session) throws { try session.split(self) }
    func explain(in session: Session) -> [String] { session.explainSplit(stratified: stratified) }
}

/// `scale`.
struct ScaleCommand: Command {
    static let method = Positional<ScalingMethod>.choice(
        "METHOD", doc: "minmax maps each feature to [0, 1]; standard to mean 0 and std 1; none removes scaling")
    static let spec = StatementSpec(
        name: "scale", category: .data, positionals: [method.spec],
        summary: "Scale the features, fitted on the training rows only.",
        explanation: """
                Networks train best when features have similar ranges. The scaling is fitted on the \
                training rows (all rows when there is no split yet; it is refitted after `split`), then \
                applied to the test rows and to every later `predict`.
                """,
        examples: ["scale minmax", "scale standard"],
        command: ScaleCommand.self)

    let method: ScalingMethod
    let statement: SourceRange
    init(_ args: Arguments) { method = args[Self.method]; statement = args.statement.range }

    func run(in session: Session) throws { try session.scale(method, at: statement) }
    func explain(in session: Session) -> [String] { session.explainScale() }
}
