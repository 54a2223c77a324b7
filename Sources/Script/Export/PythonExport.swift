import DLCore
import Engine
import Tabular

/// A runnable Python script that does what the session did: pandas and scikit-learn for the
/// data (train_test_split, SimpleImputer, OneHotEncoder, MinMaxScaler or StandardScaler, with
/// the values dl fitted), then the same layers, initialisation, optimizer, loss, batch size,
/// epochs and early stopping in Keras or PyTorch. `--weights FILE.safetensors` starts from
/// dl's trained weights instead of training; the PyTorch script trains data parallel under
/// `torchrun`, the Keras script inside a tf.distribute strategy.
///
/// This file holds what both scripts share (the header, the data steps, the settings);
/// PythonExport+Keras.swift and PythonExport+Torch.swift the model and training of each,
/// with each layer's lines from its kind (`LayerKind.kerasLines`, `torchLines`). Every
/// text from the session (paths, column and class names) goes in through `quotedLiteral`,
/// or `quotedLiteralBody` inside a docstring or comment, so no name can break the script.
struct PythonExport {
    enum Framework: String { case keras, torch }

    let framework: Framework
    let spec: ModelSpec
    let model: TrainedModel
    let pipeline: DataPipeline
    let fitted: FittedPipeline
    let plan: TrainingPlan

    /// Why a session cannot be exported as a script, or nil.
    static func problem(_ pipeline: DataPipeline?) -> String? {
        if pipeline?.images != nil, pipeline?.dataset != nil { return nil } // a folder of images: PythonExport+ImageFolder.swift
        guard let pipeline, pipeline.sourcePath != nil, pipeline.table != nil else {
            return "the exported script reads its data with pandas, or a folder with the framework's image loader, so the data must come from a CSV file, a bundled data set or `load images`"
        }
        return nil
    }

    var script: String {
        var lines: [String] = []
        if imageFolder != nil {
            lines += imageHeader // the folder is read by the framework's own loader, not pandas
        } else {
            lines += header
            lines += dataSection
        }
        lines += framework == .torch ? torchModel : kerasModel
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Shared: the data

    var isClassification: Bool { fitted.classNames != nil }

    private var header: [String] {
        let run = framework == .torch
            ? ["    python3 train.py                        # train from scratch, as the dl session did",
               "    python3 train.py --weights MODEL.safetensors   # start from dl's trained weights",
               "    torchrun --nproc_per_node=2 train.py    # data parallel (DistributedDataParallel)"]
            : ["    python3 train.py                        # train from scratch, as the dl session did",
               "    python3 train.py --weights MODEL.safetensors   # start from dl's trained weights"]
        return [
            "\"\"\"The dl session that wrote this (dl \(dlVersion), `export \(framework.rawValue)`), in pandas, scikit-learn and \(framework == .torch ? "PyTorch" : "Keras").",
            "",
        ] + run + [
            "",
            "The data goes through the same steps with the values dl fitted on its training rows;",
            splitSentence,
            "\"\"\"",
            "import argparse",
            "import math",
            "",
            "import numpy as np",
            "import pandas as pd",
            "from sklearn.impute import SimpleImputer",
            "from sklearn.model_selection import train_test_split",
            "from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, StandardScaler",
            "",
            "DATA = \(quotedLiteral(pipeline.sourcePath ?? ""))",
        ] + (testFile.map { ["TEST_DATA = \(quotedLiteral($0))  # load … test=: the test split"] } ?? [])
          + (windowTestFile.map { ["TEST_DATA = \(quotedLiteral($0))  # load … test=: its rows follow DATA's as the series' later rows, as in dl"] } ?? []) + [
            "TARGET = \(quotedLiteral(fitted.targetName))",
        ] + (fitted.classNames.map { ["CLASSES = [\($0.map(quotedLiteral).joined(separator: ", "))]"] } ?? []) + [
            "FEATURES = [\(fitted.featureNames.map(quotedLiteral).joined(separator: ", "))]",
            "",
        ]
    }

    private var dataSection: [String] {
        var lines = [
            "",
            "def load_data(dl_model=None):",
            "    \"\"\"The rows, split into training and test rows, through dl's preprocessing: (x_train, y_train, x_test, y_test, raw test rows).",
            "    With `dl_model` (a `save model` file), the scaling is dl's as fitted, so dl's weights see what they were trained on.\"\"\"",
        ]
        if fitted.window != nil { return windowDataSection(lines) }
        lines += readAndSplitLines
        lines.append("    raw_test = x_test.copy()")
        lines.append("    for step in STEPS:")
        lines.append("        x_train, x_test = step(x_train, x_test)")
        lines.append("    x_train, x_test = x_train[FEATURES].to_numpy(dtype=np.float32), x_test[FEATURES].to_numpy(dtype=np.float32)")
        if scalesTarget { lines.append("    y_train, y_test = scale_target(y_train, y_test, dl_model)") }
        switch fitted.scaler?.method {
        case .minmax?, .standard?:
            let scaler = fitted.scaler!.method == .minmax ? "MinMaxScaler()" : "StandardScaler()"
            lines.append("    if dl_model:")
            lines.append("        offsets, scales = dl_scaling(dl_model)")
            lines.append("        return (x_train - offsets) * scales, y_train, (x_test - offsets) * scales, y_test, raw_test")
            lines.append("    scaler = \(scaler).fit(x_train)  # fitted on the training rows only")
            lines.append("    x_train, x_test = scaler.transform(x_train).astype(np.float32), scaler.transform(x_test).astype(np.float32)")
        default:
            break
        }
        lines.append("    return x_train, y_train, x_test, y_test, raw_test")
        lines.append("")
        lines.append("")
        lines.append("def dl_scaling(path):")
        lines.append("    \"\"\"The scaling dl fitted, from a `save model` file: x' = (x - offset) * scale per feature.\"\"\"")
        lines.append("    import json")
        lines.append("    from safetensors import safe_open")
        lines.append("    with safe_open(path, \"np\") as f:")
        lines.append("        pipeline = json.loads(f.metadata()[\"pipeline\"])")
        lines.append("    return np.array(pipeline[\"offsets\"], dtype=np.float32), np.array(pipeline[\"scales\"], dtype=np.float32)")
        lines.append("")
        lines.append("")
        lines.append("def write_predictions(path, raw, probabilities):")
        lines.append("    \"\"\"The raw rows, then one probability column per class (or the value), as dl's `predict ... to` writes them.\"\"\"")
        lines.append("    frame = raw.copy()")
        lines.append(isClassification ? "    for k, name in enumerate(CLASSES):" : "    frame[\"predicted_\" + TARGET] = unscaled_target(probabilities[:, 0])")
        if isClassification { lines.append("        frame[\"prob_\" + name] = probabilities[:, k]") }
        lines.append("    frame.to_csv(path, index=False)")
        lines.append("")
        lines.append("")
        lines += targetFunctions
        lines += seriesReader
        lines += stepFunctions
        return lines
    }

    /// One function per recorded step, each (x_train, x_test) -> (x_train, x_test).
    var stepFunctions: [String] {
        var lines: [String] = []
        var names: [String] = []
        for (k, step) in fitted.steps.enumerated() {
            let name = "step_\(k + 1)"
            switch step {
            case .drop(let columns):
                lines += ["def \(name)(train, test):", "    \"\"\"drop \(quotedLiteralBody(columns.joined(separator: ",")))\"\"\"",
                          "    columns = [\(columns.map(quotedLiteral).joined(separator: ", "))]",
                          "    return train.drop(columns=columns), test.drop(columns=columns)"]
            case .keep(let columns):
                lines += ["def \(name)(train, test):", "    \"\"\"keep \(quotedLiteralBody(columns.joined(separator: ",")))\"\"\"",
                          "    columns = [\(columns.map(quotedLiteral).joined(separator: ", "))]",
                          "    return train[columns], test[columns]"]
            case .fill(let column, let value):
                let literal: String
                switch value {
                case .number(let x): literal = Format.general(x)
                case .text(let text): literal = quotedLiteral(text)
                }
                lines += ["def \(name)(train, test):",
                          "    \"\"\"impute \(quotedLiteralBody(column)): the value dl fitted on its training rows.\"\"\"",
                          "    imputer = SimpleImputer(strategy=\"constant\", fill_value=\(literal)).fit(train[[\(quotedLiteral(column))]])",
                          "    train, test = train.copy(), test.copy()",
                          "    train[\(quotedLiteral(column))] = imputer.transform(train[[\(quotedLiteral(column))]]).ravel()",
                          "    test[\(quotedLiteral(column))] = imputer.transform(test[[\(quotedLiteral(column))]]).ravel()",
                          "    return train, test"]
            case .encode(let encoding):
                lines += ["def \(name)(train, test):",
                          "    \"\"\"encode onehot \(quotedLiteralBody(encoding.column)): one 0/1 column per category; an unseen one is all zeros.\"\"\"",
                          "    encoder = OneHotEncoder(categories=[[\(encoding.categories.map(quotedLiteral).joined(separator: ", "))]], handle_unknown=\"ignore\", sparse_output=False)",
                          "    encoder.fit(train[[\(quotedLiteral(encoding.column))]].astype(str))",
                          "    names = [\(encoding.newColumnNames.map(quotedLiteral).joined(separator: ", "))]",
                          "    def apply(frame):",
                          "        at = list(frame.columns).index(\(quotedLiteral(encoding.column)))",
                          "        cells = frame[[\(quotedLiteral(encoding.column))]].astype(object).where(frame[[\(quotedLiteral(encoding.column))]].notna(), \"\").astype(str)",
                          "        indicators = pd.DataFrame(encoder.transform(cells), columns=names, index=frame.index)",
                          "        rest = frame.drop(columns=[\(quotedLiteral(encoding.column))])",
                          "        return pd.concat([rest.iloc[:, :at], indicators, rest.iloc[:, at:]], axis=1)",
                          "    return apply(train), apply(test)"]
            case .encodeDate(let encoding):
                lines += Self.dateStepLines(name, encoding)
            case .clip(let column, let lower, let upper):
                lines += ["def \(name)(train, test):", "    \"\"\"clip \(quotedLiteralBody(column)) to [\(Format.general(lower)), \(Format.general(upper))]\"\"\"",
                          "    train, test = train.copy(), test.copy()",
                          "    train[\(quotedLiteral(column))] = train[\(quotedLiteral(column))].clip(\(Format.general(lower)), \(Format.general(upper)))",
                          "    test[\(quotedLiteral(column))] = test[\(quotedLiteral(column))].clip(\(Format.general(lower)), \(Format.general(upper)))",
                          "    return train, test"]
            case .removedRows:
                continue
            case .features(let crosses):
                lines += Self.featureStepLines(name, crosses)
            }
            lines.append("")
            lines.append("")
            names.append(name)
        }
        lines.append("STEPS = [\(names.joined(separator: ", "))]")
        lines.append("")
        return lines
    }

    /// The start of both scripts' `main()`: the same command line for Keras and PyTorch.
    var mainStart: [String] {
        [
            "def main():",
            "    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])",
            "    parser.add_argument(\"--weights\", help=\"start from dl's trained weights (a `save model` file) and only evaluate\")",
            "    parser.add_argument(\"--epochs\", type=int, default=EPOCHS)",
            "    parser.add_argument(\"--predictions\", help=\"write the test rows with the model's probabilities to this CSV\")",
            "    args = parser.parse_args()",
        ]
    }

    /// Each layer with its name, the shape it receives and its engine layer, for its lines.
    var layerContexts: [(kind: any LayerKind, context: LayerContext)] {
        LayerContext.all(spec: spec, network: model.network)
    }

    var scheduleFactor: String {
        switch spec.schedule {
        case .constant: return "1.0"
        case .step(let every, let factor): return "\(Format.general(Double(factor))) ** (epoch // \(every))"
        case .exponential(let rate): return "\(Format.general(Double(rate))) ** epoch"
        case .cosine(let epochs, let minimum):
            let m = Format.general(Double(minimum))
            return "\(m) + (1 - \(m)) * 0.5 * (1 + math.cos(math.pi * min(epoch, \(epochs)) / \(epochs)))"
        case .plateau: return "1.0  # the plateau schedule is ReduceLROnPlateau instead (see train)"
        }
    }

    /// A Python float literal (Keras checks that some settings are floats).
    func pyFloat(_ value: Double) -> String {
        let text = Format.general(value)
        return text.contains(".") || text.contains("e") ? text : text + ".0"
    }
}
