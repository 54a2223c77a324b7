import Engine

extension StatementTable {
    static let modelStatements: [StatementSpec] = [
        StatementSpec(
            name: "dense", category: .model,
            positionals: [
                PositionalSpec("UNITS", .integer(min: 1, max: 1_000_000), doc: "the number of neurons in the layer"),
                PositionalSpec("ACTIVATION", .word(Activation.allCases.map(\.rawValue)), optional: true,
                               doc: "relu, sigmoid, tanh, softmax, linear (the default) or leaky_relu (slope 0.01)"),
            ],
            summary: "Add a fully connected layer to the model.",
            explanation: """
                Every unit is connected to every input: the layer computes activation(x·W + b). Hidden \
                layers usually use relu; the output layer uses softmax for classes, sigmoid for one yes/no \
                output, and linear for regression. Adding a layer after training starts the weights afresh.
                """,
            examples: ["dense 64 relu", "dense 3 softmax", "dense 1"],
            action: { session, args in session.addDense(args) }),

        StatementSpec(
            name: "summary", category: .model,
            summary: "Show the model's layers, output shapes and parameter counts.",
            explanation: """
                A table in the manner of Keras' model.summary(): one row per layer with its output shape \
                (None stands for the batch size) and its number of trainable parameters, then the totals.
                """,
            examples: ["summary"],
            action: { session, _ in try session.summary() }),

        StatementSpec(
            name: "reset", category: .model,
            positionals: [PositionalSpec("PART", .word(["model", "weights"]),
                                         doc: "model removes every layer; weights keeps the layers and re-initialises them from the seed")],
            summary: "Remove the layers, or start the weights afresh.",
            explanation: """
                `reset model` forgets the architecture so you can build another one. `reset weights` keeps \
                the layers and draws new initial weights from the session seed, so the next `train` starts over.
                """,
            examples: ["reset model", "reset weights"],
            action: { session, args in session.reset(args) }),

        StatementSpec(
            name: "loss", category: .model,
            positionals: [PositionalSpec("FUNCTION", .word(Loss.allCases.map(\.rawValue)),
                                         doc: "crossentropy, binary_crossentropy, mse or mae")],
            summary: "Choose the loss function (inferred from the output layer when not given).",
            explanation: """
                Without this statement dl picks crossentropy for a softmax output, binary_crossentropy \
                for a single sigmoid unit and mse (mean squared error) otherwise. mae is the mean absolute error.
                """,
            examples: ["loss mse"],
            action: { session, args in session.setLoss(args) }),

        StatementSpec(
            name: "optimizer", category: .model,
            positionals: [PositionalSpec("NAME", .word(["sgd", "adam"]), doc: "sgd (stochastic gradient descent) or adam")],
            keys: [
                KeySpec("momentum", .number(min: 0, max: 1, maxExclusive: true), default: "0", onlyWith: "sgd",
                        doc: "sgd only: the share of the previous step added to the next one"),
                KeySpec("beta1", .number(min: 0, max: 1, maxExclusive: true), default: "0.9", onlyWith: "adam",
                        doc: "adam only: decay of the running mean of gradients"),
                KeySpec("beta2", .number(min: 0, max: 1, maxExclusive: true), default: "0.999", onlyWith: "adam",
                        doc: "adam only: decay of the running mean of squared gradients"),
            ],
            summary: "Choose how the weights are updated (default: sgd).",
            explanation: """
                sgd moves each weight against its gradient, scaled by the learning rate; momentum smooths \
                the steps. adam adapts the step of each weight from running averages of its gradients and \
                often needs a smaller learning rate (0.001).
                """,
            examples: ["optimizer sgd momentum=0.9", "optimizer adam"],
            action: { session, args in session.setOptimizer(args) }),
    ]
}
