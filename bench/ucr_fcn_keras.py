"""The FCN of Wang et al. 2017 in Keras, set up as bench/ucr_accuracy.py sets up dl's, to tell
dl's behaviour from the model's on a UCR set (one run; the seed picks the initial weights).

    ~/.dl-peers/bin/python bench/ucr_fcn_keras.py TRAIN TEST standard|none EPOCHS BATCH [SEED]

TRAIN and TEST: the .ts files (read with aeon) or CSV files with the class first, as
bench/ucr_txt_to_csv.py writes them. `standard` scales each step on its own, fitted on the
training series, as dl's `scale standard`. Adam 0.001, Keras's ReduceLROnPlateau(loss, 0.5,
50, 1e-4). Prints the training rows' loss and accuracy in inference mode (batchnorm with its
moving statistics), and the test accuracy of the last epoch and of the epoch with the lowest
training loss.
"""
import os, sys

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras


def read(path):
    if path.endswith(".csv"):
        rows = np.loadtxt(path, delimiter=",", skiprows=1)
        return rows[:, 1:], rows[:, 0].astype(int)
    from aeon.datasets import load_from_ts_file
    x, y = load_from_ts_file(path)
    classes = sorted(set(y))
    return x[:, 0, :], np.array([classes.index(v) for v in y])


class LowestLoss(keras.callbacks.Callback):
    """The weights of the epoch with the lowest training loss (Fawaz et al.'s ModelCheckpoint)."""
    best, weights, epoch = np.inf, None, 0

    def on_epoch_end(self, epoch, logs=None):
        if logs["loss"] < self.best:
            self.best, self.weights, self.epoch = logs["loss"], self.model.get_weights(), epoch + 1


def main():
    train, test, scale, epochs, batch = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    x, y = read(train)
    tx, ty = read(test)
    if scale == "standard":
        mean, std = x.mean(0), x.std(0)
        std[std == 0] = 1
        x, tx = (x - mean) / std, (tx - mean) / std
    keras.utils.set_random_seed(int(sys.argv[6]) if len(sys.argv) > 6 else 1)
    inputs = keras.Input((x.shape[1], 1))
    h = inputs
    for kernel, filters in ((8, 128), (5, 256), (3, 128)):
        h = keras.layers.Conv1D(filters, kernel, padding="same")(h)
        h = keras.layers.BatchNormalization()(h)
        h = keras.layers.Activation("relu")(h)
    h = keras.layers.GlobalAveragePooling1D()(h)
    model = keras.Model(inputs, keras.layers.Dense(len(set(y)), activation="softmax")(h))
    model.compile(optimizer=keras.optimizers.Adam(0.001), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    lowest = LowestLoss()
    plateau = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=50, min_lr=0.0001)
    model.fit(x[..., None], y, batch_size=batch, epochs=epochs, verbose=0, callbacks=[plateau, lowest])
    loss, accuracy = model.evaluate(x[..., None], y, verbose=0)
    last = model.evaluate(tx[..., None], ty, verbose=0)[1]
    model.set_weights(lowest.weights)
    best = model.evaluate(tx[..., None], ty, verbose=0)[1]
    print(f"keras fcn {os.path.basename(train)} scale={scale} epochs={epochs} batch={batch}: training rows in inference mode "
          f"loss {loss:.4f} accuracy {accuracy:.4f}; test accuracy last {last:.4f}, lowest-loss epoch {lowest.epoch} {best:.4f}")


if __name__ == "__main__":
    main()
