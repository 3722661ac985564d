"""Public names for what crosses a file boundary (issue 10, structure): Sequential.check_input
and forward_checked, CrossEntropy.one_hot, Dense.label, one softmax, one public loss gradient."""
import numpy as np
import pytest

import backprop_core as bp
from backprop_core import activations, losses


def net():
    return bp.Sequential(bp.Dense(3, 2, "tanh", seed=0), bp.Dense(2, 2, "identity", seed=1))


def test_check_input_gives_what_the_layer_loop_needs():
    n = net()
    x = n.check_input([1.0, 2.0, 3.0])                 # one sample as a 1-D array
    assert x.shape == (1, 3) and x.dtype == np.float64
    np.testing.assert_array_equal(n.forward_checked(x), n.forward(x))
    with pytest.raises(ValueError, match="expects inputs of width 3"):
        n.check_input(np.ones((2, 4)))
    n32 = bp.Sequential(bp.Dense(3, 2, dtype=np.float32))
    assert n32.check_input(np.ones((2, 3))).dtype == np.float32


def test_one_hot():
    np.testing.assert_array_equal(bp.CrossEntropy.one_hot([2, 0, 1.0], 3),
                                  [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    with pytest.raises(ValueError, match="labels t must be in 0..2"):
        bp.CrossEntropy.one_hot([3], 3)
    with pytest.raises(ValueError, match="whole numbers"):
        bp.CrossEntropy.one_hot([0.5], 3)


def test_dense_label():
    assert bp.Dense(3, 2).label == "Dense(3, 2)"


def test_one_softmax():
    z = np.array([[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0]])
    p = activations.softmax(z)
    np.testing.assert_array_equal(bp.Softmax().value(z), p)
    np.testing.assert_array_equal(bp.CrossEntropy().probabilities(z), p)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert losses.softmax is activations.softmax


def test_grad_is_the_one_public_gradient():
    y, t = np.array([[0.2, 0.7]]), np.array([[0.0, 1.0]])
    for loss in (bp.MSE(), bp.HalfSquaredError(), bp.MAE(), bp.BinaryCrossEntropy(), bp.CrossEntropy()):
        assert not hasattr(loss, "gradient"), "Loss.grad and Loss.gradient one letter apart: keep one"
        np.testing.assert_array_equal(loss.grad(y, t), loss.grad_checked(y, t))
