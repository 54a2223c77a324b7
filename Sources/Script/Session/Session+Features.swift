import Tabular

extension Session {
    /// `features x1*x2, x1^2, sin(x1)`: the crosses become new numeric columns, computed for
    /// every row from the columns as they are now, and a step of the pipeline that `predict`,
    /// saved models and the exports replay.
    func addFeatures(_ expressions: Placed<[String]>, itemRanges: [SourceRange] = []) throws {
        guard let pipeline = data, pipeline.table != nil || pipeline.dataset != nil else {
            throw Diagnostic("features needs data, but nothing is loaded", at: expressions.range,
                             hint: "start with `load iris` (or `load \"file.csv\"`); `help load` lists the data sets")
        }
        let target = pipeline.targetName
        // The columns a cross may read, and which of them hold text.
        var names: [String], textColumns: Set<String> = []
        if let table = pipeline.table {
            names = table.columnNames.filter { $0 != target }
            for column in table.columns { if case .text = column.data { textColumns.insert(column.name) } }
        } else {
            names = pipeline.dataset!.featureNames
        }
        var crosses: [FeatureCross] = []
        for (index, text) in expressions.value.enumerated() {
            let range = index < itemRanges.count ? itemRanges[index] : expressions.range
            let (parsed, problem) = FeatureCross.parse(text)
            guard let cross = parsed else {
                throw Diagnostic("features takes crosses of columns, but \(problem ?? "'\(text)' is not one")", at: range,
                                 hint: "the operations are \(FeatureCross.allowed), e.g. `features x1*x2, x1^2, sin(x1)`")
            }
            for column in cross.columns {
                if column == target {
                    throw Diagnostic("\(cross.name) reads '\(target)', the target: a feature computed from the answer gives it away",
                                     at: range, hint: "cross the features only: \(Self.columnList(names))")
                }
                guard names.contains(column) else {
                    throw Diagnostic("\(cross.name) reads '\(column)', but there is no column named '\(column)'" + didYouMean(Suggest.closest(to: column, in: names)),
                                     at: range, hint: "the columns are: \(Self.columnList(names))")
                }
                if textColumns.contains(column) {
                    throw Diagnostic("\(cross.name) needs numbers, but '\(column)' holds text", at: range,
                                     hint: "cross numeric columns, or `encode onehot \(column)` and cross its 0/1 columns")
                }
            }
            guard !names.contains(cross.name) else {
                throw Diagnostic("'\(cross.name)' is a column already", at: range, hint: "each cross is added once")
            }
            crosses.append(cross)
            names.append(cross.name)
        }
        try rejectOutOfDomain(crosses, in: pipeline, at: expressions.range)
        let step = PipelineStep.features(crosses)
        if pipeline.table != nil {
            try applyStep(step, at: expressions.range)
        } else {
            try data!.apply(step, toGenerated: { try Self.withCrosses(crosses, $0) })
        }
        let count = data!.dataset?.featureCount ?? names.count
        print("features: added \(crosses.map(\.name).joined(separator: ", ")) (computed from the raw columns); \(count) features now")
    }

    /// log1p is undefined at -1 and below: say where, rather than let NaN reach `train`.
    private func rejectOutOfDomain(_ crosses: [FeatureCross], in pipeline: DataPipeline, at range: SourceRange) throws {
        for cross in crosses where cross.operation == .log1p {
            let column = cross.columns[0]
            let values: [Double]
            if let table = pipeline.table, case .numeric(let cells)? = table.column(named: column)?.data {
                values = cells.doubles
            } else if let data = pipeline.dataset, let index = data.featureNames.firstIndex(of: column) {
                values = data.featureMatrix.column(index).map { Double($0) }
            } else { continue }
            if let row = values.firstIndex(where: { $0 <= -1 }) {
                throw Diagnostic("log1p(\(column)) needs values above -1, but '\(column)' holds \(Format.general(values[row])) in row \(row) (as `head` counts)",
                                 at: range, hint: "use abs(\(column)) or \(column)^2, or `clip \(column)` first")
            }
        }
    }

    /// Generated data with the crosses appended as columns.
    private static func withCrosses(_ crosses: [FeatureCross], _ data: Dataset) throws -> Dataset {
        let matrix = data.featureMatrix
        var columns = (0..<matrix.featureCount).map { NumericColumn(floats: matrix.column($0)) }
        var names = data.featureNames
        for cross in crosses {
            let inputs = cross.columns.map { columns[names.firstIndex(of: $0)!] }
            columns.append(.compact(cross.values(inputs)))
            names.append(cross.name)
        }
        return Dataset(featureMatrix: FeatureMatrix(columns: columns, rowCount: matrix.rowCount), featureNames: names,
                       targetName: data.targetName, target: data.target, imageShape: nil, source: data.source)
    }

    private static func columnList(_ names: [String]) -> String {
        names.count > 12 ? names.prefix(12).joined(separator: ", ") + ", … (\(names.count) in all)" : names.joined(separator: ", ")
    }
}
