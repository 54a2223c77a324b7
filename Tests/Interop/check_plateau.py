"""The plateau schedule's exports against the frameworks (run by hand with the peers' Python:
`~/.dl-peers/bin/python Tests/Interop/check_plateau.py`; CI has neither framework).

Feeds the loss sequences of Tests/EngineTests/PlateauTests.swift to Keras's
`ReduceLROnPlateau` callback and to PyTorch's `ReduceLROnPlateau`, both made with the
arguments dl's exported scripts give them (PyTorch: patience - 1, cooldown - 1 and an
absolute threshold), and checks that each epoch runs at the rate dl's test expects.
"""
import json, subprocess, sys

CASES = [
    # (patience, factor, minimum, min_delta, cooldown, base, losses, dl's rate per epoch)
    (2, 0.5, 0.0002, 0.0001, 0, 0.001, [1.0, 0.9, 0.95, 0.96, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85],
     [0.001, 0.001, 0.001, 0.001, 0.0005, 0.0005, 0.0005, 0.00025, 0.00025, 0.0002, 0.0002, 0.0002]),
    (1, 0.5, 0.0, 0.01, 0, 0.001, [1, 0.995, 0.98, 0.975], [0.001, 0.001, 0.0005, 0.0005]),
    (1, 0.5, 0.0, 0.0001, 0, 0.001, [1, 0.995, 0.98], [0.001, 0.001, 0.001]),
    (1, 0.5, 0.0, 0.0001, 2, 1.0, [1, 1, 1, 1, 1, 1, 1], [1, 1, 0.5, 0.5, 0.25, 0.25, 0.125]),
    (1, 0.5, 0.0, 0.0001, 0, 1.0, [1, 1, 1, 1], [1, 1, 0.5, 0.25]),
    (50, 0.1, 0.0001, 0.0001, 0, 0.1, [1.0] * 300, [0.1] * 51 + [0.01] * 50 + [0.001] * 50 + [0.0001] * 149),
]


def keras_rates(patience, factor, minimum, min_delta, cooldown, base, losses):
    import keras
    callback = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=factor, patience=patience, min_lr=minimum,
                                                 min_delta=min_delta, cooldown=cooldown)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=base), loss="mse")
    callback.set_model(model)
    callback.on_train_begin()
    rates = []
    for epoch, loss in enumerate(losses):
        rates.append(float(keras.ops.convert_to_numpy(model.optimizer.learning_rate)))
        callback.on_epoch_end(epoch, {"loss": loss})
    return rates


def torch_rates(patience, factor, minimum, min_delta, cooldown, base, losses):
    import torch
    optimizer = torch.optim.Adam([torch.zeros(1, requires_grad=True)], lr=base)
    schedule = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", factor=factor, patience=patience - 1,
                                                          threshold=min_delta, threshold_mode="abs",
                                                          cooldown=max(cooldown - 1, 0), min_lr=minimum)
    rates = []
    for loss in losses:
        rates.append(optimizer.param_groups[0]["lr"])
        schedule.step(loss)
    return rates


def main():
    # Keras (TensorFlow) and PyTorch clash when loaded in one process: each runs in its own.
    if len(sys.argv) > 1:
        rates = keras_rates if sys.argv[1] == "keras" else torch_rates
        print(json.dumps([rates(*case[:-1]) for case in CASES]))
        return
    found = {name: json.loads(subprocess.run([sys.executable, __file__, name], capture_output=True, text=True,
                                             check=True).stdout.splitlines()[-1]) for name in ("keras", "torch")}
    failures = 0
    for index, case in enumerate(CASES):
        *settings, expected = case
        for name in found:
            rates = found[name][index]
            # dl and Keras keep the rate as a 32-bit float, PyTorch as a double.
            if any(abs(a - b) > 1e-6 * b for a, b in zip(rates, expected)) or len(rates) != len(expected):
                failures += 1
                print(f"{name} {settings[:5]}: {rates} != dl's {expected}")
    print(f"{len(CASES)} loss sequences, Keras and PyTorch: " + ("all rates as dl's" if not failures else f"{failures} differ"))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
