"""What the batch size changes besides speed (seed 003): updates per epoch, how noisy a
mini-batch gradient is, and the memory a training step keeps.

X: (n_samples, n_in), t: (n_samples, n_out). numpy only.
"""
import math

import numpy as np

from .checks import positive_int
from .gradcheck import analytic_gradients


def updates_per_epoch(n_samples, batch_size):
    """ceil(n_samples / batch_size): one update per mini-batch, the last may be smaller."""
    return math.ceil(positive_int(n_samples, "n_samples") / positive_int(batch_size, "batch_size"))


def gradient_spread(net, loss, X, t, batch_size, n_batches=32, seed=0):
    """How far a mini-batch gradient g_B is from the full-data gradient g:
    the median over `n_batches` random batches of |g_B - g| / |g| (all parameters as one vector).
    0 means every batch points exactly downhill; it shrinks roughly like 1/sqrt(batch_size)."""
    batch_size = positive_int(batch_size, "batch_size")
    n = X.shape[0]
    if batch_size > n:
        raise ValueError(f"batch_size must be at most the {n} samples, got {batch_size}")
    full = np.concatenate([g.ravel() for g in analytic_gradients(net, loss, X, t)])
    rng = np.random.default_rng(seed)
    spreads = []
    for _ in range(positive_int(n_batches, "n_batches")):
        idx = rng.choice(n, size=batch_size, replace=False)
        g = np.concatenate([g.ravel() for g in analytic_gradients(net, loss, X[idx], t[idx])])
        spreads.append(np.linalg.norm(g - full) / np.linalg.norm(full))
    return float(np.median(spreads))


def step_memory(net, batch_size):
    """Bytes of the per-batch arrays one training step keeps, measured on the arrays
    themselves after a forward and backward pass of `batch_size` zero samples:
    x, z, a, dL/da and delta of every layer (the weights and gradients are not counted:
    they do not grow with the batch). It overwrites what the layers stored from the last pass."""
    batch_size = positive_int(batch_size, "batch_size")
    first = net.layers[0]
    y = net.forward(np.zeros((batch_size, first.n_in), dtype=first.dtype))
    net.backward(np.zeros_like(y), input_grad=False)
    arrays = {}
    for layer in net.layers:
        for arr in (layer.x, layer.z, layer.a, layer.dL_da, layer.delta):
            arrays[id(arr)] = arr                 # count an array shared by two names once
    return int(sum(arr.nbytes for arr in arrays.values()))
