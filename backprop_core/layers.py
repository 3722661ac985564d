"""The dense (fully connected) layer: forward z = x W + b, a = f(z), and its backward pass.

Rows are samples. x: (batch, n_in), W: (n_in, n_out), b: (n_out,), z and a: (batch, n_out).
"""
import numpy as np

from ._checks import as_batch, check_finite, positive_int, real_array, seed_value
from .activations import Softmax, get_activation
from .initializers import initialize

FLOAT_DTYPES = (np.dtype(np.float64), np.dtype(np.float32))


def float_dtype(dtype):
    """np.float64 or np.float32 (or their names); anything else is refused."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be a float type, np.float64 or np.float32, got {dtype!r}") from None
    if dt not in FLOAT_DTYPES:
        raise ValueError(f"dtype must be np.float64 or np.float32, got {dt} (an integer layer would have "
                         "all-zero weights and truncate its inputs)")
    return dt


class Dense:
    """A fully connected layer with an activation.

    Dense(n_in, n_out, activation="sigmoid", weights=None, bias=None, init="xavier", seed=0)
    weights: explicit (n_in, n_out) array, else drawn by `init` with `seed`.
    bias: explicit (n_out,) array, else zeros; use_bias=False keeps b at 0, untrained.
    After forward: x, z, a. After backward: delta (= dL/dz), dW, db.
    """

    def __init__(self, n_in, n_out, activation="sigmoid", weights=None, bias=None,
                 init="xavier", seed=0, use_bias=True, dtype=np.float64):
        self.n_in = positive_int(n_in, "n_in")
        self.n_out = positive_int(n_out, "n_out")
        self.activation = get_activation(activation)
        if isinstance(self.activation, Softmax) and self.n_out < 2:
            raise ValueError(f"a softmax layer needs n_out >= 2: the softmax of one unit is always 1 "
                             f"(got Dense({n_in}, {n_out}, 'softmax')); use 'sigmoid' for one output")
        self.dtype = float_dtype(dtype)
        self.use_bias = bool(use_bias)
        seed = seed_value(seed)
        if weights is None:
            W = initialize(init, self.n_in, self.n_out, seed)
        else:
            W = np.array(real_array(weights, "weights"), dtype=float)
            if W.shape != (self.n_in, self.n_out):
                raise ValueError(f"weights for Dense({n_in}, {n_out}) must have shape "
                                 f"({n_in}, {n_out}) (n_in, n_out), got {W.shape}")
            check_finite(W, "weights")
        self.W = W.astype(self.dtype)
        if bias is None:
            b = np.zeros(self.n_out)
        else:
            b = real_array(bias, "bias")
            b = np.array(b, dtype=float).reshape(-1) if b.ndim else np.full(self.n_out, float(b))
            if b.shape != (self.n_out,):
                raise ValueError(f"bias for Dense({n_in}, {n_out}) must have shape ({n_out},), "
                                 f"got {np.shape(bias)}")
            check_finite(b, "bias")
            if not self.use_bias and np.any(b != 0):
                raise ValueError("bias must be zero (or None) when use_bias=False")
        self.b = b.astype(self.dtype)
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)
        self.x = self.z = self.a = self.delta = self.dL_da = None

    def forward(self, X):
        """a = f(x W + b). X: (batch, n_in) -> (batch, n_out)."""
        x = as_batch(X, "X", self.n_in, self.dtype, owner=self.label)
        return self._forward(x)

    def _forward(self, x):
        if x.dtype != self.dtype:                         # after a layer of another dtype
            x = x.astype(self.dtype)
        self.x = x
        self.z = x @ self.W
        self.z += self.b                                  # z_q = Σ_p o_p w_pq + b_q
        self.a = self.activation.value(self.z)            # o_q = f(z_q)
        return self.a

    def backward(self, dL_da):
        """Given dL/da (batch, n_out), fill delta, dW, db and return dL/dx (batch, n_in)."""
        if self.z is None:
            raise RuntimeError(f"{self.label}.backward needs a forward pass first")
        dL_da = np.asarray(dL_da, dtype=self.dtype)
        if dL_da.shape != self.z.shape:
            raise ValueError(f"{self.label}.backward expects dL/da of shape {self.z.shape}, "
                             f"got {dL_da.shape}")
        return self._backward(dL_da)

    def _backward(self, dL_da, input_grad=True):
        # input_grad=False: the caller needs no dL/dx (x is data): skip that product, return None
        if dL_da.dtype != self.dtype:                     # from a layer of another dtype
            dL_da = dL_da.astype(self.dtype)
        self.dL_da = dL_da
        self.delta = self.activation.backward(self.z, self.a, dL_da)  # δ = dL/dz = dL/da · f'(z)
        # np.dot rather than matmul: same result, several times faster for a batch of one
        np.dot(self.x.T, self.delta, out=self.dW)                     # dL/dw_pq = Σ_batch o_p δ_q
        if self.use_bias:
            self.delta.sum(axis=0, out=self.db)                       # dL/db_q = Σ_batch δ_q
        if not input_grad:
            return None
        return self.delta @ self.W.T                                  # dL/do_p = Σ_q w_pq δ_q

    def parameters(self):
        """The trainable arrays, in a fixed order: [W, b] (or [W] without bias)."""
        return [self.W, self.b] if self.use_bias else [self.W]

    def gradients(self):
        """dL/d(parameter), matching parameters()."""
        return [self.dW, self.db] if self.use_bias else [self.dW]

    @property
    def label(self):
        """A short name for messages and pictures: 'Dense(3, 2)'."""
        return f"Dense({self.n_in}, {self.n_out})"

    def __repr__(self):
        bias = "" if self.use_bias else ", use_bias=False"
        return f"Dense({self.n_in}, {self.n_out}, activation={self.activation.name!r}{bias})"
