"""Per-layer seeds (issue 10): every layer of a network has its own random stream, and the
same seeds still give the same numbers. Plus the documented copy semantics of Dense."""
import numpy as np
import pytest

import backprop_core as bp
from backprop_core.layers import DEFAULT_SEED


def test_layers_of_other_shapes_do_not_share_numbers():
    a, b = bp.Dense(3, 2), bp.Dense(2, 3)
    assert not np.allclose(np.sort(np.abs(a.W.ravel())), np.sort(np.abs(b.W.ravel())))


def test_layers_of_one_network_have_their_own_streams():
    net = bp.Sequential(bp.Dense(4, 4), bp.Dense(4, 4), bp.Dense(4, 4))
    W = [layer.W for layer in net.layers]
    assert not np.allclose(W[0], W[1]) and not np.allclose(W[1], W[2]) and not np.allclose(W[0], W[2])


def build(seed=None):
    return bp.Sequential(bp.Dense(3, 4, "tanh"), bp.Dense(4, 4, "tanh"), bp.Dense(4, 1, "identity"), seed=seed)


def test_same_seed_same_numbers():
    np.testing.assert_array_equal(build().get_flat(), build().get_flat())
    np.testing.assert_array_equal(build(7).get_flat(), build(7).get_flat())
    np.testing.assert_array_equal(build(DEFAULT_SEED).get_flat(), build().get_flat())
    assert not np.allclose(build(7).get_flat(), build(8).get_flat())


def test_the_documented_stream():
    net = build(5)
    for position, layer in enumerate(net.layers):
        ss = np.random.SeedSequence([5, position, layer.n_in, layer.n_out])
        np.testing.assert_array_equal(layer.W, bp.initialize("xavier", layer.n_in, layer.n_out, ss))
    alone = bp.Dense(3, 4)
    np.testing.assert_array_equal(alone.W, build().layers[0].W)     # position 0, default network seed


def test_explicit_seed_is_kept_and_means_default_rng_of_it():
    layer = bp.Dense(4, 4, seed=3)
    np.testing.assert_array_equal(layer.W, np.random.default_rng(3).normal(0, np.sqrt(2 / 8), (4, 4)))
    net = bp.Sequential(bp.Dense(3, 4, seed=1), layer, seed=9)
    np.testing.assert_array_equal(net.layers[1].W, bp.Dense(4, 4, seed=3).W)
    np.testing.assert_array_equal(net.layers[0].W, bp.Dense(3, 4, seed=1).W)


def test_weights_changed_before_placing_are_kept():
    layer = bp.Dense(4, 4)
    layer.W[0, 0] = 42.0
    before = layer.W.copy()
    bp.Sequential(bp.Dense(3, 4), layer)
    np.testing.assert_array_equal(layer.W, before)


def test_a_layer_is_placed_once():
    layer = bp.Dense(4, 4)
    bp.Sequential(bp.Dense(3, 4), layer)
    first = layer.W.copy()
    bp.Sequential(layer)
    np.testing.assert_array_equal(layer.W, first)


def test_fit_is_deterministic_with_default_seeds():
    X, t = np.random.default_rng(1).normal(size=(20, 3)), np.random.default_rng(2).normal(size=(20, 1))
    a, b = build(), build()
    ha = bp.fit(a, X, t, "mse", bp.SGD(lr=0.1), epochs=5, batch_size=4)
    hb = bp.fit(b, X, t, "mse", bp.SGD(lr=0.1), epochs=5, batch_size=4)
    np.testing.assert_array_equal(ha.loss, hb.loss)
    np.testing.assert_array_equal(a.get_flat(), b.get_flat())


@pytest.mark.parametrize("seed", [-1, "a", 1.5])
def test_network_seed_is_checked(seed):
    with pytest.raises((ValueError, TypeError), match="seed"):
        build(seed)


# ---------------------------------------------------------------- copy semantics (docs of Dense)

def test_dense_copies_the_weights_and_bias_it_is_given():
    W, b = np.ones((2, 3)), np.zeros(3)
    layer = bp.Dense(2, 3, "identity", weights=W, bias=b)
    W[0, 0], b[0] = 99.0, 99.0                 # the caller's arrays change: the layer does not
    assert layer.W[0, 0] == 1.0 and layer.b[0] == 0.0
    bp.fit(bp.Sequential(layer), np.ones((4, 2)), np.ones((4, 3)), "mse", bp.SGD(lr=0.1), epochs=1)
    assert W[0, 1] == 1.0 and b[1] == 0.0      # training the layer does not touch the caller's arrays
    assert layer.W[0, 1] != 1.0


@pytest.mark.parametrize("how", ["net", "layer"])
def test_delta_of_an_identity_output_is_a_copy_of_dl_dy(how):
    net = bp.Sequential(bp.Dense(2, 3, "tanh", seed=0), bp.Dense(3, 2, "identity", seed=1))
    y = net.forward(np.ones((4, 2)))
    g = np.full_like(y, 0.25)
    if how == "net":
        net.backward(g)
    else:
        net.layers[-1].backward(g)
    last = net.layers[-1]
    assert not np.shares_memory(last.delta, g) and not np.shares_memory(last.dL_da, g)
    g[...] = 7.0
    np.testing.assert_array_equal(last.delta, 0.25)
