import DLCore
import Tabular

extension StatementTable {
    /// Statements for one long series: its sliding windows.
    static let seriesStatements: [StatementSpec] = [WindowCommand.spec]
}

/// `window STEPS [horizon=H] target=COL`: one long series becomes sliding windows.
struct WindowCommand: Command {
    static let steps = Positional<Int>.integer("STEPS", min: 1, max: 100_000, doc: "the steps (rows) each window holds")
    static let horizon = Key<Int>.integer("horizon", min: 1, max: 100_000, default: 1, doc: "how many steps after a window's last row its target lies")
    static let target = Key<String?>.name("target", doc: "the column to forecast (default: the data's target, its last column)")
    static let spec = StatementSpec(
        name: "window", category: .data, positionals: [steps.spec], keys: [horizon.spec, target.spec],
        summary: "Turn one long series (rows over time) into sliding windows that forecast a column.",
        explanation: """
            For a CSV of rows over time, oldest first, with one or more numeric columns (a date column \
            is left out). Window i holds rows i to i + STEPS - 1 of every numeric column (steps x \
            channels, channel fastest) and its target is the `target=` column `horizon` rows after its \
            last row: `window 24` on 144 rows gives 120 windows. The task becomes regression, and each \
            row of the data is now a window. `split 0.8` then splits by time, never by shuffling: the \
            test windows come after every training window, and the windows that straddle the cut are \
            left out so that no step is in both. A `load … test=` file's rows are the series' later rows, \
            and it stays the test split: the windows are split by time where it starts. `predict` \
            without values forecasts from the last \
            window; `plot forecast` draws the series, the test predictions and the forecast. `save model` \
            keeps the windowing (steps, horizon, target, channels): after `load model`, `predict \
            "recent.csv"` forecasts from a file's last STEPS rows, and the ONNX, Keras and PyTorch \
            exports take or build the same windows.
            """,
        examples: ["window 24", "window 12 horizon=3 target=passengers"],
        command: WindowCommand.self)

    let steps: Placed<Int>
    let horizon: Placed<Int>
    let target: Placed<String?>
    let statement: SourceRange
    init(_ args: Arguments) {
        steps = args.placed(Self.steps); horizon = args.placed(Self.horizon); target = args.placed(Self.target)
        statement = args.statement.range
    }

    func run(in session: Session) throws { try session.window(self) }
    func explain(in session: Session) -> [String] { session.explainWindow() }
}

/// `load waves`: sines of several frequencies with noise, one class per frequency.
struct LoadWavesCommand: Command {
    static let n = Key<Int>.integer("n", min: 4, max: 10_000_000, default: 600, doc: "series to generate")
    static let steps = Key<Int>.integer("steps", min: 4, max: 100_000, default: 100, doc: "values in each series")
    static let classes = Key<Int>.integer("classes", min: 2, max: 20, default: 3, doc: "frequencies: class k makes k cycles over the series")
    static let noise = Key<Double>.number("noise", .number(min: 0, max: 10), default: 0.3, doc: "standard deviation of the Gaussian noise at each step")
    static let spec = StatementSpec(
        name: "load waves", category: .data,
        keys: [n.spec, steps.spec, classes.spec, noise.spec, GeneratorKeys.seed.spec],
        summary: "Generate series of sines of several frequencies with noise, one class per frequency.",
        explanation: """
            Each row is one series of `steps` values: a sine making 1, 2, 3, … full cycles (the class) with \
            a random phase and amplitude, plus Gaussian noise. The phase makes it a sequence problem: no \
            single step tells the class, the shape over time does. The rows are series already (`input` \
            is set to STEPSx1); `plot series 0` draws one.
            """,
        examples: ["load waves", "load waves n=1000 steps=50 classes=4 noise=0.5"],
        command: LoadWavesCommand.self)

    let n: Int, steps: Int, classes: Int, noise: Double, seed: Int?
    let statement: SourceRange
    init(_ args: Arguments) {
        n = args[Self.n]; steps = args[Self.steps]; classes = args[Self.classes]; noise = args[Self.noise]
        seed = args[GeneratorKeys.seed]; statement = args.statement.range
    }

    func check() throws { try GeneratorKeys.checkSize(rows: n, perRow: steps, at: statement) }
    func run(in session: Session) throws { try session.loadWaves(self) }
    func explain(in session: Session) -> [String] { session.explainLoad() }
}

/// `plot series N` or `plot series 1,2,3`.
struct PlotSeriesCommand: Command {
    static let rows = Positional<[Double]>.numbers("ROWS", doc: "the row to draw, or several separated by commas to overlay them")
    static let spec = StatementSpec(
        name: "plot series", category: .explore, positionals: [rows.spec], writesTo: true,
        summary: "Draw one series (a row) over its steps, coloured by its class, or overlay several.",
        explanation: "For data whose rows are series (`input 150x1`, `load waves`, `window`): the values of the row over its steps, one line per channel, in the colour of its class, so rows of one class look alike and others differ. Several rows (`plot series 0,1,2`) share the axes.",
        examples: ["plot series 0", "plot series 0,1,2", "plot series 3 to \"series.svg\""],
        command: PlotSeriesCommand.self)

    let destination: Placed<String?>
    let rows: Placed<[Double]>
    init(_ args: Arguments) { destination = args.destination; rows = args.placed(Self.rows) }

    func run(in session: Session) throws { try session.draw(try session.seriesChart(rows: rows), to: destination) }
    func explain(in session: Session) -> [String] { [
        "Each line is one row's values in order of time; its colour is its class.",
        "Rows of one class should share a shape; what tells the classes apart is what a sequence model must learn.",
    ] }
}

/// `plot forecast`.
struct PlotForecastCommand: Command {
    static let spec = StatementSpec(
        name: "plot forecast", category: .explore, writesTo: true,
        summary: "Draw the series, the model's predictions for the test windows and its forecast from the last window.",
        explanation: "After `window` and `train`: the actual values of the forecast column over time, the trained model's predictions at the times of the test windows (of every window without a split), and the forecast `horizon` steps after the end, which `predict` prints.",
        examples: ["plot forecast", "plot forecast to \"forecast.svg\""],
        command: PlotForecastCommand.self)

    let destination: Placed<String?>
    init(_ args: Arguments) { destination = args.destination }

    func run(in session: Session) throws { try session.draw(try session.forecastChart(), to: destination) }
    func explain(in session: Session) -> [String] { [
        "The line of actual values is the series as loaded; the predictions sit where the test windows' targets are.",
        "Where the predictions follow the actual line only one step late, the model mostly repeats the last value: compare it with that naive forecast.",
    ] }
}
