import DLCore
import Engine

/// The PyTorch half of `export torch` and `show torch`: the model, its initialisation, the
/// loading of dl's weights and a training loop that runs data parallel under `torchrun`.
extension PythonExport {
    var torchModel: [String] {
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
            "        return x.flatten(1) if x.dim() == 3 else x.permute(0, 2, 3, 1).flatten(1)  # series [N, steps, units] are in dl's order already",
            "",
            "",
            "class RecurrentOutput(nn.Module):",
            "    \"\"\"Keeps the last step's output of an nn.LSTM/GRU/RNN (Keras's default), or every step's (return_sequences).\"\"\"",
            "    def __init__(self, last):",
            "        super().__init__()",
            "        self.last = last",
            "",
            "    def forward(self, x):",
            "        y, _ = x",
            "        return y[:, -1] if self.last else y",
            "",
            "",
            "def build_model():",
            "    \"\"\"dl's layers; the last one gives logits (the loss and `predict` apply its activation).\"\"\"",
            "    layers = []",
        ]
        if model.inputShape.count == 2 { lines.insert(contentsOf: Self.seriesTorchModules, at: lines.count - 3) }
        let shape = model.inputShape
        if shape.count == 3 { lines.append("    # input: rows of \(shape[0])x\(shape[1])x\(shape[2]) pixels (NHWC in the CSV), reshaped to [N, C, H, W] in forward()") }
        if shape.count == 2 { lines.append("    # input: rows of \(shape[0]) steps x \(shape[1]) channels (channel fastest in the CSV), reshaped to [N, steps, channels] by inputs()") }
        for layer in layerContexts { lines += layer.kind.torchLines(layer.context) }
        lines += [
            "    model = nn.Sequential(*layers)",
            "    for layer in model:",
            "        if isinstance(layer, (nn.Linear, nn.Conv2d, nn.Conv1d)):",
            "            init_like_dl(layer, relu=layer in RELU_LAYERS)",
            "        if isinstance(layer, (nn.LSTM, nn.GRU, nn.RNN)):",
            "            init_recurrent_like_dl(layer)",
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
            "def init_recurrent_like_dl(layer):",
            "    \"\"\"Keras's recurrent initialisers: Glorot uniform kernel, orthogonal recurrent kernel, zero biases but LSTM's forget gate's (1).\"\"\"",
            "    nn.init.xavier_uniform_(layer.weight_ih_l0)",
            "    nn.init.orthogonal_(layer.weight_hh_l0)",
            "    nn.init.zeros_(layer.bias_ih_l0)",
            "    nn.init.zeros_(layer.bias_hh_l0)",
            "    if isinstance(layer, nn.LSTM):",
            "        with torch.no_grad():",
            "            layer.bias_ih_l0[layer.hidden_size:2 * layer.hidden_size] = 1.0",
            "",
            "",
            "def rzn(t):",
            "    \"\"\"GRU gate blocks from Keras's order (z, r, h) to PyTorch's (r, z, n), along the first axis.\"\"\"",
            "    u = t.shape[0] // 3",
            "    return torch.cat([t[u:2 * u], t[:u], t[2 * u:]])",
            "",
            "",
            "def load_dl_weights(model, path):",
            "    \"\"\"dl's safetensors: dense kernels are [in, out] (torch: [out, in]), conv kernels [kh, kw, in, out] (torch: [out, in, kh, kw]).\"\"\"",
            "    from safetensors.numpy import load_file",
            "    tensors = load_file(path)",
            "    layouts = {\"\": lambda t: t, \"T\": lambda t: t.T, \"OIHW\": lambda t: t.permute(3, 2, 0, 1), \"OIW\": lambda t: t.permute(2, 1, 0)}",
            "    layouts.update({\"zeros\": torch.zeros_like, \"T/rzn\": lambda t: rzn(t.T), \"0/rzn\": lambda t: rzn(t[0]), \"1/rzn\": lambda t: rzn(t[1])})  # recurrent layers",
            "    with torch.no_grad():",
            "        for layer, (name, copies) in zip([l for l in model if list(l.parameters(recurse=False))], WEIGHTS):",
            "            for attribute, tensor, layout in copies:",
            "                getattr(layer, attribute).copy_(layouts[layout](torch.from_numpy(tensors[name + \".\" + tensor])))",
            "",
            "",
            "WEIGHTS = [  # each layer with weights: its name in dl's file, and (torch attribute, dl tensor, layout change) per tensor",
        ] + layerContexts.compactMap { layer in
            let copies = layer.kind.torchTensors
            guard !copies.isEmpty else { return nil }
            let listed = copies.map { "(\(quotedLiteral($0.attribute)), \(quotedLiteral($0.tensor)), \(quotedLiteral($0.layout)))" }
            return "    (\(quotedLiteral(layer.context.name)), (\(listed.map { $0 + ", " }.joined()))),"
        } + [
            "]",
            "IMAGE_SHAPE = \(model.inputShape.count == 3 ? "(\(model.inputShape.map(String.init).joined(separator: ", ")))" : "None")  # height, width, channels",
            "SERIES_SHAPE = \(model.inputShape.count == 2 ? "(\(model.inputShape.map(String.init).joined(separator: ", ")))" : "None")  # steps, channels",
            "",
            "",
            "def inputs(x):",
            "    \"\"\"Feature rows as the first layer takes them.\"\"\"",
            "    x = torch.as_tensor(x)",
            "    if SERIES_SHAPE is not None:",
            "        return x.reshape(-1, *SERIES_SHAPE)  # [N, steps, channels], as batch_first sequence layers take it",
            "    return x if IMAGE_SHAPE is None else x.reshape(-1, *IMAGE_SHAPE).permute(0, 3, 1, 2)",
            "",
            "",
        ]
        lines += imageFolder == nil ? torchTraining : torchImageTraining
        return lines
    }

    private var outputActivation: Activation { spec.output?.activation ?? .linear }

    var torchLoss: (make: String, targets: String, probabilities: String) {
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

    func torchOptimizer(_ parameters: String) -> String {
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

    private var torchTraining: [String] {
        let loss = torchLoss
        let validation = plan.validation.map { Format.general($0) } ?? "None"
        let patience = plan.patience.map(String.init) ?? "None"
        return [
            "EPOCHS = \(plan.epochs)",
            "BATCH = \(plan.batch)",
            "VALIDATION = \(validation)  # share of the training rows held out to validate on",
            "PATIENCE = \(patience)  # early stopping: epochs without improvement of MONITOR",
            "MONITOR = \(quotedLiteral(plan.monitor.rawValue))",
            "MIN_DELTA = \(pyFloat(plan.minDelta))",
            "RESTORE_BEST = \(plan.restoreBest ? "True" : "False")",
            "",
            "",
            "def lr_factor(epoch):",
            "    \"\"\"The schedule: the learning rate of epoch `epoch` (from 0) over the base rate.\"\"\"",
            "    return \(scheduleFactor)",
            "",
            "",
        ] + classWeightFunction + torchWeightedLoss + torchAugmentFunction + [
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
        ] + mainStart + [
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
            "        print(f\"\(testLossLabel)loss {loss:.4f}\" + (f\"  accuracy {accuracy:.4f}\" if accuracy is not None else \"\") + f\" on {len(x_test)} rows\")",
        ] + regressionReport("probabilities", indent: "        ") + [
            "        if args.predictions:",
            "            write_predictions(args.predictions, raw_test, probabilities)",
            "    if distributed:",
            "        dist.destroy_process_group()",
            "",
            "",
            "def train(model, loss_fn, x, y, epochs, distributed, rank):",
            "    if VALIDATION:",
            "        x, x_val, y, y_val = train_test_split(x, y, test_size=VALIDATION, random_state=\(spec.seed))",
        ] + (balancesClasses ? ["    weights = torch.as_tensor(balanced_class_weights(y))  # train balance=auto"] : []) + [
            "    data = TensorDataset(inputs(x), \(loss.targets))",
            "    sampler = DistributedSampler(data) if distributed else None",
            "    loader = DataLoader(data, batch_size=BATCH, shuffle=sampler is None, sampler=sampler)",
            "    net = nn.parallel.DistributedDataParallel(model) if distributed else model",
            "    optimizer = \(torchOptimizer("net.parameters()"))",
            "    schedule = \(torchScheduleMaker)",
            "    best, best_state, waited = None, None, 0",
            "    for epoch in range(epochs):",
            "        net.train()",
            "        if sampler is not None:",
            "            sampler.set_epoch(epoch)",
            "        total, rows = 0.0, 0",
            "        for batch_x, batch_y in loader:",
            "            optimizer.zero_grad()",
        ] + (augmentationInForce != nil ? ["            batch_x = augment(batch_x)  # dl: augment, training batches only"] : []) + [
            "            loss = \(balancesClasses ? "weighted_loss(net(batch_x), batch_y, weights)" : "loss_fn(net(batch_x), batch_y)")",
            "            loss.backward()",
            "            optimizer.step()",
            "            total, rows = total + loss.item() * len(batch_x), rows + len(batch_x)",
        ] + torchScheduleStep + [
            "        line = f\"epoch {epoch + 1}/{epochs}  loss {total / rows:.4f}\"",
            "        value = total / rows",
            "        if VALIDATION:",
            "            val_loss, val_accuracy, _ = evaluate(model, loss_fn, x_val, y_val)",
            "            line += f\"  val_loss {val_loss:.4f}\" + (f\"  val_accuracy {val_accuracy:.4f}\" if val_accuracy is not None else \"\")",
            "            value = {\"val_loss\": val_loss, \"val_accuracy\": val_accuracy}.get(MONITOR, value)",
        ] + torchPlateauStep + torchEpochEnd
    }

    /// The end of each epoch in train(), shared by the table and image-folder scripts: process 0
    /// prints the epoch's line, early stopping watches `value` (and keeps the best weights), and
    /// the best weights come back at the end; then the script's entry point.
    var torchEpochEnd: [String] {
        [
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
}
