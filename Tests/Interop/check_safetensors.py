"""dl's model files as the safetensors package reads them (run by scripts/interop).

Trains and saves four models (two with batchnorm) with the real `dl` binary, opens each file with the
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


def activate(x, activation):
    if activation == "relu":
        return np.maximum(x, 0)
    if activation == "softmax":
        e = np.exp(x - x.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    return x


def forward(weights, x, layers):
    """Dense, batchnorm (moving statistics, as in inference) and activation layers, named as Keras names them."""
    counts = {}
    for layer in layers:
        kind = {"dense": "dense", "batchnorm": "batch_normalization"}.get(layer["layer"])
        if kind:
            name = kind if counts.get(kind, 0) == 0 else f"{kind}_{counts[kind]}"
            counts[kind] = counts.get(kind, 0) + 1
        if layer["layer"] == "dense":
            x = activate(x @ weights[f"{name}.kernel"] + weights[f"{name}.bias"], layer["activation"])
        elif layer["layer"] == "batchnorm":
            x = (x - weights[f"{name}.moving_mean"]) / np.sqrt(weights[f"{name}.moving_variance"] + layer["epsilon"]) \
                * weights[f"{name}.gamma"] + weights[f"{name}.beta"]
        elif layer["layer"] == "activation":
            x = activate(x, layer["activation"])
    return x


def printed_probabilities(text):
    return [[float(p) for p in re.findall(r"^  \S+\s+([0-9.]+)", block, re.M)] for block in text.split("predicted: ")[1:]]


def check_batchnorm(weights, name, units, failures, what):
    """The four tensors of one batchnorm layer: [units] float32, trained away from their initial values."""
    parts = {part: weights.get(f"{name}.{part}") for part in ("gamma", "beta", "moving_mean", "moving_variance")}
    if any(t is None or t.shape != (units,) for t in parts.values()):
        failures.append(f"{what} {name}: shapes {({p: None if t is None else t.shape for p, t in parts.items()})}, expected ({units},)")
        return
    initial = {"gamma": 1.0, "beta": 0.0, "moving_mean": 0.0, "moving_variance": 1.0}
    for part, tensor in parts.items():
        if np.all(tensor == initial[part]):
            failures.append(f"{what} {name}.{part} still all {initial[part]} after training")
    if np.any(parts["moving_variance"] <= 0):
        failures.append(f"{what} {name}.moving_variance not positive")


def compare_forward(weights, spec, pipeline, text, what, failures):
    """numpy's forward pass of ROWS (scaled as the pipeline recorded) against dl's printed predictions."""
    x = (np.array(ROWS, dtype=np.float32) - np.array(pipeline["offsets"], dtype=np.float32)) * np.array(pipeline["scales"], dtype=np.float32)
    probabilities = forward(weights, x, spec["layers"])
    printed = printed_probabilities(text)
    if len(printed) != len(ROWS) or np.abs(np.array(printed) - probabilities).max() > 1e-4:
        failures.append(f"{what}: numpy forward pass {probabilities.round(4).tolist()} differs from dl's predict {printed}")


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
        compare_forward(weights, spec, pipeline, text, "iris", failures)

        dl("load digits; conv 3x3 filters=4 relu; pool 2x2; flatten; dense 10 softmax; train epochs=1; "
           "save model \"digits.safetensors\"", folder)
        digits = load_file(os.path.join(folder, "digits.safetensors"))
        shapes = {name: tensor.shape for name, tensor in digits.items()}
        if shapes != {"conv2d.kernel": (3, 3, 1, 4), "conv2d.bias": (4,), "dense.kernel": (36, 10), "dense.bias": (10,)}:
            failures.append(f"digits tensors: {shapes}")

        # batchnorm + activation: the moving statistics are saved and inference uses them.
        text = dl("load iris; split 0.8; scale minmax; dense 16; batchnorm; activation relu; dense 3 softmax; "
                  f"train lr=0.1 epochs=30; save model \"iris_bn.safetensors\"; {predicts}", folder)
        path = os.path.join(folder, "iris_bn.safetensors")
        weights = load_file(path)
        shapes = {name: tensor.shape for name, tensor in weights.items()}
        expected = {"dense.kernel": (4, 16), "dense.bias": (16,), "dense_1.kernel": (16, 3), "dense_1.bias": (3,),
                    **{f"batch_normalization.{part}": (16,) for part in ("gamma", "beta", "moving_mean", "moving_variance")}}
        if shapes != expected:
            failures.append(f"iris batchnorm tensors: {shapes}, expected {expected}")
        else:
            check_batchnorm(weights, "batch_normalization", 16, failures, "iris")
            with safe_open(path, "np") as f:
                metadata = f.metadata()
            spec, pipeline = json.loads(metadata["spec"]), json.loads(metadata["pipeline"])
            compare_forward(weights, spec, pipeline, text, "iris batchnorm", failures)

        dl("load digits; split 0.8; scale minmax; conv 3x3 filters=8 pad=same; batchnorm; activation relu; pool 2x2; flatten; "
           "dense 16; batchnorm momentum=0.9; activation relu; dense 10 softmax; train epochs=2; save model \"digits_bn.safetensors\"", folder)
        digits = load_file(os.path.join(folder, "digits_bn.safetensors"))
        shapes = {name: tensor.shape for name, tensor in digits.items()}
        expected = {"conv2d.kernel": (3, 3, 1, 8), "conv2d.bias": (8,), "dense.kernel": (128, 16), "dense.bias": (16,),
                    "dense_1.kernel": (16, 10), "dense_1.bias": (10,),
                    **{f"batch_normalization.{part}": (8,) for part in ("gamma", "beta", "moving_mean", "moving_variance")},
                    **{f"batch_normalization_1.{part}": (16,) for part in ("gamma", "beta", "moving_mean", "moving_variance")}}
        if shapes != expected:
            failures.append(f"digits batchnorm tensors: {shapes}, expected {expected}")
        else:
            check_batchnorm(digits, "batch_normalization", 8, failures, "digits")
            check_batchnorm(digits, "batch_normalization_1", 16, failures, "digits")

    if failures:
        print("safetensors interop FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print(f"safetensors interop: iris and digits models (with and without batchnorm) open in safetensors; batchnorm tensors trained; "
          f"numpy (moving statistics) agrees with dl's predict to 1e-4 on {len(ROWS)} rows")


main()
