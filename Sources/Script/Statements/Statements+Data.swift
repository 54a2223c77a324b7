import Tabular

extension StatementTable {
    static let dataStatements: [StatementSpec] = [
        StatementSpec(
            name: "load", category: .data,
            positionals: [
                PositionalSpec("SOURCE", .dataSource,
                    doc: "a bundled data set (iris, breast_cancer, digits, diabetes, penguins), a generated one (moons, circles, xor, spiral, blobs, shapes), mnist, or a CSV file path"),
                PositionalSpec("FOLDER", .path, optional: true, doc: "mnist only: the folder with the four MNIST IDX files (plain or .gz)"),
            ],
            keys: [
                KeySpec("target", .name, doc: "the column to predict (default: a bundled set's known target, or a CSV's last column)"),
                KeySpec("n", .integer(min: 4, max: 10_000_000), default: 500, doc: "rows to generate (shapes: default \(shapesDefaults.n))"),
                KeySpec("noise", .number(min: 0, max: 10), default: 0.1, doc: "standard deviation of the Gaussian noise added to generated points"),
                KeySpec("classes", .integer(min: 2, max: 100), default: 2, doc: "classes to generate (spiral, blobs; shapes: 2 to 4, default \(shapesDefaults.classes))"),
                KeySpec("size", .integer(min: 8, max: 128), default: 28, doc: "shapes only: image height and width in pixels"),
                KeySpec("features", .integer(min: 2, max: 10_000), default: 2, doc: "features to generate (blobs)"),
                KeySpec("seed", .integer(min: 0), doc: "seed for generated data (default: the session seed)"),
            ],
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
            validate: { args in
                let source = args.text("SOURCE") ?? ""
                let generatorKeys = ["n", "noise", "classes", "features", "seed", "size"]
                let isWord: Bool = { if case .word = args.value("SOURCE")?.kind { return true } else { return false } }()
                if isWord, source == "mnist" {
                    if !args.has("FOLDER") {
                        throw Diagnostic("load mnist needs the folder that holds the MNIST files", at: args.statement.range,
                                         hint: "e.g. `load mnist \"data/mnist\"` (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-…; plain or .gz)")
                    }
                } else if args.has("FOLDER") {
                    throw Diagnostic("unexpected argument '\(args.text("FOLDER")!)' for load", at: args.range(of: "FOLDER"),
                                     hint: "a folder is given to `load mnist` only")
                }
                if isWord, source == "shapes" || Generated.names.contains(source) {
                    if args.has("size") && source != "shapes" {
                        throw Diagnostic("'size=' applies to `load shapes` only", at: args.keys["size"]!.range, hint: "remove `size=...`")
                    }
                    let perRow = source == "shapes" ? args.integer("size")! * args.integer("size")! : args.integer("features")!
                    let cells = (source == "shapes" ? shapesRows(args) : args.integer("n")!) * perRow
                    if cells > 100_000_000 {
                        throw Diagnostic("n × features = \(Format.grouped(cells)) values is too large to generate (the limit is 100,000,000)",
                                         at: args.statement.range, hint: "ask for fewer rows or features")
                    }
                    if args.has("target") {
                        throw Diagnostic("'target=' applies to CSV files; generated data sets predict 'class'",
                                         at: args.range(of: "target"), hint: "remove `target=...`")
                    }
                } else if let key = generatorKeys.first(where: { args.has($0) }) {
                    throw Diagnostic("'\(key)=' applies to generated data sets (\((Generated.names + ["shapes"]).joined(separator: ", "))) only",
                                     at: args.keys[key]!.range, hint: "remove `\(key)=...` or load e.g. `load moons \(key)=...`")
                }
            },
            explain: { session, _ in session.explainLoad() },
            action: { session, args in try session.load(args) }),

        StatementSpec(
            name: "task", category: .data,
            positionals: [PositionalSpec("KIND", .word(["classification", "regression"]),
                                         doc: "classification (class labels) or regression (numbers)")],
            summary: "Say whether the target holds classes or numbers to predict.",
            explanation: """
                A numeric target is treated as regression by default. `task classification` makes each \
                distinct target value a class (e.g. 0/1 labels). Applies to the loaded data and to later loads.
                """,
            examples: ["task classification"],
            explain: { session, _ in [
                "Classification predicts one of a few labels; regression predicts a number.",
                "The task decides the output layer (softmax units, one per class, or one linear unit) and the loss (crossentropy or mse).",
            ] },
            action: { session, args in try session.setTask(args) }),

        StatementSpec(
            name: "split", category: .data,
            positionals: [PositionalSpec("FRACTION", .number(min: 0, max: 1, minExclusive: true, maxExclusive: true),
                                         doc: "the share of rows used for training; the rest is the test set")],
            keys: [KeySpec("seed", .integer(min: 0), doc: "seed for the shuffle (default: the session seed)")],
            flags: [FlagSpec("stratify", doc: "keep each class's share the same on both sides")],
            summary: "Shuffle the rows and split them into training and test sets.",
            explanation: """
                `split 0.8` keeps 80% of the rows for training and holds 20% back for `evaluate`. Scaling \
                is fitted on the training rows only, so nothing about the test rows leaks into training.
                """,
            examples: ["split 0.8", "split 0.8 seed=42 stratify"],
            explain: { session, args in session.explainSplit(stratified: args.flag("stratify")) },
            action: { session, args in try session.split(args) }),

        StatementSpec(
            name: "scale", category: .data,
            positionals: [PositionalSpec("METHOD", .word(ScalingMethod.allCases.map(\.rawValue)),
                                         doc: "minmax maps each feature to [0, 1]; standard to mean 0 and std 1; none removes scaling")],
            summary: "Scale the features, fitted on the training rows only.",
            explanation: """
                Networks train best when features have similar ranges. The scaling is fitted on the \
                training rows (all rows when there is no split yet; it is refitted after `split`), then \
                applied to the test rows and to every later `predict`.
                """,
            examples: ["scale minmax", "scale standard"],
            explain: { session, _ in session.explainScale() },
            action: { session, args in try session.scale(args) }),
    ]
}

extension StatementTable {
    /// `load shapes` draws more rows and classes than the 2-D generators' `n=` and
    /// `classes=` defaults: a CNN needs a few hundred images per class.
    static let shapesDefaults = (n: 2000, classes: 4)

    static func shapesRows(_ args: Arguments) -> Int { args.has("n") ? args.integer("n")! : shapesDefaults.n }
    static func shapesClasses(_ args: Arguments) -> Int { args.has("classes") ? args.integer("classes")! : shapesDefaults.classes }
}

/// The names `load` accepts besides file paths.
enum DataSources {
    static var names: [String] { BundledData.names + Generated.names + ["shapes", "mnist"] }

    static func looksLikePath(_ word: String) -> Bool {
        word.contains("/") || word.contains(".") || word.hasPrefix("~")
    }
}
