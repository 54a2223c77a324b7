import Engine

/// `rnn UNITS [return=last|sequences]`: Keras's SimpleRNN, h = tanh(x W + h R + b).
struct SimpleRNNKind: RecurrentLayerKind, Equatable {
    static let cell = RecurrentCell.rnn
    static let statement = StatementSpec(
        name: "rnn", category: .model, positionals: [RecurrentParameters.units.spec], keys: [RecurrentParameters.returns.spec],
        summary: "Add a simple recurrent layer (tanh): the state after each step feeds the next.",
        explanation: """
            The plainest recurrent layer: at each step its new state is tanh(input·W + old state·R + b). \
            It needs series (`input STEPSxCHANNELS`). Its gradients fade over long series, which the \
            gates of `lstm` and `gru` were invented to fix.
            """,
        examples: ["rnn 32", "rnn 16 return=sequences"],
        command: AddLayer<SimpleRNNKind>.self)
    static let recordName = "rnn"

    var units: Int
    var returns: RecurrentReturn

    init(units: Int, returns: RecurrentReturn) { self.units = units; self.returns = returns }
    func makeLayer() -> Layer { SimpleRNN(units: units, returns: returns) }
}
