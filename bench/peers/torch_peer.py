"""PyTorch on the CPU: one epoch of the reference MLP (batch 32 and 128) and of LeNet-5.

    python torch_peer.py [mlp|lenet|all]        prints JSON, seconds per epoch
"""
import sys, time
import torch
from torch import nn
from workloads import (LEARNING_RATE, LENET_BATCH, LENET_NAME, LENET_ROWS, MLP_BATCHES, MLP_LAYERS,
                       MLP_NAME, MLP_ROWS, SEED, THREADS, report)

torch.set_num_threads(THREADS)


def pixels(rows):
    generator = torch.Generator().manual_seed(SEED)
    features = torch.rand(rows, 784, generator=generator)
    labels = torch.randint(0, 10, (rows,), generator=generator)
    return features, labels


def one_epoch(model, features, labels, batch):
    """Seconds for one shuffled pass of SGD; a short untimed pass first lets the allocator
    and the kernels settle, as dl's timing also excludes set-up."""
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    loss_of = nn.CrossEntropyLoss()

    def sweep(rows):
        order = torch.randperm(rows)
        for start in range(0, rows, batch):
            picked = order[start:start + batch]
            optimizer.zero_grad()
            loss_of(model(features[picked]), labels[picked]).backward()
            optimizer.step()

    sweep(20 * batch)
    began = time.perf_counter()
    sweep(features.shape[0])
    return time.perf_counter() - began


def mlp(batch):
    inputs, first, second, classes = MLP_LAYERS
    model = nn.Sequential(nn.Linear(inputs, first), nn.ReLU(), nn.Linear(first, second), nn.ReLU(),
                          nn.Linear(second, classes))
    return one_epoch(model, *pixels(MLP_ROWS), batch)


def lenet():
    features, labels = pixels(LENET_ROWS)
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    return one_epoch(model, features.reshape(-1, 1, 28, 28), labels, LENET_BATCH)


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "all"
    figures = {}
    if which in ("mlp", "all"):
        figures.update({"torch " + MLP_NAME.format(batch=b): mlp(b) for b in MLP_BATCHES})
    if which in ("lenet", "all"):
        figures["torch " + LENET_NAME] = lenet()
    report(figures)
