"""Notebook 04 (seed 004's network, E5): the expected answers, computed with the core.

The step table of the notebook prints every number of the post's step (t6 = 1, η = 0.9), so the
exercises ask for numbers that are not on the page: the next step, or the same step with one thing
changed (η = 0.5, or the target t6 = 0)."""
import numpy as np

from .. import examples
from ..exercises import Exercise
from ..optimizers import SGD
from ..trace import trace


def _step(target=None, lr=None, after=0):
    """The trace of E5's training step with the post's input, after `after` steps of the post's
    own (η = 0.9, t6 = 1) from the post's weights; the target t6 and the learning rate η of the
    traced step default to the post's (1 and 0.9)."""
    ex = examples.e5_network()
    net = ex.net.copy()
    for _ in range(after):
        net.backward(ex.loss.grad(net.forward(ex.X), ex.t))
        SGD(lr=ex.lr).step(net)
    t = ex.t if target is None else np.full_like(ex.t, target)
    return trace(net, ex.loss, ex.X, t, optimizer=SGD(lr=ex.lr if lr is None else lr))


def _delta5_step2():
    return -_step(after=1).value("δ", "5")       # the post's δ is minus the core's ∂L/∂z


def _w46_lr05():
    return _step(lr=0.5).value("w new", "4→6")


def _dw14_t0():
    return _step(target=0.0).value("Δw", "1→4")


EXERCISES = {
    "delta5": Exercise("δ5 (step 2)", _delta5_step2, tol=1e-4),
    "w46": Exercise("w46 (η = 0.5)", _w46_lr05, tol=1e-3),
    "dw14": Exercise("Δw14 (t6 = 0)", _dw14_t0, tol=1e-4),
}
