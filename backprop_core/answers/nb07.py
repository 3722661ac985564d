"""Notebook 07 (the training lab): the exercises' expected answers, computed with the core."""
import numpy as np

from .. import landscapes
from ..exercises import Exercise


def _steep_factor():
    """1 - η·λmax at η = 0.5 on seed 001's linear regression (the lab's "linear" problem):
    the factor by which one gradient step multiplies the distance to the minimum along
    the steepest direction."""
    lam_max = landscapes.curvatures(landscapes.linear_problem())[0]
    return float(1.0 - 0.5 * lam_max)


def _flat_steps():
    """k with (1 - η·λmin)^k = 0.1 at η = 0.5 on the ill-conditioned bowl: the plain
    gradient-descent steps that shrink the distance along the flat direction tenfold."""
    lam_min = min(landscapes.QuadraticBowl().curvatures)
    return float(np.log(0.1) / np.log(1.0 - 0.5 * lam_min))


EXERCISES = {
    "steep_factor": Exercise("1 − ηλmax (η = 0.5)", _steep_factor, tol=2e-3),
    "flat_steps": Exercise("k (η = 0.5, λmin = 0.01)", _flat_steps, tol=1.0),
}
