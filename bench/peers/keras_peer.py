"""Keras on TensorFlow-CPU: one epoch of the reference MLP (batch 32 and 128) and of LeNet-5.

    python keras_peer.py [mlp|lenet|all]        prints JSON, seconds per epoch
"""
import os, sys, time
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before TensorFlow loads
import numpy as np
from workloads import (LEARNING_RATE, LENET_BATCH, LENET_NAME, LENET_ROWS, MLP_BATCHES, MLP_LAYERS,
                       MLP_NAME, MLP_ROWS, SEED, report)


def pixels(rows):
    generator = np.random.default_rng(SEED)
    return generator.random((rows, 784), dtype=np.float32), generator.integers(0, 10, rows)


def timed_fit(model, features, labels, batch, warm_up_batches, metrics):
    """Seconds for one epoch of `fit`; a short untimed fit first pays for tracing the graph."""
    import keras
    model.compile(optimizer=keras.optimizers.SGD(LEARNING_RATE), loss="sparse_categorical_crossentropy",
                  metrics=metrics)
    warm = warm_up_batches * batch
    model.fit(features[:warm], labels[:warm], batch_size=batch, epochs=1, verbose=0)
    began = time.perf_counter()
    model.fit(features, labels, batch_size=batch, epochs=1, verbose=0)
    return time.perf_counter() - began


def mlp(batch):
    import keras
    inputs, first, second, classes = MLP_LAYERS
    model = keras.Sequential([keras.Input((inputs,)), keras.layers.Dense(first, activation="relu"),
                              keras.layers.Dense(second, activation="relu"),
                              keras.layers.Dense(classes, activation="softmax")])
    return timed_fit(model, *pixels(MLP_ROWS), batch, warm_up_batches=20, metrics=["accuracy"])


def lenet():
    import keras
    layers = keras.layers
    features, labels = pixels(LENET_ROWS)
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(6, 5, activation="relu", padding="same"), layers.MaxPooling2D(2),
        layers.Conv2D(16, 5, activation="relu"), layers.MaxPooling2D(2), layers.Flatten(),
        layers.Dense(120, activation="relu"), layers.Dense(84, activation="relu"),
        layers.Dense(10, activation="softmax")])
    return timed_fit(model, features.reshape(-1, 28, 28, 1), labels, LENET_BATCH, warm_up_batches=10, metrics=None)


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "all"
    figures = {}
    if which in ("mlp", "all"):
        figures.update({"keras " + MLP_NAME.format(batch=b): mlp(b) for b in MLP_BATCHES})
    if which in ("lenet", "all"):
        figures["keras " + LENET_NAME] = lenet()
    report(figures)
