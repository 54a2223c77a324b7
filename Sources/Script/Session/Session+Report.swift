import Plot
import Tabular

extension Session {
    /// Writes one offline HTML page: a summary of the session's values (data, pipeline,
    /// model, training curves) and then every statement run so far, its output and its
    /// pictures inline: something a student can hand in.
    func report(to file: Placed<String>) throws {
        let path = file.value
        let entries = Array(recorder.entries.dropLast()) // the `report` statement itself
        let summary = reportSummary()
        try writeFile(path, ReportPage(summary: summary, entries: entries,
                                          statementsWithoutOutput: recorder.statementsWithoutOutput).html, at: file.range)
        let pictures = entries.map(\.pictures.count).reduce(0, +)
        let curves = summary.parts.map(\.charts.count).reduce(0, +)
        var line = "wrote \(path): \(entries.count) statement\(entries.count == 1 ? "" : "s"), \(pictures) picture\(pictures == 1 ? "" : "s")"
        if curves > 0 { line += ", \(curves) training curve\(curves == 1 ? "" : "s")" }
        print(line)
    }

    /// The report's summary, read from the session's values as they are now (the rows of
    /// `show`, the table of `summary`, the charts of `plot loss` and `plot accuracy`), so it
    /// holds even when the script never printed them.
    func reportSummary() -> ReportPage.Summary {
        var parts = stateSections().map { ReportPage.Part(section: $0) }
        func add(_ title: String, _ change: (inout ReportPage.Part) -> Void) {
            if let i = parts.firstIndex(where: { $0.section.title == title }) { change(&parts[i]) }
        }
        if let dataset { add("Data") { $0.section.rows += datasetDetails(dataset) } }
        if let model {
            add("Model") { $0.table = layerTable(of: model) } // the model row already counts the parameters
        }
        if let figures = model?.currentFigures, let validationLoss = figures.validationLoss {
            var text = (model?.restoredEpoch.map { "epoch \($0) (restored): loss" } ?? "last loss") + " \(Format.fixed(validationLoss, 4))"
            if let accuracy = figures.validationAccuracy { text += ", accuracy \(Format.fixed(accuracy, 4))" }
            add("Training") { $0.section.rows.insert(("validation", text), at: 1) }
        }
        if !history.isEmpty {
            // The same charts `plot loss` and `plot accuracy` draw; accuracy only where measured.
            var charts = [try? trainingCurve(accuracy: false).svg()]
            if history.allSatisfy({ $0.accuracy != nil }) { charts.append(try? trainingCurve(accuracy: true).svg()) }
            add("Training") { $0.charts = charts.compactMap { $0 } }
        }
        return ReportPage.Summary(title: dataset?.source ?? table?.source, parts: parts)
    }

    /// What `show` leaves out but a reader of the report wants: the feature names and the
    /// classes with their row counts (or the range of a regression target).
    private func datasetDetails(_ dataset: Dataset) -> [(label: String, value: String)] {
        var rows = [(label: "features", value: Self.shortList(dataset.featureNames))]
        switch dataset.target {
        case .classes(_, let names):
            let counts = dataset.target.classCounts() ?? []
            rows.append(("classes", Self.shortList(zip(names, counts).map { "\($0) (\($1) rows)" })))
        case .values(let values):
            if let low = values.min(), let high = values.max() {
                rows.append(("target", "values from \(Format.general(Double(low))) to \(Format.general(Double(high)))"))
            }
        }
        return rows
    }

    /// A list that stays one line: 784 pixel names become the first few and a count.
    private static func shortList(_ items: [String], keep: Int = 10) -> String {
        guard items.count > keep + 2 else { return items.joined(separator: ", ") }
        return items.prefix(keep).joined(separator: ", ") + ", … (\(items.count) in all)"
    }
}
