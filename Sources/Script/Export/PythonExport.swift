import DLCore
import Engine
import Tabular

/// A runnable Python script that does what the session did: pandas and scikit-learn for the
/// data (train_test_split, SimpleImputer, OneHotEncoder, MinMaxScaler or StandardScaler, with
/// the values dl fitted), then the same layers, initialisation, optimizer, loss, batch size,
/// epochs and early stopping in Keras or PyTorch. `--weights FILE.safetensors` starts from
/// dl's trained weights instead of training; the PyTorch script trains data parallel under
/// `torchrun`, the Keras script inside a tf.distribute strategy.
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
        guard let pipeline, pipeline.sourcePath != nil, pipeline.table != nil else {
            return "the exported script reads its data with pandas, so the data must come from a CSV file or a bundled data set"
        }
        return nil
    }

    var script: String {
        var lines: [String] = []
        lines += header
        lines += dataSection
        lines += framework == .torch ? torchModel : kerasModel
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Shared: the data

    private var isClassification: Bool { fitted.classNames != nil }

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
            "the split draws its own rows (same share and seed, another generator), so figures differ a little.",
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
            "DATA = \(py(pipeline.sourcePath ?? ""))",
            "TARGET = \(py(fitted.targetName))",
        ] + (fitted.classNames.map { ["CLASSES = [\($0.map(py).joined(separator: ", "))]"] } ?? []) + [
            "FEATURES = [\(fitted.featureNames.map(py).joined(separator: ", "))]",
            "",
        ]
    }

    private var dataSection: [String] {
        var lines = [
            "",
            "def load_data(dl_model=None):",
            "    \"\"\"The rows, split into training and test rows, through dl's preprocessing: (x_train, y_train, x_test, y_test, raw test rows).",
            "    With `dl_model` (a `save model` file), the scaling is dl's as fitted, so dl's weights see what they were trained on.\"\"\"",
            "    frame = pd.read_csv(DATA, na_values=[\"NA\"])",
        ]
        for step in pipeline.steps {
            if case .removedRows(let what) = step, what.hasPrefix("dropna") {
                lines.append("    frame = frame.dropna()  # dl: \(what)")
            } else if case .removedRows(let what) = step {
                lines.append("    # dl: \(what); not repeated here")
            }
        }
        if isClassification {
            lines.append("    y = frame.pop(TARGET).astype(str).map({name: k for k, name in enumerate(CLASSES)}).to_numpy()")
        } else {
            lines.append("    y = frame.pop(TARGET).to_numpy(dtype=np.float32).reshape(-1, 1)")
        }
        if let split = pipeline.split, let seed = split.seed {
            let share = Double(split.test.count) / Double(split.train.count + split.test.count)
            lines.append("    x_train, x_test, y_train, y_test = train_test_split(frame, y, test_size=\(Format.fixed(share, 4)), random_state=\(seed),"
                         + " stratify=\(split.stratified ? "y" : "None"))")
        } else {
            lines.append("    x_train, x_test, y_train, y_test = frame, frame, y, y  # no split: dl trained and evaluated on every row")
        }
        lines.append("    raw_test = x_test.copy()")
        lines.append("    for step in STEPS:")
        lines.append("        x_train, x_test = step(x_train, x_test)")
        lines.append("    x_train, x_test = x_train[FEATURES].to_numpy(dtype=np.float32), x_test[FEATURES].to_numpy(dtype=np.float32)")
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
        lines.append(isClassification ? "    for k, name in enumerate(CLASSES):" : "    frame[\"predicted_\" + TARGET] = probabilities[:, 0]")
        if isClassification { lines.append("        frame[\"prob_\" + name] = probabilities[:, k]") }
        lines.append("    frame.to_csv(path, index=False)")
        lines.append("")
        lines += stepFunctions
        return lines
    }

    /// One function per recorded step, each (x_train, x_test) -> (x_train, x_test).
    private var stepFunctions: [String] {
        var lines: [String] = []
        var names: [String] = []
        for (k, step) in fitted.steps.enumerated() {
            let name = "step_\(k + 1)"
            switch step {
            case .drop(let columns):
                lines += ["def \(name)(train, test):", "    \"\"\"drop \(columns.joined(separator: ","))\"\"\"",
                          "    columns = [\(columns.map(py).joined(separator: ", "))]",
                          "    return train.drop(columns=columns), test.drop(columns=columns)"]
            case .keep(let columns):
                lines += ["def \(name)(train, test):", "    \"\"\"keep \(columns.joined(separator: ","))\"\"\"",
                          "    columns = [\(columns.map(py).joined(separator: ", "))]",
                          "    return train[columns], test[columns]"]
            case .fill(let column, let value):
                let literal: String
                switch value {
                case .number(let x): literal = Format.general(x)
                case .text(let text): literal = py(text)
                }
                lines += ["def \(name)(train, test):",
                          "    \"\"\"impute \(column): the value dl fitted on its training rows.\"\"\"",
                          "    imputer = SimpleImputer(strategy=\"constant\", fill_value=\(literal)).fit(train[[\(py(column))]])",
                          "    train, test = train.copy(), test.copy()",
                          "    train[\(py(column))] = imputer.transform(train[[\(py(column))]]).ravel()",
                          "    test[\(py(column))] = imputer.transform(test[[\(py(column))]]).ravel()",
                          "    return train, test"]
            case .encode(let encoding):
                lines += ["def \(name)(train, test):",
                          "    \"\"\"encode onehot \(encoding.column): one 0/1 column per category; an unseen one is all zeros.\"\"\"",
                          "    encoder = OneHotEncoder(categories=[[\(encoding.categories.map(py).joined(separator: ", "))]], handle_unknown=\"ignore\", sparse_output=False)",
                          "    encoder.fit(train[[\(py(encoding.column))]].astype(str))",
                          "    names = [\(encoding.newColumnNames.map(py).joined(separator: ", "))]",
                          "    def apply(frame):",
                          "        at = list(frame.columns).index(\(py(encoding.column)))",
                          "        cells = frame[[\(py(encoding.column))]].astype(object).where(frame[[\(py(encoding.column))]].notna(), \"\").astype(str)",
                          "        indicators = pd.DataFrame(encoder.transform(cells), columns=names, index=frame.index)",
                          "        rest = frame.drop(columns=[\(py(encoding.column))])",
                          "        return pd.concat([rest.iloc[:, :at], indicators, rest.iloc[:, at:]], axis=1)",
                          "    return apply(train), apply(test)"]
            case .clip(let column, let lower, let upper):
                lines += ["def \(name)(train, test):", "    \"\"\"clip \(column) to [\(Format.general(lower)), \(Format.general(upper))]\"\"\"",
                          "    train, test = train.copy(), test.copy()",
                          "    train[\(py(column))] = train[\(py(column))].clip(\(Format.general(lower)), \(Format.general(upper)))",
                          "    test[\(py(column))] = test[\(py(column))].clip(\(Format.general(lower)), \(Format.general(upper)))",
                          "    return train, test"]
            case .removedRows:
                continue
            }
            lines.append("")
            lines.append("")
            names.append(name)
        }
        lines.append("STEPS = [\(names.joined(separator: ", "))]")
        lines.append("")
        return lines
    }

    // MARK: - PyTorch

    private var torchModel: [String] {
        var lines = [
            "",
            "import os",
            "import torch",
            "import torch.distributed as dist",
            "from torch import nn",
            "from torch.utils.data import DataLoader, TensorDataset",
            "from torch.utils.data.distributed import DistributedSampler",
            "",
            "",
            "class NHWCFlatten(nn.Module):",
            "    \"\"\"Flattens [N, C, H, W] in dl's order (height, width, channels), so dense weights match dl's.\"\"\"",
            "    def forward(self, x):",
            "        return x.permute(0, 2, 3, 1).flatten(1)",
            "",
            "",
            "def build_model():",
            "    \"\"\"dl's layers; the last one gives logits (the loss and `predict` apply its activation).\"\"\"",
            "    layers = []",
        ]
        var shape = model.inputShape
        if shape.count == 3 { lines.append("    # input: rows of \(shape[0])x\(shape[1])x\(shape[2]) pixels (NHWC in the CSV), reshaped to [N, C, H, W] in forward()") }
        for (index, (entry, layer)) in zip(spec.layers, model.network.layers).enumerated() {
            let last = index == spec.layers.count - 1
            switch entry.kind {
            case .dense(let units, let activation):
                lines.append("    layers.append(nn.Linear(\(shape.reduce(1, *)), \(units)))  # \(entry.text)")
                if !last || !(activation == .softmax || activation == .sigmoid) { lines += torchActivation(activation) }
            case .conv(let kernel, let filters, let stride, let padding, let activation):
                if padding == .same {
                    let pad = padding.pads(height: shape[0], width: shape[1], kernelHeight: kernel[0], kernelWidth: kernel[1], stride: stride)
                    lines.append("    layers.append(nn.ZeroPad2d((\(pad.left), \(pad.right), \(pad.top), \(pad.bottom))))  # pad=same, as TensorFlow pads")
                }
                lines.append("    layers.append(nn.Conv2d(\(shape[2]), \(filters), kernel_size=(\(kernel[0]), \(kernel[1])), stride=\(stride)))  # \(entry.text)")
                lines += torchActivation(activation)
            case .pool(let size, let stride, let mode):
                lines.append("    layers.append(nn.\(mode == .max ? "MaxPool2d" : "AvgPool2d")(\(size), stride=\(stride)))  # \(entry.text)")
            case .flatten:
                lines.append("    layers.append(NHWCFlatten())")
            case .dropout(let rate):
                lines.append("    layers.append(nn.Dropout(\(Format.general(rate))))")
            }
            shape = layer.outputShape
        }
        lines += [
            "    model = nn.Sequential(*layers)",
            "    for layer in model:",
            "        if isinstance(layer, (nn.Linear, nn.Conv2d)):",
            "            init_like_dl(layer, relu=layer in RELU_LAYERS)",
            "    return model",
            "",
            "",
            "RELU_LAYERS = set()",
            "",
            "",
            "def init_like_dl(layer, relu):",
            "    \"\"\"He normal (std sqrt(2 / fan_in)) before ReLU, Glorot uniform otherwise; zero biases.\"\"\"",
            "    fan_in = layer.weight[0].numel()",
            "    if relu:",
            "        nn.init.normal_(layer.weight, 0.0, math.sqrt(2.0 / fan_in))",
            "    else:",
            "        nn.init.xavier_uniform_(layer.weight)",
            "    nn.init.zeros_(layer.bias)",
            "",
            "",
            "def load_dl_weights(model, path):",
            "    \"\"\"dl's safetensors: dense kernels are [in, out] (torch: [out, in]), conv kernels [kh, kw, in, out] (torch: [out, in, kh, kw]).\"\"\"",
            "    from safetensors.numpy import load_file",
            "    tensors = load_file(path)",
            "    with torch.no_grad():",
            "        for layer, name in zip([l for l in model if isinstance(l, (nn.Linear, nn.Conv2d))], WEIGHT_NAMES):",
            "            kernel = torch.from_numpy(tensors[name + \".kernel\"])",
            "            layer.weight.copy_(kernel.T if isinstance(layer, nn.Linear) else kernel.permute(3, 2, 0, 1))",
            "            layer.bias.copy_(torch.from_numpy(tensors[name + \".bias\"]))",
            "",
            "",
            "WEIGHT_NAMES = [\(weightNames.map(py).joined(separator: ", "))]",
            "IMAGE_SHAPE = \(model.inputShape.count == 3 ? "(\(model.inputShape.map(String.init).joined(separator: ", ")))" : "None")  # height, width, channels",
            "",
            "",
            "def inputs(x):",
            "    \"\"\"Feature rows as the first layer takes them.\"\"\"",
            "    x = torch.as_tensor(x)",
            "    return x if IMAGE_SHAPE is None else x.reshape(-1, *IMAGE_SHAPE).permute(0, 3, 1, 2)",
            "",
            "",
        ]
        lines += torchTraining
        return lines
    }

    private func torchActivation(_ activation: Activation) -> [String] {
        switch activation {
        case .linear: return []
        case .relu: return ["    RELU_LAYERS.add(layers[-1])", "    layers.append(nn.ReLU())"]
        case .leakyRelu: return ["    RELU_LAYERS.add(layers[-1])", "    layers.append(nn.LeakyReLU(\(Activation.leakySlope)))"]
        case .sigmoid: return ["    layers.append(nn.Sigmoid())"]
        case .tanh: return ["    layers.append(nn.Tanh())"]
        case .softmax: return ["    layers.append(nn.Softmax(dim=1))"]
        }
    }

    private var weightNames: [String] {
        zip(ModelFile.layerNames(spec.layers), spec.layers).compactMap { name, entry in
            switch entry.kind {
            case .dense, .conv: return name
            default: return nil
            }
        }
    }

    private var outputActivation: Activation { spec.layers.last?.dense?.activation ?? .linear }

    private var torchLoss: (make: String, targets: String, probabilities: String) {
        let loss = model.loss ?? spec.loss
        let oneSigmoid = outputActivation == .sigmoid && model.network.layers.last!.outputShape == [1]
        if loss == .binaryCrossentropy || (isClassification && oneSigmoid) {
            return ("nn.BCEWithLogitsLoss()", "torch.as_tensor(y, dtype=torch.float32).reshape(-1, 1)",
                    "torch.cat([1 - torch.sigmoid(logits), torch.sigmoid(logits)], dim=1)")
        }
        if loss == .mae { return ("nn.L1Loss()", "torch.as_tensor(y)", "logits") }
        if loss == .mse || !isClassification { return ("nn.MSELoss()", "torch.as_tensor(y)", "logits") }
        return ("nn.CrossEntropyLoss()", "torch.as_tensor(y, dtype=torch.long)", "torch.softmax(logits, dim=1)")
    }

    private func torchOptimizer(_ parameters: String) -> String {
        let lr = pyFloat(plan.learningRate)
        let decay = plan.weightDecay
        switch plan.optimizer {
        case .sgd(let m):
            return "torch.optim.SGD(\(parameters), lr=\(lr), momentum=\(pyFloat(Double(m))), weight_decay=\(pyFloat(decay)))"
        case .nesterov(let m):
            return "torch.optim.SGD(\(parameters), lr=\(lr), momentum=\(pyFloat(Double(m))), nesterov=True, weight_decay=\(pyFloat(decay)))"
        case .adam(let b1, let b2, let eps):
            return "torch.optim.\(decay > 0 ? "AdamW" : "Adam")(\(parameters), lr=\(lr), betas=(\(pyFloat(Double(b1))), \(pyFloat(Double(b2)))), eps=\(Double(eps)), weight_decay=\(pyFloat(decay)))"
        case .rmsprop(let rho, let eps):
            return "torch.optim.RMSprop(\(parameters), lr=\(lr), alpha=\(pyFloat(Double(rho))), eps=\(Double(eps)), weight_decay=\(pyFloat(decay)))"
        }
    }

    private var scheduleFactor: String {
        switch spec.schedule {
        case .constant: return "1.0"
        case .step(let every, let factor): return "\(Format.general(Double(factor))) ** (epoch // \(every))"
        case .exponential(let rate): return "\(Format.general(Double(rate))) ** epoch"
        case .cosine(let epochs, let minimum):
            let m = Format.general(Double(minimum))
            return "\(m) + (1 - \(m)) * 0.5 * (1 + math.cos(math.pi * min(epoch, \(epochs)) / \(epochs)))"
        }
    }

    private var torchTraining: [String] {
        let loss = torchLoss
        let validation = plan.validation.map { Format.general($0) } ?? "None"
        let patience = plan.patience.map(String.init) ?? "None"
        return [
            "EPOCHS = \(plan.epochs)",
            "BATCH = \(plan.batch)",
            "VALIDATION = \(validation)  # share of the training rows held out to validate on",
            "PATIENCE = \(patience)  # early stopping: epochs without improvement of MONITOR",
            "MONITOR = \(py(plan.monitor.rawValue))",
            "MIN_DELTA = \(pyFloat(plan.minDelta))",
            "RESTORE_BEST = \(plan.restoreBest ? "True" : "False")",
            "",
            "",
            "def lr_factor(epoch):",
            "    \"\"\"The schedule: the learning rate of epoch `epoch` (from 0) over the base rate.\"\"\"",
            "    return \(scheduleFactor)",
            "",
            "",
            "def evaluate(model, loss_fn, x, y):",
            "    model.eval()",
            "    with torch.no_grad():",
            "        logits = model(inputs(x))",
            "        loss = loss_fn(logits, \(loss.targets)).item()",
            "        probabilities = \(loss.probabilities)",
            "    accuracy = (probabilities.argmax(1).numpy() == y).mean() if \(isClassification ? "True" : "False") else None",
            "    return loss, accuracy, probabilities.numpy()",
            "",
            "",
            "def main():",
            "    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])",
            "    parser.add_argument(\"--weights\", help=\"start from dl's trained weights (a `save model` file) and only evaluate\")",
            "    parser.add_argument(\"--epochs\", type=int, default=EPOCHS)",
            "    parser.add_argument(\"--predictions\", help=\"write the test rows with the model's probabilities to this CSV\")",
            "    args = parser.parse_args()",
            "    distributed = \"WORLD_SIZE\" in os.environ and int(os.environ[\"WORLD_SIZE\"]) > 1",
            "    if distributed:",
            "        dist.init_process_group(\"nccl\" if torch.cuda.is_available() else \"gloo\")",
            "    rank = dist.get_rank() if distributed else 0",
            "    torch.manual_seed(\(spec.seed))",
            "    x_train, y_train, x_test, y_test, raw_test = load_data(args.weights)",
            "    model = build_model()",
            "    loss_fn = \(loss.make)",
            "    if args.weights:",
            "        load_dl_weights(model, args.weights)",
            "    else:",
            "        train(model, loss_fn, x_train, y_train, args.epochs, distributed, rank)",
            "    if rank == 0:",
            "        loss, accuracy, probabilities = evaluate(model, loss_fn, x_test, y_test)",
            "        print(f\"test loss {loss:.4f}\" + (f\"  accuracy {accuracy:.4f}\" if accuracy is not None else \"\") + f\" on {len(x_test)} rows\")",
            "        if args.predictions:",
            "            write_predictions(args.predictions, raw_test, probabilities)",
            "    if distributed:",
            "        dist.destroy_process_group()",
            "",
            "",
            "def train(model, loss_fn, x, y, epochs, distributed, rank):",
            "    if VALIDATION:",
            "        x, x_val, y, y_val = train_test_split(x, y, test_size=VALIDATION, random_state=\(spec.seed))",
            "    data = TensorDataset(inputs(x), \(loss.targets))",
            "    sampler = DistributedSampler(data) if distributed else None",
            "    loader = DataLoader(data, batch_size=BATCH, shuffle=sampler is None, sampler=sampler)",
            "    net = nn.parallel.DistributedDataParallel(model) if distributed else model",
            "    optimizer = \(torchOptimizer("net.parameters()"))",
            "    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_factor)",
            "    best, best_state, waited = None, None, 0",
            "    for epoch in range(epochs):",
            "        net.train()",
            "        if sampler is not None:",
            "            sampler.set_epoch(epoch)",
            "        total, rows = 0.0, 0",
            "        for batch_x, batch_y in loader:",
            "            optimizer.zero_grad()",
            "            loss = loss_fn(net(batch_x), batch_y)",
            "            loss.backward()",
            "            optimizer.step()",
            "            total, rows = total + loss.item() * len(batch_x), rows + len(batch_x)",
            "        schedule.step()",
            "        line = f\"epoch {epoch + 1}/{epochs}  loss {total / rows:.4f}\"",
            "        value = total / rows",
            "        if VALIDATION:",
            "            val_loss, val_accuracy, _ = evaluate(model, loss_fn, x_val, y_val)",
            "            line += f\"  val_loss {val_loss:.4f}\" + (f\"  val_accuracy {val_accuracy:.4f}\" if val_accuracy is not None else \"\")",
            "            value = {\"val_loss\": val_loss, \"val_accuracy\": val_accuracy}.get(MONITOR, value)",
            "        if rank == 0:",
            "            print(line)",
            "        if PATIENCE is not None:",
            "            better = best is None or (value > best + MIN_DELTA if MONITOR == \"val_accuracy\" else value < best - MIN_DELTA)",
            "            if better:",
            "                best, waited = value, 0",
            "                best_state = {k: v.clone() for k, v in model.state_dict().items()}",
            "            else:",
            "                waited += 1",
            "                if waited >= PATIENCE:",
            "                    if rank == 0:",
            "                        print(f\"stopped early at epoch {epoch + 1}\")",
            "                    break",
            "    if PATIENCE is not None and RESTORE_BEST and best_state is not None:",
            "        model.load_state_dict(best_state)",
            "",
            "",
            "if __name__ == \"__main__\":",
            "    main()",
        ]
    }

    // MARK: - Keras

    private var kerasModel: [String] {
        var lines = [
            "",
            "import tensorflow as tf",
            "from tensorflow import keras",
            "",
            "",
            "def build_model():",
            "    \"\"\"dl's layers, with its initialisation: He normal (std sqrt(2 / fan_in)) before ReLU, Glorot uniform otherwise.\"\"\"",
            "    model = keras.Sequential([keras.Input(shape=(\(model.inputShape.map(String.init).joined(separator: ", ")),))])",
        ]
        if model.inputShape.count == 3 {
            lines.insert("    # input: rows of \(model.inputShape.map(String.init).joined(separator: "x")) pixels, NHWC as dl keeps them", at: lines.count - 1)
        }
        var shape = model.inputShape
        for (entry, layer) in zip(spec.layers, model.network.layers) {
            switch entry.kind {
            case .dense(let units, let activation):
                lines.append("    model.add(keras.layers.Dense(\(units), activation=\(kerasActivation(activation)), kernel_initializer=\(kerasInit(activation, fanIn: shape.reduce(1, *)))))  # \(entry.text)")
            case .conv(let kernel, let filters, let stride, let padding, let activation):
                lines.append("    model.add(keras.layers.Conv2D(\(filters), (\(kernel[0]), \(kernel[1])), strides=\(stride), padding=\(py(padding.rawValue)), activation=\(kerasActivation(activation)), kernel_initializer=\(kerasInit(activation, fanIn: kernel[0] * kernel[1] * shape[2]))))  # \(entry.text)")
            case .pool(let size, let stride, let mode):
                lines.append("    model.add(keras.layers.\(mode == .max ? "MaxPooling2D" : "AveragePooling2D")(\(size), strides=\(stride)))  # \(entry.text)")
            case .flatten:
                lines.append("    model.add(keras.layers.Flatten())")
            case .dropout(let rate):
                lines.append("    model.add(keras.layers.Dropout(\(Format.general(rate))))")
            }
            shape = layer.outputShape
        }
        let loss: String
        switch model.loss ?? spec.loss {
        case .binaryCrossentropy?: loss = "\"binary_crossentropy\""
        case .mse?: loss = "\"mse\""
        case .mae?: loss = "\"mae\""
        default: loss = isClassification ? "\"sparse_categorical_crossentropy\"" : "\"mse\""
        }
        lines += [
            "    return model",
            "",
            "",
            "WEIGHT_NAMES = [\(weightNames.map(py).joined(separator: ", "))]",
            "EPOCHS = \(plan.epochs)",
            "BATCH = \(plan.batch)",
            "VALIDATION = \(plan.validation.map { Format.general($0) } ?? "None")",
            "PATIENCE = \(plan.patience.map(String.init) ?? "None")",
            "",
            "",
            "def load_dl_weights(model, path):",
            "    \"\"\"dl's safetensors use Keras's layouts already: dense [in, out], conv [kh, kw, in, out].\"\"\"",
            "    from safetensors.numpy import load_file",
            "    tensors = load_file(path)",
            "    layers = [l for l in model.layers if isinstance(l, (keras.layers.Dense, keras.layers.Conv2D))]",
            "    for layer, name in zip(layers, WEIGHT_NAMES):",
            "        layer.set_weights([tensors[name + \".kernel\"], tensors[name + \".bias\"]])",
            "",
            "",
            "def lr_factor(epoch):",
            "    return \(scheduleFactor)",
            "",
            "",
            "def main():",
            "    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])",
            "    parser.add_argument(\"--weights\", help=\"start from dl's trained weights (a `save model` file) and only evaluate\")",
            "    parser.add_argument(\"--epochs\", type=int, default=EPOCHS)",
            "    parser.add_argument(\"--predictions\", help=\"write the test rows with the model's probabilities to this CSV\")",
            "    args = parser.parse_args()",
            "    keras.utils.set_random_seed(\(spec.seed))",
            "    x_train, y_train, x_test, y_test, raw_test = load_data(args.weights)",
            "    strategy = tf.distribute.MirroredStrategy()  # every local GPU, or the CPU",
            "    with strategy.scope():",
            "        model = build_model()",
            "        model.compile(optimizer=\(kerasOptimizer), loss=\(loss), metrics=[\(isClassification ? "\"accuracy\"" : "")])",
            "    if args.weights:",
            "        load_dl_weights(model, args.weights)",
            "    else:",
            "        callbacks = [keras.callbacks.LearningRateScheduler(lambda epoch, lr: \(Format.general(plan.learningRate)) * lr_factor(epoch))]",
            "        if PATIENCE is not None:",
            "            callbacks.append(keras.callbacks.EarlyStopping(monitor=\(py(plan.monitor.rawValue)), patience=PATIENCE, min_delta=\(pyFloat(plan.minDelta)), restore_best_weights=\(plan.restoreBest ? "True" : "False")))",
            "        validation = None",
            "        if VALIDATION:",
            "            x_train, x_val, y_train, y_val = train_test_split(x_train, y_train, test_size=VALIDATION, random_state=\(spec.seed))",
            "            validation = (x_val, y_val)",
            "        model.fit(x_train, y_train, batch_size=BATCH, epochs=args.epochs, validation_data=validation, callbacks=callbacks, verbose=2)",
            "    results = model.evaluate(x_test, y_test, verbose=0, return_dict=True)  # {\"loss\": …, \"accuracy\": …}",
            "    print(\"test \" + \"  \".join(f\"{name} {value:.4f}\" for name, value in results.items()) + f\" on {len(x_test)} rows\")",
            "    if args.predictions:",
            "        write_predictions(args.predictions, raw_test, model.predict(x_test, verbose=0))",
            "",
            "",
            "if __name__ == \"__main__\":",
            "    main()",
        ]
        return lines
    }

    private func kerasActivation(_ activation: Activation) -> String {
        activation == .leakyRelu ? "lambda x: tf.nn.leaky_relu(x, alpha=\(Activation.leakySlope))" : py(activation.rawValue)
    }

    private func kerasInit(_ activation: Activation, fanIn: Int) -> String {
        activation == .relu || activation == .leakyRelu
            ? "keras.initializers.RandomNormal(stddev=math.sqrt(2 / \(fanIn)))" : "\"glorot_uniform\""
    }

    private var kerasOptimizer: String {
        let lr = pyFloat(plan.learningRate)
        let decay = plan.weightDecay > 0 ? ", weight_decay=\(pyFloat(plan.weightDecay))" : ""
        switch plan.optimizer {
        case .sgd(let m): return "keras.optimizers.SGD(learning_rate=\(lr), momentum=\(pyFloat(Double(m)))\(decay))"
        case .nesterov(let m): return "keras.optimizers.SGD(learning_rate=\(lr), momentum=\(pyFloat(Double(m))), nesterov=True\(decay))"
        case .adam(let b1, let b2, let eps): return "keras.optimizers.Adam(learning_rate=\(lr), beta_1=\(pyFloat(Double(b1))), beta_2=\(pyFloat(Double(b2))), epsilon=\(Double(eps))\(decay))"
        case .rmsprop(let rho, let eps): return "keras.optimizers.RMSprop(learning_rate=\(lr), rho=\(pyFloat(Double(rho))), epsilon=\(Double(eps))\(decay))"
        }
    }

    /// A Python float literal (Keras checks that some settings are floats).
    private func pyFloat(_ value: Double) -> String {
        let text = Format.general(value)
        return text.contains(".") || text.contains("e") ? text : text + ".0"
    }

    /// A Python string literal.
    private func py(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
