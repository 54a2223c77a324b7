import Tabular

extension StatementTable {
    /// `plot KIND …`: one statement per kind of chart, each with its own parameters, and all
    /// drawn in the terminal or written as SVG with `to "file.svg"`.
    static let plotStatements: [StatementSpec] = [
        PlotLossCommand.spec, PlotAccuracyCommand.spec, PlotHistogramCommand.spec, PlotBoxCommand.spec, PlotCorrelationCommand.spec,
        PlotBoundaryCommand.spec, PlotFiltersCommand.spec, PlotSweepCommand.spec, PlotScatterCommand.spec,
        PlotPredictionsCommand.spec, PlotResidualsCommand.spec,
        PlotSeriesCommand.spec, PlotForecastCommand.spec,
    ]
}

/// `plot loss`.
struct PlotLossCommand: Command {
    static let log = Flag("log", doc: "a logarithmic loss axis, ticked at decades, for a loss that falls over several")
    static let spec = StatementSpec(
        name: "plot loss", category: .explore, flags: [log.spec], writesTo: true,
        summary: "Draw the training (and validation) loss per epoch.",
        explanation: "One curve per measured set, over the epochs since the weights were last initialised. `history` lists the same figures as a table. A regression's loss often falls by decades in the first epochs and flattens the rest of the curve: `log` gives each decade the same height.",
        examples: ["plot loss", "plot loss log", "plot loss to \"loss.svg\""],
        command: PlotLossCommand.self)

    let destination: Placed<String?>
    let log: Bool
    init(_ args: Arguments) { destination = args.destination; log = args[Self.log] }

    func run(in session: Session) throws { try session.draw(try session.trainingCurve(accuracy: false, log: log), to: destination) }
    func explain(in session: Session) -> [String] { [
        "The loss per epoch: a steady fall means the model is learning; a flat line, a rate too small; a jagged climb, too large.",
        "A validation curve that rises while the training curve falls is overfitting: early stopping (`patience=`) ends there.",
    ] }
}

/// `plot accuracy`.
struct PlotAccuracyCommand: Command {
    static let spec = StatementSpec(
        name: "plot accuracy", category: .explore, writesTo: true,
        summary: "Draw the training (and validation) accuracy per epoch.",
        explanation: "For classification only; the curves of `plot loss`, measured as the share of rows classified right.",
        examples: ["plot accuracy"],
        command: PlotAccuracyCommand.self)

    let destination: Placed<String?>
    init(_ args: Arguments) { destination = args.destination }

    func run(in session: Session) throws { try session.draw(try session.trainingCurve(accuracy: true), to: destination) }
    func explain(in session: Session) -> [String] { [
        "The share of rows classified right per epoch; it moves in steps, as one row more or less flips.",
        "Training accuracy far above validation accuracy means the model memorises rather than generalises.",
    ] }
}

/// `plot hist`.
struct PlotHistogramCommand: Command {
    static let column = Positional<String>.name("COLUMN", doc: "a numeric column")
    static let bins = Key<Int?>.integer("bins", min: 1, max: 1000, doc: "the number of bins (default: automatic, as numpy's 'auto')")
    static let spec = StatementSpec(
        name: "plot hist", category: .explore, positionals: [column.spec], keys: [bins.spec], writesTo: true,
        summary: "Draw a histogram of one column.",
        explanation: "How the values of the column spread: the count of rows in each bin, all rows of the table.",
        examples: ["plot hist petal_length_cm", "plot hist age bins=20"],
        command: PlotHistogramCommand.self)

    let destination: Placed<String?>
    let column: Placed<String>
    let bins: Int?
    init(_ args: Arguments) { destination = args.destination; column = args.placed(Self.column); bins = args[Self.bins] }

    func run(in session: Session) throws { try session.draw(try session.histogram(of: column, bins: bins), to: destination) }
    func explain(in session: Session) -> [String] { [
        "A histogram counts the values in equal bins: it shows the spread, the skew, gaps and several peaks.",
        "A long tail to one side suggests outliers or a log scale.",
    ] }
}

/// `plot box`.
struct PlotBoxCommand: Command {
    static let columns = Positional<[String]?>.names("COLUMNS", doc: "the columns (default: every numeric feature)")
    static let k = Key<Double>.number("k", .number(min: 0, max: 100, minExclusive: true), default: 1.5, doc: "the whisker distance in IQRs")
    static let spec = StatementSpec(
        name: "plot box", category: .explore, positionals: [columns.spec], keys: [k.spec], writesTo: true,
        summary: "Draw box plots of numeric columns on a shared axis.",
        explanation: "The box spans the quartiles with the median inside; the whiskers reach the last values within k IQRs, and the points beyond them are the outliers (fitted on the training rows).",
        examples: ["plot box", "plot box bill_length_mm,body_mass_g"],
        command: PlotBoxCommand.self)

    let destination: Placed<String?>
    let columns: Placed<[String]?>
    let k: Double
    init(_ args: Arguments) { destination = args.destination; columns = args.placed(Self.columns); k = args[Self.k] }

    func run(in session: Session) throws { try session.draw(try session.boxPlots(of: columns, k: k), to: destination) }
    func explain(in session: Session) -> [String] { [
        "Each box spans the quartiles with the median inside; the whiskers end at the fences (1.5 × IQR).",
        "Points beyond the whiskers are the outliers `outliers` counts.",
    ] }
}

/// `plot corr`.
struct PlotCorrelationCommand: Command {
    static let method = Key<CorrelationMethod>.choice("method", default: .pearson, doc: "pearson or spearman")
    static let spec = StatementSpec(
        name: "plot corr", category: .explore, keys: [method.spec], writesTo: true,
        summary: "Draw the correlation matrix of the numeric features as a heatmap.",
        explanation: "The picture of `corr`: every pair of numeric features, coloured from -1 to 1, on the training rows.",
        examples: ["plot corr", "plot corr method=spearman to \"corr.svg\""],
        command: PlotCorrelationCommand.self)

    let destination: Placed<String?>
    let method: CorrelationMethod
    let statement: SourceRange
    init(_ args: Arguments) { destination = args.destination; method = args[Self.method]; statement = args.statement.range }

    func run(in session: Session) throws { try session.draw(try session.correlationChart(method, at: statement), to: destination) }
    func explain(in session: Session) -> [String] { [
        "Each cell is the correlation of two features, from −1 to 1; the diagonal is 1.",
        "Bright pairs off the diagonal repeat each other: candidates to `drop`.",
    ] }
}

/// `plot boundary`.
struct PlotBoundaryCommand: Command {
    static let spec = StatementSpec(
        name: "plot boundary", category: .explore, writesTo: true,
        summary: "Draw the decision regions of a trained two-feature classifier.",
        explanation: "The plane of the two features, coloured by the class the model predicts at each point, with the training rows on top.",
        examples: ["plot boundary", "plot boundary to \"moons.svg\""],
        command: PlotBoundaryCommand.self)

    let destination: Placed<String?>
    init(_ args: Arguments) { destination = args.destination }

    func run(in session: Session) throws { try session.draw(try session.decisionRegions(), to: destination) }
    func explain(in session: Session) -> [String] { [
        "Each point of the plane is coloured by the class the model predicts there; the dots are the rows.",
        "A straight border is all a model without hidden layers can draw; hidden ReLU layers bend it.",
    ] }
}

/// `plot filters`.
struct PlotFiltersCommand: Command {
    static let layer = Positional<Int>.integer("LAYER", min: 1, max: 1000, default: 1,
                                                doc: "which convolution layer, counted among the conv layers")
    static let spec = StatementSpec(
        name: "plot filters", category: .explore, positionals: [layer.spec], writesTo: true,
        summary: "Draw the kernels of a convolution layer as small images.",
        explanation: "Mid grey is 0, lighter is positive, darker negative (averaged over the input channels): after training, edge and stroke detectors often show.",
        examples: ["plot filters", "plot filters 2 to \"filters.svg\""],
        command: PlotFiltersCommand.self)

    let destination: Placed<String?>
    let layer: Placed<Int>
    init(_ args: Arguments) { destination = args.destination; layer = args.placed(Self.layer) }

    func run(in session: Session) throws { try session.draw(try session.filterImages(layer: layer.value, at: layer.range), to: destination) }
    func explain(in session: Session) -> [String] { [
        "Each small image is one kernel: the weights of one filter, slid over every position of the image.",
        "The same few weights are used everywhere (weight sharing), which is why a convolution needs so few.",
    ] }
}

/// `plot sweep`.
struct PlotSweepCommand: Command {
    static let log = Flag("log", doc: "logarithmic axes for both the loss and the epochs, so losses over decades and runs of 20 and 4000 epochs stay readable side by side")
    static let spec = StatementSpec(
        name: "plot sweep", category: .explore, flags: [log.spec], writesTo: true,
        summary: "Draw every combination of the last sweep as one curve.",
        explanation: "The validation loss per epoch of each combination (the training loss when there were no validation rows), on one chart. With `log` both axes are logarithmic: each decade of loss gets the same height, and each tenfold of epochs the same width, so a 20-epoch run keeps a third of the width beside a 4000-epoch one instead of a sliver.",
        examples: ["plot sweep", "plot sweep log", "plot sweep to \"sweep.svg\""],
        command: PlotSweepCommand.self)

    let destination: Placed<String?>
    let log: Bool
    init(_ args: Arguments) { destination = args.destination; log = args[Self.log] }

    func run(in session: Session) throws { try session.draw(try session.sweepCurves(log: log), to: destination) }
    func explain(in session: Session) -> [String] { [
        "One validation curve per combination of the sweep, on one axis.",
        "The lowest curve is the best setting; one that is still falling at its end needed more epochs.",
    ] }
}

/// `plot`.
struct PlotScatterCommand: Command {
    static let x = Positional<String>.name("X", doc: "the feature across (or a regression target)")
    static let vs = Positional<String>.word("VS", ["vs"], doc: "the word vs")
    static let y = Positional<String>.name("Y", doc: "the feature up (or a regression target)")
    static let spec = StatementSpec(
        name: "plot", category: .explore, positionals: [x.spec, vs.spec, y.spec], writesTo: true,
        summary: "Draw one feature against another, coloured by class.",
        explanation: "A scatter plot of two features of every row, the colour of each point its class (or one colour for regression). A regression target can be either axis: `plot horsepower vs mpg` shows how the target follows a feature. The other plots are `plot loss`, `plot accuracy`, `plot hist`, `plot box`, `plot corr`, `plot boundary`, `plot filters`, `plot sweep`, `plot predictions`, `plot residuals`, `plot roc` and `plot confusion`.",
        examples: ["plot petal_length_cm vs petal_width_cm", "plot horsepower vs mpg"],
        command: PlotScatterCommand.self)

    let destination: Placed<String?>
    let x: String
    let y: String
    let statement: SourceRange
    init(_ args: Arguments) { destination = args.destination; x = args[Self.x]; y = args[Self.y]; statement = args.statement.range }

    func run(in session: Session) throws { try session.draw(try session.scatter(x, y, at: statement), to: destination) }
    func explain(in session: Session) -> [String] { [
        "Each dot is one row, placed by two features and coloured by its class.",
        "Classes that separate in this picture are easy for the model; overlapping ones need other features.",
    ] }
}
