"""Check a backward pass against centred finite differences:
∂L/∂w ≈ (L(w + h) - L(w - h)) / (2h). Done in float64; a check, so it loops over weights.
h = 1e-5 (about eps^(1/3)) balances the truncation error ~h² against the round-off ~eps/h.

A float32 network is checked through a float64 copy (same weights): perturbing float32
weights by h = 1e-5 would drown the difference in float32 round-off (~1e-7 per weight).
The caller's network is never left changed: a perturbed weight is restored in `finally`,
even when the loss raises or the check is interrupted (Ctrl-C).
"""
import numpy as np

from .checks import positive_number
from .losses import get_loss
from .network import as_network


def _float64(net):
    """net itself if every layer is float64, else a float64 copy (same weights).
    A Dropout in training mode must have a fixed mask: a fresh mask at every pass would make
    the differences compare different functions."""
    net = as_network(net)
    if net.training:
        loose = [level for level, d in net.dropouts.items() if d.p > 0 and not d.fixed]
        if loose:
            raise ValueError(f"gradcheck: the network is in training mode and its Dropout at level(s) "
                             f"{loose} draws a new mask at every pass; call net.eval() first, or fix "
                             "the mask with dropout.fix()")
    if all(layer.dtype == np.float64 for layer in net.layers):
        return net
    return net.copy(dtype=np.float64)


def numerical_gradients(net, loss, X, t, h=1e-5):
    """Central-difference estimate of dL/dp for every parameter p (list like net.parameters()),
    computed in float64."""
    net = _float64(net)
    loss = get_loss(loss)
    h = positive_number(h, "h")
    X = net.check_input(X)
    grads = []
    for p in net.parameters():
        g = np.zeros_like(p, dtype=np.float64)
        flat, gflat = p.reshape(-1), g.reshape(-1)
        for i in range(flat.size):
            old = flat[i]
            try:
                flat[i] = old + h
                up = loss(net.forward_checked(X), t)
                flat[i] = old - h
                down = loss(net.forward_checked(X), t)
            finally:
                flat[i] = old                               # the caller's weight, exactly
            gflat[i] = (up - down) / (2.0 * h)
        grads.append(g)
    return grads


def analytic_gradients(net, loss, X, t):
    """The backward pass's dL/dp for every parameter (float64 copies)."""
    net = _float64(net)
    loss = get_loss(loss)
    y = net.forward(X)
    net.backward(loss.grad(y, t))
    return [g.astype(np.float64).copy() for g in net.gradients()]


def gradcheck(net, loss, X, t, h=1e-5, floor=1e-4):
    """Max relative error |a - n| / max(|a| + |n|, floor) between the backward pass (a)
    and central differences (n) over all parameters. Below ~1e-6 the backward pass is
    right (float64). `floor`: gradients smaller than it are compared in absolute terms
    (a zero gradient has no relative error, and central differences of an O(1) loss
    carry ~1e-11 of round-off, which would swamp the relative error of a tiny gradient)."""
    net = _float64(net)
    loss = get_loss(loss)
    h = positive_number(h, "h")
    floor = positive_number(floor, "floor")
    analytic = analytic_gradients(net, loss, X, t)
    numeric = numerical_gradients(net, loss, X, t, h)
    worst = 0.0
    for a, n in zip(analytic, numeric):
        rel = np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), floor)
        worst = max(worst, float(rel.max()))
    return worst
