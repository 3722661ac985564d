"""Notebook 01 (one weight): seed 000's chain h = w·x, y = v·h + c, L = (y − t)², started at
w = 6 (the post's "w + 1", output 560) so that no answer is printed in the lesson above."""
from .. import examples
from ..exercises import Exercise
from ..one_weight import one_weight_run

W_START = 6.0


def _example():
    ex = examples.e1_chain()
    ex.net.layers[0].W[...] = W_START
    return ex


def _backward():
    """The core's backward pass of the loss at w = 6: (∂L/∂y, ∂L/∂w)."""
    ex = _example()
    y = ex.net.forward(ex.X)
    dL_dy = ex.loss.grad(y, ex.t)
    ex.net.backward(dL_dy)
    return float(dL_dy[0, 0]), float(ex.net.layers[0].dW[0, 0])


def _new_w():
    """w after one loss-gradient step with η = 10⁻⁶ from w = 6 (only w moves, as in the post)."""
    return float(one_weight_run(lr=1e-6, steps=1, rule="loss", example=_example()).w[1])


EXERCISES = {
    "dL_dy": Exercise("∂L/∂y (w = 6)", lambda: _backward()[0], tol=1e-3),
    "dL_dw": Exercise("∂L/∂w (w = 6)", lambda: _backward()[1], tol=1e-3),
    "new_w": Exercise("w (η = 10⁻⁶)", _new_w, tol=1e-4),
}
