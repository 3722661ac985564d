"""Notebook 01 (one weight): seed 000's chain h = w·x, y = v·h + c at w = 5, L = (y − t)²."""
from .. import examples
from ..exercises import Exercise
from ..one_weight import one_weight_run


def _backward():
    """The core's backward pass of the loss at the start: (∂L/∂y, ∂L/∂w)."""
    ex = examples.e1_chain()
    y = ex.net.forward(ex.X)
    dL_dy = ex.loss.grad(y, ex.t)
    ex.net.backward(dL_dy)
    return float(dL_dy[0, 0]), float(ex.net.layers[0].dW[0, 0])


def _new_w():
    """w after one loss-gradient step with η = 2·10⁻⁶ (only w moves, as in the post)."""
    return float(one_weight_run(lr=2e-6, steps=1, rule="loss").w[1])


EXERCISES = {
    "dL_dy": Exercise("∂L/∂y", lambda: _backward()[0], tol=1e-3),
    "dL_dw": Exercise("∂L/∂w", lambda: _backward()[1], tol=1e-3),
    "new_w": Exercise("w (η = 2·10⁻⁶)", _new_w, tol=1e-4),
}
