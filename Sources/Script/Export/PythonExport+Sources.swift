import DLCore
import Tabular

/// Where the exported scripts read their rows: a CSV through pandas, or a series file as the
/// UCR archive hands them out (`.ts`, `.tsv`, `.txt`: `read_series`, which names the columns
/// as dl does: label, then t0, t1, … or t0_c0, t0_c1, …); and a `load … test=` file, which
/// the scripts read as the test split, as dl does, rather than drawing one from the training file.
extension PythonExport {
    /// The test file of `load … test=` (its path as given), when the split came with the data
    /// (windows read it as `windowTestFile` instead).
    var testFile: String? { fitted.window == nil ? pipeline.split?.testFile : nil }

    /// The test file of `load … test=` before `window`: dl appended its rows to the data file's
    /// as the series' later rows, and the scripts read it so too.
    var windowTestFile: String? { fitted.window != nil ? pipeline.seriesTestFile : nil }

    /// Whether the data (and so the test file, which must match it) is a UCR series file.
    var readsSeriesFile: Bool { pipeline.sourcePath.map { SeriesFile.handles(path: $0) } ?? false }

    /// The expression that reads the file named by the Python variable `path`.
    func readFrame(_ path: String) -> String {
        readsSeriesFile ? "read_series(\(path))" : "pd.read_csv(\(path), \(Self.readArguments(pipeline.dialect)))"
    }

    /// The dropna lines of the recorded row removals, on the frame named `frame`.
    func removalLines(_ frame: String) -> [String] {
        pipeline.steps.compactMap { step in
            guard case .removedRows(let removal) = step else { return nil }
            switch removal {
            case .missingValues(nil):
                return "    \(frame) = \(frame).dropna()  # dl: dropna"
            case .missingValues(let columns?):
                return "    \(frame) = \(frame).dropna(subset=[\(columns.map(quotedLiteral).joined(separator: ", "))])  # dl: \(quotedLiteralBody(removal.description))"
            case .outliers:
                return "    # dl: \(quotedLiteralBody(removal.description)); not repeated here"
            }
        }
    }

    /// The sentence of the docstring that says how the test rows are chosen.
    var splitSentence: String {
        if let window = fitted.window {
            return "the windows (\(window.steps) steps, horizon \(window.horizon)) are cut by time at the same row as in dl, never shuffled."
        }
        if testFile != nil { return "the test file is the test split, as in dl; the rest may differ a little (another generator)." }
        return "the split draws its own rows (same share and seed, another generator), so figures differ a little."
    }

    /// The lines of load_data that read the rows and split them, up to the features and targets.
    var readAndSplitLines: [String] {
        let target = isClassification
            ? ".astype(str).map({name: k for k, name in enumerate(CLASSES)}).to_numpy()"
            : ".to_numpy(dtype=np.float32).reshape(-1, 1)"
        guard testFile != nil else {
            var lines = ["    frame = \(readFrame("DATA"))"] + removalLines("frame") + ["    y = frame.pop(TARGET)\(target)"]
            if let split = pipeline.split, let seed = split.seed {
                let share = Double(split.test.count) / Double(split.train.count + split.test.count)
                lines.append("    x_train, x_test, y_train, y_test = train_test_split(frame, y, test_size=\(Format.fixed(share, 4)), random_state=\(seed),"
                             + " stratify=\(split.stratified ? "y" : "None"))")
            } else {
                lines.append("    x_train, x_test, y_train, y_test = frame, frame, y, y  # no split: dl trained and evaluated on every row")
            }
            return lines
        }
        return ["    frame, test_frame = \(readFrame("DATA")), \(readFrame("TEST_DATA"))"]
            + removalLines("frame") + removalLines("test_frame") + [
            "    # dl: the test file is the test split (its columns matched by name)",
            "    x_train, x_test = frame, test_frame[frame.columns]",
            "    y_train, y_test = x_train.pop(TARGET)\(target), x_test.pop(TARGET)\(target)",
        ]
    }

    /// `read_series`, for scripts whose data is a UCR series file.
    var seriesReader: [String] {
        guard readsSeriesFile else { return [] }
        return [
            "def read_series(path):",
            "    \"\"\"A UCR series file as dl reads it: `.ts` (header lines, then @data, channels split by ':', the label last) or",
            "    `.tsv`/`.txt` (the label, then the values, split by tabs, commas or spaces). Columns: label, then t0, t1, …",
            "    (t0_c0, t0_c1, … with several channels, channel fastest); NaN, ? and empty cells are missing.\"\"\"",
            "    import re",
            "    ts, in_data, has_labels = path.lower().endswith(\".ts\"), not path.lower().endswith(\".ts\"), True",
            "    labels, rows, channels = [], [], 1",
            "    for line in open(path):",
            "        line = line.strip()",
            "        if not line or (ts and line.startswith(\"#\")):",
            "            continue",
            "        if not in_data:",
            "            lower = line.lower()",
            "            if lower.startswith(\"@classlabel\"):",
            "                has_labels = lower.split()[1:2] == [\"true\"]",
            "            in_data = lower.startswith(\"@data\")",
            "            continue",
            "        if ts:",
            "            parts = line.split(\":\")",
            "            label = parts.pop().strip() if has_labels else \"\"",
            "            series = [[float(v) if v.strip() not in (\"\", \"?\") else math.nan for v in part.split(\",\")] for part in parts]",
            "        else:",
            "            fields = re.split(r\"[\\t, ]+\", line)",
            "            label, series = fields[0], [[math.nan if v == \"?\" else float(v) for v in fields[1:]]]",
            "        channels = len(series)",
            "        labels.append(label)",
            "        rows.append([series[c][s] for s in range(len(series[0])) for c in range(channels)])",
            "    steps = len(rows[0]) // channels",
            "    names = [f\"t{s}\" if channels == 1 else f\"t{s}_c{c}\" for s in range(steps) for c in range(channels)]",
            "    frame = pd.DataFrame(np.array(rows, dtype=np.float64), columns=names)",
            "    try:  # numeric labels are classes named as dl names them: 1.0 is \"1\"",
            "        labels = [str(int(v)) if float(v).is_integer() else str(float(v)) for v in labels]",
            "    except ValueError:",
            "        pass",
            "    frame.insert(0, \"label\", labels)",
            "    return frame",
            "",
            "",
        ]
    }
}
