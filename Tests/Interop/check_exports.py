"""dl's exported Python scripts compile (run by scripts/interop).

`export keras` and `export torch` for three sessions (an MLP on iris, the penguins
pipeline, a CNN on digits); every script must pass `python3 -m py_compile`. Running them
needs TensorFlow or PyTorch, which CI does not install (see README: Exporting).
"""
import os, py_compile, subprocess, sys, tempfile

DL = sys.argv[1]
SESSIONS = {
    "iris": "load iris; split 0.8 stratify; scale minmax; dense 16 relu; dense 3 softmax; train lr=0.1 epochs=5 validation=0.2 patience=3",
    "penguins": "load penguins; split 0.8 seed=42 stratify; impute median; encode onehot island,sex; drop year; outliers; clip outliers; "
                "scale standard; dense 16 relu; dropout 0.1; dense 3 softmax; optimizer adam; schedule cosine epochs=20; train lr=0.01 epochs=3",
    "digits": "load digits; split 0.8; scale minmax; conv 3x3 filters=4 pad=same relu; pool 2x2; conv 3x3 filters=6 stride=2 relu; "
              "flatten; dense 16 relu; dense 10 softmax; optimizer sgd momentum=0.9 nesterov; train lr=0.05 epochs=2",
    "diabetes": "load diabetes; split 0.8; scale standard; dense 8 relu; dense 1; optimizer rmsprop; train lr=0.01 epochs=2",
}

with tempfile.TemporaryDirectory() as folder:
    for name, script in SESSIONS.items():
        paths = [os.path.join(folder, f"{name}_{framework}.py") for framework in ("keras", "torch")]
        run = subprocess.run([DL, "-e", f'{script}; export keras "{paths[0]}"; export torch "{paths[1]}"'],
                             capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
        if run.returncode != 0:
            sys.exit(f"dl failed for {name}:\n{run.stdout}{run.stderr}")
        for path in paths:
            py_compile.compile(path, doraise=True)
print(f"exported scripts: {2 * len(SESSIONS)} Keras and PyTorch scripts ({', '.join(SESSIONS)}) pass py_compile")
