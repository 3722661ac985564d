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


ROWS = {
    "one-hot": ([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]], True),
    "with -0.0": ([[-0.0, 0.0, 1.0], [0.0, 1.0, -0.0]], True),
    "two 1s, then none": ([[1.0, 1.0, 0.0], [0.0, 0.0, 0.0]], False),
    "sums to 1 with -1": ([[2.0, -1.0, 0.0], [0.0, 1.0, 0.0]], False),
    "a distribution": ([[0.5, 0.5, 0.0], [0.0, 1.0, 0.0]], False),
    "a 2": ([[0.0, 2.0, 0.0], [0.0, 1.0, 0.0]], False),
    "NaN": ([[np.nan, 0.0, 1.0], [0.0, 1.0, 0.0]], False),
    "+inf": ([[np.inf, 0.0, 0.0], [0.0, 1.0, 0.0]], False),
    "-inf beside a 1": ([[-np.inf, 0.0, 1.0], [0.0, 1.0, 0.0]], False),
    "all -inf": ([[-np.inf, -np.inf, -np.inf], [0.0, 1.0, 0.0]], False),
}


@pytest.mark.parametrize("table", [True, False], ids=["unit rows", "many classes"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", ROWS)
def test_one_hot_rows_decides_row_by_row(case, dtype, table, monkeypatch):
    """Both ways of the one-hot test (the table of unit rows, and the one for many classes)
    give the same verdict, row by row, with no warning for NaN or inf."""
    if not table:
        monkeypatch.setattr(bp.losses, "UNIT_ROWS_MAX", 2)
    rows, expected = ROWS[case]
    t = np.array(rows, dtype=dtype)
    with np.errstate(all="raise"):
        assert bp.losses.one_hot_rows(t) is expected
        assert bp.losses.one_hot_rows(t[::-1].copy()) is expected


def test_unit_rows_are_shared_and_read_only():
    rows = bp.losses.unit_rows(4, np.dtype(np.float32))
    assert rows is bp.losses.unit_rows(4, np.dtype(np.float32))
    np.testing.assert_array_equal(rows, np.eye(4))
    assert rows.dtype == np.float32 and not rows.flags.writeable
