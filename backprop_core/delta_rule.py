"""Seed 004's delta rule, in the post's own signs, for one sigmoid network.

    output unit q:  δ_q = (t_q - o_q) f'(z_q)
    hidden unit q:  δ_q = f'(z_q) Σ_i w_qi δ_i
    every weight:   Δw_pq = η δ_q o_p,   w_pq(new) = w_pq(old) + Δw_pq

The post's δ is minus the core's `layer.delta` (= ∂L/∂z for L = ½ Σ (t - o)^2), so
Δw = η δ o is exactly gradient descent, -η ∂L/∂w. tests/test_core_delta_rule.py checks that.
X: (batch, n_in), t: (batch, n_out); the batch's Δw are summed (seed 004's mini-batches).
"""

from .checks import check_finite, positive_number, real_array
from .network import as_network


def output_delta(t, o, fprime_z):
    """δ_q = (t_q - o_q) f'(z_q), shape (batch, n_out)."""
    return (t - o) * fprime_z


def hidden_delta(fprime_z, W_next, delta_next):
    """δ_q = f'(z_q) Σ_i w_qi δ_i; W_next: (n_q, n_i), delta_next: (batch, n_i)."""
    return fprime_z * (delta_next @ W_next.T)


def delta_rule_step(net, X, t, eta):
    """One step of the post's algorithm on `net` (in place). Returns the post's δ per layer
    and the Δw, Δb per layer, each a list ordered like net.layers."""
    net = as_network(net)
    eta = positive_number(eta, "eta")
    o = net.forward(X)
    t = real_array(t, "t")
    if t.size != o.size:
        raise ValueError(f"t must have the shape of the output {o.shape}, got {t.shape}")
    t = t.reshape(o.shape)
    check_finite(t, "t")
    deltas = [None] * len(net.layers)
    last = net.layers[-1]
    deltas[-1] = output_delta(t, o, last.activation.deriv(last.z, last.a))
    for l in range(len(net.layers) - 2, -1, -1):
        layer = net.layers[l]
        deltas[l] = hidden_delta(layer.activation.deriv(layer.z, layer.a), net.layers[l + 1].W, deltas[l + 1])
    dWs, dbs = [], []
    for layer, delta in zip(net.layers, deltas):          # all δ first, then all updates
        dWs.append(eta * layer.x.T @ delta)                # Δw_pq = η Σ_batch o_p δ_q
        dbs.append(eta * delta.sum(axis=0))                # Δb_q = η Σ_batch δ_q
    for layer, dW, db in zip(net.layers, dWs, dbs):
        layer.W += dW
        if layer.use_bias:
            layer.b += db
    return deltas, dWs, dbs
