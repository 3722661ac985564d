"""Notebook 02 (linear regression): seed 001's y = w·x + b from w = 1, b = 0, L = (ŷ − t)², one
step with lr = 0.01, on another sample than the post's (x = 3, t = 1), so that no answer is
printed in the lesson above."""
import numpy as np

from .. import examples
from ..exercises import Exercise
from ..optimizers import SGD


def _step(lr=0.01):
    """One SGD step with the core: (∂L/∂w, new b, loss after the step)."""
    ex = examples.e2_linear()
    net, X, t = ex.net, np.array([[3.0]]), np.array([[1.0]])
    y = net.forward(X)
    net.backward(ex.loss.grad(y, t))
    dL_dw = float(net.layers[0].dW[0, 0])
    SGD(lr=lr).step(net)
    return dL_dw, float(net.layers[0].b[0]), float(ex.loss(net.forward(X), t))


EXERCISES = {
    "dL_dw": Exercise("∂L/∂w", lambda: _step()[0], tol=1e-3),
    "new_b": Exercise("b (lr = 0.01)", lambda: _step()[1], tol=1e-3),
    "new_loss": Exercise("L (lr = 0.01)", lambda: _step()[2], tol=1e-3),
}
