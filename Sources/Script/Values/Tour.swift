/// The built-in lesson of `tour`: the four steps of the workflow on iris, each a few tasks.
/// A task names the statement to type and accepts it with small variations (other numbers,
/// an added key), since trying a variation is how a learner finds out what a number does.
struct Tour: Sendable {
    struct Task: Sendable {
        /// Why this statement comes now, in a sentence or two.
        var why: String
        /// What to type.
        var suggestion: String
        /// The statement that counts, and what its arguments must satisfy.
        var statement: String
        var accepts: @Sendable (any Command) -> Bool = { _ in true }
    }

    struct Step: Sendable {
        var title: String
        var tasks: [Task]
    }

    static let steps: [Step] = [
        Step(title: "preprocessing", tasks: [
            Task(why: "Every session starts with data. iris: 150 flowers, 4 measurements each, 3 species to tell apart.",
                 suggestion: "load iris", statement: "load", accepts: { ($0 as? LoadCommand)?.source.value == "iris" }),
            Task(why: "Hold rows back to test on: the model must never train on them, or the test says nothing about new flowers.",
                 suggestion: "split 0.8 stratify", statement: "split",
                 accepts: { ($0 as? SplitCommand).map { $0.fraction.value >= 0.5 && $0.fraction.value <= 0.95 } ?? false }),
            Task(why: "Put the features on one scale, fitted on the training rows only.",
                 suggestion: "scale minmax", statement: "scale", accepts: { ($0 as? ScaleCommand).map { $0.method != .none } ?? false }),
        ]),
        Step(title: "exploration", tasks: [
            Task(why: "Look before you train: the range of every column, as pandas' describe() shows it.",
                 suggestion: "describe", statement: "describe"),
            Task(why: "Outliers can squeeze the other rows after min-max scaling. Box plots show them.",
                 suggestion: "outliers", statement: "outliers"),
            Task(why: "Features that repeat each other add weights without adding information.",
                 suggestion: "corr", statement: "corr"),
        ]),
        Step(title: "architecture", tasks: [
            Task(why: "A hidden layer of ReLU units lets the model draw bent borders between the species.",
                 suggestion: "dense 16 relu", statement: "dense",
                 accepts: { ($0 as? AddLayer<DenseKind>).map { $0.kind.units >= 2 && $0.kind.function != .softmax } ?? false }),
            Task(why: "The output layer: one unit per species, softmax to turn them into probabilities.",
                 suggestion: "dense 3 softmax", statement: "dense",
                 accepts: { ($0 as? AddLayer<DenseKind>).map { $0.kind.units == 3 && $0.kind.function == .softmax } ?? false }),
            Task(why: "Count what the model has to learn.", suggestion: "summary", statement: "summary"),
        ]),
        Step(title: "tuning", tasks: [
            Task(why: "Train with stochastic gradient descent: the learning rate sets the size of each step.",
                 suggestion: "train lr=0.1 epochs=50", statement: "train", accepts: { ($0 as? TrainCommand).map { !$0.plan.patience.given } ?? false }),
            Task(why: "Measure on the test rows the model never saw.", suggestion: "evaluate", statement: "evaluate"),
            Task(why: "Many epochs can overfit. Early stopping holds out validation rows and stops when their loss stops improving.",
                 suggestion: "train epochs=2000 validation=0.2 patience=20", statement: "train",
                 accepts: { ($0 as? TrainCommand).map { $0.plan.patience.given && $0.plan.validation.given } ?? false }),
            Task(why: "Measure again: did more training help?", suggestion: "evaluate", statement: "evaluate"),
        ]),
    ]

    /// Where the learner is: the step and the task within it.
    var step: Int
    var task = 0

    var current: Task { Self.steps[step].tasks[task] }

    /// The position after `current` is done; nil at the end of the tour.
    func advanced() -> Tour? {
        if task + 1 < Self.steps[step].tasks.count { return Tour(step: step, task: task + 1) }
        return step + 1 < Self.steps.count ? Tour(step: step + 1) : nil
    }

    /// The statements that stand for the steps before `step`, for `tour 3`.
    static func setup(before step: Int) -> [String] {
        steps.prefix(step).flatMap { $0.tasks.map(\.suggestion) }
    }
}
