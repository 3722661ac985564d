"""The dense (fully connected) layer: forward z = x W + b, a = f(z), and its backward pass.

Rows are samples. x: (batch, n_in), W: (n_in, n_out), b: (n_out,), z and a: (batch, n_out).
"""
from collections.abc import Mapping, MutableSet

import numpy as np

from .activations import Softmax, get_activation
from .checks import as_batch, check_finite, positive_int, real_array, seed_value
from .initializers import initialize

DEFAULT_SEED = 0          # the network seed of layers built without seed= (see Dense)

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

    Dense(n_in, n_out, activation="sigmoid", weights=None, bias=None, init="xavier", seed=None)
    weights: explicit (n_in, n_out) array, else drawn by `init` from a seed (below).
    bias: explicit (n_out,) array, else zeros; use_bias=False keeps b at 0, untrained.
    freeze: names of parameters that training leaves untouched, e.g. freeze=("b",) (Mazur's
    example keeps its biases fixed); "w" is read as "W". A dict ({"W": False}) is refused:
    give the names to freeze. `layer.frozen` is that set (a FrozenNames, checked like
    freeze=) and may be changed later (layer.frozen = {"W"}; layer.frozen.add("w");
    layer.frozen.discard("b")); a name that is not a parameter raises ValueError at once.
    Gradients of frozen parameters are still computed (backward does not change); every
    optimiser skips them (see `trainable`).
    The layer keeps its own copies: later changes to the arrays passed as `weights` and
    `bias` do not reach the layer, nor the layer's updates the caller's arrays.

    Seeds (same seed, same numbers): seed=k (an integer >= 0) draws with
    np.random.default_rng(k), as always. seed=None (the default) draws from the layer's
    own stream, np.random.SeedSequence([DEFAULT_SEED, position, n_in, n_out]) with
    position 0; a Sequential redraws such a layer from [network seed, its position, n_in,
    n_out] (network seed default DEFAULT_SEED = 0), so no two layers of a network share
    their numbers, and Dense(3, 2) and Dense(2, 3) differ too.

    In a Sequential, W, b, dW and db are views of the network's two vectors θ and ∇θ
    (flat.py: one optimiser pass updates them all); they are still this layer's arrays.

    After forward: x, z, a. After backward: delta (= dL/dz), dW, db. backward copies the
    dL/da it is given, so `delta` (which is dL/da itself for an identity layer) and
    `dL_da` never share memory with the caller's array.
    """

    def __init__(self, n_in, n_out, activation="sigmoid", weights=None, bias=None,
                 init="xavier", seed=None, use_bias=True, dtype=np.float64, freeze=()):
        self.n_in = positive_int(n_in, "n_in")
        self.n_out = positive_int(n_out, "n_out")
        self.activation = get_activation(activation)
        if isinstance(self.activation, Softmax) and self.n_out < 2:
            raise ValueError(f"a softmax layer needs n_out >= 2: the softmax of one unit is always 1 "
                             f"(got Dense({n_in}, {n_out}, 'softmax')); use 'sigmoid' for one output")
        self.dtype = float_dtype(dtype)
        self.use_bias = bool(use_bias)
        self.init = init
        self.seed = None if seed is None else seed_value(seed)
        # drawn from its own stream, not placed yet: a Sequential may redraw it (see place)
        self._auto_weights = weights is None and seed is None
        if weights is None:
            W = initialize(init, self.n_in, self.n_out, self._stream(DEFAULT_SEED, 0) if seed is None else seed)
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
        self.frozen = freeze
        self.x = self.z = self.a = self.delta = self.dL_da = None

    def _stream(self, network_seed, position):
        return np.random.SeedSequence([network_seed, position, self.n_in, self.n_out])

    def place(self, position, network_seed=None):
        """Called by Sequential for the layer at `position` (0 = first): a layer built
        without weights= and seed=, whose weights are untouched since, redraws them from
        SeedSequence([network_seed (default DEFAULT_SEED), position, n_in, n_out]). Once only."""
        if not self._auto_weights:
            return
        self._auto_weights = False
        net_seed = DEFAULT_SEED if network_seed is None else network_seed
        if (net_seed, position) == (DEFAULT_SEED, 0):
            return                                        # drawn from that stream already
        drawn = initialize(self.init, self.n_in, self.n_out, self._stream(DEFAULT_SEED, 0)).astype(self.dtype)
        if np.array_equal(self.W, drawn):                 # never changed by the caller: redraw
            self.W[...] = initialize(self.init, self.n_in, self.n_out, self._stream(net_seed, position))

    def forward(self, X):
        """a = f(x W + b). X: (batch, n_in) -> (batch, n_out)."""
        x = as_batch(X, "X", self.n_in, self.dtype, owner=lambda: self.label)
        return self.forward_checked(x)

    def forward_checked(self, x):
        """forward for an x already checked (Sequential.check_input): the layer loop's step."""
        if x.dtype != self.dtype:                         # after a layer of another dtype
            x = x.astype(self.dtype)
        self.x = x
        self.z = x @ self.W
        if self.use_bias:                                 # (use_bias=False: b is 0)
            self.z += self.b                              # z_q = Σ_p o_p w_pq + b_q
        self.a = self.activation.value(self.z)            # o_q = f(z_q)
        return self.a

    def backward(self, dL_da):
        """Given dL/da (batch, n_out), fill delta, dW, db and return dL/dx (batch, n_in)."""
        if self.z is None:
            raise RuntimeError(f"{self.label}.backward needs a forward pass first")
        dL_da = np.array(real_array(dL_da, "dL_da", self.dtype))     # a copy: see the class docstring
        if dL_da.shape != self.z.shape:
            raise ValueError(f"{self.label}.backward expects dL/da of shape {self.z.shape}, "
                             f"got {dL_da.shape}")
        return self.backward_checked(dL_da)

    def backward_checked(self, dL_da, input_grad=True):
        """backward for a dL/da already checked (Sequential.backward's layer loop).
        input_grad=False: the caller needs no dL/dx (x is data): skip that product, return None."""
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

    @property
    def frozen(self):
        """The set of frozen parameter names ("W", "b"): training leaves them untouched."""
        return self._frozen

    @frozen.setter
    def frozen(self, names):
        self._frozen = FrozenNames(self, names)

    def parameter_names(self):
        """["W", "b"] (or ["W"] without bias), matching parameters()."""
        return ["W", "b"] if self.use_bias else ["W"]

    @property
    def trainable(self):
        """One bool per parameter (matching parameters()): False for a frozen one."""
        frozen = self._frozen.names                   # checked when added: a plain set here
        if not frozen:                                # the common case, once per training step
            return [True, True] if self.use_bias else [True]
        return [name not in frozen for name in self.parameter_names()]

    def parameters(self, trainable_only=False):
        """The parameter arrays, in a fixed order: [W, b] (or [W] without bias);
        trainable_only=True leaves the frozen ones out."""
        params = [self.W, self.b] if self.use_bias else [self.W]
        return [p for p, on in zip(params, self.trainable) if on] if trainable_only else params

    def gradients(self, trainable_only=False):
        """dL/d(parameter), matching parameters(trainable_only)."""
        grads = [self.dW, self.db] if self.use_bias else [self.dW]
        return [g for g, on in zip(grads, self.trainable) if on] if trainable_only else grads

    @property
    def label(self):
        """A short name for messages and pictures: 'Dense(3, 2)'."""
        return f"Dense({self.n_in}, {self.n_out})"

    def __repr__(self):
        bias = "" if self.use_bias else ", use_bias=False"
        frozen = f", freeze={tuple(sorted(self._frozen))}" if self._frozen else ""
        return f"Dense({self.n_in}, {self.n_out}, activation={self.activation.name!r}{bias}{frozen})"


class FrozenNames(MutableSet):
    """layer.frozen: the set of a Dense layer's frozen parameter names, checked on every
    change. add("w") freezes W (as freeze=("w",) does); a name that is not a parameter of
    the layer ("x", or "b" with use_bias=False) raises ValueError at once. Compares equal to
    a plain set: layer.frozen == {"b"}."""

    def __init__(self, layer, names=()):
        self.layer = layer
        self.names = set()              # the canonical names ("W", "b"), each checked
        if isinstance(names, Mapping):
            raise TypeError(f"freeze must be a collection of parameter names such as ('b',) or "
                            f"('W', 'b'), got a dict {dict(names)!r}: give the names to freeze, "
                            "e.g. freeze=('W',) (a dict's True/False values would be ambiguous)")
        if isinstance(names, str):
            names = (names,)
        try:
            names = list(names)
        except TypeError:
            raise TypeError(f"freeze must be a collection of parameter names such as ('b',) or "
                            f"('W', 'b'), got {names!r}") from None
        for name in names:
            self.add(name)

    def key(self, name):
        """The parameter name `name` stands for ("w" -> "W"), checked against the layer."""
        key = {"w": "W"}.get(name, name) if isinstance(name, str) else name
        if key not in self.layer.parameter_names():
            why = " (this layer has use_bias=False)" if key == "b" else ""
            raise ValueError(f"freeze: {name!r} is not a parameter of {self.layer.label}{why}; "
                             f"its parameters are {self.layer.parameter_names()}")
        return key

    def add(self, name):
        self.names.add(self.key(name))

    def discard(self, name):
        self.names.discard({"w": "W"}.get(name, name) if isinstance(name, str) else name)

    def __contains__(self, name):
        return ({"w": "W"}.get(name, name) if isinstance(name, str) else name) in self.names

    def __iter__(self):
        return iter(sorted(self.names))

    def __len__(self):
        return len(self.names)

    def __repr__(self):
        return repr(set(self.names)) if self.names else "set()"
