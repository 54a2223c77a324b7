import Tabular

extension DataPipeline {
    /// The loaded columns once `name` is the target (`target`, `window … target=`): the old
    /// target joins them and the new one leaves. They stay the columns as loaded, before the
    /// steps, which is what `predict` rows and a windowed model's recent rows give: after
    /// `encode onehot kind` the raw column is still `kind`, not `kind_hi`, `kind_lo`.
    func retargetedColumns(to name: String) -> [(name: String, isText: Bool)] {
        var columns = loadedColumns
        if !columns.contains(where: { $0.name == targetName }), let old = table?.column(named: targetName) {
            var isText = false
            if case .text = old.data { isText = true }
            columns.append((targetName, isText))
        }
        return columns.filter { $0.name != name }
    }
}
