import Engine

extension StatementTable {
    /// The keys of `train`; `sweep` takes the same ones as lists.
    static let trainingKeys: [KeySpec] = [
        KeySpec("lr", .number(min: 0, max: 100, minExclusive: true), default: 0.01, doc: "the learning rate: how far each step moves the weights"),
        KeySpec("epochs", .integer(min: 1, max: 10_000_000), default: 10, doc: "passes over the training rows"),
        KeySpec("batch", .integer(min: 1, max: 10_000_000), default: 32, doc: "rows per gradient step (mini-batch size)"),
        KeySpec("validation", .number(min: 0, max: 1, minExclusive: true, maxExclusive: true),
                doc: "share of the training rows held out to measure after every epoch"),
        KeySpec("patience", .integer(min: 0, max: 10_000_000), doc: "stop after this many epochs without improvement (early stopping)"),
        KeySpec("monitor", .word(Monitor.allCases.map(\.rawValue)), default: "val_loss", doc: "what early stopping watches"),
        KeySpec("min_delta", .number(min: 0, max: 1e9), default: 0, doc: "the smallest change that counts as an improvement"),
        KeySpec("restore", .word(["best", "last"]), default: "best", doc: "after early stopping, keep the best epoch's weights or the last ones"),
    ]

    /// Cross-key checks shared by `train`.
    static func validateTrainingKeys(_ args: Arguments) throws {
        if args.has("monitor"), let monitor = args.text("monitor"), monitor != "loss", !args.has("validation"), args.statement.name == "train" {
            throw Diagnostic("monitor=\(monitor) needs validation rows", at: args.range(of: "monitor"),
                             hint: "add `validation=0.2`, or use `monitor=loss`")
        }
        for key in ["monitor", "min_delta", "restore"] where args.has(key) && !args.has("patience") {
            throw Diagnostic("'\(key)=' belongs to early stopping, which needs patience=", at: args.keys[key]!.range,
                             hint: "add e.g. `patience=20`")
        }
    }

    static let trainingStatements: [StatementSpec] = [
        StatementSpec(
            name: "train", category: .training,
            keys: trainingKeys + [
                KeySpec("verbose", .integer(min: 0, max: 2), default: 1,
                        doc: "epoch lines, as Keras' verbose=: 0 none, 1 at most about 40 (evenly spaced, plus the first, the best and the last), 2 every epoch"),
            ],
            flags: [FlagSpec("live", doc: "redraw pictures of the training in place: the decision regions and the loss for two features, else the loss and accuracy curves")],
            summary: "Train the model on the training rows with mini-batch gradient descent.",
            explanation: """
                Each epoch shuffles the training rows, splits them into batches and takes one optimizer \
                step per batch. Progress lines show the loss and accuracy: one per epoch up to 40 epochs, then \
                about 40 at evenly spaced epochs plus the best and the last (`verbose=2` prints every epoch, \
                `verbose=0` none; `history` keeps them all). On a terminal a live line between them shows \
                the elapsed time and the time left. Training again \
                continues from the current weights; after the layers change it starts afresh. Ctrl-C stops \
                after the current batch and keeps the weights. With `validation=0.2` a fifth of the training \
                rows (never the test rows) is held out and measured after every epoch; `patience=N` then stops \
                when the monitored figure has not improved for N epochs, as Keras' EarlyStopping does, and \
                restores the best epoch's weights unless `restore=last`. `train … live` redraws pictures \
                in place a few times a second as the model learns (for two features the decision regions next \
                to the loss curve, otherwise the loss and accuracy curves) and ends on the final picture.
                """,
            examples: ["train", "train lr=0.1 epochs=200 batch=32", "train epochs=4000 validation=0.2 patience=20", "train lr=0.1 epochs=300 live"],
            validate: { args in try validateTrainingKeys(args) },
            explain: { session, args in session.explainTraining(args) },
            action: { session, args in try session.train(args) }),

        StatementSpec(
            name: "evaluate", category: .training,
            summary: "Measure the trained model on the test rows.",
            explanation: """
                For classification: the loss, the accuracy, a confusion matrix (rows are true classes, \
                columns predicted ones) and precision, recall and F1 per class. For regression: mean \
                squared error, mean absolute error and R². Uses the training rows when there is no split. \
                Ctrl-C stops it; the model is kept.
                """,
            examples: ["evaluate"],
            explain: { session, _ in [
                "These figures come from \(session.data?.split == nil ? "the training rows (there is no split)" : "the \(session.data?.testRows.count ?? 0) test rows, which training never saw"), so they estimate how the model does on new data.",
                "A test accuracy well below the training accuracy means overfitting; the confusion matrix shows which classes are confused.",
            ] },
            action: { session, _ in try session.evaluate() }),

        StatementSpec(
            name: "predict", category: .training,
            positionals: [PositionalSpec("VALUES", .valueList, doc: "one raw value per input column, in column order, separated by commas (text for text columns, NA for missing); or a quoted CSV file of such rows")],
            writesTo: true,
            summary: "Predict new rows: one given as raw values, or every row of a CSV file.",
            explanation: """
                The values go through the same preprocessing as the training data (imputing, encoding, \
                clipping, scaling), then through the model. For one row it prints the predicted class with \
                every class's probability, or the predicted value. `predict "rows.csv"` does this for every \
                row of a file with the training columns (the target column may be there too): the result is \
                the file's columns, then predicted_TARGET and one prob_CLASS column per class, shown as a \
                table (the first 10 rows) or, with `to "out.csv"`, written as CSV. A text cell in a numeric \
                column or a missing value that nothing fills is an error naming its line; a category never \
                seen in training is encoded as zeros and named with its line. Ctrl-C stops it and writes \
                nothing; an existing file stays as it was.
                """,
            examples: ["predict 5.1,3.5,1.4,0.2", "predict \"new.csv\" to \"predictions.csv\""],
            explain: { _, _ in [
                "The raw values went through the fitted preprocessing (imputing, encoding, scaling) and then the network, one layer after another.",
                "For classes, the probabilities are the softmax outputs; the prediction is the most probable class.",
            ] },
            action: { session, args in
                if case .string(let path) = args.value("VALUES")!.kind {
                    try session.predictFile(path, to: args.text("to"), args)
                } else if args.has("to") {
                    throw Diagnostic("`to` writes the predictions of a file of rows, not of one row", at: args.range(of: "to"),
                                     hint: "give the rows as a CSV file: predict \"rows.csv\" to \"out.csv\"")
                } else {
                    try session.predict(args)
                }
            }),
    ]
}
