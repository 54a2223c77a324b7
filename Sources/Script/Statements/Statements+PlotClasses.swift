extension StatementTable {
    /// The plots of a classifier's predictions on the test rows.
    static let classPlotStatements: [StatementSpec] = [PlotRocCommand.spec, PlotConfusionCommand.spec]
}

/// `plot roc`.
struct PlotRocCommand: Command {
    static let spec = StatementSpec(
        name: "plot roc", category: .explore, writesTo: true,
        summary: "Draw the ROC curve of a two-class model on the test rows, with its AUC.",
        explanation: """
                For every threshold on the probability of the second class (the positive one), the share of \
                positive rows found (true positive rate) against the share of negative rows wrongly flagged \
                (false positive rate), as scikit-learn's roc_curve; the diagonal is guessing. The title gives the \
                area under the curve (ROC AUC, as `evaluate` prints it). Two classes only: for more, `plot confusion`.
                """,
        examples: ["plot roc", "plot roc to \"roc.svg\""],
        command: PlotRocCommand.self)

    let destination: Placed<String?>
    init(_ args: Arguments) { destination = args.destination }

    func run(in session: Session) throws { try session.draw(try session.rocChart(), to: destination) }
    func explain(in session: Session) -> [String] { [
        "Each point is one threshold: lower it and more positives are found, at the cost of more false alarms.",
        "The area under the curve is the chance that a random positive row scores above a random negative one: 0.5 is guessing, 1 perfect.",
    ] }
}

/// `plot confusion`.
struct PlotConfusionCommand: Command {
    static let spec = StatementSpec(
        name: "plot confusion", category: .explore, writesTo: true,
        summary: "Draw the confusion matrix on the test rows as a heatmap.",
        explanation: """
                Rows are the true classes, columns the predicted ones; each cell shows its count of rows and is \
                coloured by its share of the true class's rows, so a rare class shows as clearly as a common one. \
                Every class is drawn, however many (beyond 20 a cell is one character in the terminal); \
                `evaluate` prints the same counts.
                """,
        examples: ["plot confusion", "plot confusion to \"confusion.svg\""],
        command: PlotConfusionCommand.self)

    let destination: Placed<String?>
    init(_ args: Arguments) { destination = args.destination }

    func run(in session: Session) throws { try session.draw(try session.confusionChart(), to: destination) }
    func explain(in session: Session) -> [String] { [
        "The diagonal holds the rows classified right; everything off it is a confusion, true class by row, predicted by column.",
        "A dark cell off the diagonal names two classes the model mixes up: more features, or `balance=auto` for a rare one, may help.",
    ] }
}
