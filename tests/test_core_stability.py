"""Numerical stability: no numpy RuntimeWarning (overflow, divide, invalid) and the right
limits at inputs of ±1e4 and at probabilities of exactly 0 and 1. Every check runs with
warnings turned into errors."""

import numpy as np
import pytest

import backprop_core as bp

EXTREME = np.array([[-1e4, -800.0, -1.0, 0.0, 1.0, 800.0, 1e4]])


@pytest.fixture(autouse=True)
def no_warnings(strict):
    """Every warning an error (strict), and numpy's overflow/divide/invalid raise too
    (underflow to 0 is the exact limit: fine)."""
    with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        yield


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "swish"])
def test_activations_at_extreme_inputs(name, dtype):
    z = EXTREME.astype(dtype)
    act = bp.get_activation(name)
    a = act.value(z)
    d = act.deriv(z)
    dz = act.backward(z, a, np.ones_like(z))
    for arr in (a, d, dz):
        assert np.all(np.isfinite(arr)), (name, arr)


def test_limits_at_extreme_inputs():
    z = np.array([[-1e4, 1e4]])
    np.testing.assert_array_equal(bp.get_activation("sigmoid").value(z), [[0.0, 1.0]])
    np.testing.assert_array_equal(bp.get_activation("sigmoid").deriv(z), [[0.0, 0.0]])
    np.testing.assert_array_equal(bp.get_activation("softplus").value(z), [[0.0, 1e4]])
    np.testing.assert_array_equal(bp.get_activation("softplus").deriv(z), [[0.0, 1.0]])
    np.testing.assert_array_equal(bp.get_activation("swish").value(z), [[-0.0, 1e4]])
    np.testing.assert_array_equal(bp.get_activation("elu").value(z), [[-1.0, 1e4]])
    np.testing.assert_array_equal(bp.get_activation("tanh").value(z), [[-1.0, 1.0]])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_at_extreme_inputs(dtype):
    sm = bp.get_activation("softmax")
    z = np.array([[1e4, -1e4, 0.0], [1e4, 1e4, -1e4], [-1e4, -1e4, -1e4]], dtype=dtype)
    a = sm.value(z)
    np.testing.assert_allclose(a, [[1, 0, 0], [0.5, 0.5, 0], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-6)
    dz = sm.backward(z, a, np.ones_like(z))
    assert np.all(np.isfinite(dz))
    assert np.all(np.isfinite(sm.jacobian(z)))


def test_bce_at_probabilities_exactly_0_and_1():
    bce = bp.BinaryCrossEntropy()
    p = np.array([[0.0, 1.0, 0.0, 1.0]])
    t = np.array([[0.0, 1.0, 1.0, 0.0]])
    L = bce(p, t)
    g = bce.grad(p, t)
    assert np.isfinite(L) and np.all(np.isfinite(g))
    # right predictions cost ~nothing; the wrong ones a large but finite -log(1e-12) each
    assert L == pytest.approx(2 * -np.log(1e-12) / 4, rel=1e-6)  # noqa: SIM300  L: a loss, not a constant
    assert bce(np.array([[0.0, 1.0]]), np.array([[0.0, 1.0]])) < 1e-11
    assert g[0, 2] < 0 < g[0, 3]                      # push p up where t = 1, down where t = 0


def test_bce_from_logits_at_extreme_logits():
    bce = bp.BinaryCrossEntropy(from_logits=True)
    z = np.array([[-1e4, 1e4, -1e4, 1e4]])
    t = np.array([[0.0, 1.0, 1.0, 0.0]])
    assert bce(z, t) == pytest.approx((0 + 0 + 1e4 + 1e4) / 4, rel=1e-12)    # exact: softplus(z) - t z
    np.testing.assert_allclose(bce.grad(z, t), [[0.0, 0.0, -0.25, 0.25]], atol=1e-300)


def test_cross_entropy_at_extreme_logits():
    ce = bp.CrossEntropy()
    y = np.array([[1e4, -1e4, 0.0], [1e4, -1e4, 0.0]])
    L = ce(y, np.array([0, 1]))
    assert L == pytest.approx((0.0 + 2e4) / 2, rel=1e-12)  # noqa: SIM300  L: a loss, not a constant
    g = ce.grad(y, np.array([0, 1]))
    np.testing.assert_allclose(g, [[0, 0, 0], [0.5, -0.5, 0]], atol=1e-300)
    assert np.all(np.isfinite(ce.probabilities(y)))


def test_mse_and_mae_at_large_values():
    y, t = np.array([[1e4, -1e4]]), np.array([[-1e4, 1e4]])
    assert bp.MSE()(y, t) == pytest.approx(4e8)
    assert bp.MAE()(y, t) == pytest.approx(2e4)


def test_network_with_saturated_units():
    net = bp.Sequential(bp.Dense(2, 3, "sigmoid", weights=np.full((2, 3), 1e3)),
                        bp.Dense(3, 2, "softplus", weights=np.full((3, 2), -1e3)),
                        bp.Dense(2, 1, "sigmoid", weights=[[1e3], [-1e3]]))
    X = np.array([[10.0, 10.0], [-10.0, -10.0]])
    y = net.forward(X)
    net.backward(bp.BinaryCrossEntropy().grad(y, np.array([[1.0], [0.0]])))
    for p in net.parameters() + net.gradients():
        assert np.all(np.isfinite(p))


def test_trace_and_gradcheck_at_saturation():
    net = bp.Sequential(bp.Dense(1, 1, "sigmoid", weights=[[1e4]]))
    table = bp.trace(net, bp.MSE(), np.array([[1.0]]), np.array([[0.0]]))
    assert table.value("o", "y1") == 1.0
    assert np.isfinite(bp.gradcheck(net, bp.MSE(), np.array([[1.0]]), np.array([[0.0]])))
