"""Loss landscapes: the loss as a function of two chosen parameters, on a grid.

Used for contour plots with the descent path drawn on top (seed 001's weight/bias
contour). Numeric only (numpy): the pictures are in backprop_core.plotting.
"""
import numpy as np

from .losses import get_loss


def loss_surface(net, loss, X, t, params=(0, 1), ranges=((-3.0, 3.0), (-3.0, 3.0)), n=61):
    """L over a grid of two parameters of `net`, all others held at their current values.

    params: two indices into net.get_flat() (for a Dense(1, 1) net: 0 = weight, 1 = bias).
    ranges: ((lo_i, hi_i), (lo_j, hi_j)). Returns (P_i, P_j, L), each of shape (n, n),
    with P_i varying along axis 1 (x) and P_j along axis 0 (y), as plt.contour expects.
    The net's parameters are restored afterwards.
    """
    loss = get_loss(loss)
    i, j = params
    theta0 = net.get_flat()
    for k in (i, j):
        if not 0 <= k < theta0.size:
            raise ValueError(f"params must be indices in 0..{theta0.size - 1}, got {params}")
    pi = np.linspace(*ranges[0], n)
    pj = np.linspace(*ranges[1], n)
    Pi, Pj = np.meshgrid(pi, pj)
    L = np.empty_like(Pi)
    theta = theta0.copy()
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            for r in range(n):                     # one forward pass of the whole batch per grid point
                for c in range(n):
                    theta[i], theta[j] = Pi[r, c], Pj[r, c]
                    net.set_flat(theta)
                    L[r, c] = loss.value(net.forward(X), np.asarray(t, dtype=float).reshape(-1, net.sizes[-1]))
    finally:
        net.set_flat(theta0)
    return Pi, Pj, L
