"""Training in practice (issue 11): Dropout, loss reduction, frozen parameters, hard-example
sampling; and two published worked examples reproduced through the public API (Mazur's
step-by-step 2-2-2 network with fixed biases, StatQuest's sum of squared residuals), each
checked against a hand computation written out here in plain Python floats."""
import math

import numpy as np
import pytest

import backprop_core as bp


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def softplus(z):
    return math.log1p(math.exp(z))


# ---------------------------------------------------------------- Mazur's worked example

def mazur_net():
    """w1..w8 = 0.15 .. 0.55; W[p, q] joins unit p to unit q: W1 = [[w1, w3], [w2, w4]],
    W2 = [[w5, w7], [w6, w8]]; biases b1 = 0.35, b2 = 0.60, fixed (frozen)."""
    return bp.Sequential(
        bp.Dense(2, 2, "sigmoid", weights=[[0.15, 0.25], [0.20, 0.30]], bias=0.35, freeze=("b",)),
        bp.Dense(2, 2, "sigmoid", weights=[[0.40, 0.50], [0.45, 0.55]], bias=0.60, freeze=("b",)),
        unit_names=[["i1", "i2"], ["h1", "h2"], ["o1", "o2"]])


MAZUR_X, MAZUR_T = np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]])


def mazur_by_hand():
    """The hand computation, one scalar at a time (E = ½ Σ (target - out)², lr 0.5)."""
    i1, i2, t1, t2 = 0.05, 0.10, 0.01, 0.99
    w1, w2, w3, w4, w5, w6, w7, w8 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55
    b1, b2, lr = 0.35, 0.60, 0.5
    h1 = sigmoid(w1 * i1 + w2 * i2 + b1)
    h2 = sigmoid(w3 * i1 + w4 * i2 + b1)
    o1 = sigmoid(w5 * h1 + w6 * h2 + b2)
    o2 = sigmoid(w7 * h1 + w8 * h2 + b2)
    E = 0.5 * (t1 - o1) ** 2 + 0.5 * (t2 - o2) ** 2
    d_o1 = (o1 - t1) * o1 * (1 - o1)             # ∂E/∂net_o1
    d_o2 = (o2 - t2) * o2 * (1 - o2)
    d_h1 = (d_o1 * w5 + d_o2 * w7) * h1 * (1 - h1)
    d_h2 = (d_o1 * w6 + d_o2 * w8) * h2 * (1 - h2)
    new = {"w1": w1 - lr * d_h1 * i1, "w2": w2 - lr * d_h1 * i2,
           "w3": w3 - lr * d_h2 * i1, "w4": w4 - lr * d_h2 * i2,
           "w5": w5 - lr * d_o1 * h1, "w6": w6 - lr * d_o1 * h2,
           "w7": w7 - lr * d_o2 * h1, "w8": w8 - lr * d_o2 * h2}
    return E, new


def test_mazur_by_hand_gives_the_published_numbers():
    E, new = mazur_by_hand()
    assert E == pytest.approx(0.298371109, abs=1e-9)  # noqa: SIM300  E: Mazur's error, not a constant
    assert new["w5"] == pytest.approx(0.35891648, abs=1e-8)
    assert new["w1"] == pytest.approx(0.149780716, abs=1e-9)


@pytest.mark.parametrize("reduction", ["mean", "sum"])    # one sample: the same
def test_mazur_through_the_public_api(reduction):
    E, new = mazur_by_hand()
    net = mazur_net()
    loss = bp.HalfSquaredError(reduction=reduction)
    assert loss(net.forward(MAZUR_X), MAZUR_T) == pytest.approx(E, abs=1e-12)
    hist = bp.fit(net, MAZUR_X, MAZUR_T, loss=loss, optimizer=bp.SGD(lr=0.5), epochs=1,
                  batch_size=1)
    assert hist.loss[0] == pytest.approx(0.298371109, abs=1e-9)
    W1, W2 = net.layers[0].W, net.layers[1].W
    got = {"w1": W1[0, 0], "w2": W1[1, 0], "w3": W1[0, 1], "w4": W1[1, 1],
           "w5": W2[0, 0], "w6": W2[1, 0], "w7": W2[0, 1], "w8": W2[1, 1]}
    for name, value in new.items():
        assert got[name] == pytest.approx(value, abs=1e-12), name
    assert got["w5"] == pytest.approx(0.35891648, abs=1e-8)
    assert got["w1"] == pytest.approx(0.149780716, abs=1e-9)
    np.testing.assert_array_equal(net.layers[0].b, [0.35, 0.35])    # fixed, as in the post
    np.testing.assert_array_equal(net.layers[1].b, [0.60, 0.60])
    # the error after the step, by hand from the new weights: 0.291027774 (exact arithmetic;
    # the post prints 0.291027924, 1.5e-7 higher, so that figure is not asserted here)
    h = [sigmoid(new["w1"] * 0.05 + new["w2"] * 0.10 + 0.35),
         sigmoid(new["w3"] * 0.05 + new["w4"] * 0.10 + 0.35)]
    o1 = sigmoid(new["w5"] * h[0] + new["w6"] * h[1] + 0.60)
    o2 = sigmoid(new["w7"] * h[0] + new["w8"] * h[1] + 0.60)
    after = 0.5 * (0.01 - o1) ** 2 + 0.5 * (0.99 - o2) ** 2
    assert loss(net.forward(MAZUR_X), MAZUR_T) == pytest.approx(after, abs=1e-12)
    assert after == pytest.approx(0.291027774, abs=1e-9)


def test_mazur_trace_shows_the_frozen_biases_and_the_new_weights():
    net = mazur_net()
    table = bp.trace(net, bp.HalfSquaredError(), MAZUR_X, MAZUR_T, optimizer=bp.SGD(lr=0.5),
                     decimals=9)
    assert table.value("L", "half_squared_error") == pytest.approx(0.298371109, abs=1e-9)
    assert table.value("w new", "h1→o1") == pytest.approx(0.35891648, abs=1e-8)
    assert table.value("w new", "i1→h1") == pytest.approx(0.149780716, abs=1e-9)
    assert table.value("Δb", "o1") == 0.0 and table.value("b new", "h1") == 0.35
    assert "frozen" in next(r.formula for r in table.rows if r.quantity == "Δb")


# ---------------------------------------------------------------- StatQuest's SSR

STATQUEST_X = np.array([[0.0], [0.5], [1.0]])        # dosage
STATQUEST_T = np.array([[0.0], [1.0], [0.0]])        # efficacy


def statquest_net(b3=0.0):
    """1-2-1 softplus network: w1 = 3.34, b1 = -1.43, w2 = -3.53, b2 = 0.57 (hidden),
    w3 = -1.22, w4 = -2.30 (output), final bias b3; only b3 is trained."""
    return bp.Sequential(
        bp.Dense(1, 2, "softplus", weights=[[3.34, -3.53]], bias=[-1.43, 0.57], freeze=("W", "b")),
        bp.Dense(2, 1, "identity", weights=[[-1.22], [-2.30]], bias=[b3], freeze=("W",)))


def statquest_by_hand(b3):
    pred = [-1.22 * softplus(3.34 * x - 1.43) - 2.30 * softplus(-3.53 * x + 0.57) + b3
            for x in (0.0, 0.5, 1.0)]
    obs = (0.0, 1.0, 0.0)
    ssr = sum((o - p) ** 2 for o, p in zip(obs, pred))
    dssr_db3 = sum(-2.0 * (o - p) for o, p in zip(obs, pred))
    return pred, ssr, dssr_db3


def test_statquest_ssr_is_mse_with_reduction_sum():
    pred, ssr, grad = statquest_by_hand(0.0)
    assert [round(p, 2) for p in pred] == [-2.60, -1.61, -2.61]     # the video's predictions
    assert ssr == pytest.approx(20.4, abs=0.05)                      # SSR = 20.4
    assert grad == pytest.approx(-15.7, abs=0.05)                    # d SSR / d b3 = -15.7
    net = statquest_net()
    y = net.forward(STATQUEST_X)
    np.testing.assert_allclose(y[:, 0], pred, atol=1e-12)
    ssr_loss = bp.MSE(reduction="sum")
    assert ssr_loss(y, STATQUEST_T) == pytest.approx(ssr, abs=1e-12)
    assert bp.MSE()(y, STATQUEST_T) == pytest.approx(ssr / 3, abs=1e-12)
    # one step of lr 0.1 on b3 only: step size = grad · 0.1 = -1.57, new b3 = 1.57
    bp.fit(net, STATQUEST_X, STATQUEST_T, loss=ssr_loss, optimizer=bp.SGD(lr=0.1), epochs=1,
           batch_size=3)
    assert net.layers[1].b[0] == pytest.approx(-0.1 * grad, abs=1e-12)
    assert net.layers[1].b[0] == pytest.approx(1.57, abs=0.005)
    np.testing.assert_array_equal(net.layers[0].W, [[3.34, -3.53]])          # frozen
    np.testing.assert_array_equal(net.layers[1].W, [[-1.22], [-2.30]])
    # gradient descent on b3 ends where d SSR / d b3 = 0: b3 = mean residual at b3 = 0
    bp.fit(net, STATQUEST_X, STATQUEST_T, loss=ssr_loss, optimizer=bp.SGD(lr=0.1), epochs=60,
           batch_size=3)
    best = sum(o - p for o, p in zip((0.0, 1.0, 0.0), pred)) / 3
    assert net.layers[1].b[0] == pytest.approx(best, abs=1e-9)
    assert best == pytest.approx(2.61, abs=0.005)                    # the video's final b3


# ---------------------------------------------------------------- loss reduction

@pytest.mark.parametrize("make", [lambda r: bp.MSE(reduction=r), lambda r: bp.MAE(reduction=r),
                                  lambda r: bp.HalfSquaredError(reduction=r),
                                  lambda r: bp.BinaryCrossEntropy(reduction=r),
                                  lambda r: bp.BinaryCrossEntropy(from_logits=True, reduction=r),
                                  lambda r: bp.CrossEntropy(reduction=r)])
def test_sum_is_mean_times_its_count_value_and_gradient(make):
    rng = np.random.default_rng(0)
    y = rng.uniform(0.1, 0.9, size=(5, 3))
    t = np.eye(3)[[0, 2, 1, 1, 0]]
    mean, total = make("mean"), make("sum")
    count = mean._count(y)
    assert count in (y.size, y.shape[0])
    assert total(y, t) == pytest.approx(count * mean(y, t), rel=1e-12)
    np.testing.assert_allclose(total.grad(y, t), count * mean.grad(y, t), rtol=1e-12)
    # the gradient is the derivative of the value: centred differences
    h, k = 1e-6, (2, 1)
    up, down = y.copy(), y.copy()
    up[k] += h
    down[k] -= h
    assert total.grad(y, t)[k] == pytest.approx((total(up, t) - total(down, t)) / (2 * h), rel=1e-6)
    # per-sample losses: each row alone, as a batch of one
    for loss in (mean, total):
        rows = loss.per_sample(y, t)
        assert rows.shape == (5,)
        for i in range(5):
            assert rows[i] == pytest.approx(loss(y[i:i + 1], t[i:i + 1]), rel=1e-12)


def test_mse_sum_by_hand_and_reduction_errors():
    assert bp.MSE(reduction="sum")([[1.0], [2.0]], [[0.0], [0.0]]) == 5.0
    assert bp.MSE()([[1.0], [2.0]], [[0.0], [0.0]]) == 2.5
    assert repr(bp.MSE(reduction="sum")) == "MSE(reduction='sum')"
    assert bp.get_loss("mse", reduction="sum").reduction == "sum"
    with pytest.raises(ValueError, match="reduction must be 'mean' or 'sum'"):
        bp.MSE(reduction="average")


def test_summed_errors_need_lr_over_batch_size():
    """Seed 004's summed mini-batch errors: reduction="sum" at η/B takes the same steps as
    "mean" at η."""
    X, t = bp.datasets.sine(n=24, seed=1)
    runs = []
    for loss, lr in ((bp.MSE(), 0.3), (bp.MSE(reduction="sum"), 0.3 / 8)):
        net = bp.Sequential(bp.Dense(1, 6, "tanh", seed=2), bp.Dense(6, 1, "identity", seed=3))
        bp.fit(net, X, t, loss=loss, optimizer=bp.SGD(lr=lr), epochs=5, batch_size=8, seed=4)
        runs.append(net.get_flat())
    np.testing.assert_allclose(runs[0], runs[1], rtol=1e-10, atol=1e-12)


# ---------------------------------------------------------------- frozen parameters

@pytest.mark.parametrize("opt", [lambda: bp.SGD(lr=0.3), lambda: bp.SGD(lr=0.3, momentum=0.9),
                                 lambda: bp.SGD(lr=0.3, momentum=0.9, nesterov=True),
                                 lambda: bp.RMSProp(lr=0.01), lambda: bp.Adam(lr=0.01)])
def test_every_optimiser_leaves_frozen_arrays_untouched(opt):
    X, t = bp.datasets.sine(n=16, seed=0)
    net = bp.Sequential(bp.Dense(1, 4, "tanh", seed=0, freeze=("b",)),
                        bp.Dense(4, 1, "identity", seed=1))
    assert net.trainable == [True, False, True, True]
    assert net.parameter_names() == ["W1", "b1", "W2", "b2"]
    assert len(net.parameters(trainable_only=True)) == 3
    assert net.gradients(trainable_only=True)[1] is net.layers[1].dW
    optimizer = opt()
    b1 = net.layers[0].b.copy()
    W2 = net.layers[1].W.copy()
    bp.fit(net, X, t, optimizer=optimizer, epochs=3, batch_size=4)
    np.testing.assert_array_equal(net.layers[0].b, b1)
    assert not np.array_equal(net.layers[1].W, W2)
    # freeze W2 later: momentum / moments gathered so far must not move it
    net.layers[1].frozen.add("W")
    W2 = net.layers[1].W.copy()
    bp.fit(net, X, t, optimizer=optimizer, epochs=2, batch_size=4)
    np.testing.assert_array_equal(net.layers[1].W, W2)
    for name in optimizer._state_names:
        state = getattr(optimizer, name)
        if state is not None:
            assert not np.any(state[2]), f"{name} of a frozen array is not 0"


def test_frozen_setting_checks_names_and_survives_copy():
    layer = bp.Dense(2, 3, freeze=("w",))
    assert layer.frozen == {"W"} and layer.trainable == [False, True]
    layer.frozen = {"b"}
    assert layer.trainable == [True, False]
    assert "freeze=('b',)" in repr(layer)
    net = bp.Sequential(layer, bp.Dense(3, 1))
    assert net.copy().layers[0].frozen == {"b"}
    assert net.copy().layers[0].frozen is not layer.frozen
    with pytest.raises(ValueError, match="'bias' is not a parameter of Dense"):
        bp.Dense(2, 3, freeze=("bias",))
    with pytest.raises(ValueError, match="use_bias=False"):
        bp.Dense(2, 3, use_bias=False, freeze=("b",))
    with pytest.raises(TypeError, match="freeze must be a collection"):
        bp.Dense(2, 3, freeze=3)
    with pytest.raises(ValueError, match="'x' is not a parameter"):
        layer.frozen.add("x")                    # checked when added (issue 19)
    assert layer.trainable == [True, False]


def test_update_with_trainable_flags():
    opt = bp.SGD(lr=1.0, momentum=0.5)
    a, b = np.ones(2), np.ones(2)
    opt.update([a, b], [np.ones(2), np.ones(2)], trainable=[True, False])
    np.testing.assert_array_equal(a, [0.0, 0.0])
    np.testing.assert_array_equal(b, [1.0, 1.0])
    with pytest.raises(ValueError, match="one True/False per parameter"):
        opt.update([a, b], [a, b], trainable=[True])


# ---------------------------------------------------------------- Dropout

def dropout_net(p=0.5, seed=7):
    return bp.Sequential(bp.Dense(3, 8, "tanh", seed=0), bp.Dropout(p, seed=seed),
                         bp.Dense(8, 2, "identity", seed=1))


def test_dropout_argument_checks():
    for bad in (1.0, -0.1, 1.5, float("nan")):
        with pytest.raises(ValueError, match=r"Dropout\(p\): p must be in \[0, 1\)"):
            bp.Dropout(bad)
    with pytest.raises(TypeError, match="p must be a number"):
        bp.Dropout("0.5")
    with pytest.raises(TypeError, match="seed must be an integer"):
        bp.Dropout(0.5, seed=1.5)
    with pytest.raises(ValueError, match="after the last Dense layer"):
        bp.Sequential(bp.Dense(2, 2), bp.Dropout(0.5))
    with pytest.raises(ValueError, match="one Dropout per level"):
        bp.Sequential(bp.Dense(2, 2), bp.Dropout(0.5), bp.Dropout(0.2), bp.Dense(2, 1))
    with pytest.raises(ValueError, match="at least one Dense layer"):
        bp.Sequential(bp.Dropout(0.5))
    with pytest.raises(TypeError, match="train\\(mode\\)"):
        dropout_net().train("yes")


def test_dropout_modes_mask_and_scaling():
    net = dropout_net()
    X = np.random.default_rng(0).normal(size=(50, 3))
    assert net.training is False and net.dropouts[1].p == 0.5
    y_eval = net.forward(X)
    plain = bp.Sequential(bp.Dense(3, 8, "tanh", seed=0), bp.Dense(8, 2, "identity", seed=1))
    np.testing.assert_array_equal(y_eval, plain.forward(X))           # evaluation: identity
    net.train()
    y_train = net.forward(X)
    drop = net.dropouts[1]
    h = net.layers[0].a
    np.testing.assert_array_equal(drop.mask, drop.keep / 0.5)        # m = keep / (1 - p)
    np.testing.assert_allclose(net.layers[1].x, h * drop.mask)
    assert 0.35 < drop.keep.mean() < 0.65
    assert not np.allclose(y_train, y_eval)
    assert net.forward(X, training=False) is not None and net.training    # one pass only
    np.testing.assert_array_equal(net.forward(X, training=False), y_eval)
    net.eval()
    np.testing.assert_array_equal(net.forward(X), y_eval)


def test_inverted_dropout_keeps_the_expected_value():
    drop = bp.Dropout(0.3, seed=0).train()
    x = np.full((4000, 5), 2.0)
    assert drop.forward(x).mean() == pytest.approx(2.0, abs=0.05)
    assert set(np.unique(drop.forward(x))) == {0.0, 2.0 / 0.7}


def test_dropout_p0_is_the_identity_and_seeds_are_deterministic():
    X = np.random.default_rng(1).normal(size=(6, 3))
    net = dropout_net(p=0.0).train()
    plain = bp.Sequential(bp.Dense(3, 8, "tanh", seed=0), bp.Dense(8, 2, "identity", seed=1))
    np.testing.assert_array_equal(net.forward(X), plain.forward(X))
    a, b = dropout_net(seed=3).train(), dropout_net(seed=3).train()
    np.testing.assert_array_equal(a.forward(X), b.forward(X))
    np.testing.assert_array_equal(a.forward(X), b.forward(X))
    c = dropout_net(seed=4).train()
    assert not np.array_equal(a.forward(X), c.forward(X))
    # without a seed: from the network seed and the level, so two Dropouts differ
    two = bp.Sequential(bp.Dense(3, 8, seed=0), bp.Dropout(0.5), bp.Dense(8, 8, seed=1),
                        bp.Dropout(0.5), bp.Dense(8, 1, seed=2)).train()
    two.forward(np.ones((4, 3)))
    assert not np.array_equal(two.dropouts[1].keep, two.dropouts[2].keep)


def test_dropout_backward_uses_the_forward_mask():
    """dL/dx of a dropout net, by hand: the δ of a dropped hidden unit is 0, and the rest
    are the plain network's δ times m (finite differences with the mask fixed)."""
    net = dropout_net().train()
    X = np.random.default_rng(2).normal(size=(4, 3))
    t = np.random.default_rng(3).normal(size=(4, 2))
    loss = bp.MSE()
    y = net.forward(X)
    net.backward(loss.grad(y, t))
    drop = net.dropouts[1]
    hidden = net.layers[0]
    by_hand = (loss.grad(y, t) @ net.layers[1].W.T) * drop.mask * (1 - hidden.a ** 2)
    np.testing.assert_allclose(hidden.delta, by_hand, rtol=1e-12)
    assert np.all(hidden.delta[~drop.keep] == 0)
    drop.fix()                                   # the same mask for every pass: gradcheck works
    assert bp.gradcheck(net, loss, X, t) < 1e-6
    keep = drop.keep.copy()
    net.forward(X)
    np.testing.assert_array_equal(drop.keep, keep)
    drop.unfix()
    net.forward(X)
    assert not np.array_equal(drop.keep, keep)


def test_gradcheck_in_evaluation_mode():
    net = dropout_net()
    X, t = np.ones((3, 3)), np.zeros((3, 2))
    assert bp.gradcheck(net, bp.MSE(), X, t) < 1e-6


def test_fit_trains_with_dropout_and_evaluates_without():
    X, t = bp.datasets.sine(n=40, seed=0)
    make = lambda: bp.Sequential(bp.Dense(1, 16, "tanh", seed=0), bp.Dropout(0.5, seed=1),  # noqa: E731
                                 bp.Dense(16, 1, "identity", seed=2))
    a, b = make(), make()
    ha = bp.fit(a, X, t, optimizer=bp.Adam(lr=0.01), epochs=4, batch_size=40, seed=5,
                validation=(X, t))
    assert a.training is False                    # back in its mode
    b.forward(X, training=True)                   # a run before does not change fit's masks
    hb = bp.fit(b, X, t, optimizer=bp.Adam(lr=0.01), epochs=4, batch_size=40, seed=5)
    np.testing.assert_array_equal(ha.loss, hb.loss)
    np.testing.assert_array_equal(a.get_flat(), b.get_flat())
    # epoch losses in evaluation mode, minibatch losses in training mode
    assert ha.epoch_loss[-1] == pytest.approx(bp.MSE()(a.forward(X), t), rel=1e-12)
    np.testing.assert_allclose(ha.val_loss, ha.epoch_loss)
    assert not np.allclose(ha.loss[1:], ha.epoch_loss[:-1])
    a.train()
    bp.fit(a, X, t, epochs=1)
    assert a.training is True


def test_copy_keeps_dropout_mode_and_stream():
    net = dropout_net().train()
    X = np.ones((5, 3))
    twin = net.copy()
    assert twin.training and twin.dropouts[1] is not net.dropouts[1]
    np.testing.assert_array_equal(twin.forward(X), net.forward(X))
    assert "Dropout(p=0.5, seed=7)" in repr(net)


def test_trace_draw_network_and_stepper_with_dropout():
    import matplotlib
    matplotlib.use("Agg")
    net = dropout_net().train()
    X, t = np.array([[0.1, 0.2, 0.3]]), np.array([[0.0, 1.0]])
    table = bp.trace(net, bp.MSE(), X, t)
    m_rows = [r for r in table.rows if r.quantity == "m"]
    assert len(m_rows) == 8
    drop = net.dropouts[1]
    for r, m in zip(m_rows, drop.mask[0]):
        assert r.value == m
    dropped = [q for q in range(8) if drop.mask[0, q] == 0]
    assert dropped
    hidden = [r for r in table.rows if r.quantity == "δ" and r.name == f"h{dropped[0] + 1}"]
    assert hidden[0].value == 0.0 and "·m·" in hidden[0].formula
    assert any("(o·m)" in r.formula for r in table.rows if r.quantity == "z")
    # evaluation mode: no mask rows
    assert not [r for r in bp.trace(net.copy().eval(), bp.MSE(), X, t).rows if r.quantity == "m"]
    fig = bp.plotting.draw_network(net, show="forward")
    gids = {a.get_gid() for a in fig.axes[0].get_children()}
    assert f"dropped h{dropped[0] + 1}" in gids
    texts = [tx.get_text() for tx in fig.axes[0].texts]
    assert any("dropout p = 0.5" in tx for tx in texts)
    stepper = bp.widgets.Stepper(net, bp.MSE(), X, t, prefetch=False)
    titles = [s.title for s in stepper.steps]
    assert sum("m of unit" in title for title in titles) == 8
    for i in range(len(stepper.steps)):
        stepper.go(i)


# ---------------------------------------------------------------- hard examples

def test_hard_probabilities_by_hand():
    p = bp.training.hard_probabilities([0.0, 1.0, 3.0], floor=0.25)
    np.testing.assert_allclose(p, [0.25 / 3, 0.75 * 0.25 + 0.25 / 3, 0.75 * 0.75 + 0.25 / 3])
    np.testing.assert_allclose(bp.training.hard_probabilities([0.0, 0.0]), [0.5, 0.5])
    np.testing.assert_allclose(bp.training.hard_probabilities([1.0, 5.0], floor=1.0), [0.5, 0.5])
    with pytest.raises(ValueError, match="hard_floor must be in"):
        bp.training.hard_probabilities([1.0], floor=0.0)
    with pytest.raises(ValueError, match=">= 0"):
        bp.training.hard_probabilities([-1.0, 1.0])


def test_hard_sampling_draws_the_hard_samples_more_often():
    # 30 easy samples on a line and 3 far off it: the far ones have the large errors
    X = np.linspace(-1, 1, 33).reshape(-1, 1)
    t = 0.5 * X.copy()
    t[[5, 16, 27]] += 3.0
    counts = {}
    for sampling in ("uniform", "hard"):
        net = bp.Sequential(bp.Dense(1, 1, "identity", seed=0))
        hist = bp.fit(net, X, t, optimizer=bp.SGD(lr=0.05), epochs=20, batch_size=11, seed=3,
                      sampling=sampling)
        assert hist.draws.sum() == 20 * 33 and hist.sampling == sampling
        counts[sampling] = hist.draws
    np.testing.assert_array_equal(counts["uniform"], np.full(33, 20))
    hard = counts["hard"]
    assert hard[[5, 16, 27]].mean() > 4 * np.delete(hard, [5, 16, 27]).mean()
    # seeded: the same call, the same draws
    net = bp.Sequential(bp.Dense(1, 1, "identity", seed=0))
    again = bp.fit(net, X, t, optimizer=bp.SGD(lr=0.05), epochs=20, batch_size=11, seed=3,
                   sampling="hard")
    np.testing.assert_array_equal(again.draws, hard)


def test_fit_argument_checks_for_the_new_options():
    X, t = np.ones((4, 1)), np.ones((4, 1))
    net = bp.Sequential(bp.Dense(1, 1))
    with pytest.raises(ValueError, match="sampling must be 'uniform' or 'hard'"):
        bp.fit(net, X, t, sampling="hardest")
    with pytest.raises(ValueError, match="hard_floor must be in"):
        bp.fit(net, X, t, sampling="hard", hard_floor=2.0)
    with pytest.raises(TypeError, match="validation must be a pair"):
        bp.fit(net, X, t, validation=X)
    with pytest.raises(ValueError, match="targets t_val must have shape"):
        bp.fit(net, X, t, validation=(X, np.ones((3, 1))))


def test_sorted_order_vs_shuffled_draws_are_counted():
    X, t = np.arange(10.0).reshape(-1, 1) / 10, np.zeros((10, 1))
    net = bp.Sequential(bp.Dense(1, 1, "identity", seed=0))
    hist = bp.fit(net, X, t, epochs=3, batch_size=4, shuffle=False)
    np.testing.assert_array_equal(hist.draws, np.full(10, 3))


def test_gradcheck_refuses_a_training_mode_dropout_without_a_fixed_mask():
    net = bp.Sequential(bp.Dense(2, 4, "tanh", seed=0), bp.Dropout(0.5, seed=1), bp.Dense(4, 1, "identity", seed=2))
    X, t = np.ones((3, 2)), np.zeros((3, 1))
    net.train()
    with pytest.raises(ValueError, match="training mode.*net.eval"):
        bp.gradcheck(net, bp.MSE(), X, t)
    net.eval()
    assert bp.gradcheck(net, bp.MSE(), X, t) < 1e-6
