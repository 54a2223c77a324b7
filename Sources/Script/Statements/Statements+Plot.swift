import Tabular

extension StatementTable {
    /// `plot KIND …`: one statement per kind of chart, each with its own parameters, and all
    /// drawn in the terminal or written as SVG with `to "file.svg"`.
    static let plotStatements: [StatementSpec] = [
        StatementSpec(
            name: "plot loss", category: .explore, writesTo: true,
            summary: "Draw the training (and validation) loss per epoch.",
            explanation: "One curve per measured set, over the epochs since the weights were last initialised. `history` lists the same figures as a table.",
            examples: ["plot loss", "plot loss to \"loss.svg\""],
            explain: { _, _ in [
                "The loss per epoch: a steady fall means the model is learning; a flat line, a rate too small; a jagged climb, too large.",
                "A validation curve that rises while the training curve falls is overfitting: early stopping (`patience=`) ends there.",
            ] },
            action: { session, args in try session.draw(try session.trainingCurve(accuracy: false), args) }),

        StatementSpec(
            name: "plot accuracy", category: .explore, writesTo: true,
            summary: "Draw the training (and validation) accuracy per epoch.",
            explanation: "For classification only; the curves of `plot loss`, measured as the share of rows classified right.",
            examples: ["plot accuracy"],
            explain: { _, _ in [
                "The share of rows classified right per epoch; it moves in steps, as one row more or less flips.",
                "Training accuracy far above validation accuracy means the model memorises rather than generalises.",
            ] },
            action: { session, args in try session.draw(try session.trainingCurve(accuracy: true), args) }),

        StatementSpec(
            name: "plot hist", category: .explore,
            positionals: [PositionalSpec("COLUMN", .name, doc: "a numeric column")],
            keys: [KeySpec("bins", .integer(min: 1, max: 1000), doc: "the number of bins (default: automatic, as numpy's 'auto')")],
            writesTo: true,
            summary: "Draw a histogram of one column.",
            explanation: "How the values of the column spread: the count of rows in each bin, all rows of the table.",
            examples: ["plot hist petal_length_cm", "plot hist age bins=20"],
            explain: { _, _ in [
                "A histogram counts the values in equal bins: it shows the spread, the skew, gaps and several peaks.",
                "A long tail to one side suggests outliers or a log scale.",
            ] },
            action: { session, args in try session.draw(try session.histogram(args), args) }),

        StatementSpec(
            name: "plot box", category: .explore,
            positionals: [PositionalSpec("COLUMNS", .nameList, optional: true, doc: "the columns (default: every numeric feature)")],
            keys: [KeySpec("k", .number(min: 0, max: 100, minExclusive: true), default: 1.5, doc: "the whisker distance in IQRs")],
            writesTo: true,
            summary: "Draw box plots of numeric columns on a shared axis.",
            explanation: "The box spans the quartiles with the median inside; the whiskers reach the last values within k IQRs, and the points beyond them are the outliers (fitted on the training rows).",
            examples: ["plot box", "plot box bill_length_mm,body_mass_g"],
            explain: { _, _ in [
                "Each box spans the quartiles with the median inside; the whiskers end at the fences (1.5 × IQR).",
                "Points beyond the whiskers are the outliers `outliers` counts.",
            ] },
            action: { session, args in try session.draw(try session.boxPlots(args), args) }),

        StatementSpec(
            name: "plot corr", category: .explore,
            keys: [KeySpec("method", .word(CorrelationMethod.allCases.map(\.rawValue)), default: "pearson", doc: "pearson or spearman")],
            writesTo: true,
            summary: "Draw the correlation matrix of the numeric features as a heatmap.",
            explanation: "The picture of `corr`: every pair of numeric features, coloured from -1 to 1, on the training rows.",
            examples: ["plot corr", "plot corr method=spearman to \"corr.svg\""],
            explain: { _, _ in [
                "Each cell is the correlation of two features, from −1 to 1; the diagonal is 1.",
                "Bright pairs off the diagonal repeat each other: candidates to `drop`.",
            ] },
            action: { session, args in try session.draw(try session.correlationChart(args), args) }),

        StatementSpec(
            name: "plot boundary", category: .explore, writesTo: true,
            summary: "Draw the decision regions of a trained two-feature classifier.",
            explanation: "The plane of the two features, coloured by the class the model predicts at each point, with the training rows on top.",
            examples: ["plot boundary", "plot boundary to \"moons.svg\""],
            explain: { _, _ in [
                "Each point of the plane is coloured by the class the model predicts there; the dots are the rows.",
                "A straight border is all a model without hidden layers can draw; hidden ReLU layers bend it.",
            ] },
            action: { session, args in try session.draw(try session.decisionRegions(), args) }),

        StatementSpec(
            name: "plot filters", category: .explore,
            positionals: [PositionalSpec("LAYER", .integer(min: 1, max: 1000), default: 1,
                                         doc: "which convolution layer, counted among the conv layers")],
            writesTo: true,
            summary: "Draw the kernels of a convolution layer as small images.",
            explanation: "Mid grey is 0, lighter is positive, darker negative (averaged over the input channels): after training, edge and stroke detectors often show.",
            examples: ["plot filters", "plot filters 2 to \"filters.svg\""],
            explain: { _, _ in [
                "Each small image is one kernel: the weights of one filter, slid over every position of the image.",
                "The same few weights are used everywhere (weight sharing), which is why a convolution needs so few.",
            ] },
            action: { session, args in try session.draw(try session.filterImages(layer: args.integer("LAYER")!, at: args.range(of: "LAYER")), args) }),

        StatementSpec(
            name: "plot sweep", category: .explore, writesTo: true,
            summary: "Draw every combination of the last sweep as one curve.",
            explanation: "The validation loss per epoch of each combination (the training loss when there were no validation rows), on one chart.",
            examples: ["plot sweep", "plot sweep to \"sweep.svg\""],
            explain: { _, _ in [
                "One validation curve per combination of the sweep, on one axis.",
                "The lowest curve is the best setting; one that is still falling at its end needed more epochs.",
            ] },
            action: { session, args in try session.draw(try session.sweepCurves(), args) }),

        StatementSpec(
            name: "plot", category: .explore,
            positionals: [
                PositionalSpec("X", .name, doc: "the feature across"),
                PositionalSpec("VS", .word(["vs"]), doc: "the word vs"),
                PositionalSpec("Y", .name, doc: "the feature up"),
            ],
            writesTo: true,
            summary: "Draw one feature against another, coloured by class.",
            explanation: "A scatter plot of two features of every row, the colour of each point its class (or one colour for regression). The other plots are `plot loss`, `plot accuracy`, `plot hist`, `plot box`, `plot corr`, `plot boundary`, `plot filters` and `plot sweep`.",
            examples: ["plot petal_length_cm vs petal_width_cm"],
            explain: { _, _ in [
                "Each dot is one row, placed by two features and coloured by its class.",
                "Classes that separate in this picture are easy for the model; overlapping ones need other features.",
            ] },
            action: { session, args in try session.draw(try session.scatter(args.text("X")!, args.text("Y")!, at: args.statement.range), args) }),
    ]
}
