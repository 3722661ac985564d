"""Notebook 06 (seed 000's 2-2-1 network, Alice): the expected answers, computed with the core.

Section 3 prints Alice's nine gradients (target 1), so the exercises ask for two of them with
the target 0 instead: the same forward pass, another loss gradient."""
import numpy as np

from .. import datasets, examples
from ..exercises import Exercise
from ..losses import MSE
from ..optimizers import SGD
from ..trace import trace


def _alice(target):
    """The trace of one step for Alice, the first of seed 000's four people, with her target
    replaced by `target`."""
    _, net = examples.e0_scalar_weights(seed=0)
    X, _ = datasets.people()
    return trace(net, MSE(), X[:1], np.full((1, 1), target), optimizer=SGD(lr=0.1))


def _dw5_t0():
    return _alice(0.0).value("∂L/∂w", "h1→o1")


def _db1_t0():
    return _alice(0.0).value("∂L/∂b", "h1")


EXERCISES = {
    "dw5": Exercise("∂L/∂w5 (y_true = 0)", _dw5_t0, tol=1e-3),
    "db1": Exercise("∂L/∂b1 (y_true = 0)", _db1_t0, tol=1e-4),
}
