"""UCR accuracy with dl on the archive's fixed train/test splits, read from aeon's copies.

    ~/.dl-peers/bin/python bench/ucr_accuracy.py [.build/debug/dl] [DATASET ...]

Each data set loads as a user would load the files from timeseriesclassification.com:
`load "X_TRAIN.ts" test="X_TEST.ts"` (the test file is the test split), then `scale standard`
and one of the models below. The MLP is Wang et al. 2017's (dropout 0.1, three dense 500 ReLU
layers with dropout 0.2, 0.2, 0.3, softmax), trained with Adam rather than their Adadelta;
the LSTM is one `lstm 64` layer on the last step and a softmax. The FCN needs i26-conv1d's
layers and is not run here. Prints one line per data set and model: test accuracy and time,
beside the accuracy Wang et al. published for their MLP and FCN on the same split (1 - the
error rates of the table in the authors' repository, cauchyturing/UCR_Time_Series_Classification_
Deep_Learning_Baseline; ArrowHead is not among their data sets).
"""
import glob, os, re, subprocess, sys, time

# Wang et al. 2017, accuracy = 1 - published test error: (MLP, FCN).
PAPER = {"GunPoint": (1 - 0.067, 1 - 0.0), "ItalyPowerDemand": (1 - 0.034, 1 - 0.03)}

HERE = os.path.dirname(os.path.abspath(__file__))
AEON = glob.glob(os.path.expanduser("~/.dl-peers/lib/python*/site-packages/aeon/datasets/data"))[0]

MODELS = {
    "mlp": "dropout 0.1\ndense 500 relu\ndropout 0.2\ndense 500 relu\ndropout 0.2\ndense 500 relu\ndropout 0.3\ndense {k} softmax\n"
           "optimizer adam\ntrain lr=0.001 epochs=500 batch=16 verbose=0\n",
    "lstm": "lstm 64\ndense {k} softmax\noptimizer adam\ntrain lr=0.001 epochs=200 batch=16 verbose=0\n",
}


def run(binary, name, model):
    train, test = (os.path.join(AEON, name, f"{name}_{part}.ts") for part in ("TRAIN", "TEST"))
    head = f'load "{train}" test="{test}"\nscale standard\n'
    probe = subprocess.run([binary], input=head, capture_output=True, text=True, check=True).stdout
    classes = int(re.search(r"(\d+) classes", probe).group(1))
    started = time.time()
    out = subprocess.run([binary], input=head + MODELS[model].format(k=classes) + "evaluate\n",
                         capture_output=True, text=True, check=True).stdout
    seconds = time.time() - started
    accuracy = float(re.search(r"accuracy (\d\.\d+) \(", out).group(1))
    split = re.search(r"split: (\d+) training rows, (\d+) test rows", out)
    return accuracy, seconds, split.group(1), split.group(2)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", ".build", "debug", "dl")
    names = sys.argv[2:] or ["GunPoint", "ItalyPowerDemand", "ArrowHead"]
    print("| data set | train / test | model | test accuracy | seconds | paper MLP | paper FCN |")
    print("|---|---|---|---:|---:|---:|---:|")
    for name in names:
        for model in MODELS:
            accuracy, seconds, train, test = run(binary, name, model)
            paper = " | ".join(f"{a:.3f}" for a in PAPER[name]) if name in PAPER else "– | –"
            print(f"| {name} | {train} / {test} | dl {model} | {accuracy:.4f} | {seconds:.1f} | {paper} |", flush=True)


if __name__ == "__main__":
    main()
