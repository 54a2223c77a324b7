import Tabular

extension StatementTable {
    static let exploreStatements: [StatementSpec] = [
        StatementSpec(
            name: "head", category: .explore,
            positionals: [PositionalSpec("N", .integer(min: 1, max: 10_000), default: 5, doc: "how many rows")],
            summary: "Show the first rows of the table.",
            explanation: "Rows as an aligned table with their row numbers (from 0, as in pandas); tables wider than the terminal are elided in the middle.",
            examples: ["head", "head 10"],
            explain: { _, _ in [
                "These are rows as the model will see them, before scaling: one row per example, one column per feature.",
                "Look for text columns (they need `encode`), gaps (NA: `impute`) and columns on very different scales (`scale`).",
            ] },
            action: { session, args in try session.head(args, fromEnd: false) }),
        StatementSpec(
            name: "tail", category: .explore,
            positionals: [PositionalSpec("N", .integer(min: 1, max: 10_000), default: 5, doc: "how many rows")],
            summary: "Show the last rows of the table.",
            explanation: "Like `head`, from the end of the table.",
            examples: ["tail", "tail 3"],
            explain: { _, _ in [
                "The last rows: files are often sorted, so the end can look quite unlike the start.",
                "A sorted file is one reason `split` shuffles before it cuts.",
            ] },
            action: { session, args in try session.head(args, fromEnd: true) }),
        StatementSpec(
            name: "columns", category: .explore,
            summary: "List the columns: type, missing and distinct values, role.",
            explanation: "Each column's type (number, integer or text), how many cells are missing, how many distinct values it has, and whether it is a feature, the target, or dropped.",
            examples: ["columns"],
            explain: { _, _ in [
                "A column's type decides what it needs: numbers can go in as they are, text needs `encode`, gaps need `impute`.",
                "The target is the column the model learns to predict; every other column is a feature.",
            ] },
            action: { session, _ in try session.columns() }),
        StatementSpec(
            name: "describe", category: .explore,
            summary: "Summary statistics of every column, as pandas' describe().",
            explanation: "For numeric columns: count, mean, standard deviation, min, quartiles and max (to 4 significant digits); for text columns: count, distinct values, the most frequent one and its count.",
            examples: ["describe"],
            explain: { _, _ in [
                "count, mean, std, min, the quartiles and max of each column, as pandas' describe() prints them.",
                "Ranges far apart (one feature in thousands, another below 1) call for `scale`.",
                "A max far above the 75% quartile hints at outliers: `outliers` draws them.",
            ] },
            action: { session, _ in try session.describe() }),
        StatementSpec(
            name: "missing", category: .explore,
            summary: "Count the missing cells of each column.",
            explanation: "Missing cells (empty or NA in the CSV) per column, as counts, percentages and bars. Networks cannot take them: `impute` fills them, `dropna` drops their rows.",
            examples: ["missing"],
            explain: { _, _ in [
                "A network multiplies numbers: a missing cell has no number, so it must be filled or its row dropped before `train`.",
                "`impute median` fills from the training rows; `dropna` removes the rows; `drop COL` removes a column that is mostly empty.",
            ] },
            action: { session, _ in try session.missing() }),
        StatementSpec(
            name: "impute", category: .explore,
            positionals: [
                PositionalSpec("STRATEGY", .word(["mean", "median", "mode"]), optional: true,
                               doc: "mean or median (numbers), mode (the most frequent value, also for text)"),
                PositionalSpec("COLUMNS", .nameList, optional: true, doc: "the columns to fill (default: every feature column with missing cells)"),
            ],
            keys: [KeySpec("constant", .name, doc: "fill with this value instead of a statistic")],
            summary: "Fill missing cells with a statistic of the training rows.",
            explanation: """
                The mean, median or most frequent value is computed on the training rows (all rows before a \
                split) and written into the missing cells. Without a column list every feature column with \
                missing cells is filled, text columns with their most frequent value. The fill is recorded, \
                so `predict` treats new rows the same way.
                """,
            examples: ["impute median", "impute mean bill_length_mm,bill_depth_mm", "impute constant=unknown sex"],
            validate: { args in
                if args.has("constant") && args.has("STRATEGY") {
                    throw Diagnostic("give either a strategy or constant=, not both", at: args.range(of: "constant"),
                                     hint: "e.g. `impute median` or `impute constant=0`")
                }
                if !args.has("constant") && !args.has("STRATEGY") {
                    throw Diagnostic("impute needs a strategy: mean, median, mode or constant=VALUE", at: args.statement.range,
                                     hint: "e.g. `impute median` or `impute constant=unknown sex`")
                }
            },
            explain: { session, _ in [
                "The filling values were computed on \(session.fitRowsPhrase) only, so nothing about the test rows leaks into training.",
                "The same values fill gaps in new rows at `predict`; the median resists outliers better than the mean.",
            ] },
            action: { session, args in try session.impute(args) }),
        StatementSpec(
            name: "dropna", category: .explore,
            positionals: [PositionalSpec("COLUMNS", .nameList, optional: true, doc: "only look at these columns (default: all)")],
            summary: "Drop the rows that have missing cells.",
            explanation: "Removes every row with a missing cell (in the given columns, or in any column) and says how many went. A split made before keeps its remaining rows.",
            examples: ["dropna", "dropna sex"],
            explain: { _, _ in [
                "Rows with a missing cell are gone: no invented values, but fewer rows to learn from.",
                "When many rows go, `impute` keeps them instead.",
            ] },
            action: { session, args in try session.dropMissingRows(args) }),
        StatementSpec(
            name: "drop", category: .explore,
            positionals: [PositionalSpec("COLUMNS", .nameList, doc: "the columns to remove, or the word outliers")],
            summary: "Remove columns (or, after `outliers`, the rows with outliers).",
            explanation: """
                `drop year,sex` removes those columns from the features (`columns` still lists them as \
                dropped). `drop outliers` removes the training rows that the last `outliers` flagged.
                """,
            examples: ["drop year", "drop outliers"],
            explain: { _, _ in [
                "Fewer features means fewer weights to learn: an id, a constant or a near copy of another column only adds noise.",
                "`corr` shows which features repeat each other.",
            ] },
            action: { session, args in try session.dropColumns(args) }),
        StatementSpec(
            name: "keep", category: .explore,
            positionals: [PositionalSpec("COLUMNS", .nameList, doc: "the columns to keep (the target always stays)")],
            summary: "Keep only these columns (and the target).",
            explanation: "The opposite of `drop`: every other feature column is removed.",
            examples: ["keep petal_length_cm,petal_width_cm"],
            explain: { _, _ in [
                "Only these features (and the target) remain: choosing features by hand is feature selection.",
                "Fewer inputs train faster and can generalise better when the rest carried little information.",
            ] },
            action: { session, args in try session.keepColumns(args) }),
        StatementSpec(
            name: "target", category: .explore,
            positionals: [PositionalSpec("COLUMN", .name, doc: "the column to predict")],
            summary: "Choose the column to predict.",
            explanation: "The previous target becomes a feature. A text target means classification; a numeric one regression unless `task classification` says otherwise.",
            examples: ["target sex"],
            explain: { session, _ in [
                "The model now learns to predict '\(session.data?.targetName ?? "the target")'; every other column is a feature.",
                "A target of a few labels is classification, of numbers regression (`task` says which when it is unclear).",
            ] },
            action: { session, args in try session.setTarget(args) }),
        StatementSpec(
            name: "encode", category: .explore,
            positionals: [
                PositionalSpec("METHOD", .word(["onehot"]), doc: "onehot: one 0/1 indicator column per category"),
                PositionalSpec("COLUMNS", .nameList, doc: "the text columns to encode"),
            ],
            summary: "Turn text columns into numbers (one-hot indicator columns).",
            explanation: """
                Each category of the column becomes a 0/1 column (island_Biscoe, island_Dream, …), as \
                pandas.get_dummies does. Categories come from the training rows; at `predict`, a category \
                never seen in training gives all zeros (scikit-learn's handle_unknown='ignore'), with a note.
                """,
            examples: ["encode onehot island", "encode onehot island,sex"],
            explain: { _, _ in [
                "One-hot encoding turns a text column of k categories into k columns of 0 and 1, one per category.",
                "Numbering the categories 0, 1, 2 would tell the network an order and distances that do not exist.",
                "The categories come from the training rows; an unseen one at `predict` becomes all zeros.",
            ] },
            action: { session, args in try session.encode(args) }),
        StatementSpec(
            name: "outliers", category: .explore,
            positionals: [PositionalSpec("COLUMNS", .nameList, optional: true, doc: "the columns to look at (default: every numeric feature)")],
            keys: [
                KeySpec("method", .word(OutlierMethod.allCases.map(\.rawValue)), default: "iqr",
                        doc: "iqr: outside Q1 - k·IQR and Q3 + k·IQR (box-plot whiskers); zscore: more than k standard deviations from the mean"),
                KeySpec("k", .number(min: 0, max: 100, minExclusive: true), doc: "the fence distance (default 1.5 for iqr, 3 for zscore)"),
            ],
            summary: "Find outliers per column and draw box plots.",
            explanation: """
                For each numeric column: the quartiles, the fences and the rows outside them, fitted on the \
                training rows, then a box plot of every column on a shared axis. `clip outliers` or `drop \
                outliers` then acts on what was found.
                """,
            examples: ["outliers", "outliers method=zscore k=3", "outliers bill_length_mm,body_mass_g"],
            explain: { _, _ in [
                "An outlier lies beyond Tukey's fences: more than 1.5 × IQR (the box's height) below the first quartile or above the third.",
                "A few extreme values can squeeze every other row into a corner after min-max scaling.",
                "`clip outliers` caps them at the fences; `drop outliers` removes their rows.",
            ] },
            action: { session, args in try session.outliers(args) }),
        StatementSpec(
            name: "clip", category: .explore,
            positionals: [PositionalSpec("WHAT", .word(["outliers"]), doc: "outliers: cap what the last `outliers` found at its fences")],
            summary: "Cap the outliers found by `outliers` at the fences.",
            explanation: "Every value below the low fence becomes the low fence, every value above the high fence the high fence, in all rows and in later `predict` rows.",
            examples: ["clip outliers"],
            explain: { _, _ in [
                "Values beyond the fences are now at the fences: the rows stay, but their extreme values no longer dominate.",
                "Clipping is part of the pipeline: `predict` clips new rows the same way.",
            ] },
            action: { session, args in try session.clipOutliers(args) }),
        StatementSpec(
            name: "corr", category: .explore,
            keys: [
                KeySpec("method", .word(CorrelationMethod.allCases.map(\.rawValue)), default: "pearson",
                        doc: "pearson (linear) or spearman (rank) correlation"),
                KeySpec("threshold", .number(min: 0, max: 1), default: 0.9, doc: "list the pairs with |r| at least this"),
            ],
            summary: "The correlation matrix of the features, and pairs that are redundant.",
            explanation: """
                A heatmap of the correlation between every two numeric features (on the training rows), then \
                the pairs with |r| >= threshold: nearly the same information twice, so one of each pair can \
                go. It ends with the `drop` statement that would remove one of each.
                """,
            examples: ["corr", "corr method=spearman threshold=0.8"],
            explain: { _, _ in [
                "Pearson's r runs from −1 to 1: near ±1 two features move together, near 0 they are unrelated (linearly).",
                "Of a pair with |r| above 0.9 one feature adds little: dropping it is feature selection.",
            ] },
            action: { session, args in try session.correlation(args) }),
        StatementSpec(
            name: "report", category: .explore,
            positionals: [PositionalSpec("FILE", .path, doc: "the HTML file to write")],
            summary: "Write the session so far as one offline HTML page.",
            explanation: "A lab report in one HTML file with no scripts and no external files: first the data (source, rows, features, target and classes), the pipeline (split, steps, scaling), the model (layers and the table of `summary`) and the training (final loss and accuracy, and the loss and accuracy curves as charts); then every statement run so far with its output, tables and pictures, the epoch lines folded away.",
            examples: ["report \"session.html\""],
            explain: { _, _ in [
                "The page opens with the data, the pipeline, the model and the training curves, then holds every statement with its output, tables and pictures: a lab report to hand in or share.",
                "It is one offline file: no server, no scripts from the internet.",
            ] },
            action: { session, args in try session.report(args) }),
    ]
}
