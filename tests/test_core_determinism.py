"""Everything random takes a seed: the same seed gives the same numbers, bit for bit; a
different seed gives different ones."""
import numpy as np
import pytest

import backprop_core as bp


@pytest.mark.parametrize("init", ["uniform", "xavier", "he"])
def test_same_seed_same_weights(init):
    a = bp.Dense(4, 3, init=init, seed=11)
    b = bp.Dense(4, 3, init=init, seed=11)
    c = bp.Dense(4, 3, init=init, seed=12)
    np.testing.assert_array_equal(a.W, b.W)
    assert not np.array_equal(a.W, c.W)


def test_default_seed_is_fixed():
    np.testing.assert_array_equal(bp.Dense(5, 5).W, bp.Dense(5, 5).W)


def test_weights_do_not_depend_on_global_numpy_state():
    np.random.seed(1)
    a = bp.Dense(3, 3, seed=5).W
    np.random.seed(2)
    np.random.rand(100)
    np.testing.assert_array_equal(a, bp.Dense(3, 3, seed=5).W)


def _train(seed, shuffle=True):
    X, t = bp.datasets.sine(n=30, seed=0)
    net = bp.Sequential(bp.Dense(1, 6, "tanh", seed=3), bp.Dense(6, 1, "identity", seed=4))
    hist = bp.fit(net, X, t, bp.MSE(), bp.Adam(lr=0.02), epochs=15, batch_size=7, shuffle=shuffle,
                  seed=seed, record_params=True)
    return hist, net


def test_same_seed_same_fit_history():
    (h1, n1), (h2, n2) = _train(seed=5), _train(seed=5)
    np.testing.assert_array_equal(h1.loss, h2.loss)
    np.testing.assert_array_equal(h1.epoch_loss, h2.epoch_loss)
    np.testing.assert_array_equal(h1.params, h2.params)
    np.testing.assert_array_equal(n1.get_flat(), n2.get_flat())


def test_different_seed_different_fit_history():
    (h1, _), (h2, _) = _train(seed=5), _train(seed=6)
    assert not np.array_equal(h1.loss, h2.loss)
    # without shuffling the seed does not matter
    (h3, _), (h4, _) = _train(seed=5, shuffle=False), _train(seed=6, shuffle=False)
    np.testing.assert_array_equal(h3.loss, h4.loss)


@pytest.mark.parametrize("make", [
    lambda s: bp.datasets.linear(noise=0.3, seed=s),
    lambda s: bp.datasets.curve(seed=s),
    lambda s: bp.datasets.blobs(seed=s),
    lambda s: bp.datasets.sine(seed=s),
], ids=["linear", "curve", "blobs", "sine"])
def test_datasets_are_seeded(make):
    (X1, t1), (X2, t2), (X3, t3) = make(1), make(1), make(2)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(t1, t2)
    assert not (np.array_equal(X1, X3) and np.array_equal(t1, t3))


def test_split_is_seeded_and_a_partition():
    X, t = bp.datasets.sine(n=20)
    a = bp.datasets.split(X, t, test_fraction=0.25, seed=3)
    b = bp.datasets.split(X, t, test_fraction=0.25, seed=3)
    c = bp.datasets.split(X, t, test_fraction=0.25, seed=4)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[2], c[2])
    assert len(a[0]) == 15 and len(a[2]) == 5
    np.testing.assert_array_equal(np.sort(np.vstack([a[0], a[2]]), axis=0), np.sort(X, axis=0))


def test_example_builders_are_seeded():
    a, b, c = bp.examples.e2_nonlinear(seed=1), bp.examples.e2_nonlinear(seed=1), bp.examples.e2_nonlinear(seed=2)
    np.testing.assert_array_equal(a.net.get_flat(), b.net.get_flat())
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.array_equal(a.net.get_flat(), c.net.get_flat())


def test_scalar_mlp_training_is_deterministic():
    def run():
        mlp = bp.scalar.ScalarMLP([2, 3, 1], seed=9)
        mlp.train_sample([0.5, -0.5], [1.0], lr=0.3)
        return mlp.W, mlp.b
    assert run() == run()
