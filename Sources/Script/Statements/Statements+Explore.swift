import Tabular

extension StatementTable {
    static let exploreStatements: [StatementSpec] = [
        HeadCommand.spec, TailCommand.spec, ColumnsCommand.spec, DescribeCommand.spec, MissingCommand.spec, ImputeCommand.spec,
        DropNACommand.spec, DropCommand.spec, KeepCommand.spec, TargetCommand.spec, EncodeCommand.spec, OutliersCommand.spec,
        ClipCommand.spec, CorrCommand.spec, ReportCommand.spec,
    ]
}

/// `head`.
struct HeadCommand: Command {
    static let n = Positional<Int>.integer("N", min: 1, max: 10_000, default: 5, doc: "how many rows")
    static let spec = StatementSpec(
        name: "head", category: .explore, positionals: [n.spec],
        summary: "Show the first rows of the table.",
        explanation: "Rows as an aligned table with their row numbers (from 0, as in pandas); tables wider than the terminal are elided in the middle.",
        examples: ["head", "head 10"],
        command: HeadCommand.self)

    let n: Int
    init(_ args: Arguments) { n = args[Self.n] }

    func run(in session: Session) throws { try session.head(n, fromEnd: false) }
    func explain(in session: Session) -> [String] { [
        "These are rows as the model will see them, before scaling: one row per example, one column per feature.",
        "Look for text columns (they need `encode`), gaps (NA: `impute`) and columns on very different scales (`scale`).",
    ] }
}

/// `tail`.
struct TailCommand: Command {
    static let n = Positional<Int>.integer("N", min: 1, max: 10_000, default: 5, doc: "how many rows")
    static let spec = StatementSpec(
        name: "tail", category: .explore, positionals: [n.spec],
        summary: "Show the last rows of the table.",
        explanation: "Like `head`, from the end of the table.",
        examples: ["tail", "tail 3"],
        command: TailCommand.self)

    let n: Int
    init(_ args: Arguments) { n = args[Self.n] }

    func run(in session: Session) throws { try session.head(n, fromEnd: true) }
    func explain(in session: Session) -> [String] { [
        "The last rows: files are often sorted, so the end can look quite unlike the start.",
        "A sorted file is one reason `split` shuffles before it cuts.",
    ] }
}

/// `columns`.
struct ColumnsCommand: Command {
    static let spec = StatementSpec(
        name: "columns", category: .explore,
        summary: "List the columns: type, missing and distinct values, role.",
        explanation: "Each column's type (number, integer or text), how many cells are missing, how many distinct values it has, and whether it is a feature, the target, or dropped. A target of classes is followed by each class's rows (the largest and smallest five beyond ten classes) and a note when they are imbalanced.",
        examples: ["columns"],
        command: ColumnsCommand.self)

    init(_ args: Arguments) {}

    func run(in session: Session) throws { try session.columns() }
    func explain(in session: Session) -> [String] { [
        "A column's type decides what it needs: numbers can go in as they are, text needs `encode`, gaps need `impute`.",
        "The target is the column the model learns to predict; every other column is a feature.",
    ] }
}

/// `describe`.
struct DescribeCommand: Command {
    static let spec = StatementSpec(
        name: "describe", category: .explore,
        summary: "Summary statistics of every column, as pandas' describe().",
        explanation: "For numeric columns: count, mean, standard deviation, min, quartiles and max (to 4 significant digits); for text columns: count, distinct values, the most frequent one and its count. Then, for a target of classes, each class's rows, as `columns` shows them.",
        examples: ["describe"],
        command: DescribeCommand.self)

    init(_ args: Arguments) {}

    func run(in session: Session) throws { try session.describe() }
    func explain(in session: Session) -> [String] { [
        "count, mean, std, min, the quartiles and max of each column, as pandas' describe() prints them.",
        "Ranges far apart (one feature in thousands, another below 1) call for `scale`.",
        "A max far above the 75% quartile hints at outliers: `outliers` draws them.",
    ] }
}

/// `missing`.
struct MissingCommand: Command {
    static let spec = StatementSpec(
        name: "missing", category: .explore,
        summary: "Count the missing cells of each column.",
        explanation: "Missing cells (empty or NA in the CSV) per column, as counts, percentages and bars. Networks cannot take them: `impute` fills them, `dropna` drops their rows.",
        examples: ["missing"],
        command: MissingCommand.self)

    init(_ args: Arguments) {}

    func run(in session: Session) throws { try session.missing() }
    func explain(in session: Session) -> [String] { [
        "A network multiplies numbers: a missing cell has no number, so it must be filled or its row dropped before `train`.",
        "`impute median` fills from the training rows; `dropna` removes the rows; `drop COL` removes a column that is mostly empty.",
    ] }
}

/// `impute`.
struct ImputeCommand: Command {
    static let strategy = Positional<String?>.word("STRATEGY", ["mean", "median", "mode"], doc: "mean or median (numbers), mode (the most frequent value, also for text)")
    static let columns = Positional<[String]?>.names("COLUMNS", doc: "the columns to fill (default: every feature column with missing cells)")
    static let constant = Key<String?>.name("constant", doc: "fill with this value instead of a statistic")
    static let spec = StatementSpec(
        name: "impute", category: .explore, positionals: [strategy.spec, columns.spec], keys: [constant.spec],
        summary: "Fill missing cells with a statistic of the training rows.",
        explanation: """
                The mean, median or most frequent value is computed on the training rows (all rows before a \
                split) and written into the missing cells. Without a column list every feature column with \
                missing cells is filled, text columns with their most frequent value. The fill is recorded, \
                so `predict` treats new rows the same way.
                """,
        examples: ["impute median", "impute mean bill_length_mm,bill_depth_mm", "impute constant=unknown sex"],
        command: ImputeCommand.self)

    let strategy: Placed<String?>
    let columns: Placed<[String]?>
    let constant: Placed<String?>
    let statement: SourceRange
    init(_ args: Arguments) { strategy = args.placed(Self.strategy); columns = args.placed(Self.columns); constant = args.placed(Self.constant); statement = args.statement.range }
    func check() throws {
        if constant.given && strategy.given {
            throw Diagnostic("give either a strategy or constant=, not both", at: constant.range,
                             hint: "e.g. `impute median` or `impute constant=0`")
        }
        if !constant.given && !strategy.given {
            throw Diagnostic("impute needs a strategy: mean, median, mode or constant=VALUE", at: statement,
                             hint: "e.g. `impute median` or `impute constant=unknown sex`")
        }
    }

    func run(in session: Session) throws { try session.impute(self) }
    func explain(in session: Session) -> [String] { [
        "The filling values were computed on \(session.fitRowsPhrase) only, so nothing about the test rows leaks into training.",
        "The same values fill gaps in new rows at `predict`; the median resists outliers better than the mean.",
    ] }
}

/// `dropna`.
struct DropNACommand: Command {
    static let columns = Positional<[String]?>.names("COLUMNS", doc: "only look at these columns (default: all)")
    static let spec = StatementSpec(
        name: "dropna", category: .explore, positionals: [columns.spec],
        summary: "Drop the rows that have missing cells.",
        explanation: "Removes every row with a missing cell (in the given columns, or in any column) and says how many went. A split made before keeps its remaining rows.",
        examples: ["dropna", "dropna sex"],
        command: DropNACommand.self)

    let columns: Placed<[String]?>
    init(_ args: Arguments) { columns = args.placed(Self.columns) }

    func run(in session: Session) throws { try session.dropMissingRows(columns) }
    func explain(in session: Session) -> [String] { [
        "Rows with a missing cell are gone: no invented values, but fewer rows to learn from.",
        "When many rows go, `impute` keeps them instead.",
    ] }
}

/// `drop`.
struct DropCommand: Command {
    static let columns = Positional<[String]>.names("COLUMNS", doc: "the columns to remove, or the word outliers")
    static let spec = StatementSpec(
        name: "drop", category: .explore, positionals: [columns.spec],
        summary: "Remove columns (or, after `outliers`, the rows with outliers).",
        explanation: """
                `drop year,sex` removes those columns from the features (`columns` still lists them as \
                dropped). `drop outliers` removes the training rows that the last `outliers` flagged.
                """,
        examples: ["drop year", "drop outliers"],
        command: DropCommand.self)

    let columns: Placed<[String]>
    init(_ args: Arguments) { columns = args.placed(Self.columns) }

    func run(in session: Session) throws { try session.dropColumns(columns) }
    func explain(in session: Session) -> [String] { [
        "Fewer features means fewer weights to learn: an id, a constant or a near copy of another column only adds noise.",
        "`corr` shows which features repeat each other.",
    ] }
}

/// `keep`.
struct KeepCommand: Command {
    static let columns = Positional<[String]>.names("COLUMNS", doc: "the columns to keep (the target always stays)")
    static let spec = StatementSpec(
        name: "keep", category: .explore, positionals: [columns.spec],
        summary: "Keep only these columns (and the target).",
        explanation: "The opposite of `drop`: every other feature column is removed.",
        examples: ["keep petal_length_cm,petal_width_cm"],
        command: KeepCommand.self)

    let columns: Placed<[String]>
    init(_ args: Arguments) { columns = args.placed(Self.columns) }

    func run(in session: Session) throws { try session.keepColumns(columns) }
    func explain(in session: Session) -> [String] { [
        "Only these features (and the target) remain: choosing features by hand is feature selection.",
        "Fewer inputs train faster and can generalise better when the rest carried little information.",
    ] }
}

/// `target`.
struct TargetCommand: Command {
    static let column = Positional<String>.name("COLUMN", doc: "the column to predict")
    static let spec = StatementSpec(
        name: "target", category: .explore, positionals: [column.spec],
        summary: "Choose the column to predict.",
        explanation: "The previous target becomes a feature. A text target means classification; a numeric one regression unless `task classification` says otherwise.",
        examples: ["target sex"],
        command: TargetCommand.self)

    let column: Placed<String>
    init(_ args: Arguments) { column = args.placed(Self.column) }

    func run(in session: Session) throws { try session.setTarget(column) }
    func explain(in session: Session) -> [String] { [
        "The model now learns to predict '\(session.data?.targetName ?? "the target")'; every other column is a feature.",
        "A target of a few labels is classification, of numbers regression (`task` says which when it is unclear).",
    ] }
}

/// `encode`.
struct EncodeCommand: Command {
    static let method = Positional<String>.word("METHOD", ["onehot", "date"],
                                                doc: "onehot: one 0/1 indicator column per category; date: the parts of a date column as numbers")
    static let columns = Positional<[String]>.names("COLUMNS", doc: "the text (or date) columns to encode")
    static let cyclic = Flag("cyclic", doc: "date only: add the sine and cosine of the month and of the weekday")
    static let spec = StatementSpec(
        name: "encode", category: .explore, positionals: [method.spec, columns.spec], flags: [cyclic.spec],
        summary: "Turn text columns into numbers: one-hot indicator columns, or a date's parts.",
        explanation: """
                `encode onehot`: each category of the column becomes a 0/1 column (island_Biscoe, \
                island_Dream, …), as pandas.get_dummies does. Categories come from the training rows; at \
                `predict`, a category never seen in training gives all zeros (scikit-learn's \
                handle_unknown='ignore'), with a note. A column of more than 50 distinct values gets a \
                warning: that many rare indicators rarely help, and `drop` is often better. \
                `encode date`: a date column (ISO dates, e.g. 2012-01-31) becomes COL_year, COL_month, \
                COL_day, COL_weekday (Monday 0) and COL_dayofyear, plus COL_hour when it has times; \
                `cyclic` adds COL_month_sin, COL_month_cos, COL_weekday_sin and COL_weekday_cos, which \
                put December next to January. `predict`, saved models and exports take the date as written.
                """,
        examples: ["encode onehot island", "encode onehot island,sex", "encode date date", "encode date date cyclic"],
        command: EncodeCommand.self)

    let isDate: Bool
    let columns: Placed<[String]>
    let cyclic: Bool
    let statement: SourceRange
    init(_ args: Arguments) {
        isDate = args[Self.method] == "date"
        columns = args.placed(Self.columns)
        cyclic = args[Self.cyclic]
        statement = args.statement.range
    }

    func check() throws {
        if cyclic && !isDate {
            throw Diagnostic("`cyclic` adds sine and cosine parts to `encode date`; one-hot columns have none", at: statement,
                             hint: "remove `cyclic`, or use `encode date COLUMN cyclic` for a date column")
        }
    }

    func run(in session: Session) throws {
        if isDate { try session.encodeDates(columns, cyclic: cyclic) } else { try session.encode(columns) }
    }

    func explain(in session: Session) -> [String] {
        if isDate { return [
            "A date as text means nothing to a network, and one-hot encoding makes one rare column per day, useless for days never seen.",
            "Its parts are numbers a network can use: the year for a trend, the month and day of year for the season, the weekday for weekly rhythms.",
            "The sine and cosine pairs (`cyclic`) make the calendar a circle: December is next to January, not 11 apart.",
        ] }
        return [
            "One-hot encoding turns a text column of k categories into k columns of 0 and 1, one per category.",
            "Numbering the categories 0, 1, 2 would tell the network an order and distances that do not exist.",
            "The categories come from the training rows; an unseen one at `predict` becomes all zeros.",
        ]
    }
}

/// `outliers`.
struct OutliersCommand: Command {
    static let columns = Positional<[String]?>.names("COLUMNS", doc: "the columns to look at (default: every numeric feature)")
    static let method = Key<OutlierMethod>.choice("method", default: .iqr,
                                                doc: "iqr: outside Q1 - k·IQR and Q3 + k·IQR (box-plot whiskers); zscore: more than k standard deviations from the mean")
    static let k = Key<Double?>.number("k", .number(min: 0, max: 100, minExclusive: true), doc: "the fence distance (default 1.5 for iqr, 3 for zscore)")
    static let spec = StatementSpec(
        name: "outliers", category: .explore, positionals: [columns.spec], keys: [method.spec, k.spec],
        summary: "Find outliers per column and draw box plots.",
        explanation: """
                For each numeric column: the quartiles, the fences and the rows outside them, fitted on the \
                training rows, then a box plot of every column on a shared axis. `clip outliers` or `drop \
                outliers` then acts on what was found.
                """,
        examples: ["outliers", "outliers method=zscore k=3", "outliers bill_length_mm,body_mass_g"],
        command: OutliersCommand.self)

    let columns: Placed<[String]?>
    let method: OutlierMethod
    let k: Double?
    let statement: SourceRange
    init(_ args: Arguments) { columns = args.placed(Self.columns); method = args[Self.method]; k = args[Self.k]; statement = args.statement.range }

    func run(in session: Session) throws { try session.outliers(self) }
    func explain(in session: Session) -> [String] { [
        "An outlier lies beyond Tukey's fences: more than 1.5 × IQR (the box's height) below the first quartile or above the third.",
        "A few extreme values can squeeze every other row into a corner after min-max scaling.",
        "`clip outliers` caps them at the fences; `drop outliers` removes their rows.",
    ] }
}

/// `clip`.
struct ClipCommand: Command {
    static let what = Positional<String>.word("WHAT", ["outliers"], doc: "outliers: cap what the last `outliers` found at its fences")
    static let spec = StatementSpec(
        name: "clip", category: .explore, positionals: [what.spec],
        summary: "Cap the outliers found by `outliers` at the fences.",
        explanation: "Every value below the low fence becomes the low fence, every value above the high fence the high fence, in all rows and in later `predict` rows.",
        examples: ["clip outliers"],
        command: ClipCommand.self)

    let statement: SourceRange
    init(_ args: Arguments) { statement = args.statement.range }

    func run(in session: Session) throws { try session.clipOutliers(at: statement) }
    func explain(in session: Session) -> [String] { [
        "Values beyond the fences are now at the fences: the rows stay, but their extreme values no longer dominate.",
        "Clipping is part of the pipeline: `predict` clips new rows the same way.",
    ] }
}

/// `corr`.
struct CorrCommand: Command {
    static let method = Key<CorrelationMethod>.choice("method", default: .pearson, doc: "pearson (linear) or spearman (rank) correlation")
    static let threshold = Key<Double>.number("threshold", .number(min: 0, max: 1), default: 0.9, doc: "list the pairs with |r| at least this")
    static let spec = StatementSpec(
        name: "corr", category: .explore, keys: [method.spec, threshold.spec],
        summary: "The correlation matrix of the features, and pairs that are redundant.",
        explanation: """
                A heatmap of the correlation between every two numeric features (on the training rows), then \
                the pairs with |r| >= threshold: nearly the same information twice, so one of each pair can \
                go. It ends with the `drop` statement that would remove one of each.
                """,
        examples: ["corr", "corr method=spearman threshold=0.8"],
        command: CorrCommand.self)

    let method: CorrelationMethod
    let threshold: Double
    let statement: SourceRange
    init(_ args: Arguments) { method = args[Self.method]; threshold = args[Self.threshold]; statement = args.statement.range }

    func run(in session: Session) throws { try session.correlation(method: method, threshold: threshold, at: statement) }
    func explain(in session: Session) -> [String] { [
        "Pearson's r runs from −1 to 1: near ±1 two features move together, near 0 they are unrelated (linearly).",
        "Of a pair with |r| above 0.9 one feature adds little: dropping it is feature selection.",
    ] }
}

/// `report`.
struct ReportCommand: Command {
    static let file = Positional<String>.path("FILE", doc: "the HTML file to write")
    static let spec = StatementSpec(
        name: "report", category: .explore, positionals: [file.spec],
        summary: "Write a lab report of the current data set as one offline HTML page.",
        explanation: "A lab report in one HTML file with no scripts and no external files, covering the current data set from its `load`: the data (source, rows, features, target and classes), the pipeline (split, steps, scaling), the model (layers, the table of `summary`, the loss it trains with), the training (final loss and accuracy, the loss and accuracy curves) and the results: the last `evaluate`'s figures with the confusion matrix as a table and a picture (predicted against actual values for a regression), and the last sweep's table. Run `evaluate` first: the report shows what it measured and never measures the test rows itself. Then an appendix of the statements since the `load` with their output and pictures, the epoch lines folded away; statements that failed changed nothing and are only named. It prints on A4 with every line wrapped and each picture on one page.",
        examples: ["report \"session.html\""],
        command: ReportCommand.self)

    let file: Placed<String>
    init(_ args: Arguments) { file = args.placed(Self.file) }

    func run(in session: Session) throws { try session.report(to: file) }
    func explain(in session: Session) -> [String] { [
        "The page opens with the data, the pipeline, the model, the training curves and the results of the last `evaluate`, then lists the statements since the data was loaded with their output, tables and pictures: a lab report to hand in or share.",
        "It is one offline file: no server, no scripts from the internet.",
    ] }
}
