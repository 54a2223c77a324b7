"""dl's exported Python scripts compile (run by scripts/interop).

`export keras` and `export torch` for nine sessions (an MLP on iris, the penguins pipeline,
a CNN on digits, a regression on diabetes, iris and digits with batchnorm and activation
layers, a regression on cars with a scaled target, seattle and breast_cancer with
`balance=auto`, series with lstm, gru, rnn and per-step dense layers, two 1-D convolutional networks on series,
feature crosses, a colour model with `augment`, CNNs on folders of images written by scripts/image-folder, three forecasting
models on `window` data (one whose series continues in a `load … test=` file), and a CSV and a UCR .ts data set with their own test files);
every script must pass `python3 -m py_compile`. Running them needs
TensorFlow or PyTorch, which CI does not install (see README: Exporting); with
PEERS_PYTHON set, the Keras and PyTorch scripts of five sessions run with --weights as well, for each
framework that Python has, and must predict what dl predicts (a regression: the value in the
target's own units); the two balanced sessions and the two with a plateau schedule train for one epoch.
"""
import os, py_compile, subprocess, sys, tempfile

from interop_data import colour_csv, twin_csv, ucr_ts

DL = sys.argv[1]
SESSIONS = {
    "iris": "load iris; split 0.8 stratify; scale minmax; dense 16 relu; dense 3 softmax; train lr=0.1 epochs=5 validation=0.2 patience=3",
    "penguins": "load penguins; split 0.8 seed=42 stratify; impute median; encode onehot island,sex; drop year; outliers; clip outliers; "
                "scale standard; dense 16 relu; dropout 0.1; dense 3 softmax; optimizer adam; schedule cosine epochs=20; train lr=0.01 epochs=3",
    "digits": "load digits; split 0.8; scale minmax; conv 3x3 filters=4 pad=same relu; pool 2x2; conv 3x3 filters=6 stride=2 relu; "
              "flatten; dense 16 relu; dense 10 softmax; optimizer sgd momentum=0.9 nesterov; train lr=0.05 epochs=2",
    "diabetes": "load diabetes; split 0.8; scale standard; dense 8 relu; dense 1; optimizer rmsprop; train lr=0.01 epochs=2",
    "iris_batchnorm": "load iris; split 0.8; scale minmax; dense 16; batchnorm; activation relu; dense 3 softmax; train lr=0.1 epochs=30",
    "digits_batchnorm": "load digits; split 0.8; scale minmax; conv 3x3 filters=8 pad=same; batchnorm; activation relu; pool 2x2; flatten; "
                        "dense 16; batchnorm momentum=0.9; activation tanh; dense 10; activation softmax; train lr=0.05 epochs=2",
    "cars": "load cars; dropna mpg; drop name,year; split 0.8 seed=42; impute median; encode onehot origin; scale standard; "
            "scale target standard; dense 16 relu; dense 1; train lr=0.1 epochs=20",
    "seattle_balanced": "load seattle; drop date; split 0.8 stratify; scale standard; dense 16 relu; dense 5 softmax; "
                        "train lr=0.1 epochs=3 balance=auto",
    "cancer_balanced": "load breast_cancer; split 0.8; scale standard; dense 8 relu; dense 1 sigmoid; "
                       "train lr=0.1 epochs=3 validation=0.2 balance=auto",
    # A date column's parts (pandas' dt accessor in the scripts) and a CSV written with semicolons and decimal commas.
    "seattle_dates": "load seattle; encode date date cyclic; split 0.8; scale minmax; dense 16 relu; dense 5 softmax; train lr=0.1 epochs=3",
    # Feature crosses: pandas expressions in a step of the scripts.
    "iris_features": "load iris; split 0.8; features petal_length_cm*petal_width_cm, sepal_length_cm^2, petal_width_cm^3, "
                     "sin(sepal_width_cm), cos(petal_width_cm), abs(sepal_width_cm), log1p(petal_length_cm); scale minmax; "
                     "dense 16 relu; dense 3 softmax; train lr=0.1 epochs=5",
    "iris_european": 'load "{folder}/iris_european.csv" sep=";" decimal="," na="?"; split 0.8; scale standard; dense 8 relu; '
                     'dense 3 softmax; train lr=0.1 epochs=3',
    # Series (24 steps x 2 channels): Keras's Conv1D/pooling on [N, steps, channels], PyTorch's nn.Conv1d, pools and
    # BatchNorm1d inside modules that move the channels (dl's and Keras's layout stays between layers).
    "waves_conv1d": 'load "{folder}/waves.csv" target=label; input 24x2; split 0.8 seed=1; conv1d 5 filters=8 pad=same; batchnorm; '
                    'activation relu; pool1d 2; conv1d 3 relu filters=6 dilation=2; conv1d 3 filters=4 stride=2 pad=same tanh; '
                    'globalpool avg; dense 3 softmax; optimizer adam; train lr=0.01 epochs=3',
    "waves_conv1d_flatten": 'load "{folder}/waves.csv" target=label; input 24x2; split 0.8 seed=1; conv1d 4 filters=4 stride=2 relu; '
                            'pool1d 3 avg stride=1; flatten; dense 3 softmax; train lr=0.05 epochs=2',
    # Recurrent layers on series (20 steps x 2 channels, written by write_series): Keras's LSTM/GRU/SimpleRNN, PyTorch's
    # nn.LSTM/nn.GRU/nn.RNN with their two biases and GRU's gate order, and a dense layer at every step.
    "series_lstm": 'load "{folder}/series.csv" target=label; input 20x2; split 0.8; scale standard; lstm 16; dense 3 softmax; '
                   'optimizer adam; train lr=0.01 epochs=5',
    "series_gru": 'load "{folder}/series.csv" target=label; input 20x2; split 0.8; gru 12 return=sequences; dense 6 tanh; rnn 8; '
                  'dense 3 softmax; optimizer adam; train lr=0.01 epochs=5',
    # The plateau schedule: Keras's ReduceLROnPlateau callback, PyTorch's scheduler stepped with the loss or val_loss.
    "iris_plateau": "load iris; split 0.8; scale standard; dense 8 relu; dense 3 softmax; optimizer adam; "
                    "schedule plateau patience=1 factor=0.5 minimum=0.001; train lr=0.01 epochs=3",
    "cancer_plateau": "load breast_cancer; split 0.8; scale standard; dense 8 relu; dense 1 sigmoid; "
                      "schedule plateau monitor=val_loss patience=2 cooldown=1; train lr=0.01 epochs=3 validation=0.2",
    # A colour image model with `augment`: Keras's preprocessing layers, PyTorch's tensor ops (inert with --weights).
    "colour": 'load "{folder}/colour.csv"; input 32x32x3; split 0.8 stratify; scale minmax; '
              'augment flip=both rotate=10 shift=0.1 zoom=0.1 brightness=0.1 contrast=0.2; conv 3x3 filters=4 pad=same relu; '
              'pool 2x2; flatten; dense 3 softmax; train lr=0.05 epochs=2',
    # Folders of images (written by scripts/image-folder): Keras's image_dataset_from_directory and torchvision's
    # ImageFolder with the folder's own train/ and test/, and a plain folder in grey, resized, with dl's split drawn again.
    "digits_images": 'load images "{images}"; scale minmax; conv 3x3 filters=4 pad=same relu; pool 2x2; flatten; dense 16 relu; '
                     'dense 10 softmax; train lr=0.05 epochs=2',
    "digits_images_grey": 'load images "{images}/train" color=gray; split 0.8 seed=3; scale minmax; '
                          'conv 3x3 filters=4 relu; flatten; dense 10 softmax; train lr=0.05 epochs=2 validation=0.2',
    # A folder with `augment`: Keras's preprocessing layers after the rescaling, PyTorch's augment() on each training batch.
    "digits_images_augment": 'load images "{images}"; scale minmax; augment rotate=10 shift=0.1 zoom=0.1 brightness=0.2 contrast=0.2 flip=horizontal; '
                             'conv 3x3 filters=4 pad=same relu; pool 2x2; flatten; dense 10 softmax; train lr=0.05 epochs=1',
    # Forecasting from `window` data: the scripts build the same sliding windows from the CSV, run dl's steps on the whole
    # series first and split by time at dl's row; --predictions writes each test window's last row with forecast_TARGET.
    "airline_window": "load airline; window 12; split 0.8; scale minmax; scale target minmax; lstm 8; dense 1; optimizer adam; "
                      "train lr=0.01 epochs=3",
    "twin_window": 'load "{folder}/twin.csv"; impute median a; window 10 horizon=3 target=y; split 0.8; scale standard; '
                   'scale target standard; conv1d 3 filters=4 pad=same relu; gru 6; dense 1; optimizer adam; train lr=0.01 epochs=3',
    # `window` after `load … test=`: dl appends the test file's rows as the series' later rows (the scripts read both
    # files so too), and `window` keeps the test file as the test split, cutting by time where it starts.
    "twin_window_test_file": 'load "{folder}/twin_train.csv" test="{folder}/twin_test.csv"; impute median a; window 10 horizon=3 target=y; '
                             'scale standard; dense 8 relu; dense 1; optimizer adam; train lr=0.01 epochs=3',
    # A data set with its own test file (`load … test=`): the scripts read that file as the test split, a CSV through
    # pandas and UCR's .ts through read_series.
    "iris_test_file": 'load "{folder}/iris_train.csv" test="{folder}/iris_test.csv"; scale minmax; dense 8 relu; dense 3 softmax; '
                      'train lr=0.1 epochs=5',
    "ucr_test_file": 'load "{folder}/waves_TRAIN.ts" test="{folder}/waves_TEST.ts"; scale standard; lstm 8; dense 3 softmax; '
                     'optimizer adam; train lr=0.01 epochs=3',
}
# With PEERS_PYTHON (a Python with pandas, scikit-learn and safetensors, and torch or tensorflow or both,
# e.g. ~/.dl-peers/bin/python), the scripts of these sessions also run with --weights for each framework it
# has: their test-row probabilities must match dl's predict of the same raw rows (the batchnorm layers use
# the moving statistics).
RUN_WITH_WEIGHTS = ["digits_images", "digits_images_grey", "iris", "digits", "iris_batchnorm", "digits_batchnorm", "cars", "seattle_dates",
                    "iris_european", "series_lstm", "series_gru", "colour", "iris_features", "waves_conv1d", "waves_conv1d_flatten",
                    "airline_window", "twin_window", "twin_window_test_file", "iris_test_file", "ucr_test_file"]
# The key column that matches a windowed script's forecasts to dl's (`predict "FILE" to` writes every row).
WINDOW_KEYS = {"airline_window": "month", "twin_window": "day", "twin_window_test_file": "day"}
# The test windows of a windowed session whose series continues in a test file: 200 rows, the test file from row 150 (dl splits there by itself), windows of 10 + 3.
WINDOW_TEST_COUNTS = {"twin_window_test_file": 38}
# The rows of each test file: a script that split the training file instead would give other counts.
TEST_FILE_ROWS = {"iris_test_file": 30, "ucr_test_file": 45}
# The scripts write their rows back with pandas' to_csv (commas, decimal points): dl's predict is told so.
PREDICT_KEYS = {"iris_european": ' sep="," decimal="."'}
# These train (one epoch) with PEERS_PYTHON: `balance=auto` and the plateau schedule live only in the training code
# (Keras's class_weight=, PyTorch's weighted loss), which --weights skips.
RUN_TRAINING = ["seattle_balanced", "cancer_balanced", "colour", "digits_images_grey", "digits_images_augment",
                "iris_plateau", "cancer_plateau"]
PEERS = os.environ.get("PEERS_PYTHON")
MODULES = {"torch": "torch", "keras": "tensorflow"}


def frameworks_of_peers():
    """The frameworks PEERS_PYTHON can import."""
    if not PEERS:
        return []
    return [framework for framework, module in MODULES.items()
            if subprocess.run([PEERS, "-c", f"import {module}"], capture_output=True).returncode == 0]


def dl(script):
    run = subprocess.run([DL, "-e", script], capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
    if run.returncode != 0:
        sys.exit(f"dl failed:\n{run.stdout}{run.stderr}")


def run_with_weights(name, framework, folder):
    """Runs the exported script of `name` with dl's weights, writing its test predictions; stops on failure.
    Returns the weights file, the script's predictions file, the file for dl's own predictions and the run."""
    model, script = os.path.join(folder, f"{name}.safetensors"), os.path.join(folder, f"{name}_{framework}.py")
    theirs, ours = os.path.join(folder, f"{name}_{framework}.csv"), os.path.join(folder, f"{name}_dl.csv")
    run = subprocess.run([PEERS, script, "--weights", model, "--predictions", theirs], capture_output=True, text=True,
                         cwd=folder, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    if run.returncode != 0:
        sys.exit(f"{name}_{framework}.py --weights failed:\n{run.stdout}{run.stderr}")
    return model, theirs, ours, run


def check_run(name, framework, folder):
    import csv
    model, theirs, ours, run = run_with_weights(name, framework, folder)
    raw = list(csv.DictReader(open(theirs)))
    features = [c for c in raw[0] if not c.startswith("prob_") and not c.startswith("predicted")]
    with open(os.path.join(folder, f"{name}_rows.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=features, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(raw)
    dl(f'load model "{model}"; predict "{os.path.join(folder, name + "_rows.csv")}"{PREDICT_KEYS.get(name, "")} to "{ours}"')
    mine = list(csv.DictReader(open(ours)))
    # Classes: every probability. A regression: the predicted value, relative to its size (it is in the
    # target's units, so a scaled target must have been mapped back by both).
    columns = [c for c in raw[0] if c.startswith("prob_")] or [c for c in raw[0] if c.startswith("predicted_")]
    difference = max(abs(float(a[c]) - float(b[c])) / max(1.0, abs(float(b[c]))) for a, b in zip(raw, mine) for c in columns)
    result = run.stdout.strip().splitlines()[-1]
    print(f"  {name}_{framework}.py --weights: {result}; {len(raw)} test rows, largest difference from dl's predict {difference:.2e}")
    if name in TEST_FILE_ROWS and len(raw) != TEST_FILE_ROWS[name]:
        sys.exit(f"exported {framework} script for {name} tested on {len(raw)} rows, not the test file's {TEST_FILE_ROWS[name]}")
    if len(raw) != len(mine) or difference > 1e-5:
        sys.exit(f"exported {framework} script for {name} disagrees with dl's predict")


def check_window_run(name, framework, folder):
    """A windowed model's script with dl's weights: its test forecasts against dl's `predict "FILE" to`, row by row."""
    import csv
    model, theirs, ours, run = run_with_weights(name, framework, folder)
    key = WINDOW_KEYS[name]
    rows = list(csv.DictReader(open(theirs)))
    column = next(c for c in rows[0] if c.startswith("forecast_"))
    data = subprocess.run([DL, "-e", f'load model "{model}"; predict "{SERIES[name].replace("{folder}", folder)}" to "{ours}"'],
                          capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
    if data.returncode != 0:
        sys.exit(f"dl failed:\n{data.stdout}{data.stderr}")
    mine = {row[key]: row for row in csv.DictReader(open(ours))}
    difference = max(abs(float(row[column]) - float(mine[row[key]][column])) / max(1.0, abs(float(mine[row[key]][column]))) for row in rows)
    result = run.stdout.strip().splitlines()[-1]
    print(f"  {name}_{framework}.py --weights: {result}; {len(rows)} test windows, largest difference from dl's forecasts {difference:.2e}")
    if difference > 1e-5:
        sys.exit(f"exported {framework} script for {name} disagrees with dl's forecasts")
    if name in WINDOW_TEST_COUNTS and len(rows) != WINDOW_TEST_COUNTS[name]:
        sys.exit(f"exported {framework} script for {name} forecast {len(rows)} test windows, not dl's {WINDOW_TEST_COUNTS[name]}")


# The series file each windowed session loads.
SERIES = {"airline_window": os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "datasets", "airline.csv"),
          "twin_window": "{folder}/twin.csv", "twin_window_test_file": "{folder}/twin.csv"}


def write_test_files(folder):
    """iris as a training file (120 rows) and a test file (30 rows, columns in another order); twin.csv so split; UCR .ts files of waves."""
    import csv
    rows = list(csv.reader(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "datasets", "iris.csv"))))
    header, body = rows[0], rows[1:]
    with open(os.path.join(folder, "iris_train.csv"), "w", newline="") as f:
        csv.writer(f).writerows([header] + [r for k, r in enumerate(body) if k % 5])
    with open(os.path.join(folder, "iris_test.csv"), "w", newline="") as f:
        csv.writer(f).writerows([header[::-1]] + [r[::-1] for k, r in enumerate(body) if k % 5 == 0])
    twin = list(csv.reader(open(os.path.join(folder, "twin.csv"))))  # its first 150 days, and the last 50 with the columns reversed
    with open(os.path.join(folder, "twin_train.csv"), "w", newline="") as f:
        csv.writer(f).writerows(twin[:151])
    with open(os.path.join(folder, "twin_test.csv"), "w", newline="") as f:
        csv.writer(f).writerows([r[::-1] for r in [twin[0]] + twin[151:]])
    ucr_ts(folder, "waves_TRAIN.ts", 60, seed=1)
    ucr_ts(folder, "waves_TEST.ts", 45, seed=2)


def check_image_run(name, framework, folder):
    """An image model's script with dl's weights: its probabilities for its test images against dl's `predict "folder/"`."""
    import csv
    model, theirs, ours, run = run_with_weights(name, framework, folder)
    rows = list(csv.DictReader(open(theirs)))
    root = os.path.commonpath([row["path"] for row in rows])
    dl(f'load model "{model}"; predict "{root}/" to "{ours}"')
    mine = {os.path.join(root, row["path"]): row for row in csv.DictReader(open(ours))}
    columns = [c for c in rows[0] if c.startswith("prob_")]
    difference = max(abs(float(row[c]) - float(mine[row["path"]][c])) for row in rows for c in columns)
    result = run.stdout.strip().splitlines()[-1]
    print(f"  {name}_{framework}.py --weights: {result}; {len(rows)} test images, largest difference from dl's predict {difference:.2e}")
    if difference > 1e-5:
        sys.exit(f"exported {framework} script for {name} disagrees with dl's predict")


def check_training(name, framework, folder):
    script = os.path.join(folder, f"{name}_{framework}.py")
    run = subprocess.run([PEERS, script, "--epochs", "1"], capture_output=True, text=True, cwd=folder,
                         env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    result = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
    if run.returncode != 0 or not result.startswith("test "):
        sys.exit(f"{name}_{framework}.py --epochs 1 failed:\n{run.stdout}{run.stderr}")
    print(f"  {name}_{framework}.py --epochs 1: {result}")


def write_european_iris(folder):
    """iris as a European spreadsheet writes it: semicolons and decimal commas."""
    import csv
    rows = list(csv.reader(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "datasets", "iris.csv"))))
    with open(os.path.join(folder, "iris_european.csv"), "w") as f:
        for row in rows:
            f.write(";".join(cell.replace(".", ",") for cell in row) + "\n")


def write_waves(folder):
    """Series of 24 steps x 2 channels (channel fastest), three classes by frequency, with noise."""
    import math, random
    rng = random.Random(3)
    with open(os.path.join(folder, "waves.csv"), "w") as f:
        f.write("label," + ",".join(f"t{s}c{c}" for s in range(24) for c in range(2)) + "\n")
        for k in range(300):
            cls, phase = k % 3, rng.uniform(0, 2 * math.pi)
            cells = []
            for s in range(24):
                angle = 2 * math.pi * (cls + 1) * s / 24 + phase
                cells += [f"{math.sin(angle) + rng.gauss(0, 0.2):.4f}", f"{0.5 * math.cos(angle) + rng.gauss(0, 0.2):.4f}"]
            f.write("abc"[cls] + "," + ",".join(cells) + "\n")
def write_series(folder):
    """300 series of 20 steps x 2 channels (channel fastest), three classes by frequency, with noise."""
    import math, random
    rng = random.Random(3)
    with open(os.path.join(folder, "series.csv"), "w") as f:
        f.write("label," + ",".join(f"s{t}c{c}" for t in range(20) for c in range(2)) + "\n")
        for k in range(300):
            y, phase = k % 3, rng.uniform(0, 6.28)
            values = [v + rng.gauss(0, 0.2) for t in range(20) for v in (math.sin((y + 1) * 0.3 * t + phase), math.cos(0.2 * t * (y + 1)))]
            f.write(f"c{y}," + ",".join(f"{v:.4f}" for v in values) + "\n")


frameworks = frameworks_of_peers()
with tempfile.TemporaryDirectory() as folder:
    write_european_iris(folder)
    write_waves(folder)
    write_series(folder)
    colour_csv(folder)
    twin_csv(folder)
    write_test_files(folder)
    images = os.path.join(folder, "digits-png")
    subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "image-folder"), images],
                   check=True, capture_output=True)
    for name, script in SESSIONS.items():
        script = script.replace("{folder}", folder).replace("{images}", images)
        paths = [os.path.join(folder, f"{name}_{framework}.py") for framework in ("keras", "torch")]
        model = os.path.join(folder, f"{name}.safetensors")
        dl(f'{script}; export keras "{paths[0]}"; export torch "{paths[1]}"; save model "{model}"')
        for path in paths:
            py_compile.compile(path, doraise=True)
        for framework in frameworks if name in RUN_WITH_WEIGHTS else []:
            (check_image_run if "{images}" in SESSIONS[name] else check_window_run if name in WINDOW_KEYS else check_run)(name, framework, folder)
        for framework in frameworks if name in RUN_TRAINING else []:
            check_training(name, framework, folder)
print(f"exported scripts: {2 * len(SESSIONS)} Keras and PyTorch scripts ({', '.join(SESSIONS)}) pass py_compile")
