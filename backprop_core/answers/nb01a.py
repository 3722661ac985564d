"""Notebook 01a (learning rate): seed 000's chain, where one loss-gradient step multiplies the
error e = y − t by 1 − η·2·(∂y/∂w)²."""
from .. import examples
from ..exercises import Exercise
from ..one_weight import one_weight_run


def _slope():
    """∂y/∂w of the chain, from the core's backward pass started with ∂y/∂y = 1."""
    ex = examples.e1_chain()
    y = ex.net.forward(ex.X)
    ex.net.backward(y * 0 + 1)
    return float(ex.net.layers[0].dW[0, 0])


def _factor():
    """The error factor per step at η = 3·10⁻⁶, measured on two steps of the core's run."""
    t = float(examples.e1_chain().t[0, 0])
    run = one_weight_run(lr=3e-6, steps=1, rule="loss")
    return float((run.y[1] - t) / (run.y[0] - t))


def _lr_edge_steep():
    """The η whose error factor is exactly −1 for a chain twice as steep (∂y/∂w = 1000):
    2 / (2·(∂y/∂w)²)."""
    return 2.0 / (2.0 * (2.0 * _slope()) ** 2)


def _y_after():
    """The output after one loss-gradient step at η = 3·10⁻⁶."""
    return float(one_weight_run(lr=3e-6, steps=1, rule="loss").y[1])


EXERCISES = {
    "factor": Exercise("1 − η·2·(∂y/∂w)²", _factor, tol=1e-3),
    "lr_edge_steep": Exercise("η (∂y/∂w = 1000)", _lr_edge_steep, tol=1e-8),
    "y_after": Exercise("y (η = 3·10⁻⁶)", _y_after, tol=1e-3),
}
