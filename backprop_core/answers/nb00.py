"""Notebook 00 (start here): seed 004's forward pass (example E5) with the inputs changed."""
import numpy as np

from .. import examples
from ..exercises import Exercise


def _o4_all_ones():
    """o4 = sigmoid(z4) of E5's hidden unit 4 for the inputs x = (1, 1, 1), by the core."""
    ex = examples.e5_network()
    ex.net.forward(np.ones_like(ex.X))
    return float(ex.net.layers[0].a[0, 0])


EXERCISES = {"o4": Exercise("o4 (x = 1, 1, 1)", _o4_all_ones, tol=1e-3)}
