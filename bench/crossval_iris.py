"""dl's `crossval 5` on iris against scikit-learn's cross_val_score with the same network:
standard scaling fitted on each fold's training rows, one hidden layer of 16 relu units, a
softmax output, plain SGD (no momentum, no L2) at lr 0.1, batches of 32, 50 epochs, and 5
shuffled folds (KFold, or StratifiedKFold with `stratify`). The folds and the initial weights
differ between the two (each draws them from its own generator), so the per-seed figures
differ; the means over seeds are what should agree.

    python bench/crossval_iris.py .build/debug/dl [SEEDS]     (from the repository root)
"""
import re, subprocess, sys, warnings
import numpy as np, pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore", category=ConvergenceWarning)
dl, seeds = sys.argv[1], range(int(sys.argv[2]) if len(sys.argv) > 2 else 10)
frame = pd.read_csv("datasets/iris.csv")
x, y = frame.drop(columns="species").to_numpy(), frame["species"].to_numpy()


def dl_mean(seed, stratify):
    script = f"set seed={seed}\nload iris\nscale standard\ndense 16 relu\ndense 3 softmax\n" \
             f"crossval 5 {'stratify ' if stratify else ''}lr=0.1 epochs=50 batch=32\n"
    out = subprocess.run([dl], input=script, capture_output=True, text=True, check=True).stdout
    return float(re.search(r"crossval accuracy: ([0-9.]+)", out).group(1))


def sklearn_mean(seed, stratify):
    network = MLPClassifier(hidden_layer_sizes=(16,), activation="relu", solver="sgd", learning_rate_init=0.1,
                            momentum=0.0, nesterovs_momentum=False, alpha=0.0, batch_size=32, max_iter=50,
                            n_iter_no_change=1000, shuffle=True, random_state=seed)
    folds = (StratifiedKFold if stratify else KFold)(n_splits=5, shuffle=True, random_state=seed)
    return cross_val_score(make_pipeline(StandardScaler(), network), x, y, cv=folds, scoring="accuracy").mean()


for stratify in (False, True):
    ours = [dl_mean(s, stratify) for s in seeds]
    theirs = [sklearn_mean(s, stratify) for s in seeds]
    name = "StratifiedKFold" if stratify else "KFold"
    print(f"{name:15}  seed 42: dl {dl_mean(42, stratify):.4f}  sklearn {sklearn_mean(42, stratify):.4f}")
    print(f"{name:15}  mean over seeds {seeds.start}..{seeds.stop - 1}: dl {np.mean(ours):.4f}  sklearn {np.mean(theirs):.4f}"
          f"  difference {abs(np.mean(ours) - np.mean(theirs)):.4f}")
