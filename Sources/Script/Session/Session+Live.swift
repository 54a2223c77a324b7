import Engine
import Plot

extension Session {
    /// `train … live`: the decision regions and the loss for two-feature classes, else the
    /// loss and (for classes) accuracy curves; on a narrow screen only the first of the two.
    /// Each picture is drawn at the terminal's width at that moment. On a terminal the run
    /// keeps `pace` (by default it spreads over about 5 seconds).
    func liveView(of model: TrainedModel, plan: TrainingPlan, pace: LivePace, offset: Int, lossName: String) -> LiveView {
        let twoFeatureClasses: Bool = {
            guard let dataset, dataset.featureCount == 2, case .classes = dataset.target else { return false }
            return true
        }()
        let last = offset + plan.epochs
        return LiveView(output: output, style: { [unowned self] in terminalStyle }, offset: offset,
                        rate: pace.rate(epochs: plan.epochs), shouldStop: context.shouldInterrupt) { [unowned self] rows, style in
            let epoch = "epoch \(rows.last!.epoch)/\(last)"
            var charts: [Chart] = []
            if twoFeatureClasses, let regions = try? decisionRegions(of: model.network, title: "Decision regions, \(epoch)") {
                charts.append(regions)
            }
            if var loss = try? Self.trainingCurve(accuracy: false, of: rows, lossName: lossName) {
                if case .line(var chart) = loss {
                    chart.title = "Loss \(Format.fixed(rows.last!.loss, 4))" + (twoFeatureClasses ? "" : ", \(epoch)")
                    loss = .line(chart)
                }
                charts.append(loss)
            }
            if !twoFeatureClasses, rows.last!.accuracy != nil, let accuracy = try? Self.trainingCurve(accuracy: true, of: rows, lossName: lossName) {
                charts.append(accuracy)
            }
            return style.width >= 100 ? Array(charts.prefix(2)) : Array(charts.prefix(1))
        }
    }
}
