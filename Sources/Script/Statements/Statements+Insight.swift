extension StatementTable {
    /// Seeing inside a trained model: which columns it uses, why it predicted what it did.
    static let insightStatements: [StatementSpec] = [ImportanceCommand.spec, WhyCommand.spec]
}

/// `importance [repeats=5]`: permutation importance (or, for images, the occlusion map).
struct ImportanceCommand: Command {
    static let repeats = Key<Int>.integer("repeats", min: 1, max: 100, default: 5, doc: "how many times each column is shuffled")
    static let spec = StatementSpec(
        name: "importance", category: .training, keys: [repeats.spec], writesTo: true,
        summary: "Which columns the trained model relies on: permutation importance on the test rows.",
        explanation: """
                Each raw column in turn is shuffled across the test rows (a one-hot group or a date's parts \
                together, as the column they came from) and the score drops by how much the model relied on it: \
                accuracy for classes, R² for a regression, as scikit-learn's permutation_importance computes it. \
                The drops are shown as mean ± standard deviation over the repeats, largest first, with bars. \
                Without a split it shuffles the training rows and says so. For images it draws the occlusion \
                map instead: a patch a quarter of the picture wide slides over it, set to the mean grey of the training \
                images, and each pixel is coloured by how much the true class's probability drops when it is \
                hidden (averaged over up to 1000 test rows). `to "file.svg"` writes the picture.
                """,
        examples: ["importance", "importance repeats=20", "importance to \"importance.svg\""],
        command: ImportanceCommand.self)

    let repeats: Int
    let destination: Placed<String?>
    let range: SourceRange
    init(_ args: Arguments) { repeats = args[Self.repeats]; destination = args.destination; range = args.statement.range }

    func run(in session: Session) throws { try session.importance(repeats: repeats, to: destination, at: range) }

    func explain(in session: Session) -> [String] {
        guard let record = session.insight.importance else { return [
            "Shuffling a column keeps its values but breaks their link to the target: the score drops by how much the model relied on it.",
            "A drop within its ± of 0 means the model does not use that column, or another column carries the same information.",
        ] }
        if record.isOcclusion, let top = record.ranking.first {
            return [
                "Each patch of the picture was replaced by the training images' mean grey, and \(record.metric) was compared before and after, over \(record.rows).",
                "The most telling region is around \(top.name): hiding it lowers \(record.metric) by \(Format.fixed(top.mean, 4)) on average.",
                "Regions near 0 are ones the model ignores; for digits these are usually the borders.",
            ]
        }
        var lines = ["Shuffling a column keeps its values but breaks their link to the target; the model's \(record.metric) fell from \(Format.fixed(record.baseline, 4)) by the amounts shown, over \(record.rows) and \(record.repeats) repeats."]
        if let top = record.ranking.first {
            lines.append("The model relies most on \(top.name): shuffled, it costs \(Format.fixed(top.mean, 4)) ± \(Format.fixed(top.std, 4)) of \(record.metric).")
        }
        let unused = record.ranking.filter { abs($0.mean) <= 2 * $0.std || $0.mean == 0 }.map(\.name)
        if !unused.isEmpty {
            lines.append("Within 2 standard deviations of 0 (the model does not use them, or another column carries the same information): \(unused.prefix(6).joined(separator: ", "))\(unused.count > 6 ? ", …" : "").")
        }
        lines.append("Importance is about this model, not the world: two correlated columns can share their importance, and each looks smaller than it is.")
        return lines
    }
}

/// `why N` or `why V1,V2,…`: integrated gradients of one prediction, per raw column.
struct WhyCommand: Command {
    static let row = Positional<Value>.raw(
        "ROW", .valueList,
        doc: "a test row number (from 0), or one raw value per input column, in column order, as `predict` takes them")
    static let spec = StatementSpec(
        name: "why", category: .training, positionals: [row.spec], writesTo: true,
        summary: "Why the model predicted what it did for one row: each column's contribution.",
        explanation: """
                Integrated gradients: the input moves in a straight line from the mean training row (after the \
                pipeline) to this row, and the gradient of the prediction (the predicted class's probability, or \
                the predicted value) is summed along the way, per feature. The contributions of a one-hot group, \
                a date's parts and a scaled column add up to the raw column they came from, and are shown largest \
                first, in plain words ("petal_width_cm = 2.1 pushed towards virginica (+0.41)"). They add up to \
                the prediction minus the prediction at the mean row (completeness): the last line prints both. \
                For images it draws the contributions as a heatmap over the picture; for series, the series with \
                each step coloured by its contribution, and the runs of steps that pushed most. `why N` explains test row N; \
                `why V1,V2,…` explains new raw values, as `predict` takes them.
                """,
        examples: ["why 0", "why 5.1,3.5,1.4,0.2", "why 3 to \"why.svg\""],
        command: WhyCommand.self)

    let row: Value
    let destination: Placed<String?>
    let range: SourceRange
    init(_ args: Arguments) { row = args[Self.row]; destination = args.destination; range = args.statement.range }

    func run(in session: Session) throws { try session.why(row, to: destination, at: range) }

    func explain(in session: Session) -> [String] {
        guard let record = session.insight.why else { return [
            "Each contribution is how much that column moved the prediction away from the prediction at the mean training row.",
            "They add up to the difference between the two predictions; `importance` says which columns matter over all test rows.",
        ] }
        var lines = ["The prediction for \(record.subject) is \(Format.fixed(record.output, 4)); at the mean training row it would be \(Format.fixed(record.baselineOutput, 4)). The contributions share out the difference, \(session.signed(record.total))."]
        if let strongest = record.strongest {
            let direction = strongest.contribution < 0 ? "against" : "for"
            lines.append("\(strongest.name) counts most, \(direction) the prediction (\(session.signed(strongest.contribution))).")
        }
        lines.append("A contribution compares this row with the average one: a value close to the mean contributes little, however much the model uses that column elsewhere (`importance` measures that).")
        lines.append("The gradient was summed over \(record.steps) steps of the straight path (doubled from 64 until the sum matched the difference to 2e-4): the sum and the difference differ by \(Format.significant(abs(record.total - (record.output - record.baselineOutput)), 2)).")
        return lines
    }
}
