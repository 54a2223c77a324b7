import Engine

/// `lstm UNITS [return=last|sequences]`: Keras's LSTM (gates i, f, c, o; unit forget bias).
struct LSTMKind: RecurrentLayerKind, Equatable {
    static let cell = RecurrentCell.lstm
    static let statement = StatementSpec(
        name: "lstm", category: .model, positionals: [RecurrentParameters.units.spec], keys: [RecurrentParameters.returns.spec],
        summary: "Add an LSTM layer: a recurrent layer with a memory, read along the steps of a series.",
        explanation: """
            A long short-term memory reads a series one step at a time and keeps a state and a memory cell. \
            Three gates learn what to write to the memory, what to forget and what to show. It needs series \
            (`input STEPSxCHANNELS`). With return=last (the default) it gives one vector per series for a dense \
            output layer; with return=sequences it gives one per step, for another recurrent layer or a dense \
            layer applied at every step.
            """,
        examples: ["lstm 64", "lstm 32 return=sequences"],
        command: AddLayer<LSTMKind>.self)
    static let recordName = "lstm"

    var units: Int
    var returns: RecurrentReturn

    init(units: Int, returns: RecurrentReturn) { self.units = units; self.returns = returns }
    func makeLayer() -> Layer { LSTM(units: units, returns: returns) }
}
