/// `plot predictions`.
struct PlotPredictionsCommand: Command {
    static let spec = StatementSpec(
        name: "plot predictions", category: .explore, writesTo: true,
        summary: "Draw a regression's predicted values against the actual ones, with the line where they agree.",
        explanation: "One point per test row (every row without a split), the actual value across and the model's prediction up, both in the target's own units; the dashed diagonal is predicted = actual. Points below it are predicted too low, above it too high; a cloud that is flatter than the diagonal means the model pulls its answers towards the mean.",
        examples: ["plot predictions", "plot predictions to \"predicted.svg\""],
        command: PlotPredictionsCommand.self)

    let destination: Placed<String?>
    init(_ args: Arguments) { destination = args.destination }

    func run(in session: Session) throws { try session.draw(try session.predictionChart(residuals: false), to: destination) }
    func explain(in session: Session) -> [String] { [
        "Each dot is a test row: across, what it really is; up, what the model says. A perfect model puts every dot on the diagonal.",
        "The vertical distance from the diagonal is the error; RMSE is its typical size.",
    ] }
}

/// `plot residuals`.
struct PlotResidualsCommand: Command {
    static let spec = StatementSpec(
        name: "plot residuals", category: .explore, writesTo: true,
        summary: "Draw a regression's residuals (actual − predicted) against the predicted values.",
        explanation: "One point per test row (every row without a split), the prediction across and actual − predicted up, in the target's units, with a dashed line at 0. A shapeless band around 0 is what a good fit leaves; a curve means a pattern the model missed, and a funnel means errors that grow with the value.",
        examples: ["plot residuals", "plot residuals to \"residuals.svg\""],
        command: PlotResidualsCommand.self)

    let destination: Placed<String?>
    init(_ args: Arguments) { destination = args.destination }

    func run(in session: Session) throws { try session.draw(try session.predictionChart(residuals: true), to: destination) }
    func explain(in session: Session) -> [String] { [
        "A residual is what the model missed: actual minus predicted. Above 0 it predicted too low.",
        "Residuals with a shape (a curve, a funnel) are structure the model has not learned yet.",
    ] }
}
