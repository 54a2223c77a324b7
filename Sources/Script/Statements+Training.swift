extension StatementTable {
    static let trainingStatements: [StatementSpec] = [
        StatementSpec(
            name: "train", category: .training,
            keys: [
                KeySpec("lr", .number(min: 0, max: 100, minExclusive: true), default: "0.01", doc: "the learning rate: how far each step moves the weights"),
                KeySpec("epochs", .integer(min: 1, max: 10_000_000), default: "10", doc: "passes over the training rows"),
                KeySpec("batch", .integer(min: 1, max: 10_000_000), default: "32", doc: "rows per gradient step (mini-batch size)"),
            ],
            summary: "Train the model on the training rows with mini-batch gradient descent.",
            explanation: """
                Each epoch shuffles the training rows, splits them into batches and takes one optimizer \
                step per batch. A progress line per epoch shows the loss and accuracy. Training again \
                continues from the current weights; after the layers change it starts afresh. Ctrl-C stops \
                after the current batch and keeps the weights.
                """,
            examples: ["train", "train lr=0.1 epochs=200 batch=32"],
            action: { session, args in try session.train(args) }),

        StatementSpec(
            name: "evaluate", category: .training,
            summary: "Measure the trained model on the test rows.",
            explanation: """
                For classification: the loss, the accuracy, a confusion matrix (rows are true classes, \
                columns predicted ones) and precision, recall and F1 per class. For regression: mean \
                squared error, mean absolute error and R². Uses the training rows when there is no split.
                """,
            examples: ["evaluate"],
            action: { session, _ in try session.evaluate() }),

        StatementSpec(
            name: "predict", category: .training,
            positionals: [PositionalSpec("VALUES", .valueList, doc: "one raw value per input column, in column order, separated by commas (text for text columns, NA for missing)")],
            summary: "Predict one new row given as raw feature values.",
            explanation: """
                The values go through the same preprocessing as the training data (imputing, encoding, \
                clipping, scaling), then through the model. \
                Prints the predicted class with every class's probability, or the predicted value.
                """,
            examples: ["predict 5.1,3.5,1.4,0.2"],
            action: { session, args in try session.predict(args) }),
    ]
}
