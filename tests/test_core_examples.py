"""The posts' worked examples through bp.examples. Every number the post gets right is
computed here independently (plain arithmetic, written out) and compared with the core;
every erratum is pinned down: what the post claims, what its inputs give, and which
inputs would give the post's number."""
import math

import numpy as np
import pytest

import backprop_core as bp


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


# ---------------------------------------------------------------- E1 (seed 000)

def test_e1_forward_and_influence():
    ex = bp.examples.e1_chain()
    net = ex.net
    # the reconstructed chain: h = w·x = 5·2, y = 250·h - 2440
    assert net.forward(ex.X)[0, 0] == pytest.approx(250 * (5 * 2) - 2440) == ex.claims["output"] == 60
    assert ex.t[0, 0] == 90
    # "the influence of w on the output is 500": dy/dw, from a backward pass with dL/dy = 1
    net.backward(np.ones((1, 1)))
    assert net.layers[0].dW[0, 0] == pytest.approx(2 * 250) == ex.claims["influence"]
    # "when w grows by 1, the output becomes 560"
    net.layers[0].W[0, 0] = 6.0
    assert net.forward(ex.X)[0, 0] == pytest.approx(250 * (6 * 2) - 2440) == ex.claims["output_w_plus_1"]


def test_e1_erratum_1060_is_not_what_lr_001_gives():
    ex = bp.examples.e1_chain()
    net = ex.net
    net.forward(ex.X)
    net.backward(np.ones((1, 1)))
    influence = net.layers[0].dW[0, 0]                  # 500
    step = ex.lr * influence                             # the post's update: 500 · 0.01 = 5
    assert step == pytest.approx(0.01 * 500) == ex.claims["step"]
    net.layers[0].W[0, 0] += step                        # 5 + 5 = 10, as the post says
    assert net.layers[0].W[0, 0] == pytest.approx(ex.claims["new_w"])
    new_output = net.forward(ex.X)[0, 0]
    assert new_output == pytest.approx(250 * (10 * 2) - 2440)   # 2560
    assert new_output == pytest.approx(2560)
    assert new_output != pytest.approx(ex.claims["new_output"], abs=1)   # the post: 1060
    # The chain is linear in w (slope 500), so 1060 = 60 + 500·Δw needs Δw = 2, i.e. lr = 2 / 500
    delta_w_for_1060 = (ex.claims["new_output"] - 60) / influence
    assert delta_w_for_1060 == pytest.approx(2.0)
    assert delta_w_for_1060 / influence == pytest.approx(0.004)
    net.layers[0].W[0, 0] = 5.0 + 0.004 * influence
    assert net.forward(ex.X)[0, 0] == pytest.approx(1060)


# ---------------------------------------------------------------- E2 (seed 001)

def test_e2_forward_loss_and_gradients():
    ex = bp.examples.e2_linear()
    y = ex.net.forward(ex.X)
    assert y[0, 0] == pytest.approx(1 * 2.1 + 0)
    L = ex.loss(y, ex.t)
    assert L == pytest.approx((4 - 2.1) ** 2)  # 3.61  # noqa: SIM300  L: a loss, not a constant
    assert round(L, 2) == ex.claims["loss_before"]
    ex.net.backward(ex.loss.grad(y, ex.t))
    # chain rule: dL/dŷ = 2(ŷ - y) = -3.8; dŷ/dw = x = 2.1; dŷ/db = 1
    assert ex.net.layers[0].dW[0, 0] == pytest.approx(2 * (2.1 - 4) * 2.1)     # -7.98
    assert ex.net.layers[0].db[0] == pytest.approx(2 * (2.1 - 4))               # -3.8


def _e2_loss_after_one_step(lr):
    ex = bp.examples.e2_linear()
    ex.net.backward(ex.loss.grad(ex.net.forward(ex.X), ex.t))
    bp.SGD(lr=lr).step(ex.net)
    return ex.loss(ex.net.forward(ex.X), ex.t), ex.net


def test_e2_erratum_287_follows_from_lr_001_not_01():
    ex = bp.examples.e2_linear()
    assert ex.lr == ex.claims["lr"] == 0.1
    # lr 0.1: w = 1 + 0.1·7.98 = 1.798, b = 0 + 0.1·3.8 = 0.38, ŷ = 1.798·2.1 + 0.38 = 4.1558
    L01, net = _e2_loss_after_one_step(0.1)
    assert net.layers[0].W[0, 0] == pytest.approx(1 + 0.1 * 7.98)
    assert net.layers[0].b[0] == pytest.approx(0.1 * 3.8)
    assert L01 == pytest.approx((4 - (1.798 * 2.1 + 0.38)) ** 2)  # 0.0243  # noqa: SIM300  L: a loss, not a constant
    assert L01 == pytest.approx(0.0243, abs=1e-4)  # noqa: SIM300  L: a loss, not a constant
    assert abs(L01 - ex.claims["loss_after"]) > 2                  # nowhere near 2.87
    # lr 0.01: w = 1.0798, b = 0.038, ŷ = 2.30558, loss = (4 - 2.30558)^2 = 2.87
    L001, _ = _e2_loss_after_one_step(0.01)
    assert L001 == pytest.approx((4 - (1.0798 * 2.1 + 0.038)) ** 2)  # noqa: SIM300  L: a loss, not a constant
    assert round(L001, 2) == ex.claims["loss_after"]
    # solving for the lr that gives exactly 2.87: ŷ(lr) = 2.1 + lr(7.98·2.1 + 3.8), so
    # (1.9 - 20.558 lr)^2 = 2.87  ->  lr = (1.9 - sqrt(2.87)) / 20.558 ≈ 0.0100
    lr_exact = (1.9 - math.sqrt(2.87)) / (7.98 * 2.1 + 3.8)
    assert lr_exact == pytest.approx(0.01, abs=1e-4)
    assert _e2_loss_after_one_step(lr_exact)[0] == pytest.approx(2.87, rel=1e-12)


def test_e2_contour_minimum_at_w_minus_1_b_5():
    X, t = bp.examples.e2_contour_data()
    net = bp.Sequential(bp.Dense(1, 1, "identity", weights=[[-1.0]], bias=[5.0]))
    assert bp.MSE()(net.forward(X), t) == pytest.approx(0.0, abs=1e-24)
    # normal equation θ = (XᵀX)⁻¹ Xᵀ y with a column of ones for the bias
    A = np.hstack([X, np.ones_like(X)])
    theta = np.linalg.solve(A.T @ A, A.T @ t)
    np.testing.assert_allclose(theta.ravel(), [-1.0, 5.0], atol=1e-12)


def test_e2_nonlinear_network_is_the_posts_formula():
    """y = softplus(w11 x + b11) w21 + softplus(w12 x + b12) w22 + b2."""
    ex = bp.examples.e2_nonlinear()
    l1, l2 = ex.net.layers
    assert ex.net.sizes == [1, 2, 1]
    def softplus(v):
        return math.log(1 + math.exp(v))
    x = float(ex.X[3, 0])
    want = (softplus(l1.W[0, 0] * x + l1.b[0]) * l2.W[0, 0]
            + softplus(l1.W[0, 1] * x + l1.b[1]) * l2.W[1, 0] + l2.b[0])
    assert ex.net.forward(ex.X[3:4])[0, 0] == pytest.approx(want, rel=1e-13)


# ---------------------------------------------------------------- E3 (seed 002)

def test_e3_forward():
    ex = bp.examples.e3_network()
    y = ex.net.forward(ex.X)
    h = ex.net.layers[0].a[0]
    assert h[0] == pytest.approx(1 * 0.5 + 2 * 0.4 + 3 * 0.3)        # a1' = 2.2
    assert h[1] == pytest.approx(1 * 0.6 + 2 * 0.3 + 3 * 0.2)        # a2' = 1.8
    np.testing.assert_allclose(h, ex.claims["hidden"])
    assert y[0, 0] == pytest.approx(2.2 * 0.7 + 1.8 * 0.8)           # a1'' = 2.98
    assert y[0, 0] == pytest.approx(ex.claims["output"])
    assert ex.t[0, 0] - y[0, 0] == pytest.approx(ex.claims["gap"])    # 3.2 - 2.98 = 0.22


def test_e3_erratum_trial_weights_give_3327_not_3293():
    ex = bp.examples.e3_network()
    ex.net.layers[0].W[...] = ex.extra["trial_W1"]                   # w31 -> 0.35
    ex.net.layers[1].W[...] = ex.extra["trial_W2"]                   # w'11 -> 0.78, w'21 -> 0.83
    y = ex.net.forward(ex.X)[0, 0]
    h1 = 1 * 0.5 + 2 * 0.4 + 3 * 0.35                                # 2.35
    h2 = 1 * 0.6 + 2 * 0.3 + 3 * 0.2                                 # 1.8 (unchanged)
    assert y == pytest.approx(h1 * 0.78 + h2 * 0.83)                 # 1.833 + 1.494 = 3.327
    assert y == pytest.approx(3.327)
    assert abs(y - ex.claims["trial_output"]) > 0.03                 # the post: 3.293
    # and the trial moves the output past the target 3.2 (gap -0.127), not to 0.093 below it
    assert ex.t[0, 0] - y == pytest.approx(-0.127)


def test_e3_backward_shares_out_the_error():
    """The post stops at 'pass the error back'; the core's backward pass does it:
    dL/dw'_j1 = 2(y - t)·a_j',  dL/dw_ij = 2(y - t)·w'_j1·a_i  (MSE, linear units)."""
    ex = bp.examples.e3_network()
    y = ex.net.forward(ex.X)
    ex.net.backward(ex.loss.grad(y, ex.t))
    e = 2 * (2.98 - 3.2)                                             # dL/dy = -0.44
    np.testing.assert_allclose(ex.net.layers[1].dW.ravel(), [e * 2.2, e * 1.8])
    want_W1 = [[e * 0.7 * 1, e * 0.8 * 1], [e * 0.7 * 2, e * 0.8 * 2], [e * 0.7 * 3, e * 0.8 * 3]]
    np.testing.assert_allclose(ex.net.layers[0].dW, want_W1)


# ---------------------------------------------------------------- E5 (seed 004)

def test_e5_forward_by_hand():
    ex = bp.examples.e5_network()
    ex.net.forward(ex.X)
    hidden, out = ex.net.layers
    z4 = 1 * 0.2 + 0 * 0.4 + 1 * (-0.5) - 0.4
    z5 = 1 * (-0.3) + 0 * 0.1 + 1 * 0.2 + 0.2
    o4, o5 = sigmoid(z4), sigmoid(z5)
    z6 = o4 * (-0.3) + o5 * (-0.2) + 0.1
    o6 = sigmoid(z6)
    assert hidden.z[0, 0] == pytest.approx(z4, abs=1e-15) and z4 == pytest.approx(-0.7)
    assert hidden.z[0, 1] == pytest.approx(z5, abs=1e-15) and z5 == pytest.approx(0.1)
    assert hidden.a[0, 0] == pytest.approx(o4, rel=1e-14)
    assert hidden.a[0, 1] == pytest.approx(o5, rel=1e-14)
    assert out.z[0, 0] == pytest.approx(z6, rel=1e-14)
    assert out.a[0, 0] == pytest.approx(o6, rel=1e-14)


def test_e5_agrees_with_the_post_to_its_decimals():
    ex = bp.examples.e5_network()
    ex.net.forward(ex.X)
    hidden, out = ex.net.layers
    c = ex.claims
    # stated with 1 or 3 decimals: the exact values round to the post's
    assert round(hidden.z[0, 0], 1) == c["z4"] and round(hidden.z[0, 1], 1) == c["z5"]
    assert round(hidden.a[0, 0], 3) == c["o4"]       # 0.33181 -> 0.332
    assert round(hidden.a[0, 1], 3) == c["o5"]       # 0.52498 -> 0.525
    assert round(out.a[0, 0], 3) == c["o6"]          # 0.47389 -> 0.474


def test_e5_four_decimal_values_come_from_rounded_intermediates():
    """z6 and δ6 are stated with 4 decimals but computed by the post from the rounded o4, o5
    and o6. Exactly, z6 = -0.10454 (-> -0.1045) and δ6 = 0.13117 (-> 0.1312); the post's
    -0.1046 and 0.1311 are what the 3-decimal values give. Both agree within one unit of
    the 4th decimal."""
    ex = bp.examples.e5_network()
    ex.net.forward(ex.X)
    hidden, out = ex.net.layers
    z6, o6 = out.z[0, 0], out.a[0, 0]
    delta6 = (1 - o6) * o6 * (1 - o6)                        # (t6 - o6) f'(z6), t6 = 1
    assert round(z6, 4) == -0.1045 and round(delta6, 4) == 0.1312
    assert abs(z6 - ex.claims["z6"]) < 1e-4 and abs(delta6 - ex.claims["delta6"]) < 1e-4
    # the post's arithmetic with its own rounded intermediates reproduces its numbers
    assert round(0.332 * (-0.3) + 0.525 * (-0.2) + 0.1, 4) == ex.claims["z6"]
    assert round((1 - 0.474) * 0.474 * (1 - 0.474), 4) == ex.claims["delta6"]


def test_e5_backward_is_the_delta_rule():
    """δ6 = (t6 - o6) o6 (1 - o6); δ4 = o4 (1 - o4) w46 δ6; δ5 = o5 (1 - o5) w56 δ6.
    The core's layer.delta = ∂L/∂z is minus the post's δ (L = ½(t - o)^2)."""
    ex = bp.examples.e5_network()
    y = ex.net.forward(ex.X)
    ex.net.backward(ex.loss.grad(y, ex.t))
    hidden, out = ex.net.layers
    o4, o5 = sigmoid(-0.7), sigmoid(0.1)
    o6 = sigmoid(o4 * (-0.3) + o5 * (-0.2) + 0.1)
    d6 = (1 - o6) * o6 * (1 - o6)
    d4 = o4 * (1 - o4) * (-0.3) * d6
    d5 = o5 * (1 - o5) * (-0.2) * d6
    assert -out.delta[0, 0] == pytest.approx(d6, rel=1e-13)
    np.testing.assert_allclose(-hidden.delta[0], [d4, d5], rtol=1e-13)
    # one step with η = 0.9: w46(new) = w46 + η δ6 o4, b6(new) = b6 + η δ6, w14(new) = w14 + η δ4 x1
    bp.SGD(lr=ex.lr).step(ex.net)
    assert out.W[0, 0] == pytest.approx(-0.3 + 0.9 * d6 * o4, rel=1e-13)
    assert out.W[1, 0] == pytest.approx(-0.2 + 0.9 * d6 * o5, rel=1e-13)
    assert out.b[0] == pytest.approx(0.1 + 0.9 * d6, rel=1e-13)
    assert hidden.W[0, 0] == pytest.approx(0.2 + 0.9 * d4 * 1, rel=1e-13)
    assert hidden.W[1, 0] == pytest.approx(0.4 + 0.9 * d4 * 0, rel=1e-13)   # x2 = 0: unchanged
    assert hidden.b[1] == pytest.approx(0.2 + 0.9 * d5, rel=1e-13)
    # and the output moves towards the target t6 = 1
    assert ex.net.forward(ex.X)[0, 0] > o6


# ---------------------------------------------------------------- every builder

@pytest.mark.parametrize("build", [bp.examples.e1_chain, bp.examples.e2_linear, bp.examples.e2_nonlinear,
                                   bp.examples.e3_network, bp.examples.e5_network])
def test_builders_return_fresh_consistent_examples(build):
    a, b = build(), build()
    assert a.net is not b.net
    assert a.X.shape[1] == a.net.sizes[0] and a.t.shape == (a.X.shape[0], a.net.sizes[-1])
    np.testing.assert_array_equal(a.net.get_flat(), b.net.get_flat())
    a.net.layers[0].W += 1                               # changing one does not change the next
    assert not np.array_equal(build().net.get_flat(), a.net.get_flat())
    assert a.lr > 0 and isinstance(a.loss, bp.Loss)
    assert a.seed_post in ("000", "001", "002", "004")
