"""dl against scikit-learn on the bundled cars table (regression on mpg), same rows, same features.

    ~/.dl-peers/bin/python bench/compare_sklearn.py [.build/debug/dl] [--epochs 200]

The data goes through the same steps in both: rows without mpg dropped, name and year dropped
(dl cannot encode the date yet), `split 0.8 seed=42`, horsepower imputed with the training
median, origin one-hot encoded, the features standardised on the training rows. The split is
dl's own: this script draws the same permutation (xoshiro256** seeded by SplitMix64, Fisher-Yates
with Lemire's bounded integers, as DLCore's SeededRandom does), and checks that it has the
same rows by recomputing dl's R² from dl's own predictions of the test rows written to a CSV.

The networks: one hidden layer of 32 ReLU units and a linear output, plain SGD at lr=0.1,
batches of 32, the same epochs, with and without a standardised target (dl's `scale target
standard`; scikit-learn's TransformedTargetRegressor with a StandardScaler). scikit-learn's
default MLPRegressor (adam, lr=0.001) and LinearRegression are there for reference.
"""
import argparse, math, os, re, subprocess, sys, tempfile, warnings

import numpy as np
import pandas as pd
from sklearn.compose import TransformedTargetRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_absolute_error, r2_score, root_mean_squared_error
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
CARS = os.path.join(HERE, "..", "datasets", "cars.csv")
MASK = (1 << 64) - 1


class SeededRandom:
    """DLCore's SeededRandom: xoshiro256** seeded through SplitMix64."""

    def __init__(self, seed):
        state = seed

        def splitmix():
            nonlocal state
            state = (state + 0x9E3779B97F4A7C15) & MASK
            z = state
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            return z ^ (z >> 31)

        self.s = [splitmix() for _ in range(4)]

    def next(self):
        s0, s1, s2, s3 = self.s
        x = (s1 * 5) & MASK
        result = ((((x << 7) | (x >> 57)) & MASK) * 9) & MASK
        t = (s1 << 17) & MASK
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = ((s3 << 45) | (s3 >> 19)) & MASK
        self.s = [s0, s1, s2, s3]
        return result

    def below(self, bound):
        """Swift's RandomNumberGenerator.next(upperBound:) (Lemire's nearly divisionless method)."""
        product = self.next() * bound
        if (product & MASK) < bound:
            threshold = ((1 << 64) - bound) % bound
            while (product & MASK) < threshold:
                product = self.next() * bound
        return product >> 64

    def permutation(self, count):
        order = list(range(count))
        for i in range(count - 1, 0, -1):
            j = self.below(i + 1)
            order[i], order[j] = order[j], order[i]
        return order


def dl_split(count, fraction, seed):
    """The rows of dl's `split FRACTION seed=SEED` (not stratified)."""
    train = min(count - 1, max(1, math.floor(count * fraction + 0.5)))
    order = SeededRandom(seed).permutation(count)
    return order[:train], order[train:]


def prepare(frame, train_rows, test_rows):
    """dl's steps with values fitted on the training rows: impute median, one-hot origin, standardise."""
    x = frame.drop(columns=["mpg", "name", "year"])
    train, test = x.iloc[train_rows].copy(), x.iloc[test_rows].copy()
    median = train["horsepower"].median()
    train["horsepower"], test["horsepower"] = train["horsepower"].fillna(median), test["horsepower"].fillna(median)
    categories = sorted(train["origin"].unique())
    def encoded(part):
        indicators = pd.DataFrame({"origin_" + c: (part["origin"] == c).astype(float) for c in categories}, index=part.index)
        return pd.concat([part.drop(columns=["origin"]), indicators], axis=1)
    train, test = encoded(train), encoded(test)
    scaler = StandardScaler().fit(train)
    y = frame["mpg"].to_numpy(dtype=float)
    return scaler.transform(train), y[train_rows], scaler.transform(test), y[test_rows]


def scores(truth, predicted):
    if not np.all(np.isfinite(predicted)):
        return None
    return r2_score(truth, predicted), root_mean_squared_error(truth, predicted), mean_absolute_error(truth, predicted)


def run_dl(dl, epochs, scale_target, test_csv, out_csv):
    steps = ["load cars", "dropna mpg", "drop name,year", "split 0.8 seed=42", "impute median", "encode onehot origin",
             "scale standard"] + (["scale target standard"] if scale_target else []) + [
             "dense 32 relu", "dense 1", f"train lr=0.1 epochs={epochs} verbose=0", "evaluate",
             f'predict "{test_csv}" to "{out_csv}"']
    run = subprocess.run([dl, "-e", "; ".join(steps)], capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
    text = run.stdout + run.stderr
    if run.returncode != 0:
        diverged = re.search(r"loss became \w+ at epoch (\d+)", text)
        return None, f"diverged (epoch {diverged.group(1)})" if diverged else text.strip().splitlines()[-1]
    match = re.search(r"RMSE ([\d.]+)  MAE ([\d.]+)  R² (-?[\d.]+)", text)
    return (float(match.group(3)), float(match.group(1)), float(match.group(2))), text


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dl", nargs="?", default=os.path.join(HERE, "..", ".build", "debug", "dl"))
    parser.add_argument("--epochs", type=int, default=200)
    args = parser.parse_args()

    frame = pd.read_csv(CARS).dropna(subset=["mpg"]).reset_index(drop=True)
    train_rows, test_rows = dl_split(len(frame), 0.8, 42)
    x_train, y_train, x_test, y_test = prepare(frame, train_rows, test_rows)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        test_csv, out_csv = os.path.join(folder, "test.csv"), os.path.join(folder, "predicted.csv")
        frame.iloc[test_rows].to_csv(test_csv, index=False)
        for scale_target in (False, True):
            figures, text = run_dl(args.dl, args.epochs, scale_target, test_csv, out_csv)
            label = "dl MLP 32 relu, sgd lr=0.1" + (", scale target standard" if scale_target else "")
            if figures is None:
                rows.append((label, None, text))
                continue
            # Same rows as dl's split, and the same metrics: scikit-learn's R², RMSE and MAE of dl's own
            # predictions of these rows (from `predict ... to`) equal what dl's evaluate printed.
            predicted = pd.read_csv(out_csv)["predicted_mpg"].to_numpy()
            theirs = scores(y_test, predicted)
            if any(abs(a - b) > 1e-3 for a, b in zip(theirs, figures)):
                sys.exit(f"dl's evaluate says R², RMSE, MAE {figures}; scikit-learn on dl's predictions of dl's split {theirs}")
            rows.append((label, figures, ""))

    def sgd_mlp():
        return MLPRegressor(hidden_layer_sizes=(32,), activation="relu", solver="sgd", learning_rate_init=0.1, momentum=0.0,
                            nesterovs_momentum=False, alpha=0.0, batch_size=32, max_iter=args.epochs, shuffle=True,
                            random_state=0, tol=0, n_iter_no_change=args.epochs + 1)

    models = [
        ("sklearn MLPRegressor 32 relu, sgd lr=0.1", sgd_mlp()),
        ("sklearn MLPRegressor 32 relu, sgd lr=0.1, StandardScaler target",
         TransformedTargetRegressor(regressor=sgd_mlp(), transformer=StandardScaler())),
        ("sklearn MLPRegressor 32 relu, adam lr=0.001 (default)",
         MLPRegressor(hidden_layer_sizes=(32,), max_iter=max(args.epochs, 2000), random_state=0)),
        ("sklearn LinearRegression", LinearRegression()),
    ]
    for label, model in models:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", (ConvergenceWarning, RuntimeWarning))
            try:
                model.fit(x_train, y_train)
                figures = scores(y_test, model.predict(x_test))
            except (ValueError, FloatingPointError) as error:
                figures = None
        rows.append((label, figures, "" if figures else "diverged (NaN or inf)"))

    print(f"cars: {len(frame)} rows with mpg, dl's split 0.8 seed=42: {len(train_rows)} training, {len(test_rows)} test rows; "
          f"{x_train.shape[1]} features; {args.epochs} epochs\n")
    print(f"| {'model':<66} | {'R²':>7} | {'RMSE':>7} | {'MAE':>7} |")
    print(f"|{'-' * 68}|{'-' * 9}|{'-' * 9}|{'-' * 9}|")
    for label, figures, note in rows:
        if figures:
            print(f"| {label:<66} | {figures[0]:7.4f} | {figures[1]:7.4f} | {figures[2]:7.4f} |")
        else:
            print(f"| {label:<66} | {note:>29} |")


if __name__ == "__main__":
    main()
