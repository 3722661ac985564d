"""Activation functions f and their derivatives f', vectorised and numerically stable.

Each activation maps z -> a = f(z) element-wise (softmax row-wise) and turns the
gradient dL/da into dL/dz in `backward`. For element-wise functions that is
dL/dz = dL/da * f'(z); softmax needs its full Jacobian-vector product.
Shapes: z, a, dL_da: (batch, n).
"""
import numpy as np

from .checks import lookup, number_in, positive_number


class Activation:
    """Base class: subclasses give `value(z)` and `deriv(z, a)` (f'(z), element-wise)."""

    name = "activation"

    def __call__(self, z):
        return self.value(np.asarray(z, dtype=float))

    def value(self, z):
        raise NotImplementedError

    def deriv(self, z, a=None):
        """f'(z). `a = f(z)` may be passed to save recomputing it."""
        raise NotImplementedError

    def backward(self, z, a, dL_da):
        """dL/dz = dL/da * f'(z)  (chain rule through an element-wise f)."""
        return dL_da * self.deriv(z, a)

    def __repr__(self):
        return f"{type(self).__name__}()"


class Identity(Activation):
    """f(z) = z, f'(z) = 1."""
    name = "identity"

    def value(self, z):
        return z

    def deriv(self, z, a=None):
        return np.ones_like(z)

    def backward(self, z, a, dL_da):
        return dL_da


def _sigmoid(z):
    # 1 / (1 + e^-z). For z < -709 (float32: -88) e^-z overflows to inf and 1 / (1 + inf)
    # is the exact limit 0, so that overflow is harmless and not reported: no NaN at z = -1e4.
    with np.errstate(over="ignore"):
        e = np.exp(-z)
    return 1.0 / (1.0 + e)


class Sigmoid(Activation):
    """f(z) = 1 / (1 + e^-z), f'(z) = f(z)(1 - f(z)), at most 0.25 (at z = 0)."""
    name = "sigmoid"

    def value(self, z):
        return _sigmoid(z)

    def deriv(self, z, a=None):
        a = _sigmoid(z) if a is None else a
        return a * (1.0 - a)

    def backward(self, z, a, dL_da):
        """dL/dz = dL/da · a (1 - a), computed in one buffer (no temporaries)."""
        a = _sigmoid(z) if a is None else a
        delta = 1.0 - a
        delta *= a
        delta *= dL_da
        return delta


class Tanh(Activation):
    """f(z) = tanh(z), f'(z) = 1 - f(z)^2."""
    name = "tanh"

    def value(self, z):
        return np.tanh(z)

    def deriv(self, z, a=None):
        a = np.tanh(z) if a is None else a
        return 1.0 - a * a

    def backward(self, z, a, dL_da):
        """dL/dz = dL/da · (1 - a²), computed in one buffer (no temporaries)."""
        a = np.tanh(z) if a is None else a
        delta = a * a
        np.subtract(1.0, delta, out=delta)
        delta *= dL_da
        return delta


class ReLU(Activation):
    """f(z) = max(0, z), f'(z) = 1 if z > 0 else 0 (0 at z = 0, as PyTorch)."""
    name = "relu"

    def value(self, z):
        return np.maximum(z, 0.0)

    def deriv(self, z, a=None):
        return (z > 0).astype(z.dtype)


class LeakyReLU(Activation):
    """f(z) = z if z > 0 else slope*z, f'(z) = 1 or slope (default slope 0.01)."""
    name = "leaky_relu"

    def __init__(self, slope=0.01):
        self.slope = number_in(slope, "slope", 0.0, 1.0)     # 0 <= slope < 1 (0: plain ReLU)

    def value(self, z):
        return np.where(z > 0, z, self.slope * z)

    def deriv(self, z, a=None):
        return np.where(z > 0, 1.0, self.slope).astype(z.dtype)

    def __repr__(self):
        return f"LeakyReLU(slope={self.slope})"


class ELU(Activation):
    """f(z) = z if z > 0 else alpha*(e^z - 1), f'(z) = 1 or f(z) + alpha (default alpha 1)."""
    name = "elu"

    def __init__(self, alpha=1.0):
        self.alpha = positive_number(alpha, "alpha")

    def value(self, z):
        return np.where(z > 0, z, self.alpha * np.expm1(np.minimum(z, 0.0)))

    def deriv(self, z, a=None):
        return np.where(z > 0, 1.0, self.alpha * np.exp(np.minimum(z, 0.0)))

    def __repr__(self):
        return f"ELU(alpha={self.alpha})"


class Softplus(Activation):
    """f(z) = log(1 + e^z) (seed 001), f'(z) = sigmoid(z)."""
    name = "softplus"

    def value(self, z):
        return np.logaddexp(0.0, z)

    def deriv(self, z, a=None):
        return _sigmoid(z)


class Swish(Activation):
    """f(z) = z * sigmoid(z), f'(z) = s + z s (1 - s) with s = sigmoid(z)."""
    name = "swish"

    def value(self, z):
        return z * _sigmoid(z)

    def deriv(self, z, a=None):
        s = _sigmoid(z)
        return s + z * s * (1.0 - s)


def softmax_parts(z, axis=-1):
    """(m, e, s) along `axis`, kept as size-1 axes: m = max z, e = e^{z - m} (no overflow),
    s = Σ e. softmax = e / s and logsumexp = m + log s: CrossEntropy takes its loss and its
    gradient from one set of exponentials."""
    m = np.maximum.reduce(z, axis=axis, keepdims=True)
    e = z - m
    np.exp(e, out=e)                    # in place: e^{z - m}
    return m, e, np.add.reduce(e, axis=axis, keepdims=True)


def softmax(z, axis=-1):
    """a_j = e^{z_j} / Σ_k e^{z_k} along `axis`, computed as e^{z_j - max z} (no overflow).
    The one softmax of the package: Softmax and CrossEntropy both use it."""
    _, e, s = softmax_parts(z, axis)
    e /= s
    return e


class Softmax(Activation):
    """a_j = e^{z_j} / sum_k e^{z_k} per row. Not element-wise: its Jacobian is
    da_j/dz_k = a_j (1[j=k] - a_k), so backward is the Jacobian-vector product
    dL/dz = a * (dL/da - sum_k dL/da_k a_k)."""
    name = "softmax"

    def value(self, z):
        return softmax(z)

    def deriv(self, z, a=None):
        raise TypeError("softmax has no element-wise derivative: each output depends on every "
                        "input. Use Softmax.jacobian(z) or Softmax.backward(z, a, dL_da)")

    def jacobian(self, z):
        """(batch, n, n) array: J[b, j, k] = a_j (1[j=k] - a_k)."""
        a = self.value(np.asarray(z, dtype=float))
        return a[:, :, None] * (np.eye(a.shape[-1]) - a[:, None, :])

    def backward(self, z, a, dL_da):
        a = self.value(z) if a is None else a
        return a * (dL_da - np.sum(dL_da * a, axis=-1, keepdims=True))


ACTIVATIONS = {
    "identity": Identity, "linear": Identity, "sigmoid": Sigmoid, "tanh": Tanh,
    "relu": ReLU, "leaky_relu": LeakyReLU, "elu": ELU, "softplus": Softplus,
    "swish": Swish, "softmax": Softmax,
}


def get_activation(activation):
    """An Activation from a name ('sigmoid', 'relu', ...) or an Activation object."""
    if isinstance(activation, Activation):
        return activation
    if isinstance(activation, type) and issubclass(activation, Activation):
        return activation()
    if activation is None:
        return Identity()
    return lookup(activation, ACTIVATIONS, "activation")()


NAMES = ("identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "swish", "softmax")


def curve(name, z):
    """(f(z), f'(z)) for an activation name, both shape (n,) for z: (n,): what a picture of
    the activation and its derivative draws.

    Softmax is not element-wise: it is taken over the two logits (z, 0), i.e. its first
    output a_1 = e^z / (e^z + e^0) and the Jacobian's diagonal entry da_1/dz_1 = a_1 (1 - a_1)."""
    act = get_activation(name)
    z = np.asarray(z, dtype=float).reshape(-1)
    if isinstance(act, Softmax):
        logits = np.stack([z, np.zeros_like(z)], axis=1)          # (n, 2)
        return act.value(logits)[:, 0], act.jacobian(logits)[:, 0, 0]
    return act.value(z), act.deriv(z)
