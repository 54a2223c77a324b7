import Engine
import Plot
import Tabular

/// What `importance` found, for `explain`: the session's own numbers.
struct ImportanceRecord {
    var metric: String
    var baseline: Double
    var rows: String
    var repeats: Int
    /// Columns by mean drop, largest first (for images: the occlusion map's largest region).
    var ranking: [(name: String, mean: Double, std: Double)]
    var isOcclusion = false
}

/// What `why` and `importance` last found (`explain` reads them).
struct InsightRecords {
    var why: WhyRecord?
    var importance: ImportanceRecord?
}

extension Session {
    var lastWhy: WhyRecord? {
        get { insight.why }
        set { insight.why = newValue }
    }

    /// Most rows the occlusion map reads: each patch position runs all of them through the network.
    static let occlusionRowLimit = 1000

    /// `importance [repeats=5]`: permutation importance of each raw column on the test rows
    /// (the training rows, said so, without a split), or the occlusion map for images.
    func importance(repeats: Int, to destination: Placed<String?>, at range: SourceRange) throws {
        let (data, pipeline, model) = try insightInputs(for: "importance", at: range)
        var rows = pipeline.testRows
        let rowsText: String
        if pipeline.split == nil {
            warn(Diagnostic("importance: there is no split, so it shuffles the \(rows.count) training rows, which the model has learned: it shows what the model relies on, not what carries over to new rows",
                            at: range, hint: "`split 0.8` before training measures it on test rows"))
            rowsText = "\(rows.count) training rows (no split)"
        } else {
            rowsText = "\(rows.count) test rows"
        }
        let units = model.network.outputShape.reduce(1, *)
        let count = data.featureCount
        let baselineRow = meanTrainingRow(pipeline, featureCount: count)
        if let shape = data.imageShape {
            var note = ""
            if rows.count > Self.occlusionRowLimit {
                note = " (the first \(Self.occlusionRowLimit) of \(rows.count))"
                rows = Array(rows.prefix(Self.occlusionRowLimit))
            }
            try occlusion(data: data, pipeline: pipeline, model: model, rows: rows, shape: shape, baseline: baselineRow,
                          rowsText: (pipeline.split == nil ? "\(rows.count) training rows" : "\(rows.count) test rows") + note,
                          to: destination, at: range)
            return
        }
        let test = pipeline.trainingData(rows: rows, outputUnits: units, inputShape: model.inputShape)
        var x = Tensor(shape: [rows.count, count])
        let matrix = pipeline.scaledFeatures
        for (i, row) in rows.enumerated() {
            for j in 0..<count { x.data[i * count + j] = matrix[row * count + j] }
        }
        let score: ImportanceScore, metric: String
        if let labels = test.labels {
            score = .accuracy(labels: labels)
            metric = "accuracy"
        } else {
            score = .r2(targets: test.y.data)
            metric = "R²"
        }
        let groups = pipeline.featureGroups
        let result = try PermutationImportance(network: model.network, x: x, groups: groups.map(\.indices), score: score,
                                               repeats: repeats, seed: seed, cancel: cancellation)
        let means = result.means, deviations = result.deviations
        let order = groups.indices.sorted { means[$0] > means[$1] }
        let ranking = order.map { (name: groups[$0].name, mean: means[$0], std: deviations[$0]) }
        print("importance on \(rowsText): \(metric) \(Format.fixed(result.baseline, 4)) as they are; the drop when one column is shuffled, mean ± std over \(repeats) repeat\(repeats == 1 ? "" : "s")")
        let labels = ranking.map { entry in
            groups.first { $0.name == entry.name }.map { $0.indices.count > 1 ? "\(entry.name) (\($0.indices.count) features)" : entry.name } ?? entry.name
        }
        try draw(.bars(SignedBars(title: "permutation importance: drop in \(metric)", labels: labels,
                                  values: ranking.map(\.mean),
                                  valueTexts: ranking.map { Format.fixed($0.mean, 4) + " ± " + Format.fixed($0.std, 4) },
                                  errors: ranking.map(\.std),
                                  footnote: "\(metric) \(Format.fixed(result.baseline, 4)) on \(rowsText); a drop near 0 (within its ± of 0) means the model does not rely on that column")),
                 to: destination)
        insight.importance = ImportanceRecord(metric: metric, baseline: result.baseline, rows: rowsText, repeats: repeats, ranking: ranking)
    }

    /// The mean occlusion map of image rows: which regions the true class's probability
    /// (or, for a regression, the prediction) depends on, drawn over the mean image.
    private func occlusion(data: Dataset, pipeline: DataPipeline, model: TrainedModel, rows: [Int], shape: [Int],
                           baseline: [Float], rowsText: String, to destination: Placed<String?>, at range: SourceRange) throws {
        let (height, width, channels) = (shape[0], shape[1], shape[2])
        let count = data.featureCount
        var x = Tensor(shape: [rows.count] + model.inputShape)
        let matrix = pipeline.scaledFeatures
        for (i, row) in rows.enumerated() {
            for j in 0..<count { x.data[i * count + j] = matrix[row * count + j] }
        }
        let outputUnits = model.network.outputShape.reduce(1, *)
        var units = [Int](repeating: 0, count: rows.count), signs = [Double](repeating: 1, count: rows.count)
        var quantity = "the prediction"
        if case .classes(let labels, _) = data.target {
            quantity = "the true class's probability"
            for (i, row) in rows.enumerated() {
                if outputUnits == 1 { signs[i] = labels[row] == 1 ? 1 : -1 } else { units[i] = labels[row] }
            }
        }
        let patch = max(1, Int((Double(min(height, width)) / 4).rounded()))
        // The patch is a flat grey: each channel's mean over the training images (after the
        // pipeline), as Zeiler and Fergus occlude. The mean image instead would paint its
        // average stroke into the background, and every patch would seem to matter.
        var grey = [Float](repeating: 0, count: count)
        for k in 0..<channels {
            let pixels = stride(from: k, to: count, by: channels)
            let mean = pixels.reduce(0.0) { $0 + Double(baseline[$1]) } / Double(max(1, height * width))
            for i in pixels { grey[i] = Float(mean) }
        }
        let map = try OcclusionMap(network: model.network, x: x, imageShape: shape, units: units, signs: signs,
                                   baseline: grey, patch: patch, cancel: cancellation)
        let meanImage = (0..<(height * width)).map { p in
            rows.reduce(0.0) { sum, row in sum + (0..<channels).reduce(0.0) { $0 + Double(data.featureMatrix[row, p * channels + $1]) } }
                / Double(max(1, rows.count))
        }
        let strongest = map.values.indices.max { map.values[$0] < map.values[$1] } ?? 0
        print("importance on \(rowsText): a \(patch)x\(patch) patch (stride \(map.stride)) set to the training images' mean grey, and how much \(quantity) drops, averaged over the rows")
        try draw(.overlay(ImageOverlay(title: "occlusion: drop in \(quantity)", image: meanImage, values: map.values,
                                       height: height, width: width,
                                       caption: "left: the mean of the \(rows.count) rows; right: white where hiding a patch costs least (\(Format.fixed(map.values.min() ?? 0, 4))), red where it costs most (\(Format.fixed(map.values[strongest], 4)), at row \(strongest / width), column \(strongest % width))",
                                       relative: true)),
                 to: destination)
        insight.importance = ImportanceRecord(metric: quantity, baseline: 0, rows: rowsText, repeats: 0,
                                              ranking: [("row \(strongest / width), column \(strongest % width)", map.values[strongest], 0)],
                                              isOcclusion: true)
    }
}
