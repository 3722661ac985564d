"""Notebook 08a (loss functions): the exercises' expected answers, computed with the core."""
import numpy as np

from ..exercises import Exercise
from ..losses import CrossEntropy

LOGITS = np.array([[2.0, 0.0, 1.0]])      # the exercise's fourth sample: classes A, B, C
LABEL = np.array([2])                     # its true class: C


def _ce_loss():
    """-log p_C of the sample: bp.CrossEntropy on a batch of one."""
    return float(CrossEntropy()(LOGITS, LABEL))


def _ce_grad():
    """dL/dlogit_C = p_C - 1 (softmax - one-hot; a batch of one, so nothing is divided)."""
    return float(CrossEntropy().grad(LOGITS, LABEL)[0, 2])


EXERCISES = {
    "ce_loss": Exercise("-log p_C", _ce_loss, tol=1e-3),
    "ce_grad": Exercise("∂L/∂logit_C", _ce_grad, tol=1e-3),
}
