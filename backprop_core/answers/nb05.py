"""Notebook 05 (seed 001's 1-2-1 softplus network): the expected answers, computed with the core."""
import numpy as np

from .. import examples
from ..exercises import Exercise


def _dy_dw11():
    """∂y/∂w11 at the sixth point: the backward pass of the output itself (dy/dy = 1)."""
    ex = examples.e2_nonlinear()
    net = ex.net
    net.forward(ex.X[5:6])
    net.backward(np.ones((1, 1)))
    return float(net.layers[0].dW[0, 0])


EXERCISES = {"dy_dw11": Exercise("∂y/∂w11 (x = X[5])", _dy_dw11, tol=1e-4)}
