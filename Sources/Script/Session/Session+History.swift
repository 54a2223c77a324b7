import Engine
import Plot

extension Session {
    func showHistory() throws {
        guard !history.isEmpty else {
            throw Diagnostic("history lists the epochs trained so far, but nothing has been trained yet", hint: "run `train` first")
        }
        let hasAccuracy = history.contains { $0.accuracy != nil }
        let hasValidation = history.contains { $0.validationLoss != nil }
        var headers = ["epoch", "loss"]
        if hasAccuracy { headers.append("accuracy") }
        if hasValidation { headers += hasAccuracy ? ["val_loss", "val_accuracy"] : ["val_loss"] }
        headers += ["lr", "time"]
        var table = TextTable(headers: headers, rightAligned: Set(0..<headers.count))
        // Long runs keep their first and last 20 epochs, and the restored one; `plot loss` shows them all.
        let restored = model?.restoredEpoch.flatMap { epoch in history.lastIndex { $0.epoch == epoch } }
        var shown = history.count <= 50 ? Array(history.indices) : Array(0..<20) + [-1] + Array((history.count - 20)..<history.count)
        if let restored, !shown.contains(restored) { shown.insert(contentsOf: [restored, -1], at: 21) }
        for index in shown {
            guard index >= 0 else {
                table.rows.append(["…"] + Array(repeating: "", count: headers.count - 1))
                continue
            }
            let row = history[index]
            var cells = [String(row.epoch) + (index == restored ? "*" : ""), Format.fixed(row.loss, 4)]
            if hasAccuracy { cells.append(row.accuracy.map { Format.fixed($0, 4) } ?? "-") }
            if hasValidation {
                cells.append(row.validationLoss.map { Format.fixed($0, 4) } ?? "-")
                if hasAccuracy { cells.append(row.validationAccuracy.map { Format.fixed($0, 4) } ?? "-") }
            }
            cells += [Format.general(Double(row.learningRate)), Format.seconds(row.seconds)]
            table.rows.append(cells)
        }
        show(table, title: "history")
        if history.count > 50 {
            let hidden = history.count - 40 - (restored.map { $0 >= 20 && $0 < history.count - 20 ? 1 : 0 } ?? 0)
            print("(\(hidden) epochs in the middle not shown; `plot loss` draws them all)")
        }
        if let restored {
            print("* the model holds the weights of epoch \(history[restored].epoch), restored by early stopping: \(history[restored].summary)")
        }
        if model?.lastPlan?.balanceClasses == true {
            print("the last `train` weighted each class's loss by n / (k × count) (balance=auto), so its loss is the weighted one")
        }
    }


}
