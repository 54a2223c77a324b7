import Engine

extension StatementTable {
    static let trainingStatements: [StatementSpec] = [TrainCommand.spec, EvaluateCommand.spec, PredictCommand.spec]
}

/// `train`: the training keys (TrainingKeys), `verbose=` and `live`.
struct TrainCommand: Command {
    static let verbose = Key<Int>.integer(
        "verbose", min: 0, max: 2, default: 1,
        doc: "epoch lines, as Keras' verbose=: 0 none, 1 at most about 40 (evenly spaced, plus the first, the best and the last), 2 every epoch")
    static let live = Flag("live", doc: "redraw pictures of the training in place: the decision regions and the loss for two features, else the loss and accuracy curves")
    static let pace = Key<Value?>.numberOrWord(
        "pace", min: 0, max: 1_000_000, words: ["fast"],
        doc: "with `live` on a terminal: epochs per second, or fast for no waiting; by default the run is spread over about 5 seconds")
    static let spec = StatementSpec(
        name: "train", category: .training, keys: TrainingKeys.trainSpecs + [verbose.spec, pace.spec], flags: [live.spec],
        summary: "Train the model on the training rows with mini-batch gradient descent.",
        explanation: """
                Each epoch shuffles the training rows, splits them into batches and takes one optimizer \
                step per batch. Progress lines show the loss and accuracy: one per epoch up to 40 epochs, then \
                about 40 at evenly spaced epochs plus the best and the last (`verbose=2` prints every epoch, \
                `verbose=0` none; `history` keeps them all). On a terminal a live line between them shows \
                the elapsed time and the time left. Training again \
                continues from the current weights; after the layers change it starts afresh. Each `train` \
                shuffles with a generator drawn from the model's seed and the number of trains it had before, \
                so a model trains the same whatever was trained before it in the session. Ctrl-C stops \
                after the current batch and undoes the unfinished epoch: the weights of the last whole epoch \
                are kept (`show state` replays them as a train of that many epochs). With `validation=0.2` a fifth of the training \
                rows (never the test rows) is held out and measured after every epoch; `patience=N` then stops \
                when the monitored figure has not improved for N epochs, as Keras' EarlyStopping does, and \
                restores the best epoch's weights unless `restore=last`. `balance=auto` weights each class's \
                loss by n / (k × its count) in the rows trained on, as scikit-learn's class_weight="balanced" \
                and Keras's class_weight, so rare classes count as much as common ones (the printed loss is then \
                the weighted one; validation and `evaluate` losses are not weighted). `train … live` redraws pictures \
                in place a few times a second as the model learns (for two features the decision regions next \
                to the loss curve, otherwise the loss and accuracy curves) and ends on the final picture. On a terminal \
                it keeps a pace a class can follow: the run is spread over about 5 seconds (training waits between \
                epochs; a run that takes longer does not wait), `pace=20` shows 20 epochs a second and `pace=fast` \
                does not wait. In a pipe or a notebook nothing waits.
                """,
        examples: ["train", "train lr=0.1 epochs=200 batch=32", "train epochs=4000 validation=0.2 patience=20", "train lr=0.1 epochs=300 live",
                   "train lr=0.01 epochs=100 balance=auto", "train lr=0.1 epochs=3000 live pace=fast"],
        command: TrainCommand.self)

    let plan: TrainingPlanRequest
    let verbosity: EpochLines.Verbosity
    let isLive: Bool
    let pace: LivePace
    /// Where `pace=` was written, when it was.
    let paceRange: SourceRange?
    let statement: SourceRange

    init(_ args: Arguments) {
        plan = TrainingPlanRequest(args)
        verbosity = EpochLines.Verbosity.allCases.first { $0.rawValue == args[Self.verbose] } ?? .thinned
        isLive = args[Self.live]
        switch args[Self.pace]?.kind {
        case .number(let rate)?: pace = .epochsPerSecond(rate)
        case .word?: pace = .fast
        default: pace = .spread
        }
        paceRange = args.has(Self.pace) ? args.keyRange(of: Self.pace) : nil
        statement = args.statement.range
    }

    func check() throws {
        try plan.check()
        if let paceRange, !isLive {
            throw Diagnostic("'pace=' sets how fast `live` redraws, but this train is not live", at: paceRange,
                             hint: "add `live` (`train … live pace=20`), or leave pace= out")
        }
    }
    func run(in session: Session) throws {
        if plan.balance.value == .auto { try session.data?.rejectBalance(spec: session.spec, at: plan.balance.range) }
        session.hintBinaryRegression()
        try session.train(self)
    }
    func explain(in session: Session) -> [String] { session.explainTraining() }
}

/// What `train` was asked for: the training keys decoded, with where each was written, and
/// the checks across them. The plan itself waits for the session's optimizer (`plan(spec:)`).
struct TrainingPlanRequest {
    let learningRate: Double
    /// `lr=suggested`: the session puts the last `findlr`'s suggestion in the plan.
    let usesSuggestedRate: Placed<Bool>
    let epochs: Int
    let batch: Int
    let validation: Placed<Double?>
    let patience: Placed<Int?>
    let monitor: Placed<Monitor>
    let minDelta: Placed<Double>
    let restore: Placed<TrainingKeys.Restore>
    let balance: Placed<TrainingKeys.Balance>

    init(_ args: Arguments) {
        learningRate = args[TrainingKeys.trainLR] ?? TrainingKeys.lr.defaultNumber
        usesSuggestedRate = Placed(value: args[TrainingKeys.trainLR] == nil, range: args.range(of: TrainingKeys.trainLR), given: args.has(TrainingKeys.trainLR))
        epochs = args[TrainingKeys.epochs]
        batch = args[TrainingKeys.batch]
        validation = args.placed(TrainingKeys.validation)
        patience = args.placed(TrainingKeys.patience)
        monitor = args.placed(TrainingKeys.monitor)
        minDelta = args.placed(TrainingKeys.minDelta)
        restore = args.placed(TrainingKeys.restore)
        balance = args.placed(TrainingKeys.balance)
    }

    /// The plan, with the session's optimizer and weight decay.
    func plan(spec: ModelSpec) -> TrainingPlan {
        var plan = TrainingPlan(spec: spec)
        plan.learningRate = learningRate
        plan.epochs = epochs
        plan.batch = batch
        plan.validation = validation.value
        plan.patience = patience.value
        plan.monitor = monitor.value
        plan.minDelta = minDelta.value
        plan.restoreBest = restore.value == .best
        plan.balanceClasses = balance.value == .auto
        return plan
    }

    func check() throws {
        if monitor.given, let problem = TrainingKeys.missingValidation(
            monitor.value, watchedBy: "monitor=\(monitor.value.rawValue)", hasValidation: validation.given,
            at: monitor.range, hint: "add `validation=0.2`, or use `monitor=loss`") { throw problem }
        if patience.given, let problem = TrainingKeys.missingValidation(
            monitor.value, watchedBy: "early stopping on \(monitor.value.rawValue)", hasValidation: validation.given,
            at: patience.range, hint: "add `validation=0.2`, or `monitor=loss`") { throw problem }
        guard !patience.given else { return }
        let stoppingKeys = [(TrainingKeys.monitor.name, monitor.given, monitor.range),
                            (TrainingKeys.minDelta.name, minDelta.given, minDelta.range),
                            (TrainingKeys.restore.name, restore.given, restore.range)]
        if let (key, _, range) = stoppingKeys.first(where: { $0.1 }) {
            throw Diagnostic("'\(key)=' belongs to early stopping, which needs patience=", at: range, hint: "add e.g. `patience=20`")
        }
    }
}

/// `evaluate`.
struct EvaluateCommand: Command {
    static let spec = StatementSpec(
        name: "evaluate", category: .training,
        summary: "Measure the trained model on the test rows.",
        explanation: """
                For classification: the loss, the accuracy, balanced accuracy (the mean recall per class), \
                the baseline of always guessing the commonest class of the training rows, for two classes ROC AUC \
                and PR AUC (average precision, the second class positive), a confusion matrix (rows are true \
                classes, columns predicted ones; beyond 20 classes its 10 largest confusions) and precision, \
                recall and F1 per class with the `accuracy`, `macro avg` and `weighted avg` rows of \
                scikit-learn's classification_report (beyond 20 classes the 10 with the lowest F1). For \
                regression: the loss, then MSE, RMSE, MAE and R² in the target's own units (after `scale target` \
                too), and the same figures for always predicting the training rows' mean. Uses the training rows when there \
                is no split. Ctrl-C stops it; the model is kept.
                """,
        examples: ["evaluate"],
        command: EvaluateCommand.self)

    init(_ args: Arguments) {}
    func run(in session: Session) throws { try session.evaluate() }
    func explain(in session: Session) -> [String] { [
        "These figures come from \(session.data?.split == nil ? "the training rows (there is no split)" : "the \(session.data?.testRows.count ?? 0) test rows, which training never saw"), so they estimate how the model does on new data.",
        "A test accuracy well below the training accuracy means overfitting; the confusion matrix shows which classes are confused.",
        "With imbalanced classes, compare the accuracy with the baseline and look at balanced accuracy and the macro average: they weigh every class alike.",
    ] }
}

/// `predict V1,V2,…` or `predict "rows.csv" [to "out.csv"]`.
struct PredictCommand: Command {
    static let values = Positional<Value?>.optionalRaw(
        "VALUES", .valueList,
        doc: "one raw value per input column, in column order, separated by commas (text for text columns, NA for missing); or a quoted CSV file of such rows; left out after `window`, the forecast from the last window; for a model trained on windows, a file of recent rows or one window's steps x channels values")
    static let spec = StatementSpec(
        name: "predict", category: .training, positionals: [values.spec], keys: CSVDialectKeys.specs, writesTo: true,
        summary: "Predict new rows: one given as raw values, or every row of a CSV file.",
        explanation: """
                The values go through the same preprocessing as the training data (imputing, encoding, \
                clipping, scaling), then through the model. For one row it prints the predicted class with \
                every class's probability, or the predicted value (in the target's units after `scale target`). `predict "rows.csv"` does this for every \
                row of a file with the training columns (the target column may be there too): the result is \
                the file's columns, then predicted_TARGET and one prob_CLASS column per class, shown as a \
                table (the first 10 rows) or, with `to "out.csv"`, written as CSV. A text cell in a numeric \
                column or a missing value that nothing fills is an error naming its line; a category never \
                seen in training is encoded as zeros and named with its line. The file is read as the \
                training data was (its `sep=`, `decimal=`, `thousands=` and `na=`, kept by `save model` \
                too); keys given here replace those. A date is given as written (2016-01-31); a value with a \
                space or one that starts with a digit but is no number goes in double quotes \
                ("2016-01-31 14:00", "West Germany", "3-cyl"). Ctrl-C \
                stops it and writes nothing; an existing file stays as it was. A model trained on `load images` \
                predicts a PNG or JPEG file (the class, the probabilities as bars and the picture) or a folder of \
                them (path, predicted class and one probability column per class, `to` a CSV), each read as the \
                training images were: resized, converted to their colour mode, scaled. A model trained on \
                `window` data (in its session or after `load model`) forecasts from a file of recent rows: \
                `predict "recent.csv"` prints the forecast `horizon` steps after its last row, from its last \
                STEPS rows; with `to`, every row gets `forecast_TARGET`, the forecast from the window that \
                ends there; `predict V1,V2,…` takes one window's values, oldest step first, channel fastest.
                """,
        examples: ["predict 5.1,3.5,1.4,0.2", "predict \"new.csv\" to \"predictions.csv\"", "predict 2016-01-01,0,10,5,3",
                   "predict \"new.csv\" sep=\",\" decimal=\".\"", "predict \"photo.jpg\"", "predict \"photos/\" to \"predictions.csv\""],
        command: PredictCommand.self)

    let values: Value?
    let destination: Placed<String?>
    let dialectKeys: CSVDialectKeys.Given

    init(_ args: Arguments) { values = args[Self.values]; destination = args.destination; dialectKeys = CSVDialectKeys.Given(args) }

    func check() throws {
        _ = try dialectKeys.dialect()
        guard let values else { return }
        if case .string = values.kind { return }
        if let given = [dialectKeys.separator.range, dialectKeys.decimal.range, dialectKeys.thousands.range, dialectKeys.missing.range]
            .first(where: { _ in !dialectKeys.isEmpty }) {
            throw Diagnostic("sep=, decimal=, thousands= and na= say how a file of rows is written, not one row", at: given,
                             hint: "give the rows as a quoted CSV file: predict \"rows.csv\" sep=\";\"")
        }
    }

    func run(in session: Session) throws {
        guard let values else { return try session.forecast() }
        if case .string(let path) = values.kind {
            try session.predictFile(path, at: values.range, to: destination, dialectKeys: dialectKeys)
        } else if destination.given {
            throw Diagnostic("`to` writes the predictions of a file of rows, not of one row", at: destination.range,
                             hint: "give the rows as a CSV file: predict \"rows.csv\" to \"out.csv\"")
        } else {
            try session.predict(values)
        }
    }

    func explain(in session: Session) -> [String] { [
        "The raw values went through the fitted preprocessing (imputing, encoding, scaling) and then the network, one layer after another.",
        "For classes, the probabilities are the softmax outputs; the prediction is the most probable class.",
    ] }
}
