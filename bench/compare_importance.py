"""dl's `importance` against scikit-learn's permutation_importance on the same model and the same rows.

    ~/.dl-peers/bin/python bench/compare_importance.py [.build/debug/dl] [--repeats 30]

dl trains a small network on breast_cancer (split 0.8, scale standard, 16 ReLU units, softmax),
prints `importance repeats=N`, saves the model and exports its PyTorch script. Here the exported
script is imported as a module: its model with dl's weights (`load_dl_weights`, what `--weights`
runs) and dl's fitted scaling (`dl_scaling`) make a scikit-learn classifier, which
`permutation_importance` scores on dl's own test rows (drawn as dl's `split` draws them, see
compare_tables.py), with accuracy, n_repeats=N. The two rankings are compared by Spearman's rank
correlation, over all columns and over the columns either side finds important. A comparison,
not a test: the permutations differ (dl draws its own), so the figures agree up to that noise.
"""
import argparse, importlib.util, os, re, subprocess, sys, tempfile

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.inspection import permutation_importance

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from compare_tables import dl_split  # noqa: E402

STEPS = ["load breast_cancer", "split 0.8", "scale standard", "dense 16 relu", "dense 2 softmax",
         "train lr=0.05 epochs=30 verbose=0", "evaluate"]


class Exported(ClassifierMixin, BaseEstimator):
    """dl's network, as its exported PyTorch script builds it with dl's weights, as a scikit-learn classifier."""

    def __init__(self, module, weights):
        import torch
        self.module, self.weights = module, weights
        self.torch = torch
        self.model = module.build_model()
        module.load_dl_weights(self.model, weights)
        self.model.eval()
        self.inputs = module.inputs
        self.classes_ = np.arange(len(module.CLASSES))

    def fit(self, x, y):
        return self

    def predict(self, x):
        with self.torch.no_grad():
            return self.model(self.inputs(np.asarray(x, dtype=np.float32))).argmax(1).numpy()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dl", nargs="?", default=os.path.join(HERE, "..", ".build", "debug", "dl"))
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="dl-importance-")
    weights, script = os.path.join(folder, "bc.safetensors"), os.path.join(folder, "bc_torch.py")
    statements = STEPS + [f"importance repeats={args.repeats}", f'save model "{weights}"', f'export torch "{script}"']
    run = subprocess.run([args.dl, "-e", "; ".join(statements)], capture_output=True, text=True,
                         env=dict(os.environ, NO_COLOR="1"))
    if run.returncode != 0:
        sys.exit(f"dl failed:\n{run.stdout}{run.stderr}")
    text = run.stdout
    dl_accuracy = float(re.search(r"^loss [\d.]+  accuracy ([\d.]+)", text, re.M).group(1))
    ours = {m.group(1): (float(m.group(2)), float(m.group(3)))
            for m in re.finditer(r"^(\w+) +(-?[\d.]+) \+/- ([\d.]+)", text, re.M)}

    spec = importlib.util.spec_from_file_location("bc_torch", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    frame = pd.read_csv(module.DATA)
    y = frame.pop(module.TARGET).astype(str).map({name: k for k, name in enumerate(module.CLASSES)}).to_numpy()
    _, test_rows = dl_split(list(y), 0.8, 42, stratify=False)
    offsets, scales = module.dl_scaling(weights)
    x_test = (frame[module.FEATURES].to_numpy(dtype=np.float32)[test_rows] - offsets) * scales
    y_test = y[test_rows]
    estimator = Exported(module, weights)
    accuracy = float((estimator.predict(x_test) == y_test).mean())
    print(f"breast_cancer, {len(test_rows)} test rows: dl's evaluate accuracy {dl_accuracy:.4f}, "
          f"the exported model with dl's weights {accuracy:.4f}")
    if abs(accuracy - dl_accuracy) > 1e-3:
        sys.exit("the exported model does not reproduce dl's accuracy: not the same model or rows")
    theirs = permutation_importance(estimator, x_test, y_test, scoring="accuracy", n_repeats=args.repeats, random_state=0)

    names = module.FEATURES
    a = np.array([ours[n][0] for n in names])
    b = theirs.importances_mean
    rho = spearmanr(a, b).statistic
    order = np.argsort(-b)
    print(f"\n{'column':28} {'dl mean ± std':>18} {'sklearn mean ± std':>20}  dl rank  sklearn rank")
    dl_rank = {n: r + 1 for r, n in enumerate(sorted(names, key=lambda n: -ours[n][0]))}
    for r, k in enumerate(order):
        n = names[k]
        print(f"{n:28} {ours[n][0]:8.4f} ± {ours[n][1]:.4f} {b[k]:10.4f} ± {theirs.importances_std[k]:.4f}  {dl_rank[n]:7d}  {r + 1:12d}")
    important = [k for k in range(len(names)) if a[k] > 0.005 or b[k] > 0.005]
    rho_top = spearmanr(a[important], b[important]).statistic if len(important) > 2 else float("nan")
    print(f"\nSpearman rank correlation, all {len(names)} columns: {rho:.3f}; "
          f"the {len(important)} columns with a mean drop above 0.005 on either side: {rho_top:.3f}")
    print(f"largest difference of the means: {np.abs(a - b).max():.4f} (the permutations differ; std of a mean over "
          f"{args.repeats} repeats is about std/sqrt({args.repeats}))")


if __name__ == "__main__":
    main()
