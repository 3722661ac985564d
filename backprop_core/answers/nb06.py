"""Notebook 06 (seed 000's 2-2-1 network, Alice): the expected answers, computed with the core."""
from .. import datasets, examples
from ..exercises import Exercise
from ..losses import MSE
from ..optimizers import SGD
from ..trace import trace


def _alice():
    """The trace of one step for Alice, the first of seed 000's four people."""
    _, net = examples.e0_scalar_weights(seed=0)
    X, t = datasets.people()
    return trace(net, MSE(), X[:1], t[:1], optimizer=SGD(lr=0.1))


def _dw5():
    return _alice().value("∂L/∂w", "h1→o1")


def _db1():
    return _alice().value("∂L/∂b", "h1")


EXERCISES = {
    "dw5": Exercise("∂L/∂w5", _dw5, tol=1e-3),
    "db1": Exercise("∂L/∂b1", _db1, tol=1e-4),
}
