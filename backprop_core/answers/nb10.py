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
    """Updates in one epoch of 1,000 samples in batches of 48: ceil(1000 / 48). (Not 64: the
    notebook's table prints 16 updates for batch 64, which is also ceil(1000 / 64).)"""
    return float(batches.updates_per_epoch(1000, 48))


EXERCISES = {
    # labels are the symbols the exercise defines (M, U): the same in both editions
    "step_bytes": Exercise("M (B = 100)", _step_bytes, tol=0.5),
    "updates": Exercise("U (1,000 / 48)", _updates, tol=0.5),
}
