import Tabular

extension StatementTable {
    static let dataStatements: [StatementSpec] = [LoadCommand.spec, TaskCommand.spec, SplitCommand.spec, ScaleCommand.spec]
}

/// The names `load` accepts besides file paths.
enum DataSources {
    static var names: [String] { BundledData.names + Generated.names + ["shapes", "mnist"] }

    static func looksLikePath(_ word: String) -> Bool {
        word.contains("/") || word.contains(".") || word.hasPrefix("~")
    }
}

/// `load`.
struct LoadCommand: Command {
    static let source = Positional<Value>.raw(
        "SOURCE", .dataSource,
        doc: "a bundled data set (iris, breast_cancer, digits, diabetes, penguins), a generated one (moons, circles, xor, spiral, blobs, shapes), mnist, or a CSV file path")
    static let folder = Positional<String?>.path("FOLDER", doc: "mnist only: the folder with the four MNIST IDX files (plain or .gz)")
    static let target = Key<String?>.name("target", doc: "the column to predict (default: a bundled set's known target, or a CSV's last column)")
    static let n = Key<Int>.integer("n", min: 4, max: 10_000_000, default: 500, doc: "rows to generate (shapes: default \(shapesDefaults.n))")
    static let noise = Key<Double>.number("noise", .number(min: 0, max: 10), default: 0.1, doc: "standard deviation of the Gaussian noise added to generated points")
    static let classes = Key<Int>.integer("classes", min: 2, max: 100, default: 2, doc: "classes to generate (spiral, blobs; shapes: 2 to 4, default \(shapesDefaults.classes))")
    static let size = Key<Int>.integer("size", min: 8, max: 128, default: 28, doc: "shapes only: image height and width in pixels")
    static let features = Key<Int>.integer("features", min: 2, max: 10_000, default: 2, doc: "features to generate (blobs)")
    static let seed = Key<Int?>.integer("seed", min: 0, doc: "seed for generated data (default: the session seed)")
    /// `load shapes` draws more rows and classes than the 2-D generators' `n=` and
    /// `classes=` defaults: a CNN needs a few hundred images per class.
    static let shapesDefaults = (n: 2000, classes: 4)
    static let spec = StatementSpec(
        name: "load", category: .data, positionals: [source.spec, folder.spec], keys: [target.spec, n.spec, noise.spec, classes.spec, size.spec, features.spec, seed.spec],
        summary: "Load a CSV file, a bundled data set or a generated one.",
        explanation: """
                `load mnist FOLDER` reads the four MNIST IDX files and uses the t10k files as the test split; \
                `load shapes` draws circles, squares, triangles and crosses for convolutional networks. \
                A CSV file needs a header row; quoted fields, CRLF line ends and missing cells (empty or NA) \
                are understood. The target is the last column unless `target=` names another. A text target \
                means classification; a numeric target means regression unless `task classification` says \
                otherwise. A relative path starts from the working directory, in a script too. Loading replaces \
                the session's data and forgets any split, scaling and trained weights. Ctrl-C stops the load of \
                a large file and keeps the data that was there.
                """,
        examples: ["load iris", "load \"datasets/iris.csv\" target=species", "load moons n=1000 noise=0.2"],
        command: LoadCommand.self)

    /// The data set's name or the file's path, as written.
    let source: Placed<String>
    /// Whether it was written as a word (a name to look up) rather than a quoted path.
    let isName: Bool
    let folder: Placed<String?>
    let target: Placed<String?>
    let rows: Placed<Int>
    let noise: Placed<Double>
    let classes: Placed<Int>
    let size: Placed<Int>
    let features: Placed<Int>
    let seed: Placed<Int?>
    let statement: SourceRange
    init(_ args: Arguments) { 
        let source = args[Self.source]
        self.source = Placed(value: Arguments.text(of: source), range: source.range, given: true)
        if case .word = source.kind { isName = true } else { isName = false }
        folder = args.placed(Self.folder); target = args.placed(Self.target); rows = args.placed(Self.n)
        noise = args.placed(Self.noise); classes = args.placed(Self.classes); size = args.placed(Self.size)
        features = args.placed(Self.features); seed = args.placed(Self.seed); statement = args.statement.range
        keyRanges = Dictionary(uniqueKeysWithValues: [Self.n, Self.classes, Self.size, Self.features].map { ($0.name, args.keyRange(of: $0)) }
                               + [(Self.noise.name, args.keyRange(of: Self.noise)), (Self.seed.name, args.keyRange(of: Self.seed))])
     }
    /// The first key of the generators that was written (in the order of the old checks).
    private var givenGeneratorKey: (String, SourceRange)? {
        let keys = [("n", rows.given), ("noise", noise.given), ("classes", classes.given), ("features", features.given),
                    ("seed", seed.given), ("size", size.given)]
        return keys.first { $0.1 }.map { ($0.0, keyRanges[$0.0] ?? statement) }
    }

    /// Where each generator key was written, key included (its errors point at the key).
    private let keyRanges: [String: SourceRange]

    /// `load shapes`'s rows and classes: its own defaults unless given.
    var shapesRows: Int { rows.given ? rows.value : Self.shapesDefaults.n }
    var shapesClasses: Int { classes.given ? classes.value : Self.shapesDefaults.classes }

    func check() throws {
        let name = isName ? source.value : ""
        if name == "mnist" {
            if !folder.given {
                throw Diagnostic("load mnist needs the folder that holds the MNIST files", at: statement,
                                 hint: "e.g. `load mnist \"data/mnist\"` (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-…; plain or .gz)")
            }
        } else if let extra = folder.value {
            throw Diagnostic("unexpected argument '\(extra)' for load", at: folder.range, hint: "a folder is given to `load mnist` only")
        }
        if name == "shapes" || Generated.names.contains(name) {
            if size.given && name != "shapes" {
                throw Diagnostic("'size=' applies to `load shapes` only", at: keyRanges["size"] ?? statement, hint: "remove `size=...`")
            }
            let perRow = name == "shapes" ? size.value * size.value : features.value
            let cells = (name == "shapes" ? shapesRows : rows.value) * perRow
            if cells > 100_000_000 {
                throw Diagnostic("n × features = \(Format.grouped(cells)) values is too large to generate (the limit is 100,000,000)",
                                 at: statement, hint: "ask for fewer rows or features")
            }
            if target.given {
                throw Diagnostic("'target=' applies to CSV files; generated data sets predict 'class'",
                                 at: target.range, hint: "remove `target=...`")
            }
        } else if let (key, range) = givenGeneratorKey {
            throw Diagnostic("'\(key)=' applies to generated data sets (\((Generated.names + ["shapes"]).joined(separator: ", "))) only",
                             at: range, hint: "remove `\(key)=...` or load e.g. `load moons \(key)=...`")
        }
    }

    func run(in session: Session) throws { try session.load(self) }
    func explain(in session: Session) -> [String] { session.explainLoad() }
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
