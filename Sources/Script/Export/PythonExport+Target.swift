import DLCore

/// A regression's target in the exported scripts: `scale target` (the network learns the
/// scaled values: fitted on the training rows, or dl's own with `--weights`) and the report of
/// MSE, RMSE, MAE and R² in the target's own units that dl's `evaluate` prints, through
/// `unscaled_target`, which also maps the predictions written with `--predictions` back.
extension PythonExport {
    var scalesTarget: Bool { fitted.targetScaler != nil }

    /// The functions a regression script adds to its data section.
    var targetFunctions: [String] {
        guard !isClassification else { return [] }
        var lines = [
            "TARGET_SCALING = None  # (offset, scale) of `scale target`, set by load_data: the network learns (y - offset) * scale",
            "",
            "",
            "def unscaled_target(values):",
            "    \"\"\"The network's outputs in the target's own units (the inverse of `scale target`).\"\"\"",
            "    if TARGET_SCALING is None:",
            "        return values",
            "    offset, scale = TARGET_SCALING",
            "    return values / scale + offset",
            "",
            "",
            "def report_regression(y, outputs):",
            "    \"\"\"MSE, RMSE, MAE and R² on the test rows in the target's own units, as dl's `evaluate` prints them.\"\"\"",
            "    from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score",
            "    actual, predicted = unscaled_target(np.asarray(y)[:, 0]), unscaled_target(np.asarray(outputs)[:, 0])",
            "    mse = mean_squared_error(actual, predicted)",
            "    print(f\"test MSE {mse:.4f}  RMSE {math.sqrt(mse):.4f}  MAE {mean_absolute_error(actual, predicted):.4f}  R² {r2_score(actual, predicted):.4f} in {TARGET}'s units\")",
            "",
            "",
        ]
        guard let scaler = fitted.targetScaler else { return lines }
        let fit = scaler.method == .minmax
            ? ["        scaler = MinMaxScaler().fit(y_train)  # fitted on the training rows only",
               "        TARGET_SCALING = (float(scaler.data_min_[0]), float(scaler.scale_[0]))"]
            : ["        scaler = StandardScaler().fit(y_train)  # fitted on the training rows only",
               "        TARGET_SCALING = (float(scaler.mean_[0]), float(1 / scaler.scale_[0]))"]
        lines += [
            "def scale_target(y_train, y_test, dl_model=None):",
            "    \"\"\"`scale target \(scaler.method.rawValue)`: the targets as the network learns them; dl's own scaling with `dl_model`.\"\"\"",
            "    global TARGET_SCALING",
            "    if dl_model:",
            "        import json",
            "        from safetensors import safe_open",
            "        with safe_open(dl_model, \"np\") as f:",
            "            pipeline = json.loads(f.metadata()[\"pipeline\"])",
            "        TARGET_SCALING = (pipeline[\"target_offset\"], pipeline[\"target_scale\"])",
            "    else:",
        ] + fit + [
            "    offset, scale = TARGET_SCALING",
            "    return ((y_train - offset) * scale).astype(np.float32), ((y_test - offset) * scale).astype(np.float32)",
            "",
            "",
        ]
        return lines
    }

    /// What `main()` prints after the test loss of a regression: the figures in the target's units.
    func regressionReport(_ outputs: String, indent: String) -> [String] {
        isClassification ? [] : ["\(indent)report_regression(y_test, \(outputs))"]
    }

    /// The test loss's label: on the scaled target when the target is scaled.
    var testLossLabel: String { scalesTarget ? "test (loss on the scaled target) " : "test " }
}
