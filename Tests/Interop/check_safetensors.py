"""dl's model files as the safetensors package reads them (run by scripts/interop).

Trains and saves two models with the real `dl` binary, opens each file with the
`safetensors` package, and checks the tensor names, shapes and dtypes, the metadata, and
the values: a forward pass in numpy through the saved scaling and weights must give the
probabilities that dl's own `predict` printed for the same raw rows.
"""
import json, re, subprocess, sys, tempfile, os
import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file

DL = sys.argv[1]
ROWS = [(5.1, 3.5, 1.4, 0.2), (5.9, 3.0, 5.1, 1.8), (6.4, 2.9, 4.3, 1.3)]


def dl(script, folder):
    out = subprocess.run([DL, "-e", script], capture_output=True, text=True, cwd=folder, env=dict(os.environ, NO_COLOR="1"))
    if out.returncode != 0:
        sys.exit(f"dl failed:\n{out.stdout}{out.stderr}")
    return out.stdout


def forward(weights, x, layers):
    for i, layer in enumerate(layers):
        name = "dense" if i == 0 else f"dense_{i}"
        x = x @ weights[f"{name}.kernel"] + weights[f"{name}.bias"]
        if layer["activation"] == "relu":
            x = np.maximum(x, 0)
        elif layer["activation"] == "softmax":
            e = np.exp(x - x.max(axis=1, keepdims=True))
            x = e / e.sum(axis=1, keepdims=True)
    return x


def main():
    failures = []
    with tempfile.TemporaryDirectory() as folder:
        predicts = "; ".join("predict " + ",".join(map(str, row)) for row in ROWS)
        text = dl("load iris; split 0.8; scale minmax; dense 16 relu; dense 8 relu; dense 3 softmax; "
                  f"train lr=0.1 epochs=30; save model \"iris.safetensors\"; {predicts}", folder)
        path = os.path.join(folder, "iris.safetensors")
        weights = load_file(path)
        expected = {"dense.kernel": (4, 16), "dense.bias": (16,), "dense_1.kernel": (16, 8), "dense_1.bias": (8,),
                    "dense_2.kernel": (8, 3), "dense_2.bias": (3,)}
        found = {name: tensor.shape for name, tensor in weights.items()}
        if found != expected:
            failures.append(f"iris tensors: {found}, expected {expected}")
        if any(tensor.dtype != np.float32 for tensor in weights.values()):
            failures.append("iris tensors are not all float32")
        with safe_open(path, "np") as f:
            metadata = f.metadata()
        if metadata.get("format") != "dl-model" or metadata.get("format_version") != "1":
            failures.append(f"iris metadata format: {metadata.get('format')!r} {metadata.get('format_version')!r}")
        spec, pipeline = json.loads(metadata["spec"]), json.loads(metadata["pipeline"])
        if json.loads(metadata["class_names"]) != ["setosa", "versicolor", "virginica"]:
            failures.append(f"class names: {metadata['class_names']}")
        if len(json.loads(metadata["history"])) != 30:
            failures.append("history does not hold 30 epochs")
        x = (np.array(ROWS, dtype=np.float32) - np.array(pipeline["offsets"], dtype=np.float32)) * np.array(pipeline["scales"], dtype=np.float32)
        probabilities = forward(weights, x, spec["layers"])
        printed = [[float(p) for p in re.findall(r"^  \S+\s+([0-9.]+)", block, re.M)] for block in text.split("predicted: ")[1:]]
        if len(printed) != len(ROWS) or np.abs(np.array(printed) - probabilities).max() > 1e-4:
            failures.append(f"numpy forward pass {probabilities.round(4).tolist()} differs from dl's predict {printed}")

        dl("load digits; conv 3x3 filters=4 relu; pool 2x2; flatten; dense 10 softmax; train epochs=1; "
           "save model \"digits.safetensors\"", folder)
        digits = load_file(os.path.join(folder, "digits.safetensors"))
        shapes = {name: tensor.shape for name, tensor in digits.items()}
        if shapes != {"conv2d.kernel": (3, 3, 1, 4), "conv2d.bias": (4,), "dense.kernel": (36, 10), "dense.bias": (10,)}:
            failures.append(f"digits tensors: {shapes}")

    if failures:
        print("safetensors interop FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print(f"safetensors interop: iris and digits models open in safetensors; numpy agrees with dl's predict to 1e-4 on {len(ROWS)} rows")


main()
