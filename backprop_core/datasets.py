"""Small data sets made in code, and the handwritten digits read from a file the package
ships (no downloads). Every random one takes a seed.

Return (X, t) with X: (n, n_in) and t: (n, n_out) (or integer labels (n,)).
"""
from pathlib import Path

import numpy as np

from .checks import finite_number, flag, interval, nonnegative_number, number_in, positive_int, real_array, seed_value


def linear(n=20, weight=-1.0, bias=5.0, noise=0.0, x_range=(-2.0, 2.0), seed=0):
    """t = weight·x + bias (+ Gaussian noise). With noise = 0 the MSE loss over
    (weight, bias) is exactly 0 at the true pair: seed 001's contour has its minimum
    at weight = -1, bias = 5."""
    n = positive_int(n, "n")
    weight, bias = finite_number(weight, "weight"), finite_number(bias, "bias")
    noise = nonnegative_number(noise, "noise")
    rng = np.random.default_rng(seed_value(seed))
    x = np.linspace(*interval(x_range, "x_range"), n).reshape(n, 1)
    t = weight * x + bias + noise * rng.normal(size=(n, 1))
    return x, t


def curve(n=12, seed=0, noise=0.03):
    """A small bump-shaped curve on [0, 1] (low, high, low), the kind of points seed 001
    fits with a 1-2-1 softplus network."""
    n = positive_int(n, "n")
    noise = nonnegative_number(noise, "noise")
    rng = np.random.default_rng(seed_value(seed))
    x = np.linspace(0.0, 1.0, n).reshape(n, 1)
    t = np.exp(-((x - 0.5) ** 2) / 0.03) + noise * rng.normal(size=(n, 1))
    return x, t


def xor():
    """The four XOR points: not linearly separable, the classic need for a hidden layer."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return X, np.array([[0.0], [1.0], [1.0], [0.0]])


def blobs(n=90, classes=3, spread=0.6, seed=0):
    """`classes` Gaussian clusters in 2-D; labels t: (n,) integers 0..classes-1."""
    n = positive_int(n, "n")
    classes = positive_int(classes, "classes")
    spread = nonnegative_number(spread, "spread")
    rng = np.random.default_rng(seed_value(seed))
    t = np.arange(n) % classes
    angles = 2 * np.pi * t / classes
    centres = np.stack([2 * np.cos(angles), 2 * np.sin(angles)], axis=1)
    return centres + spread * rng.normal(size=(n, 2)), t


def sine(n=40, noise=0.1, seed=0):
    """t = sin(2πx) + noise on [0, 1]: for under- and over-fitting with a held-out split."""
    n = positive_int(n, "n")
    noise = nonnegative_number(noise, "noise")
    rng = np.random.default_rng(seed_value(seed))
    x = np.sort(rng.uniform(0.0, 1.0, n)).reshape(n, 1)
    return x, np.sin(2 * np.pi * x) + noise * rng.normal(size=(n, 1))


def people():
    """The four-person toy data of the from-scratch 2-2-1 network whose code seed 000 quotes
    (Victor Zhou's 'Machine Learning for Beginners', 2019): X = (weight - 135 lb,
    height - 66 in) for Alice, Bob, Charlie, Diana; t = 1 for female, 0 for male.
    The names, row by row, are PEOPLE_NAMES."""
    X = np.array([[-2.0, -1.0], [25.0, 6.0], [17.0, 4.0], [-15.0, -6.0]])
    return X, np.array([[1.0], [0.0], [0.0], [1.0]])


PEOPLE_NAMES = ("Alice", "Bob", "Charlie", "Diana")


def split(X, t, test_fraction=0.25, seed=0):
    """Shuffle and split into (X_train, t_train, X_test, t_test); 0 < test_fraction < 1 is
    the share of the n samples held out (at least 1, at most n - 1). X: (n, ...), t: (n, ...)."""
    X, t = real_array(X, "X"), real_array(t, "t")
    if X.ndim == 0 or t.ndim == 0 or len(X) != len(t):
        raise ValueError(f"X and t must have one row per sample, the same number of rows: got X of shape "
                         f"{X.shape} and t of shape {t.shape}")
    test_fraction = number_in(test_fraction, "test_fraction", 0.0, 1.0, low_open=True)
    n = len(X)
    if n < 2:
        raise ValueError(f"split needs at least 2 samples (one to train on, one to test), got {n}")
    order = np.random.default_rng(seed_value(seed)).permutation(n)
    k = min(n - 1, max(1, int(round(n * test_fraction))))
    test, train = order[:k], order[k:]
    return X[train], t[train], X[test], t[test]


DIGITS_FILE = Path(__file__).resolve().parent / "data" / "digits.csv.gz"


def load_digits(scaled=True):
    """The 8x8 handwritten digits: 1,797 images of 10 classes (0-9), ~180 of each.

    Returns (X, y): X (1797, 64) float64, the 8x8 images row by row (pixel (r, c) is
    column 8·r + c), each pixel the count of ink in a 4x4 block, 0..16; scaled=True
    divides by 16, so X is in [0, 1]. y (1797,) int64 labels 0..9. Read from the file the
    package ships (data/digits.csv.gz, as scikit-learn distributes it; origin and licence
    in data/README.md): UCI "Optical Recognition of Handwritten Digits", E. Alpaydin and
    C. Kaynak (1998), CC BY 4.0. Nothing is downloaded."""
    scaled = flag(scaled, "scaled")
    table = np.loadtxt(DIGITS_FILE, delimiter=",", dtype=np.int64)
    X, y = table[:, :64].astype(np.float64), table[:, 64]
    return (X / 16.0 if scaled else X), y


def stratified_split(X, labels, test_fraction=0.2, seed=0):
    """Split a classification set keeping each class's share: of the n_c samples of class c,
    round(n_c · test_fraction) drawn at random (from `seed`) are held out (at least 1, and at
    least 1 kept). Returns (X_train, y_train, X_test, y_test), rows in their stored order,
    labels as int64. X: (n, ...), labels: (n,) whole numbers >= 0; 0 < test_fraction < 1."""
    X, y = real_array(X, "X"), real_array(labels, "labels")
    if y.ndim != 1 or X.ndim == 0 or len(X) != len(y):
        raise ValueError(f"labels must have shape (n,), one per row of X: got X of shape {X.shape} "
                         f"and labels of shape {y.shape}")
    if not np.all(np.isfinite(y)) or np.any(y != np.round(y)) or np.any(y < 0):
        raise ValueError("labels must be whole numbers >= 0 (class indices)")
    y = y.astype(np.int64)
    test_fraction = number_in(test_fraction, "test_fraction", 0.0, 1.0, low_open=True)
    rng = np.random.default_rng(seed_value(seed))
    test = np.zeros(len(y), dtype=bool)
    for c in np.unique(y):
        members = np.flatnonzero(y == c)
        if len(members) < 2:
            raise ValueError(f"class {c} has {len(members)} sample: each class needs at least 2 "
                             "(one to train on, one to test)")
        k = min(len(members) - 1, max(1, int(round(len(members) * test_fraction))))
        test[rng.permutation(members)[:k]] = True
    return X[~test], y[~test], X[test], y[test]
