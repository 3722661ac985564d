"""Sequential: layers applied one after the other; backward runs them in reverse.

X: (batch, n_in of the first layer) -> y: (batch, n_out of the last layer).
"""
import numpy as np

from ._checks import as_batch, check_finite, real_array, seed_value
from .layers import Dense


class Sequential:
    """net = Sequential(Dense(3, 2), Dense(2, 1)); y = net.forward(X); net.backward(dL_dy).

    unit_names (optional): one list of names per level, inputs first, e.g.
    [["1", "2", "3"], ["4", "5"], ["6"]] for seed 004's network; used by trace and pictures.
    seed (optional, integer >= 0): the network seed. Layers built without weights= and
    seed= draw their weights from (seed, their position, n_in, n_out), so each layer has
    its own numbers and the same seed gives the same network (see Dense; default seed 0).
    Layers given weights= or seed= keep them.
    """

    def __init__(self, *layers, unit_names=None, seed=None):
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        if not layers:
            raise ValueError("Sequential needs at least one layer")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Dense):
                raise TypeError(f"Sequential takes Dense layers; layer {i} is {type(layer).__name__}")
            for j in range(i):
                if layers[j] is layer:
                    raise ValueError(f"layer {i} is the same Dense object as layer {j} ({layer.label}): "
                                     "each position needs its own layer (a layer keeps the x, z, a of "
                                     "its one place in the network); build a new Dense for each")
        for i in range(1, len(layers)):
            if layers[i].n_in != layers[i - 1].n_out:
                raise ValueError(f"layer {i} {layers[i].label} expects width {layers[i].n_in}, "
                                 f"but layer {i - 1} outputs width {layers[i - 1].n_out}")
        seed = None if seed is None else seed_value(seed)
        self.layers = list(layers)
        self.unit_names = unit_names if unit_names is not None else default_unit_names(self.sizes)
        if (isinstance(self.unit_names, str)
                or not all(isinstance(level, (list, tuple)) and all(isinstance(u, str) for u in level)
                           for level in self.unit_names)):
            raise TypeError(f"unit_names must be one list of names (str) per level, inputs first, e.g. "
                            f"{default_unit_names(self.sizes)}, got {unit_names!r}")
        if [len(n) for n in self.unit_names] != self.sizes:
            raise ValueError(f"unit_names must give {self.sizes} names per level, "
                             f"got {[len(n) for n in self.unit_names]}")
        for position, layer in enumerate(self.layers):
            layer.place(position, seed)

    @property
    def sizes(self):
        """Widths of every level, inputs first: e.g. [3, 2, 1]."""
        return [self.layers[0].n_in] + [layer.n_out for layer in self.layers]

    def forward(self, X):
        """y = f_L(... f_1(X W_1 + b_1) ... W_L + b_L). X: (batch, n_in) -> (batch, n_out)."""
        return self.forward_checked(self.check_input(X))

    def check_input(self, X, name="X"):
        """X as the layer loop needs it: a finite 2-D array (batch, n_in) of the first layer's
        dtype (a 1-D X of length n_in is one sample). Raises ValueError/TypeError otherwise."""
        first = self.layers[0]
        return as_batch(X, name, first.n_in, first.dtype, owner=f"this network (first layer {first.label})")

    def forward_checked(self, x):
        """forward for an x already returned by check_input (the training loop calls this
        once per step, so the checks run once, not once per step)."""
        for layer in self.layers:
            x = layer.forward_checked(x)
        return x

    __call__ = forward

    def backward(self, dL_dy, input_grad=True):
        """Backpropagate dL/dy (batch, n_out) through every layer; returns dL/dX (batch, n_in).

        input_grad=False skips dL/dX (one matrix product fewer, as PyTorch does for inputs
        that need no gradient) and returns None; every layer's delta, dW, db are the same."""
        last = self.layers[-1]
        if last.z is None:
            raise RuntimeError("backward needs a forward pass first")
        g = np.array(real_array(dL_dy, "dL_dy", last.dtype))   # a copy: layer.delta never aliases it
        if g.shape != last.z.shape:
            raise ValueError(f"backward expects dL/dy of shape {last.z.shape} (the output's shape), "
                             f"got {g.shape}")
        for i in reversed(range(len(self.layers))):
            g = self.layers[i].backward_checked(g, input_grad=input_grad or i > 0)
        return g

    def parameters(self):
        """Every trainable array, layer by layer: [W1, b1, W2, b2, ...]."""
        return [p for layer in self.layers for p in layer.parameters()]

    def gradients(self):
        """Gradients matching parameters()."""
        return [g for layer in self.layers for g in layer.gradients()]

    def get_flat(self):
        """All parameters as one vector (for trajectories and contour plots)."""
        return np.concatenate([p.ravel() for p in self.parameters()])

    def set_flat(self, theta):
        """Write a vector made by get_flat back into the parameters (in place)."""
        theta = real_array(theta, "theta")
        n = sum(p.size for p in self.parameters())
        if theta.shape != (n,):
            raise ValueError(f"set_flat expects a vector of {n} parameters, got shape {theta.shape}")
        check_finite(theta, "theta")
        i = 0
        for p in self.parameters():
            p[...] = theta[i:i + p.size].reshape(p.shape)
            i += p.size

    def copy(self, dtype=None):
        """An independent copy (weights copied, no shared arrays); dtype: the copy's float
        type (default: each layer's own)."""
        layers = []
        for layer in self.layers:
            new = Dense(layer.n_in, layer.n_out, layer.activation, weights=layer.W, bias=layer.b,
                        use_bias=layer.use_bias, dtype=layer.dtype if dtype is None else dtype)
            layers.append(new)
        return Sequential(*layers, unit_names=[list(n) for n in self.unit_names])

    def __repr__(self):
        inner = ",\n  ".join(repr(layer) for layer in self.layers)
        return f"Sequential(\n  {inner}\n)"


def as_network(net, name="net"):
    """`net` if it is a Sequential; a clear TypeError otherwise (a lone Dense, None, a list).
    Public so that every function taking a network (fit, gradcheck, trace, ...) can say so."""
    if isinstance(net, Sequential):
        return net
    if isinstance(net, Dense):
        raise TypeError(f"{name} must be a network (bp.Sequential), got the layer {net.label}: "
                        f"wrap it as bp.Sequential({net.label}, ...)")
    raise TypeError(f"{name} must be a network (bp.Sequential), got {type(net).__name__}")


def default_unit_names(sizes):
    """x1..xn for inputs, h1..hn for a single hidden level (h{l}_{j} for several), y1..yn out."""
    names = [[f"x{j + 1}" for j in range(sizes[0])]]
    hidden = sizes[1:-1]
    for level, n in enumerate(hidden, start=1):
        prefix = "h" if len(hidden) == 1 else f"h{level}_"
        names.append([f"{prefix}{j + 1}" for j in range(n)])
    names.append([f"y{j + 1}" for j in range(sizes[-1])])
    return names
