"""Bad input fails at the API boundary with a ValueError/TypeError that names the argument
and the expected shape or range, in words a student understands (issue 2, "Bad input")."""
import re

import numpy as np
import pytest

import backprop_core as bp


def net32():
    return bp.Sequential(bp.Dense(3, 2, "sigmoid", seed=0), bp.Dense(2, 1, "identity", seed=1))


X_OK = np.ones((4, 3))
T_OK = np.zeros((4, 1))


# ---------------------------------------------------------------- shapes

def test_input_width_mismatch_layer():
    with pytest.raises(ValueError, match=re.escape("Dense(3, 2) expects inputs of width 3, "
                                                   "got an array of shape (4, 5)")):
        bp.Dense(3, 2).forward(np.ones((4, 5)))


def test_input_width_mismatch_network_and_fit():
    msg = re.escape("this network (first layer Dense(3, 2)) expects inputs of width 3, got an array of shape (4, 2)")
    with pytest.raises(ValueError, match=msg):
        net32().forward(np.ones((4, 2)))
    with pytest.raises(ValueError, match=msg):
        bp.fit(net32(), np.ones((4, 2)), T_OK, "mse", bp.SGD(lr=0.1))
    with pytest.raises(ValueError, match="expects inputs of width 3"):
        bp.trace(net32(), "mse", np.ones((1, 2)), np.zeros((1, 1)))


@pytest.mark.parametrize("X,match", [
    (np.ones((2, 2, 3)),
     r"X must be a 2-D array of shape \(batch, 3\) \(rows are samples\), got an array of shape \(2, 2, 3\)"),
    (np.ones((0, 3)), r"X is empty: it needs at least one sample"),
])
def test_input_not_a_batch(X, match):
    with pytest.raises(ValueError, match=match):
        net32().forward(X)


def test_input_not_numbers():
    with pytest.raises(TypeError, match="X must be an array of numbers"):
        net32().forward([["a", "b", "c"]])


def test_target_shape_mismatch_loss():
    y = np.zeros((4, 1))
    with pytest.raises(ValueError, match=re.escape("MSE: targets t must have the shape of the predictions "
                                                   "(4, 1), got (4, 2)")):
        bp.MSE()(y, np.zeros((4, 2)))
    with pytest.raises(ValueError, match="targets t must have the shape of the predictions"):
        bp.HalfSquaredError().grad(y, np.zeros((3, 1)))
    with pytest.raises(ValueError, match=re.escape("CrossEntropy: targets t must be labels of shape (4,) "
                                                   "or one-hot rows of shape (4, 3)")):
        bp.CrossEntropy()(np.zeros((4, 3)), np.zeros((4, 2)))


def test_target_shape_mismatch_fit():
    with pytest.raises(ValueError, match=re.escape("targets t must have shape (4, 1) (one row per sample "
                                                   "of X, one column per output), got (3, 1)")):
        bp.fit(net32(), X_OK, np.zeros((3, 1)), "mse", bp.SGD(lr=0.1))


def test_weights_and_bias_of_the_wrong_shape():
    with pytest.raises(ValueError, match=re.escape("weights for Dense(3, 2) must have shape (3, 2) "
                                                   "(n_in, n_out), got (2, 3)")):
        bp.Dense(3, 2, weights=np.ones((2, 3)))
    with pytest.raises(ValueError, match=re.escape("bias for Dense(3, 2) must have shape (2,), got (3,)")):
        bp.Dense(3, 2, bias=[0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="weights contains 1 NaN or infinite value"):
        bp.Dense(1, 1, weights=[[np.nan]])


def test_layer_sizes():
    with pytest.raises(ValueError, match="n_in must be an integer >= 1, got 0"):
        bp.Dense(0, 2)
    with pytest.raises(TypeError, match="n_out must be an integer >= 1, got 2.5"):
        bp.Dense(3, 2.5)
    with pytest.raises(ValueError, match=re.escape("layer 1 Dense(3, 1) expects width 3, but layer 0 outputs width 2")):
        bp.Sequential(bp.Dense(3, 2), bp.Dense(3, 1))
    with pytest.raises(TypeError, match="Sequential takes Dense and Dropout layers; layer 0 is str"):
        bp.Sequential("dense")
    with pytest.raises(ValueError, match="set_flat expects a vector of 11 parameters, got shape \\(3,\\)"):
        net32().set_flat(np.zeros(3))


def test_backward_order_and_shape():
    with pytest.raises(RuntimeError, match="backward needs a forward pass first"):
        net32().backward(np.zeros((1, 1)))
    net = net32()
    net.forward(X_OK)
    msg = "backward expects dL/dy of shape (4, 1) (the output's shape), got (4, 2)"
    with pytest.raises(ValueError, match=re.escape(msg)):
        net.backward(np.zeros((4, 2)))


# ---------------------------------------------------------------- NaN and inf

@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_inf_in_inputs(bad):
    X = X_OK.copy()
    X[2, 1] = bad
    with pytest.raises(ValueError, match="X contains 1 NaN or infinite value"):
        net32().forward(X)
    with pytest.raises(ValueError, match="X contains 1 NaN or infinite value"):
        bp.fit(net32(), X, T_OK, "mse", bp.SGD(lr=0.1))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_inf_in_targets(bad):
    t = T_OK.copy()
    t[0, 0] = bad
    with pytest.raises(ValueError, match="t contains 1 NaN or infinite value"):
        bp.fit(net32(), X_OK, t, "mse", bp.SGD(lr=0.1))
    with pytest.raises(ValueError, match="targets t contains 1 NaN or infinite value"):
        bp.MSE()(np.zeros((4, 1)), t)
    with pytest.raises(ValueError, match="predictions y contains 1 NaN or infinite value"):
        bp.MSE().grad(t, np.zeros((4, 1)))


def test_bad_labels_and_probabilities():
    with pytest.raises(ValueError, match=r"CrossEntropy: labels t must be in 0..2, got 0..3"):
        bp.CrossEntropy()(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="integer labels t must be whole numbers"):
        bp.CrossEntropy()(np.zeros((2, 3)), np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match=r"predictions must be probabilities in \[0, 1\]"):
        bp.BinaryCrossEntropy()(np.array([[1.5]]), np.array([[1.0]]))
    with pytest.raises(ValueError, match=r"targets t must be in \[0, 1\]"):
        bp.BinaryCrossEntropy()(np.array([[0.5]]), np.array([[2.0]]))
    with pytest.raises(ValueError, match="labels t must be in 0..2"):
        bp.fit(bp.Sequential(bp.Dense(2, 3, "identity")), np.zeros((2, 2)), np.array([0, 5]),
               bp.CrossEntropy(), bp.SGD(lr=0.1))


# ---------------------------------------------------------------- unknown names

@pytest.mark.parametrize("call,match", [
    (lambda: bp.Dense(2, 2, "sigmoidd"),
     "unknown activation 'sigmoidd'; known: elu, identity, leaky_relu, linear, relu, sigmoid, softmax, "
     "softplus, swish, tanh"),
    (lambda: bp.get_activation("gelu"), "unknown activation 'gelu'; known: elu, identity,"),
    (lambda: bp.get_loss("hinge"),
     "unknown loss 'hinge'; known: bce, binary_cross_entropy, cross_entropy, half_squared_error, mae, mse"),
    (lambda: bp.fit(net32(), X_OK, T_OK, loss="l2"), "unknown loss 'l2'; known: bce,"),
    (lambda: bp.get_optimizer("adagrad"), "unknown optimizer 'adagrad'; known: adam, rmsprop, sgd"),
    (lambda: bp.fit(net32(), X_OK, T_OK, "mse", optimizer="lbfgs"),
     "unknown optimizer 'lbfgs'; known: adam, rmsprop, sgd"),
    (lambda: bp.Dense(2, 2, init="orthogonal"),
     "unknown init 'orthogonal'; known: glorot, he, kaiming, uniform, xavier, zeros"),
])
def test_unknown_names_list_the_known_ones(call, match):
    with pytest.raises(ValueError, match=re.escape(match)):
        call()


def test_name_of_the_wrong_type():
    with pytest.raises(TypeError, match="activation must be a name"):
        bp.get_activation(3)
    with pytest.raises(TypeError, match="loss must be a name"):
        bp.get_loss(3)


# ---------------------------------------------------------------- learning rate and momentum

@pytest.mark.parametrize("make", [bp.SGD, bp.RMSProp, bp.Adam, bp.Constant,
                                  bp.StepDecay, bp.ExponentialDecay, bp.InverseTime])
@pytest.mark.parametrize("lr", [0, -0.1, np.nan, np.inf, -np.inf])
def test_lr_must_be_positive_and_finite(make, lr):
    with pytest.raises(ValueError, match=re.escape(f"lr must be a finite number > 0, got {lr!r}")):
        make(lr=lr)


@pytest.mark.parametrize("lr", ["0.1", None, True, [0.1]])
def test_lr_must_be_a_number(lr):
    with pytest.raises(TypeError, match="lr must be a number > 0"):
        bp.SGD(lr=lr)


@pytest.mark.parametrize("momentum", [-0.1, 1.0, 1.5, np.nan])
def test_momentum_must_be_in_0_1(momentum):
    with pytest.raises(ValueError, match=re.escape(f"momentum must be in [0.0, 1.0), got {momentum!r}")):
        bp.SGD(lr=0.1, momentum=momentum)


def test_momentum_must_be_a_number_and_nesterov_needs_it():
    with pytest.raises(TypeError, match="momentum must be a number"):
        bp.SGD(lr=0.1, momentum="0.9")
    with pytest.raises(ValueError, match="nesterov=True needs momentum in \\(0, 1\\)"):
        bp.SGD(lr=0.1, nesterov=True)


@pytest.mark.parametrize("kwargs,match", [
    (dict(beta1=1.0), r"beta1 must be in \[0.0, 1.0\), got 1.0"),
    (dict(beta2=-0.5), r"beta2 must be in \[0.0, 1.0\), got -0.5"),
    (dict(eps=0), r"eps must be a finite number > 0, got 0"),
])
def test_adam_hyperparameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        bp.Adam(**kwargs)


def test_schedule_parameters():
    with pytest.raises(ValueError, match=r"drop must be in \(0, 1\], got 0"):
        bp.StepDecay(0.1, drop=0)
    with pytest.raises(ValueError, match="every must be an integer >= 1, got 0"):
        bp.StepDecay(0.1, every=0)
    with pytest.raises(ValueError, match=r"decay must be in \(0, 1\], got 1.5"):
        bp.ExponentialDecay(0.1, decay=1.5)
    with pytest.raises(ValueError, match=r"rho must be in \[0.0, 1.0\), got 1"):
        bp.RMSProp(rho=1)


# ---------------------------------------------------------------- batch size and epochs

@pytest.mark.parametrize("batch_size", [0, -3])
def test_batch_size_at_least_one(batch_size):
    with pytest.raises(ValueError, match=f"batch_size must be an integer >= 1, got {batch_size}"):
        bp.fit(net32(), X_OK, T_OK, "mse", bp.SGD(lr=0.1), batch_size=batch_size)


@pytest.mark.parametrize("batch_size", [2.5, 3.0, "4", True, None])
def test_batch_size_an_integer(batch_size):
    with pytest.raises(TypeError, match=re.escape(f"batch_size must be an integer >= 1, got {batch_size!r}")):
        bp.fit(net32(), X_OK, T_OK, "mse", bp.SGD(lr=0.1), batch_size=batch_size)


@pytest.mark.parametrize("epochs,error", [(0, ValueError), (-1, ValueError), (1.5, TypeError)])
def test_epochs_at_least_one(epochs, error):
    with pytest.raises(error, match=f"epochs must be an integer >= 1, got {epochs}"):
        bp.fit(net32(), X_OK, T_OK, "mse", bp.SGD(lr=0.1), epochs=epochs)


def test_numpy_integers_are_accepted():
    hist = bp.fit(net32(), X_OK, T_OK, "mse", bp.SGD(lr=0.1), epochs=np.int64(2), batch_size=np.int32(2))
    assert len(hist.loss) == 4


def test_bad_input_leaves_the_network_untouched():
    net = net32()
    before = net.get_flat().copy()
    with pytest.raises(ValueError):
        bp.fit(net, X_OK, np.zeros((4, 7)), "mse", bp.SGD(lr=0.1))
    np.testing.assert_array_equal(net.get_flat(), before)
