"""Notebook 10 (speed and batch size): the exercises' expected answers, computed with the core."""
from .. import batches
from ..exercises import Exercise
from ..layers import Dense
from ..network import Sequential


def _step_bytes():
    """Bytes of the per-batch arrays one step of the notebook's 64-128-10 sigmoid network
    keeps for a batch of 100 (batches.step_memory: x, z, a, dL/da, δ, shared arrays once)."""
    net = Sequential(Dense(64, 128, "sigmoid", seed=0), Dense(128, 10, "sigmoid", seed=1))
    return float(batches.step_memory(net, 100))


def _updates():
    """Updates in one epoch of 1,000 samples in batches of 64: ceil(1000 / 64)."""
    return float(batches.updates_per_epoch(1000, 64))


EXERCISES = {
    "step_bytes": Exercise("bytes per step (batch 100)", _step_bytes, tol=0.5),
    "updates": Exercise("updates per epoch (1,000 / 64)", _updates, tol=0.5),
}
