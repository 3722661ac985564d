"""Checking a gradient by finite differences: the central difference and the relative error.

    g = central_difference(f, x, h=1e-5)        # x: (n,) -> g: (n,), g_i ≈ ∂f/∂x_i
    relative_error(g, my_gradient)              # |a - b| / max(|a|, |b|, tiny), elementwise max

central:   (f(x + h e_i) - f(x - h e_i)) / 2h  has error ≈ h² f'''/6 (truncation), and the
           rounding of f (about ε |f| / h, ε = 2.2e-16 in float64, 1.2e-7 in float32):
           too large an h and the curvature shows, too small and rounding does.
A kink (ReLU at 0) fools it: on both sides of the kink the difference averages two slopes.
`h_sweep` measures both effects for a rational function (only + − × /, so every machine
rounds it the same way); `suspects` are four hand-written gradients, one with a planted bug.
"""
import numpy as np

TINY = 1e-12


def central_difference(f, x, h=1e-5):
    """(f(x + h e_i) - f(x - h e_i)) / (2h) for each i. f: (n,) array -> a number;
    x: (n,) floats (not changed; float32 stays float32). Returns (n,)."""
    x = np.array(x, dtype=np.result_type(np.asarray(x).dtype, np.float32), ndmin=1)
    h = x.dtype.type(h)
    grad = np.zeros_like(x)
    for i in range(x.size):
        plus, minus = x.copy(), x.copy()
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus) - f(minus)) / (2 * h)
    return grad


def relative_error(a, b, tiny=TINY):
    """max over elements of |a - b| / max(|a|, |b|, tiny): 0 when equal, 1 when one is 0."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), tiny)))


def rational(x):
    """f(x) = x³ / (1 + x²), built from + − × / only; its exact derivative is `rational_grad`."""
    return x * x * x / (1 + x * x)


def rational_grad(x):
    """f'(x) = x² (3 + x²) / (1 + x²)²."""
    return x * x * (3 + x * x) / ((1 + x * x) * (1 + x * x))


def h_sweep(hs, x=0.7, dtype=np.float64):
    """Relative error of the central difference of `rational` at x, for each h in hs, in
    dtype (np.float64 or np.float32). Returns a list of floats (one per h)."""
    x = dtype(x)
    exact = rational_grad(np.float64(x))
    errors = []
    for h in hs:
        h = dtype(h)
        numeric = (rational(x + h) - rational(x - h)) / (dtype(2) * h)
        errors.append(relative_error(numeric, exact))
    return errors


def _softplus(z):
    return np.logaddexp(0.0, z)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _suspect_list():
    """(name, f(w), grad(w)) for four one-unit functions of w = (w1, w2, b) on the input
    x = (0.5, -1.5): unit(z), z = w1·x1 + w2·x2 + b. One gradient has a planted bug."""
    x = np.array([0.5, -1.5])

    def z(w):
        return w[0] * x[0] + w[1] * x[1] + w[2]

    def chain(dz):                                  # ∂z/∂w = (x1, x2, 1)
        return dz * np.array([x[0], x[1], 1.0])

    return [
        ("tanh", lambda w: np.tanh(z(w)),
         lambda w: chain(1.0 - np.tanh(z(w)) ** 2)),
        ("softplus", lambda w: _softplus(z(w)),
         lambda w: chain(_sigmoid(z(w)))),
        ("swish", lambda w: z(w) * _sigmoid(z(w)),
         lambda w: chain(_sigmoid(z(w)) * (1.0 + z(w) * _sigmoid(z(w))))),     # planted bug
        ("square", lambda w: z(w) ** 2,
         lambda w: chain(2.0 * z(w))),
    ]


def suspects():
    """{name: (f, grad)}: four units, f(w) -> a number and grad(w) -> (3,) for
    w = (w1, w2, b); one grad has a planted bug (find it with a gradient check)."""
    return {name: (f, grad) for name, f, grad in _suspect_list()}


def buggy_suspect(x=(0.3, -0.8, 0.2), h=1e-5, threshold=1e-6):
    """The name of the suspect whose gradient fails the check at x (the package's own
    central_difference and relative_error): the answer of the planted-bug exercise."""
    x = np.asarray(x, dtype=float)
    failing = [name for name, f, grad in _suspect_list()
               if relative_error(central_difference(f, x, h), grad(x)) > threshold]
    if len(failing) != 1:
        raise RuntimeError(f"expected one planted bug, the check finds {failing}")
    return failing[0]
