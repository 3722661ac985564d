"""Notebook 08 (activation functions): the exercises' expected answers, computed with the core."""
import numpy as np

from ..activations import get_activation
from ..exercises import Exercise


def _tanh_deriv():
    """tanh'(1) = 1 - tanh(1)^2, from the core's Tanh."""
    return float(get_activation("tanh").deriv(np.array([1.0]))[0])


EXERCISES = {"tanh_deriv": Exercise("tanh'(1)", _tanh_deriv, tol=1e-3)}
