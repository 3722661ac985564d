"""Bad input fails at the API boundary with a ValueError/TypeError that names the argument
and the expected shape or range, in words a student understands: the cases of issue 2 ("Bad
input"), then every silent wrong answer and unclear error found by issue 10's audit."""
import re

import numpy as np
import pytest
from messages import raises

import backprop_core as bp
from backprop_core.network import as_network


def net32(seed=0):
    return bp.Sequential(bp.Dense(3, 2, "sigmoid", seed=seed), bp.Dense(2, 1, "identity", seed=seed + 1))


X_OK = np.ones((4, 3))
T_OK = np.zeros((4, 1))
X4 = np.linspace(-1, 1, 12).reshape(4, 3)
T4 = np.array([[0.0], [1.0], [1.0], [0.0]])


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


# ================================================================ issue 10's audit: silent wrong answers
# and unclear errors, each now a ValueError/TypeError at the boundary

# ---------------------------------------------------------------- fit runs the loss's own checks

def test_fit_bce_targets_outside_0_1():
    net = bp.Sequential(bp.Dense(3, 1, "sigmoid"))
    with raises(ValueError, "targets t", "[0, 1]"):
        bp.fit(net, X4, 2 * T4, bp.BinaryCrossEntropy(), epochs=1)


def test_fit_bce_on_identity_outputs_is_refused():
    with raises(ValueError, "BinaryCrossEntropy", "identity", "from_logits=True"):
        bp.fit(net32(), X4, T4, bp.BinaryCrossEntropy(), epochs=1)
    bp.fit(net32(), X4, T4, bp.BinaryCrossEntropy(from_logits=True), epochs=1)    # logits are fine


def test_fit_softmax_output_with_cross_entropy_is_refused():
    net = bp.Sequential(bp.Dense(3, 3, "softmax"))
    with raises(ValueError, "CrossEntropy", "softmax", "twice", "identity"):
        bp.fit(net, X4, np.array([0, 1, 2, 1]), bp.CrossEntropy(), epochs=1)


def test_cross_entropy_one_hot_targets_must_be_distributions():
    y = np.zeros((1, 3))
    for bad in ([[2.0, -1.0, 0.0]], [[1.0, 1.0, 0.0]]):
        with raises(ValueError, "targets t", "sum to 1"):
            bp.CrossEntropy()(y, bad)
        with raises(ValueError, "targets t"):
            bp.fit(bp.Sequential(bp.Dense(3, 3, "identity")), X4[:1], bad, bp.CrossEntropy(), epochs=1)
    assert bp.CrossEntropy()(y, [[0.1, 0.8, 0.1]]) == pytest.approx(np.log(3))


def test_one_column_softmax_and_cross_entropy():
    with raises(ValueError, "n_out >= 2", "softmax"):
        bp.Dense(3, 1, "softmax")
    with raises(ValueError, "CrossEntropy", "2 classes"):
        bp.CrossEntropy()(np.zeros((4, 1)), np.zeros(4, dtype=int))


@pytest.mark.parametrize("eps", [0.0, -1e-3, 0.5, float("nan"), "tiny"])
def test_bce_eps_range(eps):
    with raises((ValueError, TypeError), "eps"):
        bp.BinaryCrossEntropy(eps=eps)


# ---------------------------------------------------------------- layers and networks

def test_same_dense_twice_in_one_sequential():
    layer = bp.Dense(2, 2)
    with raises(ValueError, "layer 1", "same Dense object as layer 0"):
        bp.Sequential(layer, layer)


@pytest.mark.parametrize("dtype,exc", [(int, ValueError), (np.int32, ValueError), ("banana", TypeError),
                                       (np.float16, ValueError), (complex, ValueError)])
def test_dense_dtype_only_float(dtype, exc):
    with raises(exc, "dtype"):
        bp.Dense(2, 2, dtype=dtype)
    assert bp.Dense(2, 2, dtype="float32").W.dtype == np.float32


def test_custom_init_nan_or_wrong_shape():
    with raises(ValueError, "init", "NaN"):
        bp.Dense(2, 3, init=lambda n_in, n_out, rng: np.full((n_in, n_out), np.nan))
    with raises(ValueError, "init", "(2, 3)", "(3, 2)"):
        bp.Dense(2, 3, init=lambda n_in, n_out, rng: np.zeros((n_out, n_in)))


@pytest.mark.parametrize("slope", [float("nan"), float("inf"), -0.1, 1.5, "0.1", None])
def test_leaky_relu_slope(slope):
    with raises((ValueError, TypeError), "slope"):
        bp.LeakyReLU(slope=slope)


@pytest.mark.parametrize("alpha", [float("nan"), 0.0, "1"])
def test_elu_alpha(alpha):
    with raises((ValueError, TypeError), "alpha"):
        bp.ELU(alpha=alpha)


def test_set_flat_nan_is_refused_and_leaves_the_net_unchanged():
    net = net32()
    before = net.get_flat()
    theta = before.copy()
    theta[3] = np.nan
    with raises(ValueError, "theta", "NaN"):
        net.set_flat(theta)
    np.testing.assert_array_equal(net.get_flat(), before)


@pytest.mark.parametrize("bad", [None, bp.Dense(3, 1), [bp.Dense(3, 1)], "net"])
def test_network_argument_must_be_a_sequential(bad):
    for call in (lambda: bp.fit(bad, X4, T4, epochs=1),
                 lambda: bp.gradcheck(bad, "mse", X4, T4),
                 lambda: bp.landscapes.loss_surface(bad, "mse", X4, T4),
                 lambda: as_network(bad)):
        with raises(TypeError, "net must be a network", "Sequential"):
            call()


def test_as_network_says_how_to_wrap_a_dense():
    with raises(TypeError, "bp.Sequential(Dense(3, 1)"):
        as_network(bp.Dense(3, 1))


# ---------------------------------------------------------------- strings, complex numbers, seeds

@pytest.mark.parametrize("make", [
    lambda: bp.Dense(1, 1, weights=[["1"]]),
    lambda: bp.Dense(1, 1, weights=[[1 + 2j]]),
    lambda: bp.Dense(1, 1, weights=None, bias="0.5"),
    lambda: bp.Dense(1, 1, bias=[1j]),
])
def test_weights_and_bias_must_be_real_numbers(make):
    with pytest.raises(TypeError) as info:
        make()
    assert "weights" in str(info.value) or "bias" in str(info.value)


@pytest.mark.parametrize("X", [X4.astype(complex), X4.astype(str), [[1, 2, None]]])
def test_inputs_must_be_real_numbers(X):
    with raises(TypeError, "X"):
        net32().forward(X)
    with raises(TypeError, "X"):
        bp.fit(net32(), X, T4, epochs=1)


@pytest.mark.parametrize("t", [T4.astype(complex), T4.astype(str)])
def test_targets_must_be_real_numbers(t):
    with raises(TypeError, "targets t"):
        bp.MSE()(np.zeros((4, 1)), t)
    with raises(TypeError, "t"):
        bp.fit(net32(), X4, t, epochs=1)
    with raises(TypeError, "t must be an array of numbers"):
        bp.CrossEntropy()(np.zeros((2, 3)), np.array(["0", "1"]))


@pytest.mark.parametrize("step", ["3", [1, "a"], -1, float("nan")])
def test_schedule_step(step):
    with raises((ValueError, TypeError), "step"):
        bp.StepDecay(0.1)(step)


@pytest.mark.parametrize("seed,exc", [(-1, ValueError), ("a", TypeError), (1.5, TypeError), (True, TypeError)])
def test_seeds(seed, exc):
    for call in (lambda: bp.Dense(2, 2, seed=seed),
                 lambda: bp.initialize("xavier", 2, 2, seed=seed),
                 lambda: bp.fit(net32(), X4, T4, epochs=1, seed=seed),
                 lambda: bp.datasets.blobs(seed=seed),
                 lambda: bp.datasets.split(X4, T4, seed=seed),
                 lambda: bp.depth.deep_network(2, 4, seed=seed)):
        with raises(exc, "seed"):
            call()


# ---------------------------------------------------------------- losses

@pytest.mark.parametrize("loss", [bp.MSE(), bp.HalfSquaredError(), bp.MAE(), bp.BinaryCrossEntropy(),
                                  bp.CrossEntropy()])
def test_losses_on_an_empty_batch(loss):
    with raises(ValueError, "predictions y", "empty"):
        loss(np.zeros((0, 2)), np.zeros((0, 2)))
    with raises(ValueError, "predictions y", "empty"):
        loss.grad(np.zeros((0, 2)), np.zeros((0, 2)))


def test_half_squared_error_refuses_a_1d_y():
    """4 samples of one output and one sample of 4 outputs give different losses (0.5 vs
    2.0): a 1-D y is ambiguous, so it is refused; MSE gives the same for both readings."""
    y, t = np.ones(4), np.zeros(4)
    with raises(ValueError, "predictions y", "2-D", "reshape"):
        bp.HalfSquaredError()(y, t)
    assert bp.HalfSquaredError()(y.reshape(4, 1), t) == pytest.approx(0.5)
    assert bp.HalfSquaredError()(y.reshape(1, 4), t) == pytest.approx(2.0)
    assert bp.MSE()(y, t) == bp.MSE()(y.reshape(4, 1), t) == bp.MSE()(y.reshape(1, 4), t)


def test_loss_and_optimizer_classes_instead_of_objects():
    with raises(TypeError, "loss", "bp.MSE()"):
        bp.fit(net32(), X4, T4, loss=bp.MSE, epochs=1)
    with raises(TypeError, "optimizer", "bp.SGD(lr=0.1)"):
        bp.fit(net32(), X4, T4, optimizer=bp.SGD, epochs=1)


# ---------------------------------------------------------------- gradcheck

def test_gradcheck_float32_network_is_checked_in_float64():
    net = bp.Sequential(bp.Dense(3, 4, "tanh", seed=2, dtype=np.float32),
                        bp.Dense(4, 1, "sigmoid", seed=3, dtype=np.float32))
    before = net.get_flat()
    assert bp.gradcheck(net, "mse", X4, T4) < 1e-6
    np.testing.assert_array_equal(net.get_flat(), before)
    assert all(p.dtype == np.float32 for p in net.parameters())


class Boom(bp.MSE):
    """An MSE that raises on its n-th call (as a Ctrl-C in the middle of a gradcheck would)."""

    def __init__(self, n):
        self.calls, self.n = 0, n

    def __call__(self, y, t):
        self.calls += 1
        if self.calls == self.n:
            raise KeyboardInterrupt
        return super().__call__(y, t)


@pytest.mark.parametrize("n", [1, 2, 7])
def test_gradcheck_restores_the_weight_when_interrupted(n):
    net = net32()
    before = net.get_flat()
    with pytest.raises(KeyboardInterrupt):
        bp.numerical_gradients(net, Boom(n), X4, T4)
    np.testing.assert_array_equal(net.get_flat(), before)


@pytest.mark.parametrize("h", [0, -1e-5, float("nan"), "1e-5"])
def test_gradcheck_step_h(h):
    with raises((ValueError, TypeError), "h"):
        bp.gradcheck(net32(), "mse", X4, T4, h=h)


# ---------------------------------------------------------------- optimisers, data, landscapes, fit

def test_optimizer_update_refuses_a_gradient_of_another_shape():
    w = np.zeros((2, 3))
    with raises(ValueError, "grads[0]", "(2, 3)", "(3,)"):
        bp.SGD(lr=0.1).update([w], [np.ones(3)])
    with raises(TypeError, "grads[0]"):
        bp.SGD(lr=0.1).update([w], [np.full((2, 3), "1")])
    np.testing.assert_array_equal(w, 0.0)


@pytest.mark.parametrize("frac", [0.0, 1.0, -0.1, 1.5, float("nan"), "0.2"])
def test_split_test_fraction(frac):
    with raises((ValueError, TypeError), "test_fraction"):
        bp.datasets.split(X4, T4, test_fraction=frac)


def test_split_lengths_must_match():
    with raises(ValueError, "X and t", "(4, 3)", "(3, 1)"):
        bp.datasets.split(X4, T4[:3])
    Xtr, ttr, Xte, tte = bp.datasets.split(X4, T4, test_fraction=0.99)
    assert len(Xtr) == 1 and len(Xte) == 3


@pytest.mark.parametrize("max_loss", [float("nan"), -1, 0, "big", None])
def test_fit_max_loss(max_loss):
    with raises(ValueError, "max_loss"):
        bp.fit(net32(), X4, T4, epochs=1, max_loss=max_loss)


def test_fit_max_loss_inf_never_stops():
    assert not bp.fit(net32(), X4, T4, epochs=2, max_loss=float("inf")).diverged


def test_fit_record_params_refuses_a_huge_trajectory_up_front():
    net = net32()
    before = net.get_flat()
    with raises(ValueError, "record_params", "GiB", "epochs"):
        bp.fit(net, X4, T4, epochs=10 ** 9, record_params=True)
    np.testing.assert_array_equal(net.get_flat(), before)


@pytest.mark.parametrize("n,exc", [(0, ValueError), (-1, ValueError), (1, ValueError), (2.5, TypeError)])
def test_loss_surface_grid_size(n, exc):
    net = bp.Sequential(bp.Dense(1, 1, "identity"))
    with raises(exc, "n "):
        bp.landscapes.loss_surface(net, "mse", [[1.0]], [[2.0]], n=n)


def test_loss_surface_checks_ranges_and_params():
    net = bp.Sequential(bp.Dense(1, 1, "identity"))
    with raises(ValueError, "ranges"):
        bp.landscapes.loss_surface(net, "mse", [[1.0]], [[2.0]], ranges=((1, -1), (0, 1)))
    with raises(ValueError, "params"):
        bp.landscapes.loss_surface(net, "mse", [[1.0]], [[2.0]], params=(0, 2))


# ---------------------------------------------------------------- found by a second audit of the core's lane

@pytest.mark.parametrize("call,word", [
    (lambda: bp.datasets.linear(noise="a"), "noise"),
    (lambda: bp.datasets.linear(noise=float("nan")), "noise"),
    (lambda: bp.datasets.linear(x_range=(1,)), "x_range"),
    (lambda: bp.datasets.linear(x_range=(2, 1)), "x_range"),
    (lambda: bp.datasets.linear(weight="w"), "weight"),
    (lambda: bp.datasets.curve(noise="x"), "noise"),
    (lambda: bp.datasets.blobs(spread=-1), "spread"),
    (lambda: bp.datasets.sine(noise=-1), "noise"),
    (lambda: bp.fit(net32(), X4, T4, shuffle="no", epochs=1), "shuffle"),
    (lambda: bp.fit(net32(), X4, T4, record_params="yes", epochs=1), "record_params"),
    (lambda: bp.Sequential(bp.Dense(1, 1), unit_names="ab"), "unit_names"),
    (lambda: bp.Sequential(bp.Dense(1, 1), unit_names=[None, None]), "unit_names"),
    (lambda: bp.landscapes.linear_problem().descend(None), "optimizer"),
    (lambda: bp.landscapes.linear_problem().descend(bp.SGD), "optimizer"),
    (lambda: bp.landscapes.QuadraticBowl().descend(bp.SGD(lr=0.1), max_loss=float("nan")), "max_loss"),
    (lambda: bp.landscapes.QuadraticBowl(angle="a"), "angle"),
    (lambda: bp.landscapes.hessian(bp.landscapes.QuadraticBowl(), [1.0, 2.0, 3.0]), "theta"),
    (lambda: bp.timing.Timing([1.0]).per("a"), "n"),
    (lambda: bp.timing.median_time(None), "fn"),
    (lambda: bp.scalar.ScalarNetwork221({"w1": 1.0}), "missing: w2"),
    (lambda: bp.MSE()(np.zeros((2, 2, 2)), np.zeros((2, 2, 2))), "predictions y"),
    (lambda: bp.delta_rule.delta_rule_step(net32(), X4, T4, eta="a"), "eta"),
    (lambda: bp.delta_rule.delta_rule_step(bp.Dense(3, 1), X4, T4, eta=0.5), "net"),
])
def test_second_audit(call, word):
    with raises((ValueError, TypeError), word):
        call()
