import Tabular

/// The built-in lesson of `tour`: the four steps of the workflow on iris, each a few tasks.
/// A task names the statement to type and accepts it with small variations (other numbers,
/// an added key), since trying a variation is how a learner finds out what a number does.
/// A statement of the task's kind that does not do the task is declined with the reason, in
/// plain words, so the model the tour builds is always the one it describes.
struct Tour: Sendable {
    struct Task: Sendable {
        /// Why this statement comes now, in a sentence or two.
        var why: String
        /// What to type.
        var suggestion: String
        /// The statement that counts, and why one of its kind would not do the task (nil: it does).
        var statement: String
        var problem: @Sendable (any Command) -> String? = { _ in nil }
    }

    struct Step: Sendable {
        var title: String
        var tasks: [Task]
    }

    static let steps: [Step] = [
        Step(title: "preprocessing", tasks: [
            Task(why: "Every session starts with data. iris: 150 flowers, 4 measurements each, 3 species to tell apart.",
                 suggestion: "load iris", statement: "load", problem: { command in
                     guard let load = command as? LoadCommand, load.source.value != "iris" else { return nil }
                     return "the tour is written for iris, its 150 flowers and 3 species; load '\(load.source.value)' in your own session, after `tour off`"
                 }),
            Task(why: "Hold rows back to test on: the model must never train on them, or the test says nothing about new flowers.",
                 suggestion: "split 0.8 stratify", statement: "split", problem: { command in
                     guard let fraction = (command as? SplitCommand)?.fraction.value else { return nil }
                     if fraction < 0.5 {
                         return "the fraction is the share of rows to train on, and \(Format.general(fraction)) trains on fewer rows than it tests on: the model needs the larger part (0.5 to 0.95)"
                     }
                     if fraction > 0.95 {
                         let test = 150 - Int((150 * fraction).rounded())
                         return "\(Format.general(fraction)) keeps about \(test) of the 150 rows to test on, too few for the accuracy to mean much (0.5 to 0.95 leaves enough)"
                     }
                     return nil
                 }),
            Task(why: "Put the features on one scale, fitted on the training rows only.",
                 suggestion: "scale minmax", statement: "scale", problem: { command in
                     (command as? ScaleCommand)?.method == ScalingMethod.none
                         ? "`scale none` leaves the features as they were loaded, and the task is to put them on one scale: minmax or standard" : nil
                 }),
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
                 suggestion: "dense 16 relu", statement: "dense", problem: { command in
                     guard let dense = (command as? AddLayer<DenseKind>)?.kind else { return nil }
                     if dense.function == .softmax {
                         return "a hidden layer passes what it found on to the next layer, and softmax would squeeze that into probabilities that sum to 1; hidden layers use relu"
                     }
                     if dense.function == .linear {
                         return "without an activation the layer is linear, and linear layers in a row are still one linear map, which cannot bend the borders; add relu"
                     }
                     if dense.units < 2 {
                         return "one unit passes a single number on to the output layer, too little to tell 3 species apart; give the hidden layer more units"
                     }
                     return nil
                 }),
            Task(why: "The output layer: one unit per species, softmax to turn them into probabilities.",
                 suggestion: "dense 3 softmax", statement: "dense", problem: { command in
                     guard let dense = (command as? AddLayer<DenseKind>)?.kind else { return nil }
                     switch (dense.units == 3, dense.function == .softmax) {
                     case (true, true): return nil
                     case (false, true): return "the output layer needs one unit per species, and iris has 3"
                     case (true, false): return "the output layer needs softmax to give class probabilities"
                     case (false, false): return "the output layer needs one unit per species (iris has 3) and softmax to give class probabilities"
                     }
                 }),
            Task(why: "Count what the model has to learn.", suggestion: "summary", statement: "summary"),
        ]),
        Step(title: "tuning", tasks: [
            Task(why: "Train with stochastic gradient descent: the learning rate sets the size of each step.",
                 suggestion: "train lr=0.1 epochs=50", statement: "train", problem: { command in
                     (command as? TrainCommand)?.plan.patience.given == true
                         ? "early stopping (`patience=`) is the last task of this step; train without it first, to see what a plain run does" : nil
                 }),
            Task(why: "Measure on the test rows the model never saw.", suggestion: "evaluate", statement: "evaluate"),
            Task(why: "Many epochs can overfit. Early stopping holds out validation rows and stops when their loss stops improving.",
                 suggestion: "train epochs=2000 validation=0.2 patience=20", statement: "train", problem: { command in
                     guard let plan = (command as? TrainCommand)?.plan else { return nil }
                     var problems: [String] = []
                     if !plan.validation.given {
                         problems.append("early stopping watches the loss of validation rows, and without `validation=` (say validation=0.2) there are none")
                     }
                     if !plan.patience.given {
                         problems.append("`patience=` (say patience=20) is what stops the training once that loss stops improving")
                     }
                     return problems.isEmpty ? nil : problems.joined(separator: "; and ")
                 }),
            Task(why: "Measure again: did more training help?", suggestion: "evaluate", statement: "evaluate"),
        ]),
    ]

    /// Statements that change the data or the model. Within the tour only the task in hand may
    /// change them, so no step can be undone or stacked on by accident; statements that look
    /// (head, plot, summary, history, help) or train copies (sweep, crossval) run as usual.
    static let changingStatements: Set<String> = [
        "load", "load mnist", "load shapes", "load model", "split", "scale", "scale target", "task", "set",
        "clip", "drop", "dropna", "encode", "impute", "keep", "target", "input",
        "dense", "conv", "pool", "dropout", "batchnorm", "flatten", "activation",
        "loss", "optimizer", "schedule", "reset", "train", "use",
    ]

    /// Where the learner is: the step and the task within it.
    var step: Int
    var task = 0

    var current: Task { Self.steps[step].tasks[task] }

    /// Why the statement `name` is not applied now, or nil to run it: one of the task's kind
    /// must do the task; another that changes the data or the model waits for its own task.
    func refusal(of name: String, _ command: any Command) -> String? {
        if name == current.statement { return current.problem(command) }
        guard Self.changingStatements.contains(name) else { return nil }
        return "it changes the data or the model, and in the tour only the task in hand does that, so each step builds on the one it explained"
    }

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
