"""The cheap checks of a training step (issue 22) decide exactly as the plain ones did:
CrossEntropy's one test for its target rows (>= 0, sum 1 within 1e-6, finite)."""
import numpy as np
import pytest

import backprop_core as bp


def test_cross_entropy_target_rows_one_test_same_verdicts():
    loss = bp.CrossEntropy()
    y = np.zeros((2, 3))
    ok = [[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]]
    assert np.isfinite(loss(y, ok))
    off = 1 + 2e-6                                   # a row summing to 1 + 2e-6: refused
    with pytest.raises(ValueError, match="rows of numbers >= 0 that sum to 1"):
        loss(y, [[off, 0.0, 0.0], [1.0, 0.0, 0.0]])
    loss(y, [[1 + 5e-7, 0.0, 0.0], [1.0, 0.0, 0.0]])  # within 1e-6: accepted, as before
    with pytest.raises(ValueError, match="rows of numbers >= 0 that sum to 1"):
        loss(y, [[1.5, -0.5, 0.0], [1.0, 0.0, 0.0]])
    with pytest.raises(ValueError, match="targets t contains 1 NaN or infinite"):
        loss(y, [[np.nan, 0.0, 1.0], [1.0, 0.0, 0.0]])
    with pytest.raises(ValueError, match="targets t contains 1 NaN or infinite"):
        loss(y, [[np.inf, 0.0, 0.0], [1.0, 0.0, 0.0]])


def test_cross_entropy_one_hot_shortcut_needs_every_row_to_sum_to_one():
    """The shortcut for one-hot rows (as many numbers that are not 0 as rows, every row's
    sum exactly 1) must not pass rows whose total is right but whose rows are not: two 1s
    in one row, none in the next; a row summing to 1 with a negative number in it; nor an
    infinite value; and a -0.0 is still a valid 0."""
    loss = bp.CrossEntropy()
    y = np.array([[0.5, -1.0, 2.0], [0.0, 1.0, -2.0]])
    with pytest.raises(ValueError, match=r"rows summing to \[2.0, 0.0\]"):
        loss.grad(y, [[1.0, 1.0, 0.0], [0.0, 0.0, 0.0]])
    with pytest.raises(ValueError, match="smallest value -1"):
        loss.grad(y, [[2.0, -1.0, 0.0], [0.0, 1.0, 0.0]])
    soft = np.array([[0.5, 0.5, 0.0], [0.0, 1.0, 0.0]])          # not one-hot, still a distribution
    np.testing.assert_array_equal(loss.grad(y, soft), loss.grad_checked(y, soft))
    with pytest.raises(ValueError, match="targets t contains 2 NaN or infinite"):
        loss.grad(y, [[np.inf, 0.0, 1.0], [-np.inf, 0.0, 1.0]])
    t = np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    p = np.exp(y) / np.exp(y).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(loss.grad(y, t), (p - t) / 2, rtol=0, atol=1e-15)
    negative_zero = t.copy()
    negative_zero[0, 0] = -0.0
    assert np.array_equal(loss.grad(y, negative_zero), loss.grad(y, t))


def test_check_finite_counts_what_it_refuses():
    X = np.zeros((3, 4))
    X[0, 1], X[2, 3], X[2, 0] = np.nan, np.inf, -np.inf
    with pytest.raises(ValueError, match="X contains 3 NaN or infinite"):
        bp.checks.check_finite(X, "X")
    bp.checks.check_finite(np.zeros((2, 2), np.float32), "X")      # finite: no error
