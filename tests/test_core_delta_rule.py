"""Parity with the posts' own formulations: seed 004's delta rule (bp.delta_rule) and seed
000's scalar network (bp.scalar) give exactly what the vectorised core gives."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import backprop_core as bp


def random_sigmoid_net(sizes, seed):
    rng = np.random.default_rng(seed)
    layers = [bp.Dense(n_in, n_out, "sigmoid", init="uniform", seed=seed + i, bias=rng.uniform(-1, 1, n_out))
              for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]))]
    return bp.Sequential(*layers)


# ---------------------------------------------------------------- seed 004: the delta rule

def test_delta_rule_on_e5_by_hand():
    ex = bp.examples.e5_network()
    deltas, dWs, dbs = bp.delta_rule.delta_rule_step(ex.net, ex.X, ex.t, eta=0.9)
    o = 1 / (1 + np.exp(-np.array([-0.7, 0.1])))                     # o4, o5
    o6 = 1 / (1 + np.exp(-(o[0] * -0.3 + o[1] * -0.2 + 0.1)))
    d6 = (1 - o6) * o6 * (1 - o6)                                    # δ6 = (t6 - o6) f'(z6)
    assert deltas[1][0, 0] == pytest.approx(d6, rel=1e-13)
    assert deltas[0][0, 0] == pytest.approx(o[0] * (1 - o[0]) * -0.3 * d6, rel=1e-13)
    assert dWs[1][0, 0] == pytest.approx(0.9 * d6 * o[0], rel=1e-13)  # Δw46 = η δ6 o4
    assert dbs[1][0] == pytest.approx(0.9 * d6, rel=1e-13)            # Δb6 = η δ6
    assert ex.net.layers[1].W[0, 0] == pytest.approx(-0.3 + 0.9 * d6 * o[0], rel=1e-13)


@given(sizes=st.lists(st.integers(1, 4), min_size=2, max_size=4), batch=st.integers(1, 4),
       seed=st.integers(0, 2**16), eta=st.floats(0.01, 2.0))
def test_delta_rule_is_minus_core_delta_and_its_step_is_sgd(sizes, batch, seed, eta):
    rng = np.random.default_rng(seed + 1)
    X = rng.uniform(-1, 1, (batch, sizes[0]))
    t = rng.uniform(0, 1, (batch, sizes[-1]))
    post = random_sigmoid_net(sizes, seed)
    core = post.copy()
    # the core: L = ½ Σ (t - o)^2, one SGD step with lr = η
    loss = bp.HalfSquaredError()
    core.backward(loss.grad(core.forward(X), t))
    core_deltas = [layer.delta.copy() for layer in core.layers]
    # the batch's Δw are summed in the post; HalfSquaredError averages the batch, so lr = η·batch
    bp.SGD(lr=eta * batch).step(core)
    deltas, _, _ = bp.delta_rule.delta_rule_step(post, X, t, eta)
    for post_delta, core_delta in zip(deltas, core_deltas):
        np.testing.assert_allclose(post_delta, -core_delta * batch, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(post.get_flat(), core.get_flat(), rtol=1e-12, atol=1e-14)


def test_delta_rule_one_sample_equals_sgd_with_lr_eta():
    """One sample (the post's case): δ_post = -layer.delta exactly and Δw = -η ∂L/∂w."""
    ex = bp.examples.e5_network()
    core = ex.net.copy()
    core.backward(bp.HalfSquaredError().grad(core.forward(ex.X), ex.t))
    deltas = [-layer.delta for layer in core.layers]
    bp.SGD(lr=0.9).step(core)
    post_deltas, _, _ = bp.delta_rule.delta_rule_step(ex.net, ex.X, ex.t, 0.9)
    for a, b in zip(post_deltas, deltas):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(ex.net.get_flat(), core.get_flat(), rtol=0, atol=1e-15)


def test_delta_rule_helpers():
    t, o, fp = np.array([[1.0, 0.0]]), np.array([[0.25, 0.5]]), np.array([[0.2, 0.1]])
    np.testing.assert_allclose(bp.delta_rule.output_delta(t, o, fp), [[0.75 * 0.2, -0.5 * 0.1]])
    W_next = np.array([[2.0], [-1.0]])                            # (n_q, n_i)
    np.testing.assert_allclose(bp.delta_rule.hidden_delta(np.array([[0.5, 0.25]]), W_next, np.array([[0.4]])),
                               [[0.5 * 2.0 * 0.4, 0.25 * -1.0 * 0.4]])


# ---------------------------------------------------------------- seed 000: the scalar network

def test_scalar_221_matches_core_gradients_on_one_sample():
    weights, net = bp.examples.e0_scalar_weights(seed=0)
    scalar = bp.scalar.ScalarNetwork221(weights)
    x, y_true = [-2.0, -1.0], 1.0                  # one sample, as seed 000's gradients take
    assert net.forward(np.array([x]))[0, 0] == pytest.approx(scalar.feedforward(x), rel=1e-14)
    # seed 000's loss (y_true - y_pred)^2 for one sample is the core's MSE
    g = bp.analytic_gradients(net, bp.MSE(), np.array([x]), np.array([[y_true]]))
    s = scalar.gradients(x, y_true)
    core = {"w1": g[0][0, 0], "w2": g[0][1, 0], "w3": g[0][0, 1], "w4": g[0][1, 1],
            "b1": g[1][0], "b2": g[1][1], "w5": g[2][0, 0], "w6": g[2][1, 0], "b3": g[3][0]}
    for name in bp.scalar.ScalarNetwork221.NAMES:
        assert core[name] == pytest.approx(s[name], rel=1e-12, abs=1e-300), name


@given(seed=st.integers(0, 2**16), x=st.lists(st.floats(-3, 3), min_size=2, max_size=2),
       y_true=st.floats(0, 1))
def test_scalar_221_train_step_matches_core_sgd(seed, x, y_true):
    weights, net = bp.examples.e0_scalar_weights(seed=seed)
    scalar = bp.scalar.ScalarNetwork221(weights)
    scalar.train_step(x, y_true, learn_rate=0.1)
    net.backward(bp.MSE().grad(net.forward(np.array([x])), np.array([[y_true]])))
    bp.SGD(lr=0.1).step(net)
    l1, l2 = net.layers
    got = [l1.W[0, 0], l1.W[1, 0], l1.W[0, 1], l1.W[1, 1], l2.W[0, 0], l2.W[1, 0], l1.b[0], l1.b[1], l2.b[0]]
    want = [getattr(scalar, n) for n in ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3")]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_e0_weights_are_seeded():
    a, _ = bp.examples.e0_scalar_weights(seed=3)
    b, _ = bp.examples.e0_scalar_weights(seed=3)
    c, _ = bp.examples.e0_scalar_weights(seed=4)
    assert a == b and a != c
    assert set(a) == set(bp.scalar.ScalarNetwork221.NAMES)


def core_copy_of(mlp):
    """The vectorised network with the ScalarMLP's weights (lists of lists -> arrays)."""
    layers = [bp.Dense(len(W), len(W[0]), "sigmoid", weights=np.array(W), bias=np.array(b))
              for W, b in zip(mlp.W, mlp.b)]
    return bp.Sequential(*layers)


@given(sizes=st.lists(st.integers(1, 5), min_size=2, max_size=4), seed=st.integers(0, 2**16))
def test_scalar_mlp_matches_core_step(sizes, seed):
    mlp = bp.scalar.ScalarMLP(sizes, seed=seed)
    net = core_copy_of(mlp)
    rng = np.random.default_rng(seed)
    for _ in range(3):                                    # three samples, one step each
        x = rng.uniform(-1, 1, sizes[0])
        target = rng.uniform(0, 1, sizes[-1])
        mlp.train_sample(list(x), list(target), lr=0.5)
        net.backward(bp.MSE().grad(net.forward(x[None, :]), target[None, :]))
        bp.SGD(lr=0.5).step(net)
    np.testing.assert_allclose(net.get_flat(), core_copy_of(mlp).get_flat(), rtol=1e-12, atol=1e-14)


def test_scalar_mlp_is_seeded():
    a, b, c = bp.scalar.ScalarMLP([3, 4, 2], seed=1), bp.scalar.ScalarMLP([3, 4, 2], seed=1), \
        bp.scalar.ScalarMLP([3, 4, 2], seed=2)
    assert a.W == b.W and a.W != c.W
