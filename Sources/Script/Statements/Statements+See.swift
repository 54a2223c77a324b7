extension StatementTable {
    /// Seeing inside the model (issue 27): the learning-rate finder, feature crosses, and the
    /// pictures of what each neuron and each feature map computes.
    static let seeStatements: [StatementSpec] = [FindLRCommand.spec, FeaturesCommand.spec, PlotUnitsCommand.spec, PlotActivationsCommand.spec]
}

/// `findlr`.
struct FindLRCommand: Command {
    static let min = Key<Double>.number("min", .number(min: 0, max: 100, minExclusive: true), default: 1e-6, doc: "the first learning rate")
    static let max = Key<Double>.number("max", .number(min: 0, max: 1000, minExclusive: true), default: 1, doc: "the last learning rate")
    static let steps = Key<Int>.integer("steps", min: 5, max: 100_000, default: 100, doc: "batches, each one step at a higher rate")
    static let batch = Key<Int>.integer("batch", min: 1, max: 10_000_000, default: 32, doc: "rows per batch, as `train batch=`")
    static let spec = StatementSpec(
        name: "findlr", category: .training, keys: [min.spec, max.spec, steps.spec, batch.spec],
        summary: "Find a learning rate: the range test of Smith (2017), as fastai's lr_find.",
        explanation: """
                From fresh weights (drawn from the seed, as a first `train` starts; the session's model is not \
                touched), one optimizer step per batch with the rate raised exponentially from min= to max= over \
                steps= batches (cycling through the training rows as often as needed). The loss is smoothed as \
                fastai smooths it (a debiased moving average, beta 0.98) and the test stops once it passes 4x its \
                minimum. The curve of loss against rate is drawn on a log axis; the suggestion is the steepest descent \
                of the smoothed loss (fastai's steep, with the fall measured over a twentieth of the steps so \
                that one noisy early batch cannot win), with fastai's valley (a point along the longest descent, its \
                default since 2.5) printed beside it. `train lr=suggested` trains with the suggestion.
                """,
        examples: ["findlr", "findlr min=1e-5 max=10 steps=200"],
        command: FindLRCommand.self)

    let min: Double
    let max: Double
    let steps: Int
    let batch: Int
    let statement: SourceRange
    init(_ args: Arguments) {
        min = args[Self.min]; max = args[Self.max]; steps = args[Self.steps]; batch = args[Self.batch]
        statement = args.statement.range
    }

    func run(in session: Session) throws {
        try session.findLearningRate(min: min, max: max, steps: steps, batch: batch, at: statement)
    }
    func explain(in session: Session) -> [String] { session.rangeTestExplanation() }
}

/// `features`.
struct FeaturesCommand: Command {
    static let crosses = Positional<[String]>.names("CROSSES", doc: "the new columns: a*b (a product), a^2, a^3, sin(a), cos(a), abs(a), log1p(a), separated by commas")
    static let spec = StatementSpec(
        name: "features", category: .data, positionals: [crosses.spec],
        summary: "Add feature crosses: new columns computed from others, as TensorFlow Playground's.",
        explanation: """
                Each cross becomes a numeric column named as it is written, computed for every row from the \
                columns as they are at this point (before scaling, which then covers the new columns too): \
                `x1*x2` multiplies columns, `x1^2` and `x1^3` raise one to a power, and `sin(x1)`, `cos(x1)`, \
                `abs(x1)` and `log1p(x1)` apply a function. A cross gives the network a curve it would \
                otherwise have to build from many units: on the spiral, one hidden layer of 8 with \
                `features x1*x2, x1^2, x2^2, sin(x1), sin(x2)` reaches 0.83 where two hidden layers of 16 \
                without them reach 0.61 in the same 200 epochs (examples/playground.dl). \
                The step is recorded: `predict` computes the crosses from the raw values, a saved model keeps them, \
                the ONNX export computes them with its own nodes and the Keras and PyTorch scripts with pandas.
                """,
        examples: ["features x1*x2, x1^2, sin(x1)", "features petal_length_cm*petal_width_cm, log1p(sepal_length_cm)"],
        command: FeaturesCommand.self)

    let crosses: Placed<[String]>
    /// Where each cross was written, so an error points at the one it is about.
    let itemRanges: [SourceRange]
    init(_ args: Arguments) {
        crosses = args.placed(Self.crosses)
        if case .list(let items)? = args.value(Self.crosses.name)?.kind { itemRanges = items.map(\.range) } else { itemRanges = [] }
    }

    func run(in session: Session) throws { try session.addFeatures(crosses, itemRanges: itemRanges) }
    func explain(in session: Session) -> [String] { [
        session.featuresSummary() ?? "Each new column is computed from raw columns for every row, so the network starts from a curve instead of building it from many units.",
        "x1*x2 is positive where the two agree in sign (xor); x1^2 + x2^2 is the distance from the centre (circles); sin follows a spiral's turns.",
        "The crosses are a recorded step: `predict`, `save model` and the exports compute them from the raw values as here.",
    ] }
}

/// `plot units`.
struct PlotUnitsCommand: Command {
    static let layer = Positional<Int?>.integer("LAYER", min: 1, max: 1000, doc: "one hidden layer, counted from 1 (default: every layer, with the inputs and the output)")
    static let spec = StatementSpec(
        name: "plot units", category: .explore, positionals: [layer.spec], writesTo: true,
        summary: "Draw what each unit of a two-feature classifier computes over the plane, as TensorFlow Playground does.",
        explanation: """
                One small picture per unit: its activation at every point of the plane of the two raw features \
                (the training rows' range), a column per layer as Playground lays out its neurons: the network's \
                inputs (the features after the pipeline, crosses included), each hidden layer, and the output's \
                class probabilities. Orange is below 0, white 0, blue above; each picture has its own scale, its \
                largest |value| in brackets, so a unit that is 0 everywhere (a dead relu) says so. Later layers \
                combine the straight borders of the first into curves. For two raw numeric features only.
                """,
        examples: ["plot units", "plot units 2", "plot units to \"units.svg\""],
        command: PlotUnitsCommand.self)

    let destination: Placed<String?>
    let layer: Placed<Int?>
    init(_ args: Arguments) { destination = args.destination; layer = args.placed(Self.layer) }

    func run(in session: Session) throws { try session.draw(try session.unitPictures(layer: layer), to: destination) }
    func explain(in session: Session) -> [String] { session.unitsSummary() + [
        "Each picture is one unit: the plane coloured by what it outputs there. A first-layer unit is a straight border (its weights tilt it, its bias shifts it) passed through its activation.",
        "Each later unit mixes the pictures of the layer before, which is how straight borders become the curves the output column draws.",
    ] }
}

/// `plot activations`.
struct PlotActivationsCommand: Command {
    static let row = Positional<Int>.integer("N", min: 0, doc: "the row of the image, as `show image N` counts")
    static let layer = Positional<Int?>.integer("LAYER", min: 1, max: 1000, doc: "one conv or pool layer, counted among them from 1 (default: all of them)")
    static let spec = StatementSpec(
        name: "plot activations", category: .explore, positionals: [row.spec, layer.spec], writesTo: true,
        summary: "Draw the feature maps of one image at each conv and pool layer, as CNN Explainer does.",
        explanation: """
                The image, then a column per conv or pool layer (with the batchnorm and activation layers after it) \
                holding its feature maps: each map is one filter's response at every position, grey from the \
                layer's smallest value (black) to its largest (white). Early maps light up along edges and strokes; \
                pooling halves them; later maps are coarser and respond to larger parts. At most \(Session.mapsShown) \
                maps a layer are drawn.
                """,
        examples: ["plot activations 0", "plot activations 7 1", "plot activations 0 to \"maps.svg\""],
        command: PlotActivationsCommand.self)

    let destination: Placed<String?>
    let row: Placed<Int>
    let layer: Placed<Int?>
    init(_ args: Arguments) { destination = args.destination; row = args.placed(Self.row); layer = args.placed(Self.layer) }

    func run(in session: Session) throws { try session.draw(try session.activationMaps(row: row, layer: layer), to: destination) }
    func explain(in session: Session) -> [String] { session.mapsSummary() + [
        "Each map is what one filter found in this image: white where its pattern (an edge, a stroke) is strongest.",
        "The dense layers after `flatten` read these maps, not the pixels: that is what the convolutions learned to provide.",
    ] }
}
