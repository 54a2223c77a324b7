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
        // Long runs keep their first and last 20 epochs; `plot loss` shows them all.
        let shown = history.count <= 50 ? Array(history.indices) : Array(0..<20) + [-1] + Array((history.count - 20)..<history.count)
        for index in shown {
            guard index >= 0 else {
                table.rows.append(["…"] + Array(repeating: "", count: headers.count - 1))
                continue
            }
            let row = history[index]
            var cells = [String(row.epoch), Format.fixed(row.loss, 4)]
            if hasAccuracy { cells.append(row.accuracy.map { Format.fixed($0, 4) } ?? "-") }
            if hasValidation {
                cells.append(row.validationLoss.map { Format.fixed($0, 4) } ?? "-")
                if hasAccuracy { cells.append(row.validationAccuracy.map { Format.fixed($0, 4) } ?? "-") }
            }
            cells += [Format.general(Double(row.learningRate)), Format.seconds(row.seconds)]
            table.rows.append(cells)
        }
        show(table, title: "history")
        if history.count > 50 { print("(\(history.count - 40) epochs in the middle not shown; `plot loss` draws them all)") }
        if model?.lastPlan?.balanceClasses == true {
            print("the last `train` weighted each class's loss by n / (k × count) (balance=auto), so its loss is the weighted one")
        }
    }


}
