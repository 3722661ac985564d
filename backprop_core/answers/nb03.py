"""Notebook 03 (3-2-1 network): seed 002's linear network, L = (y − t)², y = 2.98, one step
with η = 0.01, for the target t = 2.5 instead of the post's 3.2 (so that no answer is printed
in the lesson above, and the sign of every gradient flips)."""
import numpy as np

from .. import examples
from ..exercises import Exercise
from ..optimizers import SGD

TARGET = 2.5


def _backward():
    """The core's backward pass: the example's net after forward and backward of the loss."""
    ex = examples.e3_network()
    y = ex.net.forward(ex.X)
    ex.net.backward(ex.loss.grad(y, np.array([[TARGET]])))
    return ex


def _delta_a2():
    """δ of hidden unit a2' = ∂L/∂z (identity activation: = w'21·δ_out)."""
    return float(_backward().net.layers[0].delta[0, 1])


def _dL_dw32():
    """∂L/∂w32 = a3 · δ_a2' (W1 row 3 = input a3, column 2 = hidden a2')."""
    return float(_backward().net.layers[0].dW[2, 1])


def _new_w32():
    """w32 after one SGD step with the example's η = 0.01."""
    ex = _backward()
    SGD(lr=ex.lr).step(ex.net)
    return float(ex.net.layers[0].W[2, 1])


EXERCISES = {
    "delta_a2": Exercise("δ(a2')", _delta_a2, tol=1e-3),
    "dL_dw32": Exercise("∂L/∂w32", _dL_dw32, tol=1e-3),
    "new_w32": Exercise("w32 (η = 0.01)", _new_w32, tol=1e-4),
}
