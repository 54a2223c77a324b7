"""What every Python peer times, in one place, so the peers cannot disagree with dl's own
bench scripts (bench/mlp_batch*.dl, bench/lenet.dl) or with one another.

Data are synthetic, MNIST-shaped: uniform [0, 1) pixels, labels uniform over 10 classes.
Each framework draws them from its own seeded generator; only the shape and scale matter
for a timing.
"""
import json

MLP_ROWS = 60_000
MLP_LAYERS = (784, 128, 64, 10)  # input, two relu layers, softmax output
MLP_BATCHES = (32, 128)
LENET_ROWS = 10_000
LENET_BATCH = 64
LEARNING_RATE = 0.1  # plain SGD, no momentum
SEED = 0
THREADS = 2  # the development machine's cores

MLP_NAME = "mlp 784-128-64-10 batch={batch} epoch(60k) s"
LENET_NAME = "lenet5 batch=64 epoch(10k) s"


def report(figures):
    """One JSON object on stdout: scripts/bench reads from the first `{`, so a framework's
    start-up chatter before it does no harm."""
    print(json.dumps({name: round(seconds, 3) for name, seconds in figures.items()}, indent=1))
