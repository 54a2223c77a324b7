"""dl's ONNX exports as ONNX Runtime runs them (run by scripts/interop).

Trains nine models with the real `dl` binary (an MLP on iris, the penguins pipeline with
imputation, one-hot encoding of text columns and scaling, a CNN on digits, iris and digits
again with batchnorm and activation layers, a regression on cars with a scaled target, iris with feature crosses,
two with `encode date`, four 1-D convolutional networks on series, and three forecasting models on `window` data, one with a text and a date column that the graph encodes), exports each with `export onnx`, and has dl predict every raw row
of the data set's CSV to a file. ONNX Runtime then runs the exported model on the same raw
rows (numbers as float32 with NaN for a missing cell, text as strings with "" for a missing
cell, dates as float64 seconds since 1970): every probability must agree with dl's to 1e-5
and every label must be the same; a regression's `value` must agree with dl's predicted
value, in the target's units, to 1e-5 of its size.
"""
import csv, os, struct, subprocess, sys, tempfile, zlib
import numpy as np
import onnxruntime as ort

from interop_data import colour_csv, shop_csv, twin_csv

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
    # A date column: the graph takes seconds since 1970 (double) and works out the parts by arithmetic.
    ("seattle", "weather", "load seattle; encode date date cyclic; split 0.8 stratify; scale minmax; dense 16 relu; dense 5 softmax; "
                           "train lr=0.1 epochs=20"),
    # Feature crosses (`features`): Mul, Sin, Cos, Abs and Log(x + 1) nodes on the raw columns before scaling.
    ("iris", "species", "load iris; split 0.8 stratify; features petal_length_cm*petal_width_cm, sepal_length_cm^2, petal_width_cm^3, "
                        "sin(sepal_width_cm), cos(petal_width_cm), abs(sepal_width_cm), log1p(petal_length_cm); scale minmax; "
                        "dense 16 relu; dense 3 softmax; train lr=0.1 epochs=40"),
    # Dates from 1601 to 2400 with times, offsets, leap days and a missing one that `impute` fills (written by `dates_csv`).
    ("dates", "y", "load \"{folder}/dates.csv\"; impute mode when; encode date when cyclic; split 0.8 stratify; scale standard; "
                   "dense 16 relu; dense 2 softmax; train lr=0.1 epochs=5"),
    # Series of 24 steps x 2 channels (written by `waves_csv`): conv1d (same padding, dilation, stride), batchnorm per
    # channel, 1-D pooling and global pooling; the graph moves the channels first as ONNX's Conv and pools need.
    ("waves", "label", "load \"{folder}/waves.csv\" target=label; input 24x2; split 0.8 seed=1; conv1d 5 filters=8 pad=same; batchnorm; "
                       "activation relu; pool1d 2; conv1d 3 relu filters=6 dilation=2; conv1d 3 filters=4 stride=2 pad=same relu; "
                       "globalpool avg; dense 3 softmax; optimizer adam; train lr=0.01 epochs=5"),
    ("waves", "label", "load \"{folder}/waves.csv\" target=label; input 24x2; split 0.8 seed=1; conv1d 4 filters=4 stride=2 tanh; "
                       "pool1d 3 avg stride=1; conv1d 2 filters=3 relu; globalpool max; dense 3 softmax; train lr=0.05 epochs=3"),
    ("waves", "label", "load \"{folder}/waves.csv\" target=label; input 24x2; split 0.8 seed=1; conv1d 3 filters=4 relu; pool1d 2 max; "
                       "flatten; dense 3 softmax; train lr=0.05 epochs=3"),
    # conv1d into recurrent layers: the graph moves the channels back to [N, steps, channels] for ONNX's LSTM and GRU.
    ("waves", "label", "load \"{folder}/waves.csv\" target=label; input 24x2; split 0.8 seed=1; conv1d 3 filters=6 pad=same; batchnorm; "
                       "activation relu; lstm 8 return=sequences; dense 4 tanh; gru 5; dense 3 softmax; optimizer adam; train lr=0.01 epochs=3"),
    # Recurrent layers on series of 20 steps x 2 channels (written by `series_csv`): ONNX's LSTM (gates reordered),
    # GRU (linear_before_reset) and RNN operators, a dense layer at every step, and a stacked LSTM.
    ("series", "label", "load \"{folder}/series.csv\" target=label; input 20x2; split 0.8; scale standard; lstm 16; dense 3 softmax; "
                        "optimizer adam; train lr=0.01 epochs=5"),
    ("series", "label", "load \"{folder}/series.csv\" target=label; input 20x2; split 0.8; scale standard; gru 12 return=sequences; "
                        "dense 6 tanh; rnn 8; dense 3 softmax; optimizer adam; train lr=0.01 epochs=5"),
    ("series", "label", "load \"{folder}/series.csv\" target=label; input 20x2; split 0.8; lstm 8 return=sequences; lstm 8; "
                        "dense 3 softmax; optimizer adam; train lr=0.01 epochs=3"),
    # A colour image model (a table of 32x32x3 pixels, written by `colour_csv`): the graph takes one input,
    # `images` [N, 32, 32, 3] of pixels as loaded (0-255), and scales them itself; `augment` changes training only.
    ("colour", "shape", "load \"{folder}/colour.csv\"; input 32x32x3; split 0.8 stratify; scale minmax; "
                        "augment flip=horizontal rotate=10 zoom=0.1 brightness=0.1; conv 3x3 filters=4 pad=same relu; pool 2x2; "
                        "flatten; dense 3 softmax; train lr=0.05 epochs=2"),
]


def waves_csv(folder):
    """Series of 24 steps x 2 channels (channel fastest), three classes by frequency, with noise."""
    rng = np.random.default_rng(3)
    t = np.arange(24) / 24
    with open(os.path.join(folder, "waves.csv"), "w") as f:
        f.write("label," + ",".join(f"t{s}c{c}" for s in range(24) for c in range(2)) + "\n")
        for k in range(300):
            cls, phase = k % 3, rng.uniform(0, 2 * np.pi)
            a = np.sin(2 * np.pi * (cls + 1) * t + phase) + rng.normal(0, 0.2, 24)
            b = np.cos(2 * np.pi * (cls + 1) * t + phase) * 0.5 + rng.normal(0, 0.2, 24)
            f.write("abc"[cls] + "," + ",".join(f"{x:.4f}" for pair in zip(a, b) for x in pair) + "\n")


def dates_csv(folder):
    """Dates with times across eight centuries, as ISO text in every form dl reads, one of them missing."""
    rng = np.random.default_rng(7)
    seconds = rng.integers(np.datetime64("1601-01-01", "s").astype(np.int64), np.datetime64("2400-12-31", "s").astype(np.int64), 600)
    with open(os.path.join(folder, "dates.csv"), "w") as f:
        f.write("when,x,y\n")
        for k, s in enumerate(seconds):
            when = str(np.datetime64(int(s), "s"))  # 2012-01-31T14:05:09
            text = {0: when[:10], 1: when[:16].replace("T", " "), 2: when + "Z", 3: when + "+02:00"}[k % 4]
            f.write(f"{'NA' if k == 5 else text},{rng.normal():.4f},{'ab'[int(s) % 2]}\n")
        f.write("2000-02-29T23:59:59Z,0.5,a\n2400-02-29,0.5,b\n1900-03-01 00:00,0.5,a\n")


def series_csv(folder):
    """300 series of 20 steps x 2 channels (channel fastest), three classes by frequency, with noise."""
    rng = np.random.default_rng(3)
    with open(os.path.join(folder, "series.csv"), "w") as f:
        f.write("label," + ",".join(f"s{t}c{c}" for t in range(20) for c in range(2)) + "\n")
        for k in range(300):
            y, phase = k % 3, rng.uniform(0, 6.28)
            steps = [(np.sin((y + 1) * 0.3 * t + phase), np.cos(0.2 * t * (y + 1))) for t in range(20)]
            values = [v + rng.normal(0, 0.2) for step in steps for v in step]
            f.write(f"c{y}," + ",".join(f"{v:.4f}" for v in values) + "\n")


def read_png(path):
    """The 8-bit pixels [H, W, C] of a PNG as scripts/image-folder writes them (filter 0 on every row), with the
    standard library only: the interop venv has no image library, and these files need none."""
    data, chunks, at = open(path, "rb").read(), b"", 8
    while at < len(data):
        (length,), kind = struct.unpack(">I", data[at:at + 4]), data[at + 4:at + 8]
        if kind == b"IHDR":
            width, height, _, colour = struct.unpack(">IIBB", data[at + 8:at + 18])
        elif kind == b"IDAT":
            chunks += data[at + 8:at + 8 + length]
        at += 12 + length
    channels = 3 if colour == 2 else 1
    raw, stride = zlib.decompress(chunks), width * channels + 1
    assert all(raw[r * stride] == 0 for r in range(height)), f"{path}: only unfiltered rows are read here"
    rows = [list(raw[r * stride + 1:(r + 1) * stride]) for r in range(height)]
    return np.array(rows, dtype=np.float32).reshape(height, width, channels)


def check_image_folder(folder):
    """A CNN trained on a folder of colour PNGs (scripts/image-folder, with `augment`): ONNX Runtime, given the
    raw pixels 0-255 of the test images as NHWC, must give dl's `predict "folder/"` probabilities to 1e-5."""
    images = os.path.join(folder, "digits-png")
    subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "image-folder"), images],
                   check=True, capture_output=True)
    model, out = os.path.join(folder, "photos.onnx"), os.path.join(folder, "photos.out.csv")
    script = (f'load images "{images}"; scale minmax; augment rotate=10 brightness=0.2; conv 3x3 filters=4 pad=same relu; pool 2x2; '
              f'flatten; dense 10 softmax; train lr=0.05 epochs=2; export onnx "{model}"; predict "{images}/test/" to "{out}"')
    run = subprocess.run([DL, "-e", script], capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
    if run.returncode != 0:
        sys.exit(f"dl failed for the image folder:\n{run.stdout}{run.stderr}")
    predicted = list(csv.DictReader(open(out)))
    pixels = np.stack([read_png(row["path"]) for row in predicted])
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    probabilities, labels = session.run(["probabilities", "label"], {"images": pixels})
    classes = [column[len("prob_"):] for column in predicted[0] if column.startswith("prob_")]
    expected = np.array([[float(row["prob_" + c]) for c in classes] for row in predicted])
    difference = float(np.abs(probabilities - expected).max())
    same_labels = all(label == row["predicted_class"] for label, row in zip(labels, predicted))
    print(f"  image folder: {len(predicted)} PNG files, largest difference {difference:.2e}, labels {'agree' if same_labels else 'DIFFER'}")
    return difference <= 1e-5 and same_labels and len(predicted) == 355


# Models trained on `window` data: the graph takes [N, steps, channels] windows in raw units (fills and scaling inside)
# and gives the target `horizon` steps on; dl's `predict "FILE" to` writes the forecast made at each window's last row.
WINDOW_MODELS = [
    ("airline", "passengers", "load airline; window 12; split 0.8; scale minmax; scale target minmax; lstm 8; dense 1; "
                              "optimizer adam; train lr=0.01 epochs=5"),
    ("twin", "y", "load \"{folder}/twin.csv\"; impute median a; window 10 horizon=3 target=y; split 0.8; scale standard; "
                  "scale target standard; conv1d 3 filters=4 pad=same relu; gru 6; dense 1; optimizer adam; train lr=0.01 epochs=5"),
    # Channels that `encode` makes: the graph takes `kind` as text and `day` as seconds, [N, steps] each, and encodes them itself.
    ("shop", "sales", "load \"{folder}/shop.csv\"; impute mode kind; encode onehot kind; encode date day cyclic; window 6 horizon=2; "
                      "split 0.8; scale standard; scale target minmax; lstm 6; dense 1; optimizer adam; train lr=0.01 epochs=5"),
]


def export_and_predict(script, model, data, out, label):
    """Runs `script` in dl, exports its model to `model` and predicts the rows of `data` into `out`; the
    ONNX Runtime session of the export. Stops, naming `label`, when dl fails."""
    run = subprocess.run([DL, "-e", f'{script}; export onnx "{model}"; predict "{data}" to "{out}"'],
                         capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
    if run.returncode != 0:
        sys.exit(f"dl failed for {label}:\n{run.stdout}{run.stderr}")
    return ort.InferenceSession(model, providers=["CPUExecutionProvider"])


def check_windows(folder):
    """ONNX Runtime on every full window of the series against dl's forecasts; the labels of the failures."""
    twin_csv(folder)
    shop_csv(folder)
    failures = []
    for index, (name, target, script) in enumerate(WINDOW_MODELS):
        data = os.path.join(folder if name in ("twin", "shop") else DATASETS, f"{name}.csv")
        model, out = os.path.join(folder, f"window{index}.onnx"), os.path.join(folder, f"window{index}.out.csv")
        session = export_and_predict(script.replace("{folder}", folder), model, data, out, f"the windowed {name}")
        steps, channels = session.get_inputs()[0].shape[1:]
        names = dict(session.get_modelmeta().custom_metadata_map)["channels"].split(",")
        rows = list(csv.DictReader(open(data)))
        series = np.array([[np.nan if row[c] in ("", "NA") else float(row[c]) for c in names] for row in rows], dtype=np.float32)
        predicted = list(csv.DictReader(open(out)))
        ends = [k for k, row in enumerate(predicted) if row["forecast_" + target] != ""]
        feeds = {"window": np.stack([series[e - steps + 1:e + 1] for e in ends])}
        for given in session.get_inputs()[1:]:  # a column that `encode` made channels of: [N, steps] of text or seconds
            cells = [row[given.name] for row in rows]
            column = (np.array([seconds(c) for c in cells], dtype=np.float64) if given.type == "tensor(double)"
                      else np.array(["" if c == "NA" else c for c in cells], dtype=object))
            feeds[given.name] = np.stack([column[e - steps + 1:e + 1] for e in ends])
        (values,) = session.run(["value"], feeds)
        expected = np.array([float(predicted[e]["forecast_" + target]) for e in ends])
        difference = float((np.abs(values[:, 0] - expected) / np.maximum(1, np.abs(expected))).max())
        extra = "".join(f" + {given.name} ({given.type[7:-1]})" for given in session.get_inputs()[1:])
        print(f"  {name} windows of {steps}x{channels}{extra}: {len(ends)} windows, largest relative difference {difference:.2e} in {target}'s units")
        if difference > 1e-5 or len(ends) != len(rows) - steps + 1:
            failures.append(f"{name} windows")
    return failures


def seconds(cell):
    """A date cell as the graph takes it: seconds since 1970-01-01 of the time as written (offset ignored), NaN when missing."""
    if cell in ("", "NA"):
        return np.nan
    return float(np.datetime64(cell[:19].replace(" ", "T"), "s").astype(np.int64))


def main():
    failures = []
    with tempfile.TemporaryDirectory() as folder:
        dates_csv(folder)
        waves_csv(folder)
        series_csv(folder)
        colour_csv(folder)
        for index, (name, target, script) in enumerate(MODELS):
            label = name + (" batchnorm" if "batchnorm" in script else "") + (" scaled target" if "scale target" in script else "") + (" features" if "features" in script else "")
            label += "".join(f" {layer}" for layer in ("lstm", "gru", "rnn") if f"; {layer} " in script)
            label += f" conv1d #{index}" if "conv1d" in script else ""
            data = os.path.join(folder if name in ("dates", "series", "colour", "waves") else DATASETS, f"{name}.csv")
            script = script.replace("{folder}", folder)
            model, out = os.path.join(folder, f"{index}_{name}.onnx"), os.path.join(folder, f"{index}_{name}.out.csv")
            session = export_and_predict(script, model, data, out, label)
            rows = list(csv.DictReader(open(data)))
            feeds = {}
            for given in session.get_inputs():
                if given.name == "images":
                    # An image model: every column but the target, in the CSV's order, is one pixel (NHWC).
                    pixels = [[float(v) for k, v in row.items() if k != target] for row in rows]
                    feeds["images"] = np.array(pixels, dtype=np.float32).reshape([-1] + given.shape[1:])
                    continue
                cells = [row[given.name] for row in rows]
                if given.type == "tensor(double)":
                    feeds[given.name] = np.array([[seconds(c)] for c in cells], dtype=np.float64)
                elif given.type == "tensor(string)":
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
        if not check_image_folder(folder):
            failures.append("image folder")
        failures += check_windows(folder)
    if failures:
        sys.exit(f"onnx interop FAILED for {', '.join(failures)}")
    print("onnx interop: ONNX Runtime agrees with dl's predict to 1e-5 on iris, penguins, the digits CNN, iris and digits with batchnorm, "
          "cars with a scaled target, iris with feature crosses, date columns (seattle, and eight centuries of dates and times), series with lstm, gru and rnn layers, "
          "a colour image model given NHWC pixels 0-255, a CNN on a folder of PNG files given their raw pixels, four conv1d networks on series (one into lstm and gru layers), "
          "and forecasts from windows (airline with an lstm, two channels with a missing value filled in the graph, conv1d and gru, "
          "a text and a date column encoded into channels inside the graph)")


main()
