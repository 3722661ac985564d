"""Dense layers and Sequential networks: the forward pass by hand, the backward pass against
central finite differences on random layer stacks, and the bookkeeping (flat parameters, copy)."""
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import backprop_core as bp

SMOOTH = ["identity", "sigmoid", "tanh", "softplus", "swish", "elu", "leaky_relu", "relu"]


def relative_error(a, b, floor):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)))


# ---------------------------------------------------------------- forward by hand

def test_dense_forward_by_hand():
    W = [[1.0, -2.0], [0.5, 3.0], [0.0, 1.0]]
    layer = bp.Dense(3, 2, "identity", weights=W, bias=[0.1, -0.2])
    X = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 2.0]])
    a = layer.forward(X)
    want = [[1 * 1 + 2 * 0.5 + 3 * 0 + 0.1, 1 * -2 + 2 * 3 + 3 * 1 - 0.2],
            [0 * 1 + -1 * 0.5 + 2 * 0 + 0.1, 0 * -2 + -1 * 3 + 2 * 1 - 0.2]]
    np.testing.assert_allclose(a, want, rtol=1e-15)
    assert layer.x.shape == (2, 3) and layer.z.shape == (2, 2) and layer.a.shape == (2, 2)
    np.testing.assert_array_equal(layer.z, layer.a)


def test_dense_backward_by_hand():
    """δ = dL/da · f'(z); dW = xᵀ δ; db = Σ_batch δ; dL/dx = δ Wᵀ (identity: f' = 1)."""
    layer = bp.Dense(2, 1, "identity", weights=[[2.0], [-1.0]], bias=[0.5])
    X = np.array([[1.0, 3.0], [2.0, 0.0]])
    layer.forward(X)
    g = np.array([[0.5], [-1.0]])
    dX = layer.backward(g)
    np.testing.assert_allclose(layer.delta, g)
    np.testing.assert_allclose(layer.dW, [[1 * 0.5 + 2 * -1.0], [3 * 0.5 + 0 * -1.0]])
    np.testing.assert_allclose(layer.db, [0.5 - 1.0])
    np.testing.assert_allclose(dX, [[0.5 * 2, 0.5 * -1], [-1.0 * 2, -1.0 * -1]])
    np.testing.assert_allclose(layer.dL_da, g)


def test_dense_sigmoid_backward_by_hand():
    layer = bp.Dense(1, 1, "sigmoid", weights=[[1.0]], bias=[0.0])
    layer.forward(np.array([[0.0]]))                 # z = 0, a = 0.5, f'(0) = 0.25
    layer.backward(np.array([[2.0]]))
    assert layer.delta[0, 0] == pytest.approx(2.0 * 0.25)
    assert layer.dW[0, 0] == pytest.approx(0.0)       # x = 0
    assert layer.db[0] == pytest.approx(0.5)


def test_sequential_forward_is_layers_in_order():
    net = bp.Sequential(bp.Dense(3, 4, "tanh", seed=1), bp.Dense(4, 2, "sigmoid", seed=2))
    X = np.random.default_rng(0).normal(size=(5, 3))
    l1, l2 = net.layers
    h = np.tanh(X @ l1.W + l1.b)
    y = 1 / (1 + np.exp(-(h @ l2.W + l2.b)))
    np.testing.assert_allclose(net.forward(X), y, rtol=1e-14)
    np.testing.assert_allclose(net(X), y, rtol=1e-14)
    assert net.sizes == [3, 4, 2]


def test_one_dimensional_input_is_one_sample():
    net = bp.Sequential(bp.Dense(3, 2, seed=0))
    np.testing.assert_array_equal(net.forward([1.0, 2.0, 3.0]), net.forward([[1.0, 2.0, 3.0]]))


# ---------------------------------------------------------------- random stacks vs finite differences

@st.composite
def stacks(draw):
    """A random network (1..3 layers, widths 1..4, mixed activations, random nonzero biases),
    a batch X and targets t, and a loss that fits its output."""
    depth = draw(st.integers(1, 3))
    widths = [draw(st.integers(1, 4)) for _ in range(depth + 1)]
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    loss_name = draw(st.sampled_from(["mse", "half_squared_error", "bce", "cross_entropy", "softmax_mse"]))
    layers = []
    for i in range(depth):
        last = i == depth - 1
        act = draw(st.sampled_from(SMOOTH))
        if last and loss_name == "bce":
            act = "sigmoid"
        elif last and loss_name == "cross_entropy":
            act = "identity"
        elif last and loss_name == "softmax_mse":
            act = "softmax"
        n_out = widths[i + 1]
        if last and loss_name in ("cross_entropy", "softmax_mse"):
            n_out = max(n_out, 2)
        init = draw(st.sampled_from(["xavier", "he", "uniform"]))
        layers.append(bp.Dense(layers[-1].n_out if layers else widths[0], n_out, act, init=init,
                               seed=seed + i, bias=rng.uniform(-0.5, 0.5, n_out)))
    net = bp.Sequential(*layers)
    batch = draw(st.integers(1, 4))
    X = rng.uniform(-2, 2, (batch, widths[0]))
    n_out = layers[-1].n_out
    if loss_name == "cross_entropy":
        t = rng.integers(0, n_out, batch)
        loss = bp.CrossEntropy()
    elif loss_name == "bce":
        t = rng.uniform(0, 1, (batch, n_out))
        loss = bp.BinaryCrossEntropy()
    elif loss_name == "half_squared_error":
        t = rng.uniform(-1, 1, (batch, n_out))
        loss = bp.HalfSquaredError()
    else:
        t = rng.uniform(-1, 1, (batch, n_out))
        loss = bp.MSE()
    return net, X, t, loss


def _near_a_kink(net):
    """True when some relu/leaky_relu/elu unit has |z| < 1e-3: a finite difference there
    straddles the kink and measures nothing useful."""
    for layer in net.layers:
        if layer.activation.name in ("relu", "leaky_relu", "elu") and np.any(np.abs(layer.z) < 1e-3):
            return True
    return False


@given(case=stacks())
def test_random_stacks_match_numerical_gradients(case):
    net, X, t, loss = case
    net.forward(X)
    assume(not _near_a_kink(net))         # finite differences across a kink are not a derivative
    analytic = bp.analytic_gradients(net, loss, X, t)
    numeric = bp.numerical_gradients(net, loss, X, t)
    for a, n, p in zip(analytic, numeric, net.parameters()):
        assert a.shape == p.shape
        # relative error per entry; gradients below 1e-4 are compared in absolute terms
        # (to 1e-10): a zero gradient has no relative error, and two-point central
        # differences of an O(1) loss carry ~1e-11 of round-off (as bp.gradcheck's floor)
        assert relative_error(a, n, floor=1e-4) < 1e-6


@given(case=stacks())
def test_gradcheck_is_small_for_correct_backward(case):
    net, X, t, loss = case
    net.forward(X)
    assume(not _near_a_kink(net))         # finite differences across a kink are not a derivative
    assert bp.gradcheck(net, loss, X, t) < 1e-6


def test_gradcheck_detects_a_wrong_backward():
    """A check that cannot fail is no check: break sigmoid's derivative and gradcheck sees it."""
    class WrongSigmoid(bp.Activation):
        name = "wrong_sigmoid"

        def value(self, z):
            return bp.Sigmoid().value(z)

        def deriv(self, z, a=None):                   # twice the true f'(z)
            return 2 * bp.Sigmoid().deriv(z, a)
    net = bp.Sequential(bp.Dense(2, 3, WrongSigmoid(), seed=0), bp.Dense(3, 1, "sigmoid", seed=1))
    X, t = np.array([[0.5, -1.0]]), np.array([[1.0]])
    assert bp.gradcheck(net, bp.MSE(), X, t) > 0.1


def test_backward_twice_gives_the_same_gradients():
    """Gradients are set, not accumulated: calling backward again does not double them."""
    net = bp.Sequential(bp.Dense(3, 4, "tanh", seed=0), bp.Dense(4, 2, "sigmoid", seed=1))
    X = np.random.default_rng(1).normal(size=(5, 3))
    t = np.random.default_rng(2).uniform(size=(5, 2))
    loss = bp.MSE()
    g1 = bp.analytic_gradients(net, loss, X, t)
    g2 = bp.analytic_gradients(net, loss, X, t)
    for a, b in zip(g1, g2):
        np.testing.assert_array_equal(a, b)


def test_batch_gradient_is_mean_of_sample_gradients():
    """MSE is a mean over the batch, so the batch gradient is the mean of per-sample ones."""
    net = bp.Sequential(bp.Dense(2, 3, "sigmoid", seed=0), bp.Dense(3, 1, "identity", seed=1))
    X = np.array([[0.1, 0.2], [1.0, -1.0], [-0.5, 2.0]])
    t = np.array([[0.0], [1.0], [0.5]])
    batch = bp.analytic_gradients(net, bp.MSE(), X, t)
    per_sample = [bp.analytic_gradients(net, bp.MSE(), X[i:i + 1], t[i:i + 1]) for i in range(3)]
    for k, g in enumerate(batch):
        np.testing.assert_allclose(g, np.mean([s[k] for s in per_sample], axis=0), rtol=1e-12)


def test_use_bias_false_has_no_bias_gradient():
    layer = bp.Dense(2, 2, "identity", seed=0, use_bias=False)
    net = bp.Sequential(layer)
    assert len(net.parameters()) == 1 and len(net.gradients()) == 1
    net.forward(np.ones((1, 2)))
    net.backward(np.ones((1, 2)))
    np.testing.assert_array_equal(layer.b, [0.0, 0.0])


# ---------------------------------------------------------------- bookkeeping

def test_parameters_and_gradients_match_in_order_and_shape():
    net = bp.Sequential(bp.Dense(3, 4, seed=0), bp.Dense(4, 2, seed=1))
    params, grads = net.parameters(), net.gradients()
    assert [p.shape for p in params] == [(3, 4), (4,), (4, 2), (2,)]
    assert [g.shape for g in grads] == [p.shape for p in params]
    assert params[0] is net.layers[0].W and params[3] is net.layers[1].b     # the arrays themselves


def test_get_flat_set_flat_round_trip():
    net = bp.Sequential(bp.Dense(3, 4, seed=0), bp.Dense(4, 2, seed=1))
    theta = net.get_flat()
    assert theta.shape == (3 * 4 + 4 + 4 * 2 + 2,)
    np.testing.assert_array_equal(theta[:12], net.layers[0].W.ravel())
    new = np.arange(theta.size, dtype=float)
    net.set_flat(new)
    np.testing.assert_array_equal(net.get_flat(), new)
    np.testing.assert_array_equal(net.layers[1].b, new[-2:])


def test_copy_is_independent():
    net = bp.Sequential(bp.Dense(2, 3, "tanh", seed=0), bp.Dense(3, 1, "sigmoid", seed=1))
    twin = net.copy()
    X = np.array([[0.3, -0.7]])
    np.testing.assert_array_equal(twin.forward(X), net.forward(X))
    twin.layers[0].W += 1.0
    assert not np.allclose(twin.forward(X), net.forward(X))
    assert twin.unit_names == net.unit_names and twin.unit_names is not net.unit_names


def test_unit_names_default_and_custom():
    assert bp.Sequential(bp.Dense(2, 3), bp.Dense(3, 1)).unit_names == [["x1", "x2"], ["h1", "h2", "h3"], ["y1"]]
    deep = bp.Sequential(bp.Dense(1, 2), bp.Dense(2, 2), bp.Dense(2, 1)).unit_names
    assert deep == [["x1"], ["h1_1", "h1_2"], ["h2_1", "h2_2"], ["y1"]]
    with pytest.raises(ValueError, match="unit_names"):
        bp.Sequential(bp.Dense(2, 1), unit_names=[["a"], ["b"]])


@pytest.mark.parametrize("init", ["uniform", "xavier", "he", "zeros"])
def test_initialisers(init):
    W = bp.initialize(init, 200, 300, seed=4)
    assert W.shape == (200, 300)
    if init == "uniform":
        assert W.min() >= -1 and W.max() <= 1 and W.min() < -0.99 and W.max() > 0.99
    elif init == "xavier":                           # σ = sqrt(2 / (n_in + n_out)) (seed 004)
        assert W.std() == pytest.approx(np.sqrt(2 / 500), rel=0.02)
    elif init == "he":                               # σ = sqrt(2 / n_in)
        assert W.std() == pytest.approx(np.sqrt(2 / 200), rel=0.02)
    else:
        assert not W.any()
