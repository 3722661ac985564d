"""Notebook 02 (linear regression): seed 001's y = w·x + b at x = 2.1, t = 4, w = 1, b = 0,
L = (ŷ − t)², one step with lr = 0.01 (the learning rate behind the post's 2.87)."""
from .. import examples
from ..exercises import Exercise
from ..optimizers import SGD


def _step(lr=0.01):
    """One SGD step with the core: (∂L/∂w, new b, loss after the step)."""
    ex = examples.e2_linear()
    net = ex.net
    y = net.forward(ex.X)
    net.backward(ex.loss.grad(y, ex.t))
    dL_dw = float(net.layers[0].dW[0, 0])
    SGD(lr=lr).step(net)
    return dL_dw, float(net.layers[0].b[0]), float(ex.loss(net.forward(ex.X), ex.t))


EXERCISES = {
    "dL_dw": Exercise("∂L/∂w", lambda: _step()[0], tol=1e-3),
    "new_b": Exercise("b (lr = 0.01)", lambda: _step()[1], tol=1e-3),
    "new_loss": Exercise("L (lr = 0.01)", lambda: _step()[2], tol=1e-3),
}
