"""Notebook 04 (seed 004's network, E5): the expected answers, computed with the core."""
from .. import examples
from ..exercises import Exercise
from ..optimizers import SGD
from ..trace import trace


def _step():
    """The trace of E5's one training step (η = 0.9): every z, o, δ, Δw, new weight."""
    ex = examples.e5_network()
    return trace(ex.net, ex.loss, ex.X, ex.t, optimizer=SGD(lr=ex.lr))


def _delta5():
    return -_step().value("δ", "5")           # the post's δ is minus the core's ∂L/∂z


def _w46():
    return _step().value("w new", "4→6")


def _dw14():
    return _step().value("Δw", "1→4")


def _dw24():
    return _step().value("Δw", "2→4")


EXERCISES = {
    "delta5": Exercise("δ5", _delta5, tol=1e-4),
    "w46": Exercise("w46 (new)", _w46, tol=1e-3),
    "dw14": Exercise("Δw14", _dw14, tol=1e-4),
    "dw24": Exercise("Δw24", _dw24, tol=1e-4),
}
