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
