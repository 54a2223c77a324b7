"""scikit-learn's MLPClassifier: one epoch (max_iter=1) of the reference MLP at batch 128.

    python sklearn_peer.py        prints JSON, seconds for the epoch (fit includes its set-up)
"""
import time, warnings
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from workloads import LEARNING_RATE, MLP_LAYERS, MLP_NAME, MLP_ROWS, SEED, report

BATCH = 128

if __name__ == "__main__":
    warnings.filterwarnings("ignore", category=ConvergenceWarning)  # one epoch never converges
    generator = np.random.default_rng(SEED)
    features = generator.random((MLP_ROWS, 784), dtype=np.float32)
    labels = generator.integers(0, 10, MLP_ROWS)
    model = MLPClassifier(MLP_LAYERS[1:3], solver="sgd", learning_rate_init=LEARNING_RATE, momentum=0,
                          batch_size=BATCH, max_iter=1, shuffle=True)
    began = time.perf_counter()
    model.fit(features, labels)
    report({"sklearn " + MLP_NAME.format(batch=BATCH): time.perf_counter() - began})
