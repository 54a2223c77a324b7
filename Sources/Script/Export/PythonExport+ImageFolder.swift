import DLCore
import Engine

/// `export keras` and `export torch` of a model trained on `load images "FOLDER"`: the script
/// reads the same folder with the framework's own loader (Keras's
/// `keras.utils.image_dataset_from_directory`, torchvision's `datasets.ImageFolder`), with dl's
/// size, colour mode, class order and scaling, instead of the tables' pandas section.
///
/// The split: a folder's own train/ and test/ (or `test=`) are the split in the script too.
/// dl's `split F` of a plain folder is drawn again by the framework (same share and seed, its
/// own generator: Keras's `validation_split` with `subset="both"`, PyTorch's seeded
/// `randperm`), so the test images differ from dl's and the figures differ a little.
///
extension PythonExport {
    /// The folder the session loaded, when the model was trained on one.
    var imageFolder: ImageSource? { pipeline.images }

    /// The share of dl's split when the script must draw it again (a plain folder), else nil.
    var imageSplitShare: Double? {
        guard let images = imageFolder, !images.ownSplit, let split = pipeline.split else { return nil }
        return Double(split.test.count) / Double(split.train.count + split.test.count)
    }

    /// Whether the model's last layer is one sigmoid unit (labels 0/1 as floats, [N, 1]).
    var imageOneSigmoid: Bool {
        (spec.output?.activation ?? .linear) == .sigmoid && model.network.layers.last!.outputShape == [1]
    }

    /// `augment` in the Keras script: the preprocessing layers after the rescaling, so that
    /// brightness and contrast clip to the range dl's augmentation saw (Keras runs them in
    /// training only).
    var kerasAugmentation: [String] {
        guard let (a, _) = augmentationInForce else { return [] }
        return ["        # dl: augment \(a.description); Keras applies these layers in fit() only"]
            + kerasAugmentLayers.map { "        \($0)," }
    }

    // MARK: - Shared

    var imageHeader: [String] {
        let images = imageFolder!
        let framework = self.framework == .torch ? "torchvision and PyTorch" : "Keras (keras.utils.image_dataset_from_directory)"
        let run = self.framework == .torch
            ? ["    python3 train.py                        # train from scratch, as the dl session did",
               "    python3 train.py --weights MODEL.safetensors   # start from dl's trained weights and evaluate",
               "    torchrun --nproc_per_node=2 train.py    # data parallel: DistributedDataParallel + DistributedSampler"]
            : ["    python3 train.py                        # train from scratch, as the dl session did",
               "    python3 train.py --weights MODEL.safetensors   # start from dl's trained weights and evaluate"]
        let split: String
        if images.testFolder != nil {
            split = "The split is dl's: the images of TEST_DATA are the test images."
        } else if images.ownSplit {
            split = "The split is dl's: the folder's own train/ and test/."
        } else if let share = imageSplitShare {
            split = "dl drew a test share of \(Format.fixed(share, 4)) with seed \(pipeline.split?.seed ?? spec.seed); this script draws the same share "
                + "with the same seed through its own generator, so its test images are not dl's and figures differ a little."
        } else {
            split = "dl did not split: it trained and evaluated on every image, and so does this script."
        }
        let scaling = fitted.scaler == nil ? "Pixels are used as loaded (0-255), as dl did (no `scale`)."
            : "Pixels 0-255 are scaled to 0-1 (x / 255), as dl's `scale` did."
        return [
            "\"\"\"The dl session that wrote this (dl \(dlVersion), `export \(self.framework.rawValue)`), in \(framework).",
            "",
        ] + run + [
            "",
            "The images of DATA (one folder per class, CLASSES in dl's order) are read at \(images.height)x\(images.width), \(images.color == "gray" ? "grey" : "RGB"),",
            "resized bilinearly (dl and PIL antialias when shrinking; tf.image's resize does not, so Keras's pixels differ a",
            "little when the files are larger than the size). \(scaling)",
            split,
            "\"\"\"",
            "import argparse",
            "import csv",
            "import math",
            "import os",
            "",
            "import numpy as np",
            "",
            "DATA = \(quotedLiteral(images.folder))",
            "TEST_DATA = \(images.testFolder.map(quotedLiteral) ?? "None")  # `load images ... test=`",
            "OWN_SPLIT = \(images.ownSplit ? "True" : "False")  # the folder holds train/ and test/ (or TEST_DATA is given)",
            "SPLIT = \(imageSplitShare.map { Format.fixed($0, 4) } ?? "None")  # the test share of dl's `split` of a plain folder",
            "TARGET = \(quotedLiteral(fitted.targetName))",
            "CLASSES = [\((fitted.classNames ?? []).map(quotedLiteral).joined(separator: ", "))]",
            "IMAGE_SIZE = (\(images.height), \(images.width))  # height, width",
            "CHANNELS = \(images.channels)",
            "COLOR_MODE = \(quotedLiteral(images.color == "gray" ? "grayscale" : "rgb"))",
            "SCALED = \(fitted.scaler == nil ? "False" : "True")  # dl's `scale`: x / 255",
            "SEED = \(pipeline.split?.seed ?? spec.seed)",
            "",
            "",
            "def folders():",
            "    \"\"\"(training folder, test folder or None): the folder's own train/ and test/, TEST_DATA, or the folder itself.\"\"\"",
            "    root = os.path.expanduser(DATA)",
            "    if TEST_DATA is not None:",
            "        return root, os.path.expanduser(TEST_DATA)",
            "    # As dl reads it: train/ and test/ (or train/ alone) beside no other folder are a split, not classes.",
            "    named = {n for n in os.listdir(root) if not n.startswith(\".\") and os.path.isdir(os.path.join(root, n))}",
            "    if \"train\" in named and named <= {\"train\", \"test\"}:",
            "        return os.path.join(root, \"train\"), os.path.join(root, \"test\") if OWN_SPLIT and \"test\" in named else None",
            "    return root, None",
            "",
            "",
            "def write_predictions(path, files, probabilities):",
            "    \"\"\"One row per test image: its path, the predicted class and one probability column per class, as dl's `predict \\\"folder/\\\" to` writes.\"\"\"",
            "    with open(path, \"w\", newline=\"\") as f:",
            "        writer = csv.writer(f)",
            "        writer.writerow([\"path\", \"predicted_\" + TARGET] + [\"prob_\" + name for name in CLASSES])",
            "        for file, p in zip(files, probabilities):",
            "            writer.writerow([file, CLASSES[int(np.argmax(p))]] + [f\"{v:.9g}\" for v in p])",
            "",
            "",
            "def two_columns(probabilities):",
            "    \"\"\"One sigmoid output as two class probabilities (1 - p, p), as dl writes them.\"\"\"",
            "    p = np.asarray(probabilities, dtype=np.float64)",
            "    return np.concatenate([1 - p, p], axis=1) if p.shape[1] == 1 else p",
            "",
            "",
        ] + classWeightFunction
    }

    // MARK: - Keras

    /// build_model()'s first lines: images of dl's size, the rescaling, then any augmentation.
    var kerasImageInput: [String] {
        let images = imageFolder!
        return ["    # input: batches of \(images.height)x\(images.width)x\(images.channels) images, 0-255, NHWC as dl keeps them",
                "    model = keras.Sequential([",
                "        keras.Input(shape=(\(images.height), \(images.width), \(images.channels))),",
        ] + (fitted.scaler == nil ? [] : ["        keras.layers.Rescaling(1 / 255),  # dl's `scale`: 0-255 to 0-1"]) + kerasAugmentation + [
                "    ])"]
    }

    func kerasImageTraining(loss: String) -> [String] {
        let labelMode = imageOneSigmoid ? "binary" : "int"
        return [
            "def dataset(folder, **options):",
            "    \"\"\"Batches of (images [N, H, W, C] as float32 0-255, labels) from one folder of class folders, in dl's class order",
            "    (links followed, as dl does; Keras also reads .bmp and .gif files, which dl skips).\"\"\"",
            "    return keras.utils.image_dataset_from_directory(folder, labels=\"inferred\", label_mode=\(quotedLiteral(labelMode)), class_names=CLASSES,",
            "                                                    color_mode=COLOR_MODE, image_size=IMAGE_SIZE, interpolation=\"bilinear\",",
            "                                                    batch_size=BATCH, seed=SEED, follow_links=True, **options)",
            "",
            "",
            "def load_data():",
            "    \"\"\"(training, test): the folder's own split, or dl's share drawn by Keras's validation_split (same share and seed, not the same images).\"\"\"",
            "    train_folder, test_folder = folders()",
            "    if test_folder is not None:",
            "        return dataset(train_folder, shuffle=True), dataset(test_folder, shuffle=False)",
            "    if SPLIT is not None:",
            "        return dataset(train_folder, shuffle=True, validation_split=SPLIT, subset=\"both\")",
            "    return dataset(train_folder, shuffle=True), dataset(train_folder, shuffle=False)",
            "",
            "",
            "def predict_files(model, paths):",
            "    \"\"\"The model's probabilities for image files, read with PIL at IMAGE_SIZE (dl's reading), in batches.\"\"\"",
            "    outputs = []",
            "    for start in range(0, len(paths), BATCH):",
            "        batch = np.stack([keras.utils.img_to_array(keras.utils.load_img(p, color_mode=COLOR_MODE, target_size=IMAGE_SIZE, interpolation=\"bilinear\"))",
            "                          for p in paths[start:start + BATCH]])",
            "        outputs.append(model.predict(batch, verbose=0))",
            "    return two_columns(np.concatenate(outputs))",
            "",
            "",
        ] + mainStart + [
            "    keras.utils.set_random_seed(\(spec.seed))",
            "    train, test = load_data()",
        ] + kerasModelAndCallbacks(loss: loss) + [
            "        if VALIDATION:",
            "            # dl holds out a share of its training images; here keras.utils.split_dataset draws it (in memory).",
            "            train, validation = keras.utils.split_dataset(train.unbatch(), right_size=VALIDATION, shuffle=True, seed=SEED)",
            "            train, validation = train.batch(BATCH), validation.batch(BATCH)",
        ] + (balancesClasses ? ["        labels = np.concatenate([y.numpy().reshape(-1) for _, y in train])",
                                "        class_weight = dict(enumerate(balanced_class_weights(labels).tolist()))  # train balance=auto"] : []) + [
            "        model.fit(train, epochs=args.epochs, validation_data=validation, callbacks=callbacks, verbose=2\(balancesClasses ? ", class_weight=class_weight" : ""))",
            "    results = model.evaluate(test, verbose=0, return_dict=True)  # {\"loss\": …, \"accuracy\": …}",
            "    print(\"test \" + \"  \".join(f\"{name} {value:.4f}\" for name, value in results.items()) + f\" on {len(test.file_paths)} images\")",
            "    if args.predictions:",
            "        write_predictions(args.predictions, test.file_paths, predict_files(model, test.file_paths))",
            "",
            "",
            "if __name__ == \"__main__\":",
            "    main()",
        ]
    }
}
