"""One vector θ for a network's parameters (backprop_core/flat.py): the optimisers update it
in one pass, and must give the numbers of the array-by-array update exactly, and fall back to
it whenever the layers' arrays are no longer views of θ."""
import copy
import pickle

import numpy as np
import pytest

import backprop_core as bp

OPTIMIZERS = [lambda: bp.SGD(lr=0.1), lambda: bp.SGD(lr=0.05, momentum=0.9),
              lambda: bp.SGD(lr=0.05, momentum=0.9, nesterov=True), lambda: bp.RMSProp(lr=0.01),
              lambda: bp.Adam(lr=0.01), lambda: bp.SGD(lr=bp.ExponentialDecay(0.2, 0.9))]
IDS = ["sgd", "momentum", "nesterov", "rmsprop", "adam", "schedule"]


def make_net(dtype=np.float64, seed=4):
    return bp.Sequential(bp.Dense(3, 5, "tanh", dtype=dtype), bp.Dense(5, 2, "identity", dtype=dtype),
                         seed=seed)


def data():
    rng = np.random.default_rng(1)
    return rng.standard_normal((7, 3)), rng.standard_normal((7, 2))


def gradients(net, X, t):
    net.backward(bp.MSE().grad(net.forward(X), t), input_grad=False)


def steps_array_by_array(net, opt, X, t, n):
    """The reference: the update on the per-parameter lists (never the flat path)."""
    for _ in range(n):
        gradients(net, X, t)
        opt.update_checked(net.parameters(), [g.copy() for g in net.gradients()])


def steps(net, opt, X, t, n):
    for _ in range(n):
        gradients(net, X, t)
        opt.step(net)


def test_the_layers_arrays_are_views_of_one_vector():
    net = make_net()
    flat = net.flat_parameters()
    assert flat is not None
    assert flat.theta.shape == (3 * 5 + 5 + 5 * 2 + 2,)
    np.testing.assert_array_equal(flat.theta, net.get_flat())
    net.layers[1].b[...] = 7.0                      # a layer's write is a write into θ
    assert np.all(flat.theta[-2:] == 7.0)
    assert all(np.shares_memory(p, flat.theta) for p in net.parameters())
    assert all(np.shares_memory(g, flat.grad) for g in net.gradients())


@pytest.mark.parametrize("make_opt", OPTIMIZERS, ids=IDS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_step_on_theta_is_the_array_by_array_update_bit_for_bit(make_opt, dtype):
    X, t = data()
    a, b = make_net(dtype), make_net(dtype)
    opt_a, opt_b = make_opt(), make_opt()
    steps(a, opt_a, X, t, 12)
    steps_array_by_array(b, opt_b, X, t, 12)
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p, q)
    for name in opt_a.state_names():                 # the state, one array per parameter
        for s, r, p in zip(getattr(opt_a, name), getattr(opt_b, name), a.parameters()):
            assert s.shape == p.shape and s.dtype == p.dtype
            np.testing.assert_array_equal(s, r)


@pytest.mark.parametrize("make_opt", OPTIMIZERS[1:], ids=IDS[1:])
def test_the_state_carries_over_between_step_and_update(make_opt):
    """Momentum gathered by step(net) (one vector) is used by update(params, grads) (array
    by array) and back: the state is one set of numbers whichever way it is updated."""
    X, t = data()
    a, b = make_net(), make_net()
    opt_a, opt_b = make_opt(), make_opt()
    for i in range(9):
        gradients(a, X, t)
        if i % 3 == 1:
            opt_a.update(a.parameters(), [g.copy() for g in a.gradients()])
        else:
            opt_a.step(a)
        steps_array_by_array(b, opt_b, X, t, 1)
    np.testing.assert_array_equal(a.get_flat(), b.get_flat())


def test_a_replaced_array_is_updated_array_by_array():
    X, t = data()
    a, b = make_net(), make_net()
    a.layers[0].W = a.layers[0].W.copy()            # no longer a view of θ
    assert a.flat_parameters() is None
    opt_a, opt_b = bp.SGD(lr=0.1, momentum=0.5), bp.SGD(lr=0.1, momentum=0.5)
    steps(a, opt_a, X, t, 5)
    steps_array_by_array(b, opt_b, X, t, 5)
    np.testing.assert_array_equal(a.get_flat(), b.get_flat())


def test_a_frozen_array_stays_and_the_rest_moves():
    X, t = data()
    net = make_net()
    net.layers[0].frozen.add("b")
    assert net.flat_parameters() is None
    before = net.layers[0].b.copy()
    steps(net, bp.Adam(lr=0.01), X, t, 4)
    np.testing.assert_array_equal(net.layers[0].b, before)
    net.layers[0].frozen.discard("b")
    assert net.flat_parameters() is not None


@pytest.mark.parametrize("duplicate", [copy.deepcopy, lambda n: pickle.loads(pickle.dumps(n))],
                         ids=["deepcopy", "pickle"])
def test_a_copied_network_has_its_own_vector(duplicate):
    X, t = data()
    net = make_net()
    twin = duplicate(net)
    flat = twin.flat_parameters()
    assert flat is not None and not np.shares_memory(flat.theta, net.get_flat())
    assert all(np.shares_memory(p, flat.theta) for p in twin.parameters())
    reference = make_net()
    steps(twin, bp.SGD(lr=0.1, momentum=0.9), X, t, 3)
    steps_array_by_array(reference, bp.SGD(lr=0.1, momentum=0.9), X, t, 3)
    np.testing.assert_array_equal(twin.get_flat(), reference.get_flat())
    np.testing.assert_array_equal(net.get_flat(), make_net().get_flat())   # the original unmoved


def test_a_copied_optimizer_keeps_its_state():
    X, t = data()
    a, b = make_net(), make_net()
    opt_a, opt_b = bp.SGD(lr=0.05, momentum=0.9), bp.SGD(lr=0.05, momentum=0.9)
    steps(a, opt_a, X, t, 3)
    steps_array_by_array(b, opt_b, X, t, 3)
    opt_a = copy.deepcopy(opt_a)                    # its velocity: no longer views of one vector
    steps(a, opt_a, X, t, 3)
    steps_array_by_array(b, opt_b, X, t, 3)
    np.testing.assert_array_equal(a.get_flat(), b.get_flat())


def test_a_layer_moved_to_another_network():
    """The second network takes the layer into its own vector; the first then updates
    array by array, and both stay right."""
    X, t = data()
    first = make_net()
    shared = first.layers[0]
    second = bp.Sequential(shared, bp.Dense(5, 2, "identity", seed=9))
    assert first.flat_parameters() is None and second.flat_parameters() is not None
    reference = make_net()
    steps(first, bp.SGD(lr=0.1), X, t, 3)
    steps_array_by_array(reference, bp.SGD(lr=0.1), X, t, 3)
    np.testing.assert_array_equal(first.get_flat(), reference.get_flat())


def test_layers_of_two_dtypes_have_no_vector_and_still_train():
    X, t = data()
    net = bp.Sequential(bp.Dense(3, 5, "tanh", dtype=np.float32), bp.Dense(5, 2, "identity"))
    assert net.flat_parameters() is None
    opt = bp.SGD(lr=0.1, momentum=0.9)
    steps(net, opt, X, t, 2)
    assert [v.dtype for v in opt.velocity] == [np.float32, np.float32, np.float64, np.float64]


def test_fit_on_theta_is_the_array_by_array_fit():
    """fit updates θ in one pass (a); a replaced array makes it go array by array (b): the
    same history. b's bias, frozen and thawed before, trains as if never frozen."""
    X, t = data()
    a, b = make_net(), make_net()
    b.layers[1].frozen.add("b")
    b.layers[1].frozen.discard("b")
    ha = bp.fit(a, X, t, loss="mse", optimizer=bp.Adam(lr=0.01), epochs=5, batch_size=3, seed=2)
    b.layers[1].W = b.layers[1].W.copy()            # forces the array-by-array path
    hb = bp.fit(b, X, t, loss="mse", optimizer=bp.Adam(lr=0.01), epochs=5, batch_size=3, seed=2)
    np.testing.assert_array_equal(ha.loss, hb.loss)
    np.testing.assert_array_equal(a.get_flat(), b.get_flat())


def test_crossentropy_grad_keeps_float32_and_skips_nothing_it_needs():
    rng = np.random.default_rng(3)
    y = (3 * rng.standard_normal((5, 4))).astype(np.float32)
    labels = rng.integers(0, 4, 5)
    onehot = np.eye(4, dtype=np.float32)[labels]
    loss = bp.CrossEntropy()
    g = loss.grad(y, labels)
    assert g.dtype == np.float32
    e = np.exp(y - y.max(axis=1, keepdims=True))
    np.testing.assert_array_equal(g, (e / e.sum(axis=1, keepdims=True) - onehot) / 5)
    np.testing.assert_array_equal(loss.grad(y, onehot), g)
    soft = np.full((5, 4), 0.25, dtype=np.float32) * np.float32(1 + 4e-7)   # rows sum to 1 + ~1e-6
    e /= e.sum(axis=1, keepdims=True)
    np.testing.assert_array_equal(loss.grad(y, soft), (e * soft.sum(axis=1, keepdims=True) - soft) / 5)


@pytest.mark.parametrize("make_opt", OPTIMIZERS, ids=IDS)
@pytest.mark.parametrize("frozen", [False, True])
def test_updater_is_update_checked_at_every_step(make_opt, frozen):
    """fit's updater() finds the state once; each call must be update_checked's step, on θ
    and (frozen: array by array, the frozen array untouched) alike, the step count too."""
    X, t = data()
    a, b = make_net(), make_net()
    if frozen:
        a.layers[0].frozen.add("b")
        b.layers[0].frozen.add("b")
    opt_a, opt_b = make_opt(), make_opt()
    flat_a, flat_b = a.flat_parameters(), b.flat_parameters()
    assert (flat_a is None) == frozen
    lists_a = (flat_a.params, flat_a.grads) if flat_a else (a.parameters(), a.gradients())
    lists_b = (flat_b.params, flat_b.grads) if flat_b else (b.parameters(), b.gradients())
    trainable = a.trainable if frozen else None
    update = opt_a.updater(*lists_a, trainable, flat_a)
    bias = a.layers[0].b.copy()
    for _ in range(9):
        gradients(a, X, t)
        gradients(b, X, t)
        update()
        opt_b.update_checked(*lists_b, trainable, flat_b)
    assert opt_a.t == opt_b.t == 9
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p, q)
    assert np.array_equal(a.layers[0].b, bias) == frozen
    for name in opt_a.state_names():
        for s, r in zip(getattr(opt_a, name), getattr(opt_b, name)):
            np.testing.assert_array_equal(s, r)
