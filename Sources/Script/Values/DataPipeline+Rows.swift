import Tabular

extension DataPipeline {
    /// What the pipeline has fitted, without its rows (what `save model` writes); nil while
    /// there is no data set to train on.
    var fitted: FittedPipeline? {
        if let restored { return restored }
        guard let dataset else { return nil }
        let raw = predictColumns.map { RawColumn(name: $0.name, isText: $0.isText) }
        var fitted = FittedPipeline(rawColumns: raw,
                              droppedColumns: loadedColumns.map(\.name).filter { name in !raw.contains { $0.name == name } },
                              targetName: targetName,
                              steps: steps.filter { if case .removedRows = $0 { return false } else { return true } },
                              featureNames: dataset.featureNames, scaler: scaler, classNames: dataset.classNames,
                              imageShape: dataset.imageShape, targetScaler: targetScaler)
        fitted.seriesShape = dataset.seriesShape
        fitted.dialect = dialect
        fitted.images = images
        fitted.augmentation = augmentation
        if let windowing, let table {
            // A forecast reads rows over time: the target is a channel too, and text columns pass through.
            let channels = table.windowChannels().channels
            fitted.window = FittedWindow(steps: windowing.steps, horizon: windowing.horizon, target: windowing.target, channels: channels)
            let loaded = (loadedColumns + [(name: targetName, isText: false)]).map { RawColumn(name: $0.name, isText: $0.isText) }
            fitted.rawColumns = FittedPipeline.windowColumns(loaded: loaded.filter { !fitted.droppedColumns.contains($0.name) },
                                                             steps: fitted.steps, channels: channels)
            fitted.droppedColumns = loaded.map(\.name).filter { name in !fitted.rawColumns.contains { $0.name == name } }
        }
        return fitted
    }

    /// The input shape `spec` takes for this data (also for a restored pipeline, which has no rows).
    func inputShape(for spec: ModelSpec) -> [Int]? {
        if let dataset { return spec.inputShape(of: dataset) }
        return restored.map { spec.inputShape(featureCount: $0.featureNames.count, imageShape: $0.imageShape, seriesShape: $0.seriesShape) }
    }

    /// New raw rows as the network takes them (see `FittedPipeline.features(ofRaw:)`).
    func features(ofRaw raw: Table) throws -> (features: [Float], notes: [String]) {
        guard let fitted else { throw problem ?? Diagnostic("no data set to predict for") }
        return try fitted.features(ofRaw: raw)
    }
}
