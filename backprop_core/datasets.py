"""Small data sets made in code (no downloads). Every random one takes a seed.

Return (X, t) with X: (n, n_in) and t: (n, n_out) (or integer labels (n,)).
"""
import numpy as np

from ._checks import finite_number, interval, nonnegative_number, number_in, positive_int, real_array, seed_value


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
