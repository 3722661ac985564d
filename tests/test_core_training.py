"""bp.fit: the training loop is exactly forward, loss, backward, step over mini-batches; it
records a history, learns what it should, and stops cleanly when training diverges."""
import math

import numpy as np
import pytest

import backprop_core as bp


def small_net(seed=0):
    return bp.Sequential(bp.Dense(2, 3, "tanh", seed=seed), bp.Dense(3, 1, "identity", seed=seed + 1))


def data(n=10, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, 2))
    return X, np.sin(X[:, :1] + 2 * X[:, 1:])


def manual_training(net, X, t, loss, opt, epochs, batch_size, orders):
    """The loop fit is documented to run, written out: returns the per-step losses."""
    losses = []
    for epoch in range(epochs):
        order = orders[epoch]
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            y = net.forward(X[idx])
            losses.append(loss(y, t[idx]))
            net.backward(loss.grad(y, t[idx]))
            opt.step(net)
    return losses


@pytest.mark.parametrize("batch_size", [1, 3, 10, 64])
def test_fit_is_the_documented_loop_without_shuffle(batch_size):
    X, t = data()
    a, b = small_net(), small_net()
    hist = bp.fit(a, X, t, bp.MSE(), bp.SGD(lr=0.1, momentum=0.5), epochs=3, batch_size=batch_size,
                  shuffle=False)
    want = manual_training(b, X, t, bp.MSE(), bp.SGD(lr=0.1, momentum=0.5), 3, batch_size,
                           [np.arange(10)] * 3)
    np.testing.assert_allclose(hist.loss, want, rtol=1e-13)
    np.testing.assert_allclose(a.get_flat(), b.get_flat(), rtol=1e-13)
    assert hist.steps == len(hist.loss) == 3 * math.ceil(10 / batch_size)


def test_fit_shuffles_with_a_seeded_permutation_per_epoch():
    X, t = data()
    a, b = small_net(), small_net()
    hist = bp.fit(a, X, t, "mse", bp.SGD(lr=0.1), epochs=3, batch_size=4, shuffle=True, seed=7)
    rng = np.random.default_rng(7)
    orders = [rng.permutation(10) for _ in range(3)]
    want = manual_training(b, X, t, bp.MSE(), bp.SGD(lr=0.1), 3, 4, orders)
    np.testing.assert_allclose(hist.loss, want, rtol=1e-13)
    np.testing.assert_allclose(a.get_flat(), b.get_flat(), rtol=1e-13)


def test_history_fields():
    X, t = data()
    net = small_net()
    start = net.get_flat().copy()
    hist = bp.fit(net, X, t, "mse", bp.SGD(lr=0.1), epochs=4, batch_size=5, record_params=True)
    assert hist.loss.shape == (8,) and hist.epoch_loss.shape == (4,)
    assert hist.params.shape == (9, net.get_flat().size)            # (steps + 1, n_params)
    np.testing.assert_array_equal(hist.params[0], start)
    np.testing.assert_array_equal(hist.params[-1], net.get_flat())
    # epoch_loss: the loss on the whole data after each epoch
    assert hist.epoch_loss[-1] == pytest.approx(bp.MSE()(net.forward(X), t), rel=1e-14)
    assert hist.diverged is False and hist.diverged_at is None
    assert "finite" in repr(hist)
    assert bp.fit(small_net(), X, t, "mse", bp.SGD(lr=0.1), epochs=1).params is None


def test_fit_lowers_the_loss_and_learns_xor():
    X, t = bp.datasets.xor()
    net = bp.Sequential(bp.Dense(2, 4, "tanh", seed=1), bp.Dense(4, 1, "sigmoid", seed=2))
    hist = bp.fit(net, X, t, bp.MSE(), bp.Adam(lr=0.05), epochs=600, batch_size=4)
    assert hist.epoch_loss[-1] < 0.01 < hist.epoch_loss[0]
    np.testing.assert_array_equal(net.forward(X).round(), t)


def test_fit_cross_entropy_with_integer_labels():
    X, labels = bp.datasets.blobs(n=90, classes=3, seed=0)
    net = bp.Sequential(bp.Dense(2, 8, "relu", init="he", seed=0), bp.Dense(8, 3, "identity", seed=1))
    hist = bp.fit(net, X, labels, bp.CrossEntropy(), bp.SGD(lr=0.2, momentum=0.9), epochs=60, batch_size=16)
    assert hist.epoch_loss[-1] < 0.3 * hist.epoch_loss[0]
    accuracy = np.mean(net.forward(X).argmax(axis=1) == labels)
    assert accuracy > 0.9


def test_fit_accepts_names_and_defaults():
    X, t = data()
    hist = bp.fit(small_net(), X, t, loss="mse", optimizer="adam", epochs=2, batch_size=5)
    assert len(hist.loss) == 4
    # default optimiser: SGD(lr=0.01)
    a, b = small_net(), small_net()
    bp.fit(a, X, t, "mse", epochs=1, batch_size=10)
    bp.fit(b, X, t, "mse", bp.SGD(lr=0.01), epochs=1, batch_size=10)
    np.testing.assert_array_equal(a.get_flat(), b.get_flat())


def test_fit_with_a_schedule_uses_it():
    X, t = data()
    a, b = small_net(), small_net()
    bp.fit(a, X, t, "mse", bp.SGD(lr=bp.StepDecay(0.2, drop=0.5, every=1)), epochs=2, batch_size=10,
           shuffle=False)
    for lr in (0.2, 0.1):
        b.backward(bp.MSE().grad(b.forward(X), t))
        bp.SGD(lr=lr).step(b)
    np.testing.assert_allclose(a.get_flat(), b.get_flat(), rtol=1e-14)


# ---------------------------------------------------------------- divergence

def linear_regression_net():
    return bp.Sequential(bp.Dense(1, 1, "identity", weights=[[0.0]], bias=[0.0]))


def test_diverging_run_stops_with_finite_history_and_no_warning(strict):   # any warning fails it
    X, t = bp.datasets.linear(n=20)
    net = linear_regression_net()
    hist = bp.fit(net, X, t, bp.MSE(), bp.SGD(lr=5.0), epochs=200, batch_size=20, shuffle=False,
                  record_params=True)
    assert hist.diverged is True
    assert isinstance(hist.diverged_at, int) and 0 < hist.diverged_at < 200
    assert hist.diverged_at == len(hist.loss) == hist.steps     # the first step whose loss is not finite
    assert np.all(np.isfinite(hist.loss)) and np.all(np.isfinite(hist.epoch_loss))
    assert np.all(np.isfinite(hist.params)) and hist.params.shape[0] == len(hist.loss) + 1
    assert np.all(np.isfinite(net.get_flat()))
    assert np.all(np.diff(hist.loss) > 0)                       # it really was blowing up
    assert f"diverged at step {hist.diverged_at}" in repr(hist)


@pytest.mark.parametrize("record", [True, False])
def test_divergence_inside_the_update_keeps_the_last_finite_weights(record):
    """lr = 1e308: the loss is finite but the update overflows to inf. The step is undone
    (from the trajectory's previous row when it is recorded, else from a copy)."""
    X, t = bp.datasets.linear(n=20)
    net = linear_regression_net()
    hist = bp.fit(net, X, t, bp.MSE(), bp.SGD(lr=1e308), epochs=5, batch_size=20, record_params=record)
    assert hist.diverged and hist.diverged_at == 1
    assert np.all(np.isfinite(hist.loss)) and len(hist.loss) == 1
    np.testing.assert_array_equal(net.get_flat(), [0.0, 0.0])
    if record:
        assert hist.params.shape == (2, 2) and np.all(np.isfinite(hist.params))


class JumpAfter(bp.schedules.Schedule):
    """lr 0.01 for `steps` steps, then 1e308 (the update overflows, the loss does not)."""

    def __init__(self, steps):
        self.steps = steps

    def rate(self, t):
        return 0.01 if t < self.steps else 1e308


@pytest.mark.parametrize("record", [True, False])
def test_divergence_inside_a_later_update_restores_the_step_before(record):
    """Three good steps, then one that overflows: the weights go back to where that update
    started (not to the start of the run), with or without the trajectory."""
    X, t = bp.datasets.linear(n=20)
    net, ref = linear_regression_net(), linear_regression_net()
    hist = bp.fit(net, X, t, bp.MSE(), bp.SGD(lr=JumpAfter(3)), epochs=5, batch_size=20,
                  record_params=record)
    bp.fit(ref, X, t, bp.MSE(), bp.SGD(lr=0.01), epochs=3, batch_size=20)
    assert hist.diverged and hist.diverged_at == 4 and len(hist.loss) == 4
    assert np.all(ref.get_flat() != 0)
    np.testing.assert_array_equal(net.get_flat(), ref.get_flat())
    if record:
        assert hist.params.shape == (5, 2)
        np.testing.assert_array_equal(hist.params[-1], ref.get_flat())
        np.testing.assert_array_equal(hist.params[-2], ref.get_flat())


def test_max_loss_counts_as_divergence():
    X, t = bp.datasets.linear(n=20)
    hist = bp.fit(linear_regression_net(), X, t, "mse", bp.SGD(lr=0.01), epochs=3, max_loss=1.0)
    assert hist.diverged and hist.diverged_at == 0 and len(hist.loss) == 0


def test_a_good_lr_does_not_diverge():
    X, t = bp.datasets.linear(n=20)
    hist = bp.fit(linear_regression_net(), X, t, "mse", bp.SGD(lr=0.1), epochs=200, batch_size=20)
    assert not hist.diverged and hist.epoch_loss[-1] < 1e-10


def test_full_batch_reuses_the_next_step_loss_as_the_epoch_loss():
    """Full batch: one step per epoch on the data in stored order (shuffle and seed change
    nothing); each epoch loss (the next step's loss, reused) equals a fresh whole-data loss."""
    X, t = bp.datasets.linear(n=20)
    hist = bp.fit(linear_regression_net(), X, t, "mse", bp.SGD(lr=0.1), epochs=6, batch_size=20,
                  shuffle=True, seed=3, record_params=True)
    net = linear_regression_net()
    want = []
    for theta in hist.params[1:]:                               # the weights after each epoch
        net.set_flat(theta)
        want.append(bp.MSE()(net.forward(X), t))
    np.testing.assert_array_equal(hist.epoch_loss, want)
    np.testing.assert_array_equal(hist.loss[1:], hist.epoch_loss[:-1])
    same = bp.fit(linear_regression_net(), X, t, "mse", bp.SGD(lr=0.1), epochs=6, batch_size=20,
                  shuffle=False, seed=4)
    np.testing.assert_array_equal(same.loss, hist.loss)
    np.testing.assert_array_equal(same.epoch_loss, hist.epoch_loss)


def test_huge_finite_weights_are_not_taken_for_a_divergence():
    """The weights' finiteness test sums each array (NaN and inf carry through a sum);
    a sum that overflows although every weight is finite (here 1e308 + 1e308) must be
    settled element by element, not reported as a divergence."""
    net = bp.Sequential(bp.Dense(2, 1, "identity", weights=[[1e308], [1e308]], bias=[0.0]))
    X, t = np.zeros((4, 2)), np.ones((4, 1))          # X = 0: dL/dW = 0, W stays 1e308
    hist = bp.fit(net, X, t, bp.MSE(), bp.SGD(lr=0.1), epochs=3, batch_size=4)
    assert not hist.diverged and hist.steps == 3
    np.testing.assert_array_equal(net.layers[0].W, [[1e308], [1e308]])
