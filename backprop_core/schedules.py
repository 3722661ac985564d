"""Learning-rate schedules: lr(step), step = 0, 1, 2, ... (seed 004: 'fixed or decaying').

A schedule is called with a step number (or an array of them, for plotting).
Anywhere a learning rate is accepted, a schedule may be given instead.
"""
import numbers

import numpy as np

from .checks import check_finite, number_in, positive_int, positive_number, real_array


class Schedule:
    """Base class: `schedule(step)` -> learning rate."""

    def __call__(self, step):
        """The rate at `step` (a number >= 0) or at every step of an array of them."""
        if isinstance(step, numbers.Real) and not isinstance(step, bool):   # one step (the hot path)
            if not step >= 0:
                raise ValueError(f"step must be a number >= 0, got {step!r}")
            return float(self.rate(float(step)))
        steps = real_array(step, "step")
        check_finite(steps, "step")
        if np.any(steps < 0):
            raise ValueError(f"step must be >= 0, got {steps.min()!r}")
        return self.rate(steps) if steps.ndim else float(self.rate(float(steps)))


class Constant(Schedule):
    """lr(t) = lr."""

    def __init__(self, lr):
        self.lr = positive_number(lr, "lr")

    def rate(self, t):
        return self.lr + 0.0 * t

    def __repr__(self):
        return f"Constant(lr={self.lr})"


class StepDecay(Schedule):
    """lr(t) = lr · drop^floor(t / every): the rate falls by `drop` every `every` steps."""

    def __init__(self, lr, drop=0.5, every=10):
        self.lr = positive_number(lr, "lr")
        self.drop = number_in(drop, "drop", 0, 1, low_open=True, high_open=False)
        self.every = positive_int(every, "every")

    def rate(self, t):
        return self.lr * self.drop ** np.floor(t / self.every)

    def __repr__(self):
        return f"StepDecay(lr={self.lr}, drop={self.drop}, every={self.every})"


class ExponentialDecay(Schedule):
    """lr(t) = lr · decay^t."""

    def __init__(self, lr, decay=0.99):
        self.lr = positive_number(lr, "lr")
        self.decay = number_in(decay, "decay", 0, 1, low_open=True, high_open=False)

    def rate(self, t):
        return self.lr * self.decay ** t

    def __repr__(self):
        return f"ExponentialDecay(lr={self.lr}, decay={self.decay})"


class InverseTime(Schedule):
    """lr(t) = lr / (1 + k·t)  (the '1/t' decay)."""

    def __init__(self, lr, k=0.1):
        self.lr = positive_number(lr, "lr")
        self.k = number_in(k, "k", 0, np.inf)

    def rate(self, t):
        return self.lr / (1.0 + self.k * t)

    def __repr__(self):
        return f"InverseTime(lr={self.lr}, k={self.k})"


def as_schedule(lr):
    """A Schedule from a number (constant) or a Schedule; checks lr > 0 and finite."""
    if isinstance(lr, Schedule):
        return lr
    return Constant(lr)
