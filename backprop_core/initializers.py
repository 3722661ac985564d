"""Weight initialisers. Every one takes a seed: same seed, same weights.

W has shape (n_in, n_out).
"""
import numpy as np

from .checks import check_finite, lookup, real_array, seed_value


def uniform(n_in, n_out, rng):
    """Small random numbers in [-1, 1] (seed 004's 'standard' initialisation)."""
    return rng.uniform(-1.0, 1.0, size=(n_in, n_out))


def xavier(n_in, n_out, rng):
    """Xavier (Glorot) normal: N(0, σ²) with σ = sqrt(2 / (n_in + n_out)) (seed 004)."""
    return rng.normal(0.0, np.sqrt(2.0 / (n_in + n_out)), size=(n_in, n_out))


def he(n_in, n_out, rng):
    """He (Kaiming) normal for ReLU layers: σ = sqrt(2 / n_in)."""
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))


def zeros(n_in, n_out, rng):
    """All zeros: every unit of a layer then learns the same thing (a lesson, not a choice)."""
    return np.zeros((n_in, n_out))


INITIALIZERS = {"uniform": uniform, "xavier": xavier, "glorot": xavier, "he": he,
                "kaiming": he, "zeros": zeros}


def initialize(init, n_in, n_out, seed=0):
    """W: (n_in, n_out) from an initialiser name or a function f(n_in, n_out, rng), with
    rng = np.random.default_rng(seed); seed: an integer >= 0 or a np.random.SeedSequence."""
    fn = init if callable(init) else lookup(init, INITIALIZERS, "init")
    if not isinstance(seed, np.random.SeedSequence):
        seed = seed_value(seed)
    W = real_array(fn(n_in, n_out, np.random.default_rng(seed)), "init's weights")
    if W.shape != (n_in, n_out):
        raise ValueError(f"init must return weights of shape ({n_in}, {n_out}) (n_in, n_out), "
                         f"got {W.shape} from {getattr(fn, '__name__', fn)!r}")
    check_finite(W, "init's weights")
    return W
