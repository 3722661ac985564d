"""Activations: values at known points, derivatives and backward passes against central
finite differences (float64, relative error < 1e-6) on random shapes and values."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

import backprop_core as bp

ELEMENTWISE = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "swish"]
KINKED = {"relu", "leaky_relu", "elu"}      # f or f' not smooth at z = 0
H = 2e-4                                     # five-point central differences: error ~ h^4 + eps/h


def z_arrays(low=-4.0, high=4.0):
    """(batch, n) float64 arrays, batch and n in 1..5, values in [low, high]."""
    return arrays(np.float64, array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=5),
                  elements=st.floats(low, high, allow_nan=False, allow_infinity=False, width=64))


def away_from_kink(z):
    """Move values within 0.01 of a kink at 0 to 0.5: a finite difference across a kink
    measures the average of two one-sided slopes, not the derivative."""
    return np.where(np.abs(z) < 0.01, 0.5, z)


def relative_error(a, b):
    """max |a - b| / max(|a| + |b|, 1e-8): entries below 1e-8 are compared absolutely."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)))


# ---------------------------------------------------------------- values at known points

def test_values_at_known_points():
    z = np.array([[-2.0, 0.0, 3.0]])
    e = math.e
    expected = {
        "identity": [-2.0, 0.0, 3.0],
        "sigmoid": [1 / (1 + e ** 2), 0.5, 1 / (1 + e ** -3)],
        "tanh": [(e ** -2 - e ** 2) / (e ** -2 + e ** 2), 0.0, (e ** 3 - e ** -3) / (e ** 3 + e ** -3)],
        "relu": [0.0, 0.0, 3.0],
        "leaky_relu": [-0.02, 0.0, 3.0],                  # default slope 0.01
        "elu": [e ** -2 - 1, 0.0, 3.0],                   # default alpha 1
        "softplus": [math.log(1 + e ** -2), math.log(2), math.log(1 + e ** 3)],
        "swish": [-2 / (1 + e ** 2), 0.0, 3 / (1 + e ** -3)],
    }
    for name, want in expected.items():
        got = bp.get_activation(name).value(z)
        np.testing.assert_allclose(got, [want], rtol=1e-12, atol=1e-15, err_msg=name)


def test_softmax_value_by_hand():
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    s = math.exp(1) + math.exp(2) + math.exp(3)
    want = [[math.exp(1) / s, math.exp(2) / s, math.exp(3) / s], [1 / 3, 1 / 3, 1 / 3]]
    np.testing.assert_allclose(bp.get_activation("softmax").value(z), want, rtol=1e-12)


def test_derivatives_at_known_points():
    z = np.array([[-2.0, 0.0, 3.0]])
    def s(x):
        return 1 / (1 + math.exp(-x))
    expected = {
        "identity": [1.0, 1.0, 1.0],
        "sigmoid": [s(-2) * (1 - s(-2)), 0.25, s(3) * (1 - s(3))],   # at most 0.25, at z = 0
        "relu": [0.0, 0.0, 1.0],                                     # 0 at the kink, as PyTorch
        "leaky_relu": [0.01, 0.01, 1.0],
        "elu": [math.exp(-2), 1.0, 1.0],
        "softplus": [s(-2), 0.5, s(3)],
        "swish": [s(-2) - 2 * s(-2) * (1 - s(-2)), 0.5, s(3) + 3 * s(3) * (1 - s(3))],
    }
    for name, want in expected.items():
        got = bp.get_activation(name).deriv(z)
        np.testing.assert_allclose(got, [want], rtol=1e-12, atol=1e-15, err_msg=name)


def test_sigmoid_derivative_is_at_most_a_quarter():
    z = np.linspace(-10, 10, 2001).reshape(1, -1)
    d = bp.get_activation("sigmoid").deriv(z)
    assert d.max() == pytest.approx(0.25, abs=1e-12)
    assert np.argmax(d) == 1000                         # at z = 0


# ---------------------------------------------------------------- finite differences

@pytest.mark.parametrize("name", ELEMENTWISE)
@given(z=z_arrays())
def test_deriv_matches_central_differences(name, z):
    act = bp.get_activation(name)
    if name in KINKED:
        z = away_from_kink(z)
    f = act.value                                                 # element-wise: f'(z_i) from f(z_i ± h)
    numeric = (8 * (f(z + H) - f(z - H)) - (f(z + 2 * H) - f(z - 2 * H))) / (12 * H)
    assert relative_error(act.deriv(z), numeric) < 1e-6
    # passing a = f(z) must give the same derivative
    np.testing.assert_allclose(act.deriv(z, act.value(z)), act.deriv(z), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("name", ELEMENTWISE + ["softmax"])
@given(z=z_arrays(), seed=st.integers(0, 2**16))
def test_backward_matches_central_differences(name, z, seed, fd):
    """backward(z, a, dL/da) = dL/dz for L(z) = Σ f(z) * g, g a fixed random dL/da.
    For softmax this is the full Jacobian-vector product."""
    act = bp.get_activation(name)
    if name in KINKED:
        z = away_from_kink(z)
    g = np.random.default_rng(seed).normal(size=z.shape)
    numeric = fd(lambda zz: float(np.sum(act.value(zz) * g)), z, h=H)
    analytic = act.backward(z, act.value(z), g)
    assert analytic.shape == z.shape
    assert relative_error(analytic, numeric) < 1e-6


@given(z=z_arrays())
def test_softmax_jacobian_matches_central_differences(z, fd):
    sm = bp.get_activation("softmax")
    J = sm.jacobian(z)                                            # (batch, n, n)
    batch, n = z.shape
    assert J.shape == (batch, n, n)
    for j in range(n):
        numeric = fd(lambda zz, j=j: float(np.sum(sm.value(zz)[:, j])), z, h=H)   # row b: da_bj/dz_bk
        assert relative_error(J[:, j, :], numeric) < 1e-6


def test_softmax_rows_sum_to_one_and_backward_is_not_elementwise():
    sm = bp.get_activation("softmax")
    z = np.array([[0.5, -1.0, 2.0]])
    a = sm.value(z)
    assert a.sum() == pytest.approx(1.0, abs=1e-15)
    g = np.array([[1.0, 0.0, 0.0]])           # dL/da only through a_1 ...
    dz = sm.backward(z, a, g)
    assert np.all(dz[0, 1:] != 0)             # ... still moves every z (a_1 depends on all of them)
    assert dz.sum() == pytest.approx(0.0, abs=1e-15)   # shifting all z by c changes nothing
    with pytest.raises(TypeError, match="softmax has no element-wise derivative"):
        sm.deriv(z)


# ---------------------------------------------------------------- names and objects

def test_get_activation_by_name_and_object():
    for name in ELEMENTWISE + ["softmax"]:
        act = bp.get_activation(name)
        assert isinstance(act, bp.Activation)
        assert act.name == name
    obj = bp.LeakyReLU(slope=0.2)
    assert bp.get_activation(obj) is obj
    np.testing.assert_allclose(obj.value(np.array([[-1.0, 1.0]])), [[-0.2, 1.0]])
    assert isinstance(bp.get_activation("Leaky-ReLU"), bp.LeakyReLU)     # forgiving spelling
    assert isinstance(bp.get_activation(None), bp.Identity)


def test_elu_alpha_and_leaky_slope_are_used():
    z = np.array([[-1.0]])
    assert bp.ELU(alpha=2.0).value(z)[0, 0] == pytest.approx(2.0 * (math.exp(-1) - 1))
    assert bp.ELU(alpha=2.0).deriv(z)[0, 0] == pytest.approx(2.0 * math.exp(-1))
    assert bp.LeakyReLU(slope=0.1).deriv(z)[0, 0] == pytest.approx(0.1)
