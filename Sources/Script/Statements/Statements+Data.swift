import DLCore
import Tabular

extension StatementTable {
    static let dataStatements: [StatementSpec] = loadStatements + [TaskCommand.spec, SplitCommand.spec, ScaleCommand.spec, ScaleTargetCommand.spec]
        + seriesStatements
}

/// The names `load` accepts besides file paths.
enum DataSources {
    static var names: [String] { BundledData.names + Generated.names + ["shapes", "mnist", "waves"] }

    static func looksLikePath(_ word: String) -> Bool {
        word.contains("/") || word.contains(".") || word.hasPrefix("~")
    }
}

/// `task`.
struct TaskCommand: Command {
    static let kind = Positional<String>.word("KIND", ["classification", "regression"], doc: "classification (class labels) or regression (numbers)")
    static let spec = StatementSpec(
        name: "task", category: .data, positionals: [kind.spec],
        summary: "Say whether the target holds classes or numbers to predict.",
        explanation: """
                A text target holds classes. A numeric target is a regression, except that one with exactly \
                two values (0/1 labels) is two classes while the model ends in one sigmoid unit (`dense 1 \
                sigmoid`: binary cross-entropy, as in Keras). `task classification` makes each distinct \
                target value a class; `task regression` keeps numbers numbers; either wins over those rules. \
                Applies to the loaded data and to later loads. A change of task starts the weights afresh: \
                the next `train` builds a new network.
                """,
        examples: ["task classification", "task regression"],
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
                applied to the test rows and to every later `predict`. `scale target standard` scales a \
                regression target the same way.
                """,
        examples: ["scale minmax", "scale standard"],
        command: ScaleCommand.self)

    let method: ScalingMethod
    let statement: SourceRange
    init(_ args: Arguments) { method = args[Self.method]; statement = args.statement.range }

    func run(in session: Session) throws { try session.scale(method, at: statement) }
    func explain(in session: Session) -> [String] { session.explainScale() }
}

/// `scale target`.
struct ScaleTargetCommand: Command {
    static let method = Positional<ScalingMethod>.choice(
        "METHOD", doc: "standard maps the target to mean 0 and std 1; minmax to [0, 1]; none removes the target's scaling")
    static let spec = StatementSpec(
        name: "scale target", category: .data, positionals: [method.spec],
        summary: "Scale a regression target for training; results stay in its own units.",
        explanation: """
                A target in the thousands (or one far from 0) makes the first gradients huge, and training \
                diverges at a rate that suits scaled features. `scale target standard` fits the target's mean \
                and std on the training rows; the network learns the scaled values, and `evaluate` (MAE, RMSE, \
                R²), `predict`, the plots, `save model` and every export map its outputs back to the target's \
                units. Only the loss is on the scaled target. For regression only.
                """,
        examples: ["scale target standard", "scale target none"],
        command: ScaleTargetCommand.self)

    let method: ScalingMethod
    let statement: SourceRange
    init(_ args: Arguments) { method = args[Self.method]; statement = args.statement.range }

    func run(in session: Session) throws { try session.scaleTarget(method, at: statement) }
    func explain(in session: Session) -> [String] { [
        "The network now learns the target on a small scale, so one learning rate suits the features and the target alike.",
        "Predictions are mapped back (x = x' / scale + offset), so every figure but the loss is in the target's own units.",
    ] }
}

extension StatementTable {
    /// `load SOURCE` and its members: `load mnist FOLDER`, `load shapes`, and one member per
    /// generated data set (`load moons`, …), each with only the keys it takes.
    static let loadStatements: [StatementSpec] = [LoadCommand.spec, LoadMNISTCommand.spec, LoadShapesCommand.spec, LoadWavesCommand.spec,
                                                   LoadImagesCommand.spec]
        + Generated.names.map(LoadGeneratedCommand.spec(for:))
}

/// `load SOURCE [target=COL]`: a bundled data set or a CSV file.
struct LoadCommand: Command {
    static let source = Positional<Value>.raw(
        "SOURCE", .dataSource,
        doc: "a bundled data set (iris, breast_cancer, digits, diabetes, penguins, seattle, cars, airline) or a CSV file path")
    static let target = Key<String?>.name("target", doc: "the column to predict (default: a bundled set's known target, or a CSV's last column)")
    static let test = Key<String?>.name("test", doc: "the data set's own test file, with the same columns: its rows become the test split")
    static let spec = StatementSpec(
        name: "load", category: .data, positionals: [source.spec], keys: [target.spec, test.spec] + CSVDialectKeys.specs,
        summary: "Load a CSV file, a bundled data set or a generated one.",
        explanation: """
            A CSV file needs a header row; quoted fields and CRLF line ends are understood. Missing cells \
            are empty or spelled as pandas spells them (NA, N/A, NULL, None, nan, #N/A, …); `na=` adds \
            more. `sep=`, `decimal=` and `thousands=` read files written another way, with pandas' names: \
            a European spreadsheet's export is `sep=";" decimal=","`, and `thousands=","` reads "1,234" \
            as a number. A column of ISO dates (2012-01-31, 2012-01-31 14:00, 2012-01-31T14:00:00Z) is \
            a date column, which `encode date` turns into numbers. \
            The target is the last column unless `target=` names another. A text target \
            means classification; a numeric target means regression unless `task classification` says \
            otherwise. A relative path starts from the working directory, in a script too. Loading replaces \
            the session's data and forgets any split, scaling and trained weights. Ctrl-C stops the load of \
            a large file and keeps the data that was there. `load mnist FOLDER` reads the MNIST IDX files, \
            `load shapes` draws images for convolutional networks, and `load moons`, `load circles`, \
            `load xor`, `load spiral` and `load blobs` generate points. `test="X_test.csv"` names the data \
            set's own test file (UCR's and many competitions' sets come with one): its rows, which need the \
            same columns, are the test split, and a later `split` keeps them. Series files as the UCR archive \
            hands them out are read too: `.tsv` and `.txt` without a header (a label, then the values) and \
            `.ts`; their target is `label`, a class, and their rows are series (`input` is set). Series of \
            unequal length are refused by line rather than padded, and so is an infinite value.
            """,
        examples: ["load iris", "load \"datasets/iris.csv\" target=species", "load \"GunPoint_TRAIN.tsv\" test=\"GunPoint_TEST.tsv\"",
                   "load \"sales.csv\" sep=\";\" decimal=\",\" thousands=\".\" na=\"NULL,N/A\""],
        command: LoadCommand.self)

    /// The data set's name or the file's path, as written.
    let source: Placed<String>
    /// Whether it was written as a word (a bundled set's name) rather than a quoted path.
    let isName: Bool
    let target: Placed<String?>
    /// The data set's own test file.
    let test: Placed<String?>
    /// How the file is written (`sep=`, `decimal=`, `thousands=`, `na=`).
    let dialectKeys: CSVDialectKeys.Given

    init(_ args: Arguments) {
        let source = args[Self.source]
        self.source = Placed(value: Arguments.text(of: source), range: source.range, given: true)
        if case .word = source.kind { isName = true } else { isName = false }
        target = args.placed(Self.target)
        test = args.placed(Self.test)
        dialectKeys = CSVDialectKeys.Given(args)
    }

    func check() throws { _ = try dialectKeys.dialect() }

    func run(in session: Session) throws { try session.load(self) }
    func explain(in session: Session) -> [String] { session.explainLoad() }
}

/// `load mnist FOLDER`: the four MNIST IDX files, with their own test split.
struct LoadMNISTCommand: Command {
    static let folder = Positional<String>.path("FOLDER", doc: "the folder with the four MNIST IDX files (plain or .gz)")
    static let spec = StatementSpec(
        name: "load mnist", category: .data, positionals: [folder.spec],
        summary: "Load the MNIST handwritten digits from their IDX files.",
        explanation: """
            Reads train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and \
            t10k-labels-idx1-ubyte (plain or .gz) from the folder; the t10k files are the test split.
            """,
        examples: ["load mnist \"data/mnist\""],
        command: LoadMNISTCommand.self)

    let folder: Placed<String>
    init(_ args: Arguments) { folder = args.placed(Self.folder) }
    func run(in session: Session) throws { try session.loadMNIST(from: folder) }
    func explain(in session: Session) -> [String] { session.explainLoad() }
}

/// The keys of the generated data sets, shared by `load shapes` and `load moons` and the others.
enum GeneratorKeys {
    static let n = Key<Int>.integer("n", min: 4, max: 10_000_000, default: 500, doc: "rows to generate")
    static let noise = Key<Double>.number("noise", .number(min: 0, max: 10), default: 0.1,
                                          doc: "standard deviation of the Gaussian noise added to generated points")
    static let classes = Key<Int>.integer("classes", min: 2, max: 100, default: 2, doc: "classes to generate (spiral, blobs)")
    static let features = Key<Int>.integer("features", min: 2, max: 10_000, default: 2, doc: "features to generate (blobs)")
    static let seed = Key<Int?>.integer("seed", min: 0, doc: "seed for generated data (default: the session seed)")

    /// What every generator reads: rows, noise, seed, and where the statement is.
    struct Common {
        let rows: Int
        let noise: Double
        let seed: Int?
        let statement: SourceRange

        init(_ args: Arguments, rows: Key<Int>) {
            self.rows = args[rows]; noise = args[GeneratorKeys.noise]; seed = args[GeneratorKeys.seed]
            statement = args.statement.range
        }

        /// The generator's own randomness: `seed=`, else the session's seed.
        func random(in session: Session) -> SeededRandom { SeededRandom(seed: seed.map(UInt64.init) ?? session.seed) }
    }

    /// Rows times values per row beyond which nothing is generated.
    static func checkSize(rows: Int, perRow: Int, at range: SourceRange) throws {
        let cells = rows * perRow
        if cells > 100_000_000 {
            throw Diagnostic("n × features = \(Format.grouped(cells)) values is too large to generate (the limit is 100,000,000)",
                             at: range, hint: "ask for fewer rows or features")
        }
    }
}

/// `load shapes`: circles, squares, triangles and crosses drawn as images.
struct LoadShapesCommand: Command {
    static let n = Key<Int>.integer("n", min: 4, max: 10_000_000, default: 2000, doc: "images to draw")
    static let size = Key<Int>.integer("size", min: 8, max: 128, default: 28, doc: "image height and width in pixels")
    static let classes = Key<Int>.integer("classes", min: 2, max: 4, default: 4, doc: "shapes to draw: circles, squares, triangles, crosses")
    static let spec = StatementSpec(
        name: "load shapes", category: .data,
        keys: [n.spec, GeneratorKeys.noise.spec, classes.spec, size.spec, GeneratorKeys.seed.spec],
        summary: "Draw images of circles, squares, triangles and crosses for convolutional networks.",
        explanation: """
            Each image is one shape of random size, place and (for triangles and crosses) rotation, with \
            Gaussian noise, as a size x size x 1 image: a data set where convolutions beat dense layers \
            of about as many weights.
            """,
        examples: ["load shapes", "load shapes n=500 size=16 classes=3"],
        command: LoadShapesCommand.self)

    let common: GeneratorKeys.Common
    let size: Int
    let classes: Int

    init(_ args: Arguments) {
        common = GeneratorKeys.Common(args, rows: Self.n)
        size = args[Self.size]
        classes = args[Self.classes]
    }

    func check() throws { try GeneratorKeys.checkSize(rows: common.rows, perRow: size * size, at: common.statement) }
    func run(in session: Session) throws { try session.loadShapes(self) }
    func explain(in session: Session) -> [String] { session.explainLoad() }
}

/// `load moons|circles|xor|spiral|blobs`: points drawn as scikit-learn's generators draw them.
struct LoadGeneratedCommand: Command {
    static func spec(for name: String) -> StatementSpec {
        StatementSpec(
            name: "load \(name)", category: .data,
            keys: [GeneratorKeys.n.spec, GeneratorKeys.noise.spec, GeneratorKeys.classes.spec, GeneratorKeys.features.spec,
                   GeneratorKeys.seed.spec],
            summary: summaries[name] ?? "Generate points.",
            explanation: "Points with 2 features (blobs: `features=`) and a class each, drawn from the seed, for trying classifiers whose decision regions can be drawn (`plot boundary`).",
            examples: [name == "blobs" ? "load blobs classes=3 features=4" : "load \(name) n=1000 noise=0.2"],
            command: LoadGeneratedCommand.self)
    }

    static let summaries = [
        "moons": "Generate two interleaving half circles (scikit-learn's make_moons).",
        "circles": "Generate a circle inside another (scikit-learn's make_circles).",
        "xor": "Generate four clusters whose classes alternate, the XOR problem.",
        "spiral": "Generate interleaved spiral arms, one class each (`classes=`).",
        "blobs": "Generate Gaussian clusters, one per class, in `features=` dimensions (scikit-learn's make_blobs).",
    ]

    /// Which generator: the statement's second word.
    let name: String
    let common: GeneratorKeys.Common
    let classes: Int
    let features: Int

    init(_ args: Arguments) {
        name = String(args.statementName.dropFirst("load ".count))
        common = GeneratorKeys.Common(args, rows: GeneratorKeys.n)
        classes = args[GeneratorKeys.classes]
        features = args[GeneratorKeys.features]
    }

    func check() throws { try GeneratorKeys.checkSize(rows: common.rows, perRow: features, at: common.statement) }
    func run(in session: Session) throws { try session.loadGenerated(self) }
    func explain(in session: Session) -> [String] { session.explainLoad() }
}
