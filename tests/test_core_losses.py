"""Losses: values computed by hand, gradients against central finite differences
(float64, relative error < 1e-6) on random shapes and values."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import backprop_core as bp

H = 2e-4                          # five-point central differences (conftest)


def relative_error(a, b):
    """max |a - b| / max(|a| + |b|, 1e-8): entries below 1e-8 are compared absolutely."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)))


@st.composite
def prediction_target(draw, kind):
    """(y, t) of one random shape (batch 1..5, n 1..4), seeded, for a loss of `kind`."""
    batch = draw(st.integers(1, 5))
    n = draw(st.integers(2 if kind == "ce" else 1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    if kind == "regression":
        y = rng.uniform(-3, 3, (batch, n))
        t = rng.uniform(-3, 3, (batch, n))
    elif kind == "mae":                          # |y - t| >= 0.05: away from the kink
        t = rng.uniform(-3, 3, (batch, n))
        y = t + rng.choice([-1, 1], (batch, n)) * rng.uniform(0.05, 2, (batch, n))
    elif kind == "probability":                  # p in [0.05, 0.95], soft targets in [0, 1]
        y = rng.uniform(0.05, 0.95, (batch, n))
        t = rng.uniform(0, 1, (batch, n))
    elif kind == "logits":
        y = rng.uniform(-5, 5, (batch, n))
        t = rng.uniform(0, 1, (batch, n))
    elif kind == "ce":                           # logits and probability rows
        y = rng.uniform(-5, 5, (batch, n))
        t = rng.dirichlet(np.ones(n), size=batch)
    return y, t


CASES = [
    (bp.MSE(), "regression"),
    (bp.HalfSquaredError(), "regression"),
    (bp.MAE(), "mae"),
    (bp.BinaryCrossEntropy(), "probability"),
    (bp.BinaryCrossEntropy(from_logits=True), "logits"),
    (bp.CrossEntropy(), "ce"),
]


@pytest.mark.parametrize("loss,kind", CASES, ids=[f"{type(l).__name__}-{k}" for l, k in CASES])
@given(data=st.data())
def test_grad_matches_central_differences(loss, kind, data, fd):
    y, t = data.draw(prediction_target(kind))
    numeric = fd(lambda yy: loss(yy, t), y, h=H)
    analytic = loss.grad(y, t)
    assert analytic.shape == y.shape
    assert relative_error(analytic, numeric) < 1e-6


@given(batch=st.integers(1, 6), k=st.integers(2, 5), seed=st.integers(0, 2**16))
def test_cross_entropy_integer_labels_equal_one_hot(batch, k, seed, fd):
    rng = np.random.default_rng(seed)
    y = rng.uniform(-4, 4, (batch, k))
    labels = rng.integers(0, k, batch)
    onehot = np.eye(k)[labels]
    ce = bp.CrossEntropy()
    assert ce(y, labels) == pytest.approx(ce(y, onehot), rel=1e-14)
    np.testing.assert_allclose(ce.grad(y, labels), ce.grad(y, onehot), rtol=1e-14)
    numeric = fd(lambda yy: ce(yy, labels), y, h=H)
    assert relative_error(ce.grad(y, labels), numeric) < 1e-6


# ---------------------------------------------------------------- values by hand

def test_mse_one_sample_is_the_posts_squared_error():
    # seed 001: prediction 2.1, truth 4: (4 - 2.1)^2 = 3.61
    assert bp.MSE()(np.array([[2.1]]), np.array([[4.0]])) == pytest.approx(1.9 * 1.9, rel=1e-14)
    # mean over all elements: ((1-0)^2 + (2-4)^2 + (0-3)^2 + (1-1)^2) / 4 = 14 / 4
    y, t = np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([[0.0, 4.0], [3.0, 1.0]])
    assert bp.MSE()(y, t) == pytest.approx(14 / 4)
    np.testing.assert_allclose(bp.MSE().grad(y, t), 2 * (y - t) / 4)


def test_half_squared_error_sums_outputs_and_averages_the_batch():
    y, t = np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([[0.0, 4.0], [3.0, 1.0]])
    # ½ ((1 + 4) + (9 + 0)) / 2 samples = 3.5
    assert bp.HalfSquaredError()(y, t) == pytest.approx(0.5 * (1 + 4 + 9 + 0) / 2)
    np.testing.assert_allclose(bp.HalfSquaredError().grad(y, t), (y - t) / 2)


def test_mae_by_hand():
    y, t = np.array([[1.0, -2.0, 0.5]]), np.array([[0.0, 0.0, 0.5]])
    assert bp.MAE()(y, t) == pytest.approx((1 + 2 + 0) / 3)
    np.testing.assert_allclose(bp.MAE().grad(y, t), [[1 / 3, -1 / 3, 0.0]])


def test_bce_by_hand_and_from_logits_agrees():
    p, t = np.array([[0.8, 0.3]]), np.array([[1.0, 0.0]])
    want = -(math.log(0.8) + math.log(0.7)) / 2
    assert bp.BinaryCrossEntropy()(p, t) == pytest.approx(want, rel=1e-14)
    z = np.log(p / (1 - p))                                   # the logits of p
    assert bp.BinaryCrossEntropy(from_logits=True)(z, t) == pytest.approx(want, rel=1e-12)
    # dL/dz = (sigmoid(z) - t) / N = (p - t) / 2
    np.testing.assert_allclose(bp.BinaryCrossEntropy(from_logits=True).grad(z, t), (p - t) / 2, rtol=1e-12)


def test_cross_entropy_by_hand():
    # one sample, logits (1, 2, 3), class 2: L = log(e + e^2 + e^3) - 3
    y = np.array([[1.0, 2.0, 3.0]])
    s = math.exp(1) + math.exp(2) + math.exp(3)
    ce = bp.CrossEntropy()
    assert ce(y, np.array([2])) == pytest.approx(math.log(s) - 3, rel=1e-14)
    want = np.array([[math.exp(1) / s, math.exp(2) / s, math.exp(3) / s - 1]])
    np.testing.assert_allclose(ce.grad(y, np.array([2])), want, rtol=1e-12)
    np.testing.assert_allclose(ce.probabilities(y), [[math.exp(1) / s, math.exp(2) / s, math.exp(3) / s]])



@pytest.mark.parametrize("rows, message", [
    ([[np.inf, -np.inf, 1.0]], "targets t contains 2 NaN or infinite"),   # (its sum would warn)
    ([[1.0, 0.0, 0.0], [np.nan, 0.0, 0.0]], "targets t contains 1 NaN or infinite"),
    ([[1.0, 1.0, 0.0], [0.0, 0.0, 0.0]], r"rows summing to \[2.0, 0.0\]"),   # one 1 a row, not two
    ([[1.0, -1.0, 1.0]], r"rows summing to \[1.0\] with smallest value -1"),
])
def test_cross_entropy_refuses_rows_that_are_not_distributions(rows, message):
    """A clear ValueError and no RuntimeWarning on the way (the tests make warnings errors)."""
    for call in (bp.CrossEntropy(), bp.CrossEntropy().grad, bp.CrossEntropy().per_sample):
        with pytest.raises(ValueError, match=message):
            call(np.zeros((len(rows), 3)), np.array(rows))


def test_cross_entropy_one_hot_and_probability_rows_agree():
    """One-hot rows (found as such: no product by the row sums) give the numbers of the same
    rows as probabilities a hair off 1 would, to rounding."""
    y = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])
    onehot = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    almost = onehot * (1 - 1e-9) + 1e-9 / 3
    ce = bp.CrossEntropy()
    assert ce(y, onehot) == pytest.approx(ce(y, np.array([2, 0])), rel=1e-15)
    assert ce(y, onehot) == pytest.approx(ce(y, almost), rel=1e-7)
    np.testing.assert_allclose(ce.grad(y, onehot), ce.grad(y, almost), atol=1e-8)

def test_losses_are_batch_means():
    """Repeating every sample twice leaves every loss unchanged (mean, not sum)."""
    rng = np.random.default_rng(3)
    for loss, kind in CASES:
        y, t = _draw_fixed(kind, rng)
        y2, t2 = np.vstack([y, y]), np.vstack([t, t])
        assert loss(y2, t2) == pytest.approx(loss(y, t), rel=1e-12), type(loss).__name__


def _draw_fixed(kind, rng):
    if kind in ("regression", "mae"):
        return rng.uniform(-2, 2, (3, 2)), rng.uniform(-2, 2, (3, 2))
    if kind == "probability":
        return rng.uniform(0.1, 0.9, (3, 2)), rng.uniform(0, 1, (3, 2))
    if kind == "logits":
        return rng.uniform(-3, 3, (3, 2)), rng.uniform(0, 1, (3, 2))
    return rng.uniform(-3, 3, (3, 4)), rng.dirichlet(np.ones(4), size=3)


def test_get_loss_by_name_and_object():
    for name, cls in [("mse", bp.MSE), ("half_squared_error", bp.HalfSquaredError), ("mae", bp.MAE),
                      ("binary_cross_entropy", bp.BinaryCrossEntropy), ("bce", bp.BinaryCrossEntropy),
                      ("cross_entropy", bp.CrossEntropy), ("MSE", bp.MSE)]:
        assert isinstance(bp.get_loss(name), cls)
    obj = bp.MSE()
    assert bp.get_loss(obj) is obj


def test_loss_returns_python_float():
    assert type(bp.MSE()(np.array([[1.0]]), np.array([[0.0]]))) is float


@pytest.mark.parametrize("loss", [bp.MSE(), bp.MSE(reduction="sum"), bp.MAE(), bp.HalfSquaredError(),
                                  bp.CrossEntropy(), bp.CrossEntropy(reduction="sum"),
                                  bp.BinaryCrossEntropy(from_logits=True)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_value_and_grad_is_the_two_calls_bit_for_bit(loss, dtype):
    """fit takes L and dL/dy from one call (CrossEntropy shares its exponentials, MSE its
    residual): the numbers must be those of value_checked and grad_checked exactly."""
    rng = np.random.default_rng(7)
    y = (5 * rng.standard_normal((9, 4))).astype(dtype)
    t = rng.dirichlet(np.ones(4), 9)            # probability rows: sums not exactly 1
    L, g = loss.value_and_grad_checked(y, t)
    assert L == loss.value_checked(y, t)
    np.testing.assert_array_equal(g, loss.grad_checked(y, t))
    assert g.dtype == loss.grad_checked(y, t).dtype


@pytest.mark.parametrize("name, kwargs, grid", [
    ("mse", {}, np.linspace(-2, 4, 61)), ("mae", {}, np.linspace(-2, 4, 61)),
    ("half_squared_error", {"reduction": "sum"}, np.linspace(-2, 4, 61)),
    ("binary_cross_entropy", {}, np.linspace(1e-4, 1 - 1e-4, 50)),
    ("binary_cross_entropy", {"from_logits": True}, np.linspace(-6, 6, 50))])
def test_curve_is_the_loss_of_each_batch_of_one(name, kwargs, grid):
    """losses.curve computes one batch; each value must be the loss and the gradient of the
    one-element batch [[y_i]], exactly (the reference: one call per point)."""
    loss = bp.losses.get_loss(name, **kwargs)
    for t in (0.0, 0.3, 1.0):
        values, grads = bp.losses.curve(loss, grid, t)
        assert values.shape == grads.shape == grid.shape
        np.testing.assert_array_equal(values, [loss([[y]], [[t]]) for y in grid])
        np.testing.assert_array_equal(grads, [loss.grad([[y]], [[t]])[0, 0] for y in grid])
    with pytest.raises(ValueError, match="t must be a finite number"):
        bp.losses.curve(loss, grid, np.nan)
