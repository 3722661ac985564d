"""Input checks at the API boundary: clear messages in words a student understands.

Every public function validates its arguments here, so a bad call fails with the
parameter's name and the expected shape or range, never deep inside numpy.
"""
import math
import numbers

import numpy as np


def real_array(value, name, dtype=np.float64):
    """value as a float array of `dtype`. Strings, None, ragged lists and complex numbers
    are refused with a TypeError naming `name` (numpy would turn "1" into 1.0 and drop an
    imaginary part with only a warning)."""
    if type(value) is np.ndarray and value.dtype == dtype:     # already so: the step's path
        return value
    if isinstance(value, np.ndarray):
        arr = value
    else:
        try:
            arr = np.asarray(value)
        except (TypeError, ValueError):           # ragged nested lists
            raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}") from None
    kind = arr.dtype.kind
    if kind == "c":
        raise TypeError(f"{name} must hold real numbers, got complex numbers (dtype {arr.dtype})")
    if kind not in "biuf":                        # strings, bytes, objects (None, mixed lists), dates
        if kind == "O" and all(isinstance(v, numbers.Real) for v in arr.flat):
            return arr.astype(dtype)              # a list mixing Python and numpy numbers
        raise TypeError(f"{name} must be an array of numbers, got {_describe(value)}")
    return arr.astype(dtype, copy=False)


def _describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype}"
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"


def as_batch(X, name, width=None, dtype=np.float64, owner=None):
    """Return X as a finite 2-D float array (batch, width).

    A 1-D array of length `width` is taken as a batch of one sample. owner: who expects
    that width, for the message: a str, or a function returning one (called only on failure,
    so a call on a training step's path does not build it).
    """
    arr = real_array(X, name, dtype)
    if arr.ndim == 1 and width is not None and arr.shape[0] == width:
        arr = arr.reshape(1, width)
    if arr.ndim != 2:
        want = f"(batch, {width})" if width is not None else "(batch, n)"
        raise ValueError(f"{name} must be a 2-D array of shape {want} (rows are samples), "
                         f"got an array of shape {arr.shape}")
    if width is not None and arr.shape[1] != width:
        owner = owner() if callable(owner) else owner
        who = f"{owner} expects" if owner else f"{name} must have"
        what = "an array" if owner is None or name == "X" else name       # name it: X_val, ...
        raise ValueError(f"{who} inputs of width {width}, got {what} of shape {arr.shape}")
    if arr.shape[0] == 0:
        raise ValueError(f"{name} is empty: it needs at least one sample (row)")
    check_finite(arr, name)
    return arr


def all_finite(arrays):
    """True when every array of the list holds only finite numbers (see is_finite)."""
    return all(is_finite(a) for a in arrays)


def is_finite(a):
    """True when array a holds only finite numbers. A finite Σ x² proves it (NaN and inf carry
    through it) in one BLAS call with no temporary array; only a Σ x² that is not finite (huge
    finite values can overflow it too) is settled element by element."""
    return math.isfinite(np.vdot(a, a)) or bool(np.isfinite(a).all())


def check_finite(arr, name):
    """Raise ValueError when arr holds NaN or inf (counted in the message)."""
    if not is_finite(arr):
        bad = int(arr.size - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s); "
                         "all inputs and targets must be finite numbers")


def positive_number(value, name):
    """A finite real number > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number > 0, got {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def number_in(value, name, low, high, *, high_open=True, low_open=False):
    """A finite real number in [low, high) (or the stated open/closed ends)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    lo_ok = value > low if low_open else value >= low
    hi_ok = value < high if high_open else value <= high
    if not (np.isfinite(value) and lo_ok and hi_ok):
        interval = ("(" if low_open else "[") + f"{low}, {high}" + (")" if high_open else "]")
        raise ValueError(f"{name} must be in {interval}, got {value!r}")
    return float(value)


def positive_int(value, name):
    """An integer >= 1 (bool is refused; 3.0 is refused too: say 3)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= 1, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def finite_number(value, name):
    """A finite real number (bool and strings refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def nonnegative_number(value, name):
    """A finite real number >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number >= 0, got {value!r}")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def loss_limit(max_loss, name="max_loss"):
    """A loss above which training counts as diverged: a number > 0 (inf: never)."""
    if isinstance(max_loss, bool) or not isinstance(max_loss, numbers.Real) or not max_loss > 0:
        raise ValueError(f"{name} must be a number > 0 (the loss above which training counts as "
                         f"diverged; inf to never stop), got {max_loss!r}")
    return float(max_loss)


def interval(value, name):
    """(lo, hi): two finite numbers with lo < hi."""
    arr = real_array(value, name)
    if arr.shape != (2,) or not np.all(np.isfinite(arr)) or not arr[0] < arr[1]:
        raise ValueError(f"{name} must be two finite numbers (lo, hi) with lo < hi, got {value!r}")
    return float(arr[0]), float(arr[1])


def flag(value, name):
    """True or False (a string such as "no" would count as True)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def seed_value(seed, name="seed"):
    """A seed for np.random.default_rng: an integer >= 0 (bool, floats and strings refused)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= 0, got {seed!r}")
    if seed < 0:
        raise ValueError(f"{name} must be an integer >= 0, got {seed!r}")
    return int(seed)


def lookup(name, table, kind):
    """Find `name` (case-insensitive) in a {name: factory} table, or list the known names."""
    if not isinstance(name, str):
        raise TypeError(f"{kind} must be a name (str) or an object, got {name!r}")
    key = name.lower().replace("-", "_").replace(" ", "_")
    if key not in table:
        known = ", ".join(sorted(table))
        raise ValueError(f"unknown {kind} {name!r}; known: {known}")
    return table[key]
