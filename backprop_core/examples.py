"""The posts' worked examples, with their exact weights and data (catalogue:
shared/WORKED_EXAMPLES.md). Each builder returns an `Example`: the network, the data, the
loss and learning rate the post uses, and `claims`: the numbers the post *states*, kept
only to be compared with what the core computes (some of them are wrong: see errata).
"""
from dataclasses import dataclass, field

import numpy as np

from . import datasets
from .layers import Dense
from .losses import MSE, HalfSquaredError
from .network import Sequential


@dataclass
class Example:
    """A worked example: net, X (batch, n_in), t (batch, n_out), loss, lr, claims, notes."""
    name: str
    seed_post: str
    net: Sequential
    X: np.ndarray
    t: np.ndarray
    loss: object
    lr: float
    claims: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def __repr__(self):
        return f"Example({self.name!r}, post {self.seed_post}, {self.net.sizes}, lr={self.lr})"


def e1_chain():
    """E1 (seed 000): one weight w = 5 fed x = 2; output 60, target 90.

    The figure is lost. The simplest chain of the post's units y = w·x + b that gives
    its numbers: h = w·x (w = 5, x = 2, so h = 10), then y = v·h + c with v = 250 and
    c = -2440: y = 60, dy/dw = x·v = 500, and w + 1 gives 560, as the post says. Its
    output is linear in w, so w = 10 gives 2560, not the post's 1060 (see the erratum)."""
    net = Sequential(
        Dense(1, 1, "identity", weights=[[5.0]], bias=[0.0]),
        Dense(1, 1, "identity", weights=[[250.0]], bias=[-2440.0]),
        unit_names=[["x"], ["h"], ["y"]],
    )
    claims = {"output": 60.0, "target": 90.0, "influence": 500.0, "output_w_plus_1": 560.0,
              "lr": 0.01, "step": 5.0, "new_w": 10.0, "new_output": 1060.0, "suggested_lr": 0.00001}
    return Example("E1 one weight, 60 -> 90", "000", net, np.array([[2.0]]), np.array([[90.0]]),
                   MSE(), 0.01, claims)


def e2_linear():
    """E2 (seed 001): y = weight·x + bias, MSE, one sample x = 2.1, y = 4, start w = 1,
    b = 0, 'lr = 0.1'; the post reports loss 3.61 -> 2.87."""
    net = Sequential(Dense(1, 1, "identity", weights=[[1.0]], bias=[0.0]),
                     unit_names=[["x"], ["y"]])
    claims = {"loss_before": 3.61, "loss_after": 2.87, "lr": 0.1}
    return Example("E2 linear regression, 3.61 -> 2.87", "001", net, np.array([[2.1]]),
                   np.array([[4.0]]), MSE(), 0.1, claims)


def e2_contour_data(n=20):
    """Data for seed 001's contour: the MSE over (weight, bias) is 0 at (-1, 5)."""
    return datasets.linear(n=n, weight=-1.0, bias=5.0, noise=0.0)


def e2_nonlinear(seed=0):
    """Seed 001's 1-2-1 network y = softplus(w11 x + b11) w21 + softplus(w12 x + b12) w22 + b2
    (its weights and data are in lost figures: seeded weights and datasets.curve)."""
    X, t = datasets.curve(seed=seed)
    net = Sequential(Dense(1, 2, "softplus", init="uniform", seed=seed),
                     Dense(2, 1, "identity", init="uniform", seed=seed + 1),
                     unit_names=[["x"], ["h1", "h2"], ["y"]])
    return Example("E2b nonlinear fit, 1-2-1 softplus", "001", net, X, t, MSE(), 0.1)


def e3_network():
    """E3 (seed 002): 3-2-1, no bias, no activation. Inputs 1, 2, 3; target 3.2.
    Weight w_ij goes from input i to hidden j; w'_j1 from hidden j to the output."""
    W1 = [[0.5, 0.6],    # w11, w12
          [0.4, 0.3],    # w21, w22
          [0.3, 0.2]]    # w31, w32
    W2 = [[0.7],         # w'11
          [0.8]]         # w'21
    net = Sequential(Dense(3, 2, "identity", weights=W1, use_bias=False),
                     Dense(2, 1, "identity", weights=W2, use_bias=False),
                     unit_names=[["a1", "a2", "a3"], ["a1'", "a2'"], ["a1''"]])
    claims = {"hidden": [2.2, 1.8], "output": 2.98, "target": 3.2, "gap": 0.22,
              "trial_output": 3.293}
    extra = {"trial_W1": [[0.5, 0.6], [0.4, 0.3], [0.35, 0.2]], "trial_W2": [[0.78], [0.83]]}
    return Example("E3 3-2-1 linear network, 2.98 -> 3.2", "002", net, np.array([[1.0, 2.0, 3.0]]),
                   np.array([[3.2]]), MSE(), 0.01, claims, extra)


def e5_network():
    """E5 (seed 004): inputs x1..x3 = 1, 0, 1; sigmoid hidden units 4, 5 and output 6;
    target t6 = 1; η = 0.9; loss ½(t - o)^2 (the delta rule's)."""
    W1 = [[0.2, -0.3],   # w14, w15
          [0.4, 0.1],    # w24, w25
          [-0.5, 0.2]]   # w34, w35
    W2 = [[-0.3],        # w46
          [-0.2]]        # w56
    net = Sequential(Dense(3, 2, "sigmoid", weights=W1, bias=[-0.4, 0.2]),
                     Dense(2, 1, "sigmoid", weights=W2, bias=[0.1]),
                     unit_names=[["1", "2", "3"], ["4", "5"], ["6"]])
    claims = {"z4": -0.7, "o4": 0.332, "z5": 0.1, "o5": 0.525, "z6": -0.1046, "o6": 0.474,
              "delta6": 0.1311}
    return Example("E5 3-input sigmoid network", "004", net, np.array([[1.0, 0.0, 1.0]]),
                   np.array([[1.0]]), HalfSquaredError(), 0.9, claims)


def e0_scalar_weights(seed=0):
    """Weights for seed 000's 2-2-1 network (w1..w6, b1..b3), drawn from N(0, 1) with a seed
    as seed 000's code does, and the equivalent vectorised Sequential."""
    rng = np.random.default_rng(seed)
    w = dict(zip(("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"), rng.normal(size=9)))
    W1 = [[w["w1"], w["w3"]], [w["w2"], w["w4"]]]      # column j feeds hidden unit h_j
    W2 = [[w["w5"]], [w["w6"]]]
    net = Sequential(Dense(2, 2, "sigmoid", weights=W1, bias=[w["b1"], w["b2"]]),
                     Dense(2, 1, "sigmoid", weights=W2, bias=[w["b3"]]),
                     unit_names=[["x1", "x2"], ["h1", "h2"], ["o1"]])
    return {k: float(v) for k, v in w.items()}, net
