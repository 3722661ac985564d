"""Sequential: layers applied one after the other; backward runs them in reverse.

X: (batch, n_in of the first layer) -> y: (batch, n_out of the last layer).
"""
import numpy as np

from .checks import as_batch, check_finite, real_array, seed_value
from .dropout import Dropout
from .flat import FlatParameters
from .layers import Dense


class Sequential:
    """net = Sequential(Dense(3, 2), Dense(2, 1)); y = net.forward(X); net.backward(dL_dy).

    `layers` holds the Dense layers (one per level after the inputs); `modules` holds every
    layer in order, a Dropout included; `dropouts` maps a level (0 = inputs, l = the output
    of layer l) to the Dropout that follows it: Sequential(Dense(1, 8), Dropout(0.5),
    Dense(8, 1)) has dropouts {1: Dropout(0.5)}.

    Modes: a network is built in evaluation mode (`training` False): forward is the plain
    function of the weights, dropout is off. `net.train()` switches dropout on, `net.eval()`
    off; `fit` trains in training mode and puts the network back in the mode it had.
    A network without Dropout computes the same in both modes.

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
            if not isinstance(layer, (Dense, Dropout)):
                raise TypeError(f"Sequential takes Dense and Dropout layers; layer {i} is "
                                f"{type(layer).__name__}")
            for j in range(i):
                if layers[j] is layer:
                    raise ValueError(f"layer {i} is the same {type(layer).__name__} object as layer {j} "
                                     f"({layer.label}): "
                                     "each position needs its own layer (a layer keeps the x, z, a of "
                                     "its one place in the network); build a new one for each")
        self.modules = list(layers)             # in order, Dropout included
        self.layers = [m for m in layers if isinstance(m, Dense)]
        if not self.layers:
            raise ValueError("Sequential needs at least one Dense layer (a Dropout has no weights)")
        self._first_dense = self.modules.index(self.layers[0])   # modules before it act on X
        self.dropouts = {}                      # level (0 = inputs, l = output of layer l) -> Dropout
        level = 0
        for i, m in enumerate(layers):
            if isinstance(m, Dense):
                level += 1
            elif level == len(self.layers):
                raise ValueError(f"layer {i} {m.label} comes after the last Dense layer: dropout "
                                 "would drop the network's outputs; put it between Dense layers")
            elif level in self.dropouts:
                raise ValueError(f"layer {i} {m.label} follows another Dropout: one Dropout per level")
            else:
                self.dropouts[level] = m
        for i in range(1, len(self.layers)):
            if self.layers[i].n_in != self.layers[i - 1].n_out:
                raise ValueError(f"layer {i} {self.layers[i].label} expects width {self.layers[i].n_in}, "
                                 f"but layer {i - 1} outputs width {self.layers[i - 1].n_out}")
        seed = None if seed is None else seed_value(seed)
        self.seed = seed
        self.unit_names = unit_names if unit_names is not None else default_unit_names(self.sizes)
        if (not isinstance(self.unit_names, (list, tuple))
                or not all(isinstance(level, (list, tuple)) and all(isinstance(u, str) for u in level)
                           for level in self.unit_names)):
            raise TypeError(f"unit_names must be one list of names (str) per level, inputs first, e.g. "
                            f"{default_unit_names(self.sizes)}, got {unit_names!r}")
        if [len(n) for n in self.unit_names] != self.sizes:
            raise ValueError(f"unit_names must give {self.sizes} names per level, "
                             f"got {[len(n) for n in self.unit_names]}")
        for position, layer in enumerate(self.layers):
            layer.place(position, seed)
        for level, drop in self.dropouts.items():
            drop.place(level, self.sizes[level], seed)
        # θ and ∇θ as one vector each, the layers' arrays views of them (one dtype only)
        self._flat = FlatParameters(self.layers) if len({l.dtype for l in self.layers}) == 1 else None
        self.train(False)                       # built in evaluation mode (see the class docstring)

    @property
    def sizes(self):
        """Widths of every level, inputs first: e.g. [3, 2, 1]."""
        return [self.layers[0].n_in] + [layer.n_out for layer in self.layers]

    def forward(self, X, training=None):
        """y = f_L(... f_1(X W_1 + b_1) ... W_L + b_L). X: (batch, n_in) -> (batch, n_out).
        training: None (the network's mode), True or False (this pass only: dropout on/off)."""
        x = self.check_input(X)
        if training is None:
            return self.forward_checked(x)
        before = self.training
        self.train(training)
        try:
            return self.forward_checked(x)
        finally:
            self.train(before)

    @property
    def training(self):
        """True in training mode (dropout on), False in evaluation mode (the default)."""
        return self._training

    def train(self, mode=True):
        """Training mode (mode=True: every Dropout drops) or evaluation mode; returns the net."""
        if not isinstance(mode, (bool, np.bool_)):
            raise TypeError(f"train(mode): mode must be True or False, got {mode!r}")
        self._training = bool(mode)
        for drop in self.dropouts.values():
            drop.train(mode)
        return self

    def eval(self):
        """Evaluation mode: dropout off, forward is the plain function; returns the net."""
        return self.train(False)

    def check_input(self, X, name="X"):
        """X as the layer loop needs it: a finite 2-D array (batch, n_in) of the first layer's
        dtype (a 1-D X of length n_in is one sample). Raises ValueError/TypeError otherwise."""
        first = self.layers[0]
        return as_batch(X, name, first.n_in, first.dtype,
                        owner=lambda: f"this network (first layer {first.label})")

    def forward_checked(self, x):
        """forward for an x already returned by check_input (the training loop calls this
        once per step, so the checks run once, not once per step)."""
        for layer in self.modules:
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
        g = real_array(dL_dy, "dL_dy", last.dtype)
        if g is dL_dy:
            g = g.copy()                # a copy: layer.delta never aliases the caller's array
        if g.shape != last.z.shape:
            raise ValueError(f"backward expects dL/dy of shape {last.z.shape} (the output's shape), "
                             f"got {g.shape}")
        return self.backward_checked(g, input_grad)

    def backward_checked(self, g, input_grad=True):
        """backward for a dL/dy g already of the output's shape and dtype, which the layers
        may keep (the training loop passes the loss gradient it has just made)."""
        first = self._first_dense                          # modules before it act on the data X
        for i in reversed(range(len(self.modules))):
            g = self.modules[i].backward_checked(g, input_grad=input_grad or i > first)
            if g is None:
                return None
        return g

    def parameters(self, trainable_only=False):
        """Every parameter array, layer by layer: [W1, b1, W2, b2, ...]; trainable_only=True
        leaves out the frozen ones (Dense(..., freeze=("b",)))."""
        return [p for layer in self.layers for p in layer.parameters(trainable_only)]

    def gradients(self, trainable_only=False):
        """Gradients matching parameters(trainable_only)."""
        return [g for layer in self.layers for g in layer.gradients(trainable_only)]

    @property
    def trainable(self):
        """One bool per array of parameters(): False where the array is frozen."""
        return [on for layer in self.layers for on in layer.trainable]

    def flat_parameters(self):
        """The FlatParameters (θ, ∇θ and their per-layer views) of which the layers' W, b, dW,
        db are views, for an update in one pass over θ; None when the layers have different
        dtypes, a parameter is frozen or a layer's array was replaced (layer.W = ...)."""
        flat = self._flat
        return flat if flat is not None and flat.intact() else None

    def parameter_names(self):
        """Names matching parameters(), numbered by layer: ['W1', 'b1', 'W2', 'b2']."""
        return [f"{name}{i + 1}" for i, layer in enumerate(self.layers)
                for name in layer.parameter_names()]

    def get_flat(self, out=None):
        """All parameters as one vector (for trajectories and contour plots); out: a vector
        to write them into (e.g. a row of fit's trajectory), returned."""
        flat = self.flat_parameters()
        if flat is None:
            return np.concatenate([p.ravel() for p in self.parameters()], out=out)
        if out is None:
            return flat.theta.copy()
        np.copyto(out, flat.theta)
        return out

    def set_flat(self, theta):
        """Write a vector made by get_flat back into the parameters (in place)."""
        theta = real_array(theta, "theta")
        n = sum(p.size for p in self.parameters())
        if theta.shape != (n,):
            raise ValueError(f"set_flat expects a vector of {n} parameters, got shape {theta.shape}")
        check_finite(theta, "theta")
        flat = self.flat_parameters()
        if flat is not None:
            flat.theta[...] = theta
            return
        i = 0
        for p in self.parameters():
            p[...] = theta[i:i + p.size].reshape(p.shape)
            i += p.size

    def copy(self, dtype=None):
        """An independent copy (weights copied, no shared arrays); dtype: the copy's float
        type (default: each layer's own)."""
        layers = []
        for layer in self.modules:
            if isinstance(layer, Dropout):
                layers.append(layer.copy())
                continue
            new = Dense(layer.n_in, layer.n_out, layer.activation, weights=layer.W, bias=layer.b,
                        use_bias=layer.use_bias, dtype=layer.dtype if dtype is None else dtype,
                        freeze=layer.frozen)
            layers.append(new)
        net = Sequential(*layers, unit_names=[list(n) for n in self.unit_names])
        for level, drop in self.dropouts.items():         # placing reset the streams: copy them back
            net.dropouts[level].take_stream(drop)
        return net.train(self.training)

    def __repr__(self):
        inner = ",\n  ".join(repr(layer) for layer in self.modules)
        return f"Sequential(\n  {inner}\n)"


def as_network(net, name="net"):
    """`net` if it is a Sequential; a clear TypeError otherwise (a lone Dense, None, a list).
    Public so that every function taking a network (fit, gradcheck, trace, ...) can say so."""
    if isinstance(net, Sequential):
        return net
    if isinstance(net, (Dense, Dropout)):
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
