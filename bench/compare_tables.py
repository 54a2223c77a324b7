"""dl against scikit-learn on the two real tables of examples/ (cars, seattle): same rows, same features.

    ~/.dl-peers/bin/python bench/compare_tables.py [.build/release/dl]

Each table goes through the steps of its example script (examples/cars.dl, examples/seattle.dl)
in dl and, written out by hand with pandas, in scikit-learn. The split is dl's own: this script
draws the same rows (xoshiro256** seeded by SplitMix64, Fisher-Yates with Lemire's bounded
integers, as DLCore's SeededRandom does; per class and by largest remainders for `stratify`, as
Tabular's splitIndices does), and checks that they are the same rows by recomputing dl's own
figures from dl's predictions of the test rows (`predict FILE to FILE`).

cars: one hidden layer of 32 ReLU units and a linear output, plain SGD at lr=0.1, batches of
32, 200 epochs, with and without a standardised target (dl's `scale target standard`;
scikit-learn's TransformedTargetRegressor). seattle: 32 ReLU units and a softmax output, Adam
at lr=0.001, batches of 32, 300 epochs, with and without balanced class weights (`balance=auto`;
scikit-learn's MLP has no class weights, LogisticRegression has class_weight="balanced").
scikit-learn's defaults (adam) and the linear models are there for reference.
A comparison, not a test: it prints two tables.
"""
import argparse, math, os, re, subprocess, sys, tempfile, warnings

import numpy as np
import pandas as pd
from sklearn.compose import TransformedTargetRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, f1_score, mean_absolute_error, r2_score,
                             root_mean_squared_error)
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import MinMaxScaler, StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
DATASETS = os.path.join(HERE, "..", "datasets")
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

    def shuffle(self, items):
        """SeededRandom.shuffle: Fisher-Yates from the last index down."""
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]


def dl_split(labels, fraction, seed, stratify):
    """The rows of dl's `split FRACTION seed=SEED [stratify]` (Tabular's splitIndices)."""
    count = len(labels)
    train_count = min(count - 1, max(1, math.floor(count * fraction + 0.5)))
    rng = SeededRandom(seed)
    if not stratify:
        order = list(range(count))
        rng.shuffle(order)
        return order[:train_count], order[train_count:]
    groups = {}
    for row, label in enumerate(labels):
        groups.setdefault(label, []).append(row)
    classes = list(groups)  # in order of first appearance
    exact = [len(groups[c]) * train_count / count for c in classes]
    shares = [math.floor(e) for e in exact]
    by_remainder = sorted(range(len(classes)), key=lambda k: (exact[k] - shares[k], -k), reverse=True)
    for k in by_remainder[:train_count - sum(shares)]:
        shares[k] += 1
    train, test = [], []
    for k, c in enumerate(classes):
        rows = groups[c][:]
        rng.shuffle(rows)
        train += rows[:shares[k]]
        test += rows[shares[k]:]
    rng.shuffle(train)
    rng.shuffle(test)
    return train, test


def date_parts(frame, column):
    """The five columns of dl's `encode date COL`, in its order (weekday: Monday 0)."""
    dates = pd.to_datetime(frame[column], format="ISO8601")
    parts = pd.DataFrame({f"{column}_year": dates.dt.year, f"{column}_month": dates.dt.month,
                          f"{column}_day": dates.dt.day, f"{column}_weekday": dates.dt.day_of_week,
                          f"{column}_dayofyear": dates.dt.day_of_year}, index=frame.index)
    return pd.concat([frame.drop(columns=[column]), parts], axis=1)


def run_dl(dl, steps, test_csv, out_csv):
    """Runs the statements, the last `predict TEST to OUT`; returns dl's printed output, or None when it failed."""
    run = subprocess.run([dl, "-e", "; ".join(steps + [f'predict "{test_csv}" to "{out_csv}"'])],
                         capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
    text = run.stdout + run.stderr
    if run.returncode != 0:
        diverged = re.search(r"loss became \w+ at epoch (\d+)", text)
        return None, f"diverged (epoch {diverged.group(1)})" if diverged else text.strip().splitlines()[-1]
    return text, ""


def fitted(model, x, y):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", (ConvergenceWarning, RuntimeWarning))
        try:
            return model.fit(x, y)
        except (ValueError, FloatingPointError):
            return None


def table(title, columns, rows):
    print(title + "\n")
    print("| model | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for label, figures, note in rows:
        cells = [f"{v:.4f}" for v in figures] if figures else [note] + [""] * (len(columns) - 1)
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()


# MARK: - cars (regression)

CARS_STEPS = ["load cars", "dropna mpg", "drop name", "encode date year", "split 0.8 seed=42", "impute median",
              "encode onehot origin", "scale standard"]
CARS_MODEL = ["dense 32 relu", "dense 1", "train lr=0.1 epochs=200 verbose=0", "evaluate"]


def regression_scores(truth, predicted):
    if not np.all(np.isfinite(predicted)):
        return None
    return r2_score(truth, predicted), root_mean_squared_error(truth, predicted), mean_absolute_error(truth, predicted)


def cars(dl, folder):
    frame = pd.read_csv(os.path.join(DATASETS, "cars.csv")).dropna(subset=["mpg"]).reset_index(drop=True)
    train_rows, test_rows = dl_split([0] * len(frame), 0.8, 42, stratify=False)
    x = date_parts(frame.drop(columns=["mpg", "name"]), "year")
    train, test = x.iloc[train_rows].copy(), x.iloc[test_rows].copy()
    median = train["horsepower"].median()
    train["horsepower"], test["horsepower"] = train["horsepower"].fillna(median), test["horsepower"].fillna(median)
    categories = sorted(train["origin"].unique())

    def encoded(part):
        indicators = pd.DataFrame({"origin_" + c: (part["origin"] == c).astype(float) for c in categories}, index=part.index)
        return pd.concat([part.drop(columns=["origin"]), indicators], axis=1)

    scaler = StandardScaler().fit(encoded(train))
    x_train, x_test = scaler.transform(encoded(train)), scaler.transform(encoded(test))
    y = frame["mpg"].to_numpy(dtype=float)
    y_train, y_test = y[train_rows], y[test_rows]

    rows = []
    test_csv, out_csv = os.path.join(folder, "cars_test.csv"), os.path.join(folder, "cars_predicted.csv")
    frame.iloc[test_rows].to_csv(test_csv, index=False)
    for scale_target in (False, True):
        steps = CARS_STEPS + (["scale target standard"] if scale_target else []) + CARS_MODEL
        text, note = run_dl(dl, steps, test_csv, out_csv)
        label = "dl MLP 32 relu, sgd lr=0.1" + (", `scale target standard`" if scale_target else "")
        if text is None:
            rows.append((label, None, note))
            continue
        match = re.search(r"RMSE ([\d.]+)  MAE ([\d.]+)  R² (-?[\d.]+)", text)
        printed = float(match.group(3)), float(match.group(1)), float(match.group(2))
        # Same rows, same metrics: scikit-learn's figures of dl's own predictions equal dl's evaluate.
        theirs = regression_scores(y_test, pd.read_csv(out_csv)["predicted_mpg"].to_numpy())
        if any(abs(a - b) > 1e-3 for a, b in zip(theirs, printed)):
            sys.exit(f"cars: dl's evaluate says R², RMSE, MAE {printed}; scikit-learn on dl's predictions {theirs}")
        rows.append((label, printed, ""))

    def sgd_mlp():
        return MLPRegressor(hidden_layer_sizes=(32,), solver="sgd", learning_rate_init=0.1, momentum=0.0,
                            nesterovs_momentum=False, alpha=0.0, batch_size=32, max_iter=200, random_state=0,
                            tol=0, n_iter_no_change=201)

    for label, model in [
        ("sklearn MLPRegressor 32 relu, sgd lr=0.1", sgd_mlp()),
        ("sklearn MLPRegressor 32 relu, sgd lr=0.1, StandardScaler target",
         TransformedTargetRegressor(regressor=sgd_mlp(), transformer=StandardScaler())),
        ("sklearn MLPRegressor 32 relu, adam (defaults)", MLPRegressor(hidden_layer_sizes=(32,), max_iter=2000, random_state=0)),
        ("sklearn LinearRegression", LinearRegression()),
    ]:
        model = fitted(model, x_train, y_train)
        figures = regression_scores(y_test, model.predict(x_test)) if model else None
        rows.append((label, figures, "" if figures else "diverged (NaN or inf)"))
    table(f"cars: {len(frame)} rows with mpg; dl's `split 0.8 seed=42`: {len(train_rows)} training, {len(test_rows)} test rows; "
          f"{x_train.shape[1]} features", ["R²", "RMSE", "MAE"], rows)


# MARK: - seattle (imbalanced classes, a date column)

SEATTLE_STEPS = ["load seattle", "encode date date", "split 0.8 stratify", "scale minmax", "dense 32 relu", "dense 5 softmax",
                 "optimizer adam"]


def class_scores(truth, predicted):
    return (accuracy_score(truth, predicted), balanced_accuracy_score(truth, predicted),
            f1_score(truth, predicted, average="macro"))


def seattle(dl, folder):
    frame = pd.read_csv(os.path.join(DATASETS, "seattle.csv"))
    names = sorted(frame["weather"].unique())
    labels = [names.index(w) for w in frame["weather"]]
    train_rows, test_rows = dl_split(labels, 0.8, 42, stratify=True)
    x = date_parts(frame.drop(columns=["weather"]), "date")
    scaler = MinMaxScaler().fit(x.iloc[train_rows])
    x_train, x_test = scaler.transform(x.iloc[train_rows]), scaler.transform(x.iloc[test_rows])
    y_train, y_test = frame["weather"].iloc[train_rows], frame["weather"].iloc[test_rows]

    rows = []
    test_csv, out_csv = os.path.join(folder, "seattle_test.csv"), os.path.join(folder, "seattle_predicted.csv")
    frame.iloc[test_rows].to_csv(test_csv, index=False)
    for balance in ("none", "auto"):
        steps = SEATTLE_STEPS + [f"train lr=0.001 epochs=300 balance={balance} verbose=0", "evaluate"]
        text, note = run_dl(dl, steps, test_csv, out_csv)
        label = "dl MLP 32 relu, adam lr=0.001" + (", `balance=auto`" if balance == "auto" else "")
        if text is None:
            rows.append((label, None, note))
            continue
        accuracy = float(re.search(r"^loss [\d.]+  accuracy ([\d.]+)", text, re.M).group(1))
        macro = float(re.search(r"^macro avg +[\d.]+ +[\d.]+ +([\d.]+)", text, re.M).group(1))
        figures = class_scores(y_test, pd.read_csv(out_csv)["predicted_weather"])
        if abs(figures[0] - accuracy) > 1e-3 or abs(figures[2] - macro) > 1e-3:
            sys.exit(f"seattle: dl's evaluate says accuracy {accuracy}, macro F1 {macro}; scikit-learn on dl's predictions {figures}")
        rows.append((label, figures, ""))
    for label, model in [
        ("sklearn MLPClassifier 32 relu, adam lr=0.001", MLPClassifier(
            hidden_layer_sizes=(32,), learning_rate_init=0.001, alpha=0.0, batch_size=32, max_iter=300,
            random_state=0, tol=0, n_iter_no_change=301)),
        ("sklearn MLPClassifier 32 relu (defaults)", MLPClassifier(hidden_layer_sizes=(32,), max_iter=2000, random_state=0)),
        ("sklearn LogisticRegression", LogisticRegression(max_iter=5000)),
        ("sklearn LogisticRegression class_weight=balanced", LogisticRegression(max_iter=5000, class_weight="balanced")),
    ]:
        model = fitted(model, x_train, y_train)
        rows.append((label, class_scores(y_test, model.predict(x_test)) if model else None, "failed"))
    majority = y_train.mode()[0]
    baseline = class_scores(y_test, [majority] * len(y_test))
    rows.append((f"always '{majority}' (the majority class)", baseline, ""))
    table(f"seattle: dl's `split 0.8 stratify` (seed 42): {len(train_rows)} training, {len(test_rows)} test rows; "
          f"{x_train.shape[1]} features", ["accuracy", "balanced accuracy", "macro F1"], rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dl", nargs="?", default=os.path.join(HERE, "..", ".build", "release", "dl"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cars(args.dl, folder)
        seattle(args.dl, folder)


if __name__ == "__main__":
    main()
