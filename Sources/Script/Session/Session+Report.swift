import Plot
import Tabular

extension Session {
    /// Writes one offline HTML page, a lab report of the current data set: the data, the
    /// pipeline, the model and the training (read from the session's values), the results of
    /// the last `evaluate`, then an appendix of the statements since the data's `load`, with
    /// their output and pictures: something a student can hand in.
    func report(to file: Placed<String>) throws {
        let path = file.value
        let page = ReportPage(title: dataset?.source ?? table?.source, parts: reportParts(), appendix: reportAppendix())
        try writeFile(path, page.html, at: file.range)
        print("wrote \(path): " + page.contents)
    }

    /// Called when a `load` (or `load model`) makes new data the session's: the report's
    /// appendix starts at that statement, and a sweep of the data before is not this data's.
    func markDataStart() {
        reportMarks.dataStart = max(0, recorder.entries.count - 1)
        reportMarks.sweepBeforeData = lastSweep?.dataRevision
    }

    /// The numbered parts, read from the session's values as they are now (the rows of `show`,
    /// the table of `summary`, the charts of `plot loss` and `plot accuracy`, the figures of the
    /// last `evaluate`), so they hold even when the script never printed them.
    func reportParts() -> [ReportPage.Part] {
        var parts = stateSections().map { ReportPage.Part(title: $0.title, blocks: [.facts($0.rows)]) }
        func add(_ title: String, _ blocks: [ReportPage.Block]) {
            if let i = parts.firstIndex(where: { $0.title == title }) { parts[i].blocks += blocks }
        }
        if let dataset { parts[0].blocks = [.facts(stateSections()[0].rows + datasetDetails(dataset))] }
        if let model {
            add("Model", [.table(caption: nil, layerTable(of: model), note: nil)]) // the model row already counts the parameters
        }
        if let figures = model?.currentFigures, let validationLoss = figures.validationLoss,
           let i = parts.firstIndex(where: { $0.title == "Training" }), case .facts(var rows) = parts[i].blocks[0] {
            var text = (model?.restoredEpoch.map { "epoch \($0) (restored): loss" } ?? "last loss") + " \(Format.fixed(validationLoss, 4))"
            if let accuracy = figures.validationAccuracy { text += ", accuracy \(Format.fixed(accuracy, 4))" }
            rows.insert(("validation", text), at: 1)
            parts[i].blocks[0] = .facts(rows)
        }
        if !history.isEmpty {
            // The same charts `plot loss` and `plot accuracy` draw; accuracy only where measured.
            var charts = [try? trainingCurve(accuracy: false).svg()]
            if history.allSatisfy({ $0.accuracy != nil }) { charts.append(try? trainingCurve(accuracy: true).svg()) }
            let drawn = charts.compactMap { $0 }
            add("Training", [.charts(drawn)])
            if let i = parts.firstIndex(where: { $0.title == "Training" }) { parts[i].brief = Self.counted(drawn.count, "curve") }
        }
        let (blocks, brief) = resultBlocks()
        parts.append(ReportPage.Part(title: "Results", blocks: blocks, brief: brief))
        return parts
    }

    /// The last `evaluate`'s figures, tables and picture while they describe the session's
    /// weights, else a sentence saying why there are none; then the sweep of this data, if any.
    ///
    /// The report does not evaluate the model itself: measuring the test rows is a step the
    /// student takes (once, at the end), and every figure in the results can then be found in
    /// the appendix, printed by the `evaluate` that measured it.
    private func resultBlocks() -> (blocks: [ReportPage.Block], brief: String) {
        var blocks: [ReportPage.Block] = []
        var brief: [String] = []
        if let model, model.isTrained, let record = reportMarks.evaluation, record.describes(model) {
            let results = record.results
            brief.append(results.headline)
            if results.chart != nil { brief.append(results.tables.isEmpty ? "predicted vs actual" : "confusion matrix") }
            blocks.append(.note("The last `evaluate`, on \(record.rows), with \(record.weights)."))
            blocks.append(.facts(results.figures))
            var tables = results.tables.map { ReportPage.Block.table(caption: $0.title, $0.table, note: $0.note) }
            let picture = results.chart.map { ReportPage.Block.charts([$0.svg()]) }
            if let picture {
                // The confusion matrix's table and its picture side by side.
                blocks.append(tables.isEmpty ? picture : .beside([tables.removeFirst(), picture]))
            }
            blocks += tables
        } else {
            brief.append("no `evaluate` of these weights")
            blocks.append(.note(noResultsReason))
        }
        if let sweep = lastSweep, sweep.dataRevision !== reportMarks.sweepBeforeData {
            brief.append("sweep table")
            let sweepReport = SweepReport(result: sweep)
            blocks.append(.heading("Sweep"))
            if let table = sweepReport.table {
                let caption = sweepReport.heading.drop { $0 == "\n" }.prefix { $0 != "\n" && $0 != ":" }
                blocks.append(.table(caption: String(caption), table,
                                     note: sweepReport.closing.isEmpty ? nil : sweepReport.closing))
            } else {
                blocks.append(.note("The sweep finished no combination."))
            }
            if sweep.dataRevision !== data?.revision {
                blocks.append(.note("The pipeline changed after this sweep (a later `split`, `scale` or other step), so its figures are of the data as it was then."))
            }
        }
        return (blocks, brief.joined(separator: ", "))
    }

    /// Why the results hold no figures, and how to get them.
    private var noResultsReason: String {
        guard let model, model.isTrained else {
            return "No results: the model has not been trained on this data. `train`, then `evaluate`, gives them."
        }
        if let record = reportMarks.evaluation, record.model === model {
            return "The last `evaluate` measured the weights after \(Self.counted(record.epochs, "epoch")); the model has trained since "
                + "(\(Self.counted(epochsTrained, "epoch")) now), so those figures no longer describe it. "
                + "Run `evaluate` again before `report` to give the results of these weights."
        }
        return "No `evaluate` has measured these weights, so there are no test figures. Run `evaluate` before `report`: "
            + "the report shows what `evaluate` printed, and does not measure the test rows on its own."
    }

    /// The statements since the current data set's `load`, those that failed set apart.
    private func reportAppendix() -> ReportPage.Appendix {
        let all = recorder.entries.dropLast() // the `report` statement itself
        let start = min(reportMarks.dataStart, all.count)
        let since = all[start...]
        let firstWithOutput = max(0, recorder.entries.count - SessionRecorder.keptOutputs)
        var appendix = ReportPage.Appendix(statementsBefore: start)
        for (index, entry) in zip(since.indices, since) {
            if entry.failed {
                appendix.failed.append(entry)
            } else {
                appendix.entries.append(entry)
                if index < firstWithOutput { appendix.withoutOutput += 1 }
            }
        }
        return appendix
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

    static func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
}
