"""Dropout (seed 004: "Dropout以避免过拟合"): while training, each unit's output is kept with
probability 1 - p and set to 0 with probability p; the kept ones are divided by 1 - p
("inverted" dropout), so the expected output is unchanged and nothing is rescaled at test time.

    net = bp.Sequential(bp.Dense(1, 64, "tanh"), bp.Dropout(0.5), bp.Dense(64, 1, "identity"))
    bp.fit(net, X, t, ...)        # fit trains: dropout active
    net.forward(X)                # outside fit the network evaluates: dropout is the identity

x: (batch, width) -> a = x · m, with the mask m: (batch, width), m = keep / (1 - p),
keep ~ Bernoulli(1 - p) drawn anew at each training forward pass. Backward: dL/dx = dL/da · m
(the same m as the forward pass: a dropped unit passes no gradient back).
"""
import copy
import numbers

import numpy as np

from .checks import as_batch, flag, real_array, seed_value

DEFAULT_SEED = 0


class Dropout:
    """Dropout(p, seed=None): inverted dropout of the level it follows in a Sequential.

    p: the probability of dropping a unit, 0 <= p < 1 (p = 0 is the identity; p = 1 would
    drop every unit and is refused). seed: an integer >= 0; None draws the masks from
    [network seed, level] (set by Sequential), so two Dropouts of one network differ.

    Modes: `training` is False when built (evaluation: a = x, no mask). Sequential.train() /
    .eval() switch every Dropout of a network; fit trains and restores the mode afterwards.
    Same seed, same calls: the same masks (`reset()` starts the stream again).
    After forward: x, a, mask ((batch, width) of 0 and 1/(1-p), or None when nothing was
    dropped) and keep (the boolean mask). `fix()` keeps the current mask for the following
    training passes (or `fix(keep)` sets one): with a fixed mask the network is an ordinary
    function of its weights, so finite differences (bp.gradcheck) can check it; `unfix()`
    draws again.
    """

    def __init__(self, p, seed=None):
        if isinstance(p, bool) or not isinstance(p, numbers.Real):
            raise TypeError(f"Dropout(p): p must be a number in [0, 1), the probability of dropping "
                            f"a unit, got {p!r}")
        if not (np.isfinite(p) and 0 <= p < 1):
            raise ValueError(f"Dropout(p): p must be in [0, 1), the probability of dropping a unit, "
                             f"got {p!r}" + (" (p = 1 would drop every unit)" if p == 1 else ""))
        self.p = float(p)
        self.seed = None if seed is None else seed_value(seed)
        self.width = None                 # set by Sequential: the width of the level it follows
        self.level = None                 # set by Sequential: 0 = inputs, l = output of layer l
        self._entropy = [DEFAULT_SEED if self.seed is None else self.seed]
        self.training = False
        self.fixed = False
        self.x = self.a = self.mask = self.keep = None
        self.reset()

    def place(self, level, width, network_seed=None):
        """Called by Sequential: the Dropout follows `level` (0 = inputs) of `width` units;
        without its own seed it draws from [network seed (default 0), level]."""
        self.level, self.width = int(level), int(width)
        if self.seed is None:
            self._entropy = [DEFAULT_SEED if network_seed is None else network_seed, self.level]
        self.reset()

    def reset(self, *stream):
        """Start the mask stream again: masks from SeedSequence(seed (or [network seed,
        level]) + stream). fit calls reset(fit's seed), so a run is the same whatever ran before."""
        self.rng = np.random.default_rng(np.random.SeedSequence(self._entropy + [int(s) for s in stream]))

    def train(self, mode=True):
        """Switch dropout on (mode=True) or off (mode=False); returns self."""
        self.training = flag(mode, "train(mode): mode")
        return self

    def eval(self):
        """Switch dropout off (evaluation); returns self."""
        return self.train(False)

    def fix(self, keep=None):
        """Keep one mask for the following training passes: the last one drawn (keep=None) or
        `keep`, booleans (batch, width) or (width,) (True = kept). Returns self."""
        if keep is not None:
            arr = np.asarray(keep)
            if arr.dtype != bool:
                arr = real_array(keep, "keep")
                if not np.all((arr == 0) | (arr == 1)):
                    raise ValueError("fix(keep): keep must hold True/False (or 1/0), one per unit")
                arr = arr.astype(bool)
            if self.width is not None and arr.shape[-1:] != (self.width,):
                raise ValueError(f"fix(keep): keep must have width {self.width} (the units of its "
                                 f"level), got shape {arr.shape}")
            self.keep = np.atleast_2d(arr)
            self.mask = None                      # made for the batch at the next forward pass
        elif self.keep is None:
            raise ValueError("fix() keeps the last mask, but no mask was drawn yet: run a training "
                             "forward pass first (net.train(); net.forward(X)) or give fix(keep)")
        self.fixed = True
        return self

    def unfix(self):
        """Draw a fresh mask at every training pass again; returns self."""
        self.fixed = False
        return self

    def forward(self, X):
        """a = x · m while training, a = x otherwise. X: (batch, width) -> (batch, width)."""
        x = as_batch(X, "X", self.width, owner=lambda: self.label)
        return self.forward_checked(x)

    def forward_checked(self, x):
        """forward for an x already checked (the network's layer loop)."""
        self.x = x
        if not self.training or self.p == 0:
            self.mask = None                      # evaluation, or p = 0: the identity
            self.a = x
            return x
        if not self.fixed:
            self.keep = self.rng.random(x.shape) >= self.p          # keep with probability 1 - p
        elif self.keep.shape != x.shape and self.keep.shape[0] != 1:
            raise ValueError(f"{self.label}: the fixed mask has shape {self.keep.shape}, the batch "
                             f"{x.shape}: fix a mask of one row (width,) to use it for any batch")
        self.mask = np.broadcast_to(self.keep, x.shape) / (1.0 - self.p)   # m = keep / (1 - p)
        self.mask = self.mask.astype(x.dtype, copy=False)
        self.a = x * self.mask                                      # a = x · m
        return self.a

    def backward(self, dL_da):
        """dL/dx = dL/da · m, with the mask m of the last forward pass."""
        if self.x is None:
            raise RuntimeError(f"{self.label}.backward needs a forward pass first")
        g = real_array(dL_da, "dL_da", self.x.dtype)
        if g.shape != self.x.shape:
            raise ValueError(f"{self.label}.backward expects dL/da of shape {self.x.shape}, got {g.shape}")
        return self.backward_checked(g)

    def backward_checked(self, dL_da, input_grad=True):
        """backward for a dL/da already checked (the network's layer loop).
        input_grad=False: nothing needs dL/dx (a Dropout of the inputs X): returns None."""
        if not input_grad:
            return None
        if self.mask is None:
            return dL_da
        return dL_da * self.mask                                    # dL/dx = dL/da · m

    def parameters(self, trainable_only=False):
        """No parameters: []."""
        return []

    def gradients(self, trainable_only=False):
        return []

    def take_stream(self, other):
        """Continue `other`'s mask stream: the same entropy (what reset() restarts from) and
        a copy of its position in it. Sequential.copy calls it after placing the copy."""
        self._entropy = list(other._entropy)
        self.rng = copy.deepcopy(other.rng)

    def copy(self):
        """An independent copy: same p, seed, mode, fixed mask and position in its stream."""
        new = copy.copy(self)
        new.rng = copy.deepcopy(self.rng)
        for name in ("x", "a", "mask", "keep"):
            value = getattr(self, name)
            setattr(new, name, None if value is None else value.copy())
        return new

    @property
    def label(self):
        """A short name for messages and pictures: 'Dropout(0.5)'."""
        return f"Dropout({self.p:g})"

    def __repr__(self):
        seed = "" if self.seed is None else f", seed={self.seed}"
        return f"Dropout(p={self.p:g}{seed})"
