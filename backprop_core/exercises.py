"""Exercises: check a student's answer without giving the answer away.

    expected = bp.trace(net, loss, X, t).value("δ", "5")    # computed by the core
    answer = ...                                            # the student writes a number here
    ok = bp.exercises.check("δ5", answer, expected)         # prints: δ5: right (within 0.001)

`check` prints whether the answer is right within an absolute tolerance, a hint if not
(wrong sign, close but not close enough), and never the expected value.
"""
import numbers

import numpy as np


def _as_number(value, what, name):
    """A float from an int/float/numpy scalar or a size-1 array; TypeError otherwise."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{what} for {name} must be a number, got a boolean ({value!r})")
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, np.ndarray) and value.size == 1 and np.issubdtype(value.dtype, np.number):
        return float(value.reshape(-1)[0])
    raise TypeError(f"{what} for {name} must be a number (like 0.25), got "
                    f"{type(value).__name__} {value!r:.40}")


def check(name, answer, expected, tol=1e-3):
    """Print "<name>: right (within tol)" or "<name>: not yet — <hint>"; return True/False.

    answer: the student's number (`...` or None means not answered yet: prints a reminder,
    returns False). expected: the value computed by the core. tol: absolute tolerance,
    right means |answer - expected| <= tol. The expected value is never printed.
    """
    name = str(name)
    tol = _as_number(tol, "the tolerance tol", name)
    if not np.isfinite(tol) or tol <= 0:
        raise ValueError(f"tol must be a positive number, got {tol}")
    expected = _as_number(expected, "the expected value", name)
    if not np.isfinite(expected):
        raise ValueError(f"the expected value for {name} must be finite, got {expected}")
    if answer is None or answer is Ellipsis:
        print(f"{name}: no answer yet — replace ... with your number and run the cell again")
        return False
    answer = _as_number(answer, "your answer", name)
    tol_text = f"{tol:g}"
    if not np.isfinite(answer):
        message = "not yet — your answer is not a finite number"
        ok = False
    elif abs(answer - expected) <= tol:
        message = f"right (within {tol_text})"
        ok = True
    elif abs(expected) > tol and abs(answer + expected) <= tol:
        message = "not yet — check the sign"
        ok = False
    elif abs(answer - expected) <= 10 * tol:
        message = (f"not yet — close, but off by more than the tolerance {tol_text}: "
                   "keep more decimals")
        ok = False
    else:
        message = f"not yet — off by more than the tolerance {tol_text}"
        ok = False
    print(f"{name}: {message}")
    return ok
