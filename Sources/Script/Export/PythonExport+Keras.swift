import DLCore
import Engine

/// The Keras half of `export keras` and `show keras`: a Sequential model with dl's
/// initialisation, compiled and fitted inside a tf.distribute strategy.
extension PythonExport {
    var kerasModel: [String] {
        var lines = [
            "",
            "import tensorflow as tf",
            "from tensorflow import keras",
            "",
            "",
            "def build_model():",
            "    \"\"\"dl's layers, with its initialisation: He normal (std sqrt(2 / fan_in)) before ReLU, Glorot uniform otherwise.\"\"\"",
            "    model = keras.Sequential([keras.Input(shape=(\(model.inputShape.reduce(1, *)),))])",
        ]
        if imageFolder != nil {
            lines.removeLast()
            lines += kerasImageInput
        } else if model.inputShape.count == 3 {
            // The CSV's rows are flat; the convolutions take them as images.
            let shape = model.inputShape.map(String.init)
            lines.insert("    # input: rows of \(shape.joined(separator: "x")) pixels, NHWC as dl keeps them", at: lines.count - 1)
            lines.append("    model.add(keras.layers.Reshape((\(shape.joined(separator: ", ")))))")
        } else if model.inputShape.count == 2 {
            // Series rows are flat too; Keras's sequence layers take [steps, channels], as dl does.
            let shape = model.inputShape.map(String.init)
            lines.insert("    # input: rows of \(shape[0]) steps x \(shape[1]) channels, channel fastest as dl keeps them", at: lines.count - 1)
            lines.append("    model.add(keras.layers.Reshape((\(shape.joined(separator: ", ")))))")
        } else {
            lines += kerasAugmentLines
        }
        if model.inputShape.count == 3, imageFolder == nil { lines += kerasAugmentLines }  // a folder's come in kerasImageInput
        for layer in layerContexts { lines += layer.kind.kerasLines(layer.context) }
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
            "WEIGHTS = [  # each layer with weights: its name in dl's file, its tensors in Keras's order",
        ] + layerContexts.filter { !$0.context.layer.variables.isEmpty }.map { layer in
            "    (\(quotedLiteral(layer.context.name)), (\(layer.context.layer.variables.map { quotedLiteral($0.name) + ", " }.joined()))),"
        } + [
            "]",
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
            "    for layer, (name, parts) in zip([l for l in model.layers if l.weights], WEIGHTS):",
            "        layer.set_weights([tensors[name + \".\" + part] for part in parts])",
            "",
            "",
            "def lr_factor(epoch):",
            "    return \(scheduleFactor)",
            "",
            "",
        ]
        if imageFolder != nil { return lines + kerasImageTraining(loss: loss) }
        lines += classWeightFunction + mainStart + [
            "    keras.utils.set_random_seed(\(spec.seed))",
            "    x_train, y_train, x_test, y_test, raw_test = load_data(args.weights)",
        ] + kerasModelAndCallbacks(loss: loss) + [
            "        if VALIDATION:",
            "            x_train, x_val, y_train, y_val = train_test_split(x_train, y_train, test_size=VALIDATION, random_state=\(spec.seed))",
            "            validation = (x_val, y_val)",
        ] + (balancesClasses ? ["        class_weight = dict(enumerate(balanced_class_weights(y_train).tolist()))  # train balance=auto"] : []) + [
            "        model.fit(x_train, y_train, batch_size=BATCH, epochs=args.epochs, validation_data=validation, callbacks=callbacks, verbose=2\(balancesClasses ? ", class_weight=class_weight" : ""))",
            "    results = model.evaluate(x_test, y_test, verbose=0, return_dict=True)  # {\"loss\": …, \"accuracy\": …}",
            "    print(\"\(testLossLabel)\" + \"  \".join(f\"{name} {value:.4f}\" for name, value in results.items()) + f\" on {len(x_test)} rows\")",
        ] + regressionReport("model.predict(x_test, verbose=0)", indent: "    ") + [
            "    if args.predictions:",
            "        write_predictions(args.predictions, raw_test, model.predict(x_test, verbose=0))",
            "",
            "",
            "if __name__ == \"__main__\":",
            "    main()",
        ]
        return lines
    }

    var kerasOptimizer: String {
        let lr = pyFloat(plan.learningRate)
        let decay = plan.weightDecay > 0 ? ", weight_decay=\(pyFloat(plan.weightDecay))" : ""
        switch plan.optimizer {
        case .sgd(let m): return "keras.optimizers.SGD(learning_rate=\(lr), momentum=\(pyFloat(Double(m)))\(decay))"
        case .nesterov(let m): return "keras.optimizers.SGD(learning_rate=\(lr), momentum=\(pyFloat(Double(m))), nesterov=True\(decay))"
        case .adam(let b1, let b2, let eps): return "keras.optimizers.Adam(learning_rate=\(lr), beta_1=\(pyFloat(Double(b1))), beta_2=\(pyFloat(Double(b2))), epsilon=\(Double(eps))\(decay))"
        case .rmsprop(let rho, let eps): return "keras.optimizers.RMSprop(learning_rate=\(lr), rho=\(pyFloat(Double(rho))), epsilon=\(Double(eps))\(decay))"
        }
    }

    /// main()'s model and callbacks, shared by the table and image-folder scripts: the model
    /// built and compiled under the distribution strategy, dl's weights loaded (`--weights`) or
    /// the schedule and early stopping set up for `fit`, and `validation = None` to fill.
    func kerasModelAndCallbacks(loss: String) -> [String] {
        [
            "    strategy = tf.distribute.MirroredStrategy()  # every local GPU, or the CPU",
            "    with strategy.scope():",
            "        model = build_model()",
            "        model.compile(optimizer=\(kerasOptimizer), loss=\(loss), metrics=[\(isClassification ? "\"accuracy\"" : "")])",
            "    if args.weights:",
            "        load_dl_weights(model, args.weights)",
            "    else:",
            "        callbacks = \(kerasScheduleCallbacks)",
            "        if PATIENCE is not None:",
            "            callbacks.append(keras.callbacks.EarlyStopping(monitor=\(quotedLiteral(plan.monitor.rawValue)), patience=PATIENCE, min_delta=\(pyFloat(plan.minDelta)), restore_best_weights=\(plan.restoreBest ? "True" : "False")))",
            "        validation = None",
        ]
    }
}
