import DLCore

/// The data section of a script for a model trained on `window` data: the recorded steps on the
/// whole series (as dl ran them before windowing), sliding windows of the same steps, horizon
/// and channels, and dl's split by time at the same row, never shuffled (windows that straddle
/// the cut left out); then the scaling fitted on the training windows. `--predictions` writes
/// each test window's last row with `forecast_TARGET`, as dl's `predict "FILE" to` does.
extension PythonExport {
    func windowDataSection(_ start: [String]) -> [String] {
        guard let window = fitted.window else { return start }
        // Test windows start at the cut; training windows' targets lie before it (Windowing.splitByTime).
        let cut = pipeline.split.flatMap { $0.byTime ? $0.test.first : nil }
        var lines = [
            "WINDOW = \(window.steps)  # steps of each window",
            "HORIZON = \(window.horizon)  # the target this many rows after a window's last row",
            "CHANNELS = [\(window.channels.map(quotedLiteral).joined(separator: ", "))]  # in this order, channel fastest at each step",
            "SPLIT_ROW = \(cut.map(String.init) ?? "None")  # split by time: test windows start at this row, training windows' targets lie before it",
            "",
            "",
            "def windows(frame):",
            "    \"\"\"Sliding windows over the rows (oldest first): x [N, WINDOW * channels], y [N, 1], and each window's first row.\"\"\"",
            "    values = frame[CHANNELS].to_numpy(dtype=np.float32)",
            "    target = frame[TARGET].to_numpy(dtype=np.float32)",
            "    count = len(frame) - WINDOW - HORIZON + 1",
            "    x = np.stack([values[i:i + WINDOW].reshape(-1) for i in range(count)])",
            "    y = target[WINDOW - 1 + HORIZON:WINDOW - 1 + HORIZON + count].reshape(-1, 1)",
            "    return x, y, np.arange(count)",
            "",
            "",
        ] + start + ["    frame = \(readFrame("DATA"))"] + testFileLines + removalLines("frame") + [
            "    frame = frame.reset_index(drop=True)",
            "    raw = frame.copy()",
            "    for step in STEPS:  # dl ran them on the whole series, before the windows",
            "        frame, _ = step(frame, frame)",
            "    x, y, first = windows(frame)",
            "    if SPLIT_ROW is None:",
            "        train = test = np.ones(len(x), dtype=bool)  # no split: dl trained and evaluated on every window",
            "    else:",
            "        train, test = first + WINDOW - 1 + HORIZON < SPLIT_ROW, first >= SPLIT_ROW",
            "    x_train, y_train, x_test, y_test = x[train], y[train], x[test], y[test]",
            "    raw_test = raw.iloc[first[test] + WINDOW - 1]  # the row each test forecast is made at",
        ]
        if scalesTarget { lines.append("    y_train, y_test = scale_target(y_train, y_test, dl_model)") }
        if let method = fitted.scaler?.method, method == .minmax || method == .standard {
            lines += [
                "    if dl_model:",
                "        offsets, scales = dl_scaling(dl_model)",
                "        return (x_train - offsets) * scales, y_train, (x_test - offsets) * scales, y_test, raw_test",
                "    scaler = \(method == .minmax ? "MinMaxScaler()" : "StandardScaler()").fit(x_train)  # fitted on the training windows only",
                "    x_train, x_test = scaler.transform(x_train).astype(np.float32), scaler.transform(x_test).astype(np.float32)",
            ]
        }
        lines += [
            "    return x_train, y_train, x_test, y_test, raw_test",
            "",
            "",
            "def dl_scaling(path):",
            "    \"\"\"The scaling dl fitted, from a `save model` file: x' = (x - offset) * scale per feature.\"\"\"",
            "    import json",
            "    from safetensors import safe_open",
            "    with safe_open(path, \"np\") as f:",
            "        pipeline = json.loads(f.metadata()[\"pipeline\"])",
            "    return np.array(pipeline[\"offsets\"], dtype=np.float32), np.array(pipeline[\"scales\"], dtype=np.float32)",
            "",
            "",
            "def write_predictions(path, raw, outputs):",
            "    \"\"\"The row each test forecast is made at, then forecast_TARGET: the value HORIZON rows later, as dl's `predict ... to` writes it.\"\"\"",
            "    frame = raw.copy()",
            "    frame[\"forecast_\" + TARGET] = unscaled_target(outputs[:, 0])",
            "    frame.to_csv(path, index=False)",
            "",
            "",
        ]
        return lines + targetFunctions + seriesReader + stepFunctions
    }

    /// `load … test=` before `window`: the test file's rows follow the data file's (columns by name), as dl appended them.
    private var testFileLines: [String] {
        guard windowTestFile != nil else { return [] }
        return [
            "    test_frame = \(readFrame("TEST_DATA"))",
            "    frame = pd.concat([frame, test_frame[frame.columns]], ignore_index=True)  # dl: the test file's rows are the series' later rows",
        ]
    }
}
