"""Forecasting the bundled airline series: dl's windows + a dense model against the naive
forecast (each window's last value) and a linear model on the same windows.

    ~/.dl-peers/bin/python bench/forecast_airline.py [.build/debug/dl]

The windows are dl's `window 12` (12 months, horizon 1) over datasets/airline.csv (144 months),
split as `split 0.8` splits windows, by time: the cut is row round(0.8 * 144) = 115, training
windows have their target before it (103), test windows start at it (17), and the 12 that
straddle it are left out. dl runs examples/forecast.dl's statements with seeds 1 to 5; this
script rebuilds the same windows with numpy and fits scikit-learn's LinearRegression (and, for
reference, an MLPRegressor of the same shape: 16 ReLU units, Adam lr 0.01, batch 16, 300
epochs, inputs and target min-max scaled on the training windows). It also checks that dl's
naive-forecast line equals the naive forecast computed here, so both sides used the same test
windows. The LSTM row (`lstm 32` in place of `dense 16 relu`) needs i26-rnn's `lstm` layer.
A comparison, not a test: it prints one table.
"""
import os, re, subprocess, sys, warnings

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_absolute_error, r2_score, root_mean_squared_error
from sklearn.neural_network import MLPRegressor

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS, HORIZON, FRACTION = 12, 1, 0.8


def windows(series):
    count = len(series) - STEPS - HORIZON + 1
    x = np.stack([series[i:i + STEPS] for i in range(count)])
    y = np.array([series[i + STEPS - 1 + HORIZON] for i in range(count)])
    cut = int(round(FRACTION * len(series)))
    train = [i for i in range(count) if i + STEPS - 1 + HORIZON < cut]
    test = [i for i in range(count) if i >= cut]
    return x, y, train, test


def figures(truth, predicted):
    return root_mean_squared_error(truth, predicted), mean_absolute_error(truth, predicted), r2_score(truth, predicted)


def run_dl(binary, seed, layers="dense 16 relu"):
    script = f"""set seed={seed}
load airline
window {STEPS}
split {FRACTION}
scale minmax
scale target minmax
{layers}
dense 1
optimizer adam
train lr=0.01 epochs=300 batch=16 verbose=0
evaluate
"""
    out = subprocess.run([binary], input=script, capture_output=True, text=True, check=True).stdout
    def line(prefix):
        text = next(l for l in out.splitlines() if l.startswith(prefix))
        return [float(v) for v in re.findall(r"(?:RMSE|MAE|R²) (-?[\d.]+)", text)]
    return line("MSE "), line("naive forecast")


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", ".build", "debug", "dl")
    series = pd.read_csv(os.path.join(HERE, "..", "datasets", "airline.csv"))["passengers"].to_numpy(dtype=float)
    x, y, train, test = windows(series)
    print(f"airline: {len(series)} months, {len(x)} windows of {STEPS}; by time: {len(train)} training, {len(test)} test windows, "
          f"{len(x) - len(train) - len(test)} straddling left out")
    rows = []
    naive = figures(y[test], x[test, -1])
    rows.append(("naive forecast (last value)", *naive))
    linear = LinearRegression().fit(x[train], y[train])
    rows.append(("scikit-learn LinearRegression on the windows", *figures(y[test], linear.predict(x[test]))))

    lo, hi = x[train].min(axis=0), x[train].max(axis=0)
    ylo, yhi = y[train].min(), y[train].max()
    mlp_scores = []
    for seed in range(1, 6):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            mlp = MLPRegressor(hidden_layer_sizes=(16,), solver="adam", learning_rate_init=0.01, batch_size=16,
                               max_iter=300, random_state=seed).fit((x[train] - lo) / (hi - lo), (y[train] - ylo) / (yhi - ylo))
        mlp_scores.append(figures(y[test], mlp.predict((x[test] - lo) / (hi - lo)) * (yhi - ylo) + ylo))
    dl_scores, lstm_scores, dl_naive = [], [], None
    for seed in range(1, 6):
        model, dl_naive = run_dl(binary, seed)
        dl_scores.append(model)
        lstm, _ = run_dl(binary, seed, layers="lstm 32")
        lstm_scores.append(lstm)
    assert all(abs(a - b) < 1e-3 for a, b in zip(dl_naive, naive)), f"dl's naive forecast {dl_naive} differs from {naive}: other test windows"

    def mean_sd(scores, k):
        values = [s[k] for s in scores]
        return f"{np.mean(values):.2f} ± {np.std(values):.2f}"
    print()
    print("| airline, 17 test windows (1959-08 to 1960-12) | RMSE | MAE | R² |")
    print("|---|---:|---:|---:|")
    for name, rmse, mae, r2 in rows:
        print(f"| {name} | {rmse:.2f} | {mae:.2f} | {r2:.4f} |")
    print(f"| dl window 12 + dense 16 relu + dense 1, adam lr=0.01, 300 epochs (seeds 1-5, mean ± sd) | {mean_sd(dl_scores, 0)} | {mean_sd(dl_scores, 1)} | {mean_sd(dl_scores, 2)} |")
    print(f"| scikit-learn MLPRegressor, same shape and training (seeds 1-5, mean ± sd) | {mean_sd(mlp_scores, 0)} | {mean_sd(mlp_scores, 1)} | {mean_sd(mlp_scores, 2)} |")
    print(f"| dl window 12 + lstm 32 + dense 1, same training (seeds 1-5, mean ± sd) | {mean_sd(lstm_scores, 0)} | {mean_sd(lstm_scores, 1)} | {mean_sd(lstm_scores, 2)} |")


if __name__ == "__main__":
    main()
