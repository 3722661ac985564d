"""Notebook 09 (depth and initialisation): the exercises' expected answers."""
import numpy as np

from ..exercises import Exercise


def _xavier_sigma():
    """Xavier's σ = sqrt(2 / (n_in + n_out)) (initializers.xavier) for the width sweep's
    widest hidden layer: 1 input, 128 units."""
    n_in, n_out = 1, 128
    return float(np.sqrt(2.0 / (n_in + n_out)))


EXERCISES = {"xavier_sigma": Exercise("σ Xavier (1 → 128)", _xavier_sigma, tol=1e-3)}
