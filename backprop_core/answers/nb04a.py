"""Notebook 04a (momentum): the expected answers, computed with the core."""
import numpy as np

from .. import landscapes
from ..exercises import Exercise
from ..optimizers import SGD


def _effective_step():
    """Δw / (-g) after many momentum steps on a constant slope g = 1 (η = 0.5, μ = 0.8):
    the core's SGD converges to η / (1 - μ)."""
    w, g = np.zeros(1), np.ones(1)
    optimizer = SGD(lr=0.5, momentum=0.8)
    for _ in range(300):
        before = w.copy()
        optimizer.update([w], [g])
    return float(before[0] - w[0])


def _lr_limit():
    """The largest stable η with μ = 0.8 on the notebook's bowl: 2(1 + μ)/λmax, with λmax
    the steepest curvature the core measures (landscapes.curvatures)."""
    lam_max = landscapes.curvatures(landscapes.QuadraticBowl())[0]
    return 2 * (1 + 0.8) / lam_max


EXERCISES = {
    "effective_step": Exercise("η/(1 − μ)", _effective_step, tol=1e-3),
    "lr_limit": Exercise("η_max (μ = 0.8)", _lr_limit, tol=1e-2),
}
