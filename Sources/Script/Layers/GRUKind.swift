import Engine

/// `gru UNITS [return=last|sequences]`: Keras's GRU with reset_after=True (gates z, r, h; two biases).
struct GRUKind: RecurrentLayerKind, Equatable {
    static let cell = RecurrentCell.gru
    static let statement = StatementSpec(
        name: "gru", category: .model, positionals: [RecurrentParameters.units.spec], keys: [RecurrentParameters.returns.spec],
        summary: "Add a GRU layer: a gated recurrent layer, lighter than an LSTM.",
        explanation: """
            A gated recurrent unit reads a series one step at a time. An update gate decides how much of \
            its state to replace, a reset gate how much of the old state the new candidate sees. It needs \
            series (`input STEPSxCHANNELS`); return=sequences hands on every step's state.
            """,
        examples: ["gru 64", "gru 32 return=sequences"],
        command: AddLayer<GRUKind>.self)
    static let recordName = "gru"

    var units: Int
    var returns: RecurrentReturn

    init(units: Int, returns: RecurrentReturn) { self.units = units; self.returns = returns }
    func makeLayer() -> Layer { GRU(units: units, returns: returns) }
}
