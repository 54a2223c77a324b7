"""dl's ONNX exports as ONNX Runtime runs them (run by scripts/interop).

Trains six models with the real `dl` binary (an MLP on iris, the penguins pipeline with
imputation, one-hot encoding of text columns and scaling, a CNN on digits, iris and
digits again with batchnorm and activation layers, and a regression on cars with a scaled
target), exports each with `export onnx`, and has dl predict every raw row of the data set's
CSV to a file. ONNX Runtime then runs the exported model on the same raw rows (numbers as
float32 with NaN for a missing cell, text as strings with "" for a missing cell): every
probability must agree with dl's to 1e-5 and every label must be the same; a regression's
`value` must agree with dl's predicted value, in the target's units, to 1e-5 of its size.
"""
import csv, os, subprocess, sys, tempfile
import numpy as np
import onnxruntime as ort

DL, DATASETS = sys.argv[1], sys.argv[2]
MODELS = [
    ("iris", "species", "load iris; split 0.8 stratify; scale minmax; dense 16 relu; dense 3 softmax; train lr=0.1 epochs=40"),
    ("penguins", "species", "load penguins; split 0.8 seed=42 stratify; impute median; encode onehot island,sex; drop year; "
                            "outliers; clip outliers; scale standard; dense 16 relu; dense 3 softmax; optimizer adam; train lr=0.01 epochs=30"),
    ("digits", "digit", "load digits; split 0.8; scale minmax; conv 3x3 filters=4 pad=same relu; pool 2x2; conv 3x3 filters=6 stride=2 relu; "
                        "flatten; dropout 0.2; dense 16 relu; dense 10 softmax; optimizer adam; train lr=0.01 epochs=3"),
    # batchnorm + activation layers: ONNX Runtime must normalise with dl's moving statistics.
    ("iris", "species", "load iris; split 0.8 stratify; scale minmax; dense 16; batchnorm; activation relu; dense 3 softmax; train lr=0.1 epochs=30"),
    ("digits", "digit", "load digits; split 0.8; scale minmax; conv 3x3 filters=8 pad=same; batchnorm; activation relu; pool 2x2; flatten; "
                        "dense 16; batchnorm momentum=0.9 epsilon=0.01; activation tanh; dense 10; activation softmax; train lr=0.05 epochs=3"),
    # A regression with `scale target standard`: the graph must end with the target's inverse scaling.
    ("cars", "mpg", "load cars; dropna mpg; drop name,year; split 0.8 seed=42; impute median; encode onehot origin; scale standard; "
                    "scale target standard; dense 16 relu; dense 1; train lr=0.1 epochs=30"),
]


def main():
    failures = []
    with tempfile.TemporaryDirectory() as folder:
        for index, (name, target, script) in enumerate(MODELS):
            label = name + (" batchnorm" if "batchnorm" in script else "") + (" scaled target" if "scale target" in script else "")
            data = os.path.join(DATASETS, f"{name}.csv")
            model, out = os.path.join(folder, f"{index}_{name}.onnx"), os.path.join(folder, f"{index}_{name}.out.csv")
            run = subprocess.run([DL, "-e", f'{script}; export onnx "{model}"; predict "{data}" to "{out}"'],
                                 capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
            if run.returncode != 0:
                sys.exit(f"dl failed for {label}:\n{run.stdout}{run.stderr}")
            session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
            rows = list(csv.DictReader(open(data)))
            feeds = {}
            for given in session.get_inputs():
                cells = [row[given.name] for row in rows]
                if given.type == "tensor(string)":
                    feeds[given.name] = np.array([["" if c in ("", "NA") else c] for c in cells], dtype=object)
                else:
                    feeds[given.name] = np.array([[np.nan if c in ("", "NA") else float(c)] for c in cells], dtype=np.float32)
            predicted = list(csv.DictReader(open(out)))
            if [o.name for o in session.get_outputs()] == ["value"]:
                (values,) = session.run(["value"], feeds)
                expected = np.array([float(row["predicted_" + target]) for row in predicted])
                difference = float((np.abs(values[:, 0] - expected) / np.maximum(1, np.abs(expected))).max())
                print(f"  {label}: {len(rows)} raw rows, largest relative difference {difference:.2e} in {target}'s units "
                      f"(values {expected.min():.1f} to {expected.max():.1f})")
                if difference > 1e-5 or len(rows) != len(predicted):
                    failures.append(label)
                continue
            probabilities, labels = session.run(["probabilities", "label"], feeds)
            classes = [column[len("prob_"):] for column in predicted[0] if column.startswith("prob_")]
            expected = np.array([[float(row["prob_" + c]) for c in classes] for row in predicted])
            difference = float(np.abs(probabilities - expected).max())
            same_labels = all(label == row["predicted_" + target] for label, row in zip(labels, predicted))
            print(f"  {label}: {len(rows)} raw rows, largest difference {difference:.2e}, labels {'agree' if same_labels else 'DIFFER'}")
            if difference > 1e-5 or not same_labels or len(rows) != len(predicted):
                failures.append(label)
    if failures:
        sys.exit(f"onnx interop FAILED for {', '.join(failures)}")
    print("onnx interop: ONNX Runtime agrees with dl's predict to 1e-5 on iris, penguins, the digits CNN, iris and digits with batchnorm, "
          "and cars with a scaled target")


main()
