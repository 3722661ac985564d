"""Optimisers and learning-rate schedules: three steps written out by hand for each rule,
convergence on convex quadratics, state (velocity, moments), reset, schedules."""
import math

import numpy as np
import pytest

import backprop_core as bp

GRADS = [2.0, -1.0, 0.5]          # the gradient seen at steps 1, 2, 3 (one weight, w0 = 1)


def run(opt, grads=GRADS, w0=1.0):
    """Feed a fixed sequence of gradients to `opt` for one weight; return w after each step."""
    w = np.array([w0])
    out = []
    for g in grads:
        opt.update([w], [np.array([g])])
        out.append(float(w[0]))
    return out


# ---------------------------------------------------------------- steps by hand

def test_sgd_by_hand():
    # Δw = -lr·g
    w1 = 1.0 - 0.1 * 2.0              # 0.8
    w2 = w1 - 0.1 * (-1.0)            # 0.9
    w3 = w2 - 0.1 * 0.5               # 0.85
    assert run(bp.SGD(lr=0.1)) == pytest.approx([w1, w2, w3], abs=1e-15)


def test_momentum_by_hand_classical_form():
    # v = μ v - lr g;  w += v   (seed 004: Δw(t) = -lr g + μ Δw(t-1))
    v1 = 0.9 * 0.0 - 0.1 * 2.0        # -0.2
    w1 = 1.0 + v1                     # 0.8
    v2 = 0.9 * v1 - 0.1 * (-1.0)      # -0.08
    w2 = w1 + v2                      # 0.72
    v3 = 0.9 * v2 - 0.1 * 0.5         # -0.122
    w3 = w2 + v3                      # 0.598
    opt = bp.SGD(lr=0.1, momentum=0.9)
    assert run(opt) == pytest.approx([w1, w2, w3], abs=1e-15)
    assert opt.velocity[0][0] == pytest.approx(v3, abs=1e-15)
    assert opt.t == 3


def test_nesterov_by_hand():
    # as documented in optimizers.py: v = μ v - lr g;  w += μ v - lr g
    v1 = 0.9 * 0.0 - 0.1 * 2.0        # -0.2
    w1 = 1.0 + 0.9 * v1 - 0.1 * 2.0   # 0.62
    v2 = 0.9 * v1 - 0.1 * (-1.0)      # -0.08
    w2 = w1 + 0.9 * v2 - 0.1 * (-1.0) # 0.648
    v3 = 0.9 * v2 - 0.1 * 0.5         # -0.122
    w3 = w2 + 0.9 * v3 - 0.1 * 0.5    # 0.4882
    opt = bp.SGD(lr=0.1, momentum=0.9, nesterov=True)
    assert run(opt) == pytest.approx([w1, w2, w3], abs=1e-15)
    assert opt.velocity[0][0] == pytest.approx(v3, abs=1e-15)


def test_nesterov_equals_momentum_at_the_look_ahead_point():
    """Sutskever's form: gradient taken at w + μv. On L = ½ a w² (g = a w) the rewritten form
    (Keras') tracks the look-ahead point w̃ = w + μ v of the classical recursion exactly."""
    a, lr, mu = 3.0, 0.05, 0.8
    # Sutskever: v = μ v - lr ∇L(w + μ v); w += v
    w, v, look_ahead = 1.0, 0.0, []
    for _ in range(5):
        v = mu * v - lr * a * (w + mu * v)
        w = w + v
        look_ahead.append(w + mu * v)
    opt = bp.SGD(lr=lr, momentum=mu, nesterov=True)
    w_tilde = np.array([1.0])
    got = []
    for _ in range(5):
        opt.update([w_tilde], [a * w_tilde.copy()])
        got.append(float(w_tilde[0]))
    assert got == pytest.approx(look_ahead, rel=1e-12)


def test_rmsprop_by_hand():
    # s = ρ s + (1 - ρ) g²;  w -= lr g / (sqrt(s) + ε);  lr 0.01, ρ 0.9, ε 1e-8
    s1 = 0.9 * 0.0 + 0.1 * 2.0 ** 2               # 0.4
    w1 = 1.0 - 0.01 * 2.0 / (math.sqrt(s1) + 1e-8)
    s2 = 0.9 * s1 + 0.1 * (-1.0) ** 2             # 0.46
    w2 = w1 - 0.01 * (-1.0) / (math.sqrt(s2) + 1e-8)
    s3 = 0.9 * s2 + 0.1 * 0.5 ** 2                # 0.439
    w3 = w2 - 0.01 * 0.5 / (math.sqrt(s3) + 1e-8)
    opt = bp.RMSProp(lr=0.01)
    assert run(opt) == pytest.approx([w1, w2, w3], abs=1e-15)
    assert opt.square_avg[0][0] == pytest.approx(s3, abs=1e-15)


def test_adam_by_hand_with_bias_correction():
    # m = β1 m + (1-β1) g;  v = β2 v + (1-β2) g²;  m̂ = m/(1-β1^t);  v̂ = v/(1-β2^t)
    # w -= lr m̂ / (sqrt(v̂) + ε);  lr 0.1, β1 0.9, β2 0.999, ε 1e-8
    m1 = 0.1 * 2.0                                  # 0.2
    v1 = 0.001 * 2.0 ** 2                           # 0.004
    w1 = 1.0 - 0.1 * (m1 / 0.1) / (math.sqrt(v1 / 0.001) + 1e-8)          # m̂ = 2, v̂ = 4: a step of lr
    m2 = 0.9 * m1 + 0.1 * (-1.0)                    # 0.08
    v2 = 0.999 * v1 + 0.001 * (-1.0) ** 2           # 0.004996
    w2 = w1 - 0.1 * (m2 / (1 - 0.9 ** 2)) / (math.sqrt(v2 / (1 - 0.999 ** 2)) + 1e-8)
    m3 = 0.9 * m2 + 0.1 * 0.5                       # 0.122
    v3 = 0.999 * v2 + 0.001 * 0.5 ** 2              # 0.005241004
    w3 = w2 - 0.1 * (m3 / (1 - 0.9 ** 3)) / (math.sqrt(v3 / (1 - 0.999 ** 3)) + 1e-8)
    opt = bp.Adam(lr=0.1)
    got = run(opt)
    assert got == pytest.approx([w1, w2, w3], abs=1e-14)
    assert got[0] == pytest.approx(0.9, abs=1e-8)    # without bias correction it would be ~0.9968
    assert opt.m[0][0] == pytest.approx(m3, abs=1e-15)
    assert opt.v[0][0] == pytest.approx(v3, abs=1e-15)


def test_defaults_are_the_papers():
    adam = bp.Adam()
    assert (adam.lr, adam.beta1, adam.beta2, adam.eps) == (0.001, 0.9, 0.999, 1e-8)
    rms = bp.RMSProp()
    assert (rms.rho, rms.eps) == (0.9, 1e-8)
    sgd = bp.SGD()
    assert sgd.momentum == 0.0 and sgd.nesterov is False


def test_step_on_a_net_updates_every_parameter_in_place():
    net = bp.Sequential(bp.Dense(2, 3, "tanh", seed=0), bp.Dense(3, 1, "identity", seed=1))
    X, t = np.array([[0.5, -1.0], [1.0, 2.0]]), np.array([[1.0], [0.0]])
    net.backward(bp.MSE().grad(net.forward(X), t))
    params_before = [p.copy() for p in net.parameters()]
    arrays = net.parameters()
    grads = [g.copy() for g in net.gradients()]
    bp.SGD(lr=0.3).step(net)
    for p, old, g, same in zip(net.parameters(), params_before, grads, arrays):
        assert p is same                                      # in place: the same arrays
        np.testing.assert_allclose(p, old - 0.3 * g, rtol=1e-15)


def test_update_checks_matching_lists():
    with pytest.raises(ValueError, match="one gradient per parameter"):
        bp.SGD(lr=0.1).update([np.zeros(2), np.zeros(3)], [np.zeros(2)])


# ---------------------------------------------------------------- convergence

def quadratic(A, c):
    """L(w) = ½ (w - c)ᵀ A (w - c), ∇L = A (w - c): convex, minimum at c."""
    return (lambda w: 0.5 * (w - c) @ A @ (w - c)), (lambda w: A @ (w - c))


@pytest.mark.parametrize("make,steps,tol", [
    (lambda: bp.SGD(lr=0.15), 300, 1e-8),
    (lambda: bp.SGD(lr=0.02, momentum=0.9), 600, 1e-8),
    (lambda: bp.SGD(lr=0.02, momentum=0.9, nesterov=True), 600, 1e-8),
    (lambda: bp.RMSProp(lr=bp.ExponentialDecay(0.05, decay=0.997)), 2000, 1e-6),
    (lambda: bp.Adam(lr=bp.ExponentialDecay(0.1, decay=0.995)), 2000, 1e-6),
], ids=["sgd", "momentum", "nesterov", "rmsprop", "adam"])
def test_converges_on_a_convex_quadratic(make, steps, tol):
    A = np.array([[10.0, 2.0], [2.0, 1.0]])        # positive definite, condition number ~ 14
    c = np.array([1.5, -2.0])
    L, grad = quadratic(A, c)
    w = np.array([-3.0, 4.0])
    opt = make()
    start = L(w)
    for _ in range(steps):
        opt.update([w], [grad(w)])
    assert np.all(np.isfinite(w))
    assert L(w) < tol * start
    np.testing.assert_allclose(w, c, atol=1e-2)


@pytest.mark.parametrize("opt", [bp.SGD(lr=0.1), bp.SGD(lr=0.05, momentum=0.9),
                                 bp.RMSProp(lr=bp.ExponentialDecay(0.05, decay=0.995)), bp.Adam(lr=0.05)],
                         ids=["sgd", "momentum", "rmsprop", "adam"])
def test_linear_regression_finds_the_true_line(opt):
    """MSE of a linear model is a convex quadratic in (w, b): every optimiser reaches the
    true line of seed 001's contour, w = -1, b = 5."""
    X, t = bp.examples.e2_contour_data()
    net = bp.Sequential(bp.Dense(1, 1, "identity", weights=[[0.0]], bias=[0.0]))
    hist = bp.fit(net, X, t, bp.MSE(), opt, epochs=400, batch_size=20, shuffle=False)
    assert not hist.diverged
    assert net.layers[0].W[0, 0] == pytest.approx(-1.0, abs=0.02)
    assert net.layers[0].b[0] == pytest.approx(5.0, abs=0.02)


# ---------------------------------------------------------------- state and reset

@pytest.mark.parametrize("make,names", [
    (lambda: bp.SGD(lr=0.1, momentum=0.5), ["velocity"]),
    (lambda: bp.RMSProp(lr=0.1), ["square_avg"]),
    (lambda: bp.Adam(lr=0.1), ["m", "v"]),
])
def test_state_shapes_and_reset(make, names):
    net = bp.Sequential(bp.Dense(3, 2, "tanh", seed=0), bp.Dense(2, 1, "identity", seed=1))
    X, t = np.array([[1.0, 2.0, 3.0]]), np.array([[0.5]])
    opt = make()
    for _ in range(3):
        net.backward(bp.MSE().grad(net.forward(X), t))
        opt.step(net)
    assert opt.t == 3
    for name in names:
        state = getattr(opt, name)
        assert [s.shape for s in state] == [p.shape for p in net.parameters()]
        assert any(np.any(s != 0) for s in state)
    opt.reset()
    assert opt.t == 0
    for name in names:
        assert getattr(opt, name) is None
    # after reset the optimiser behaves like a new one
    a, b = net.copy(), net.copy()
    for model, o in ((a, opt), (b, make())):
        model.backward(bp.MSE().grad(model.forward(X), t))
        o.step(model)
    np.testing.assert_array_equal(a.get_flat(), b.get_flat())


# ---------------------------------------------------------------- schedules

def test_schedule_values():
    assert bp.Constant(0.1)(0) == 0.1 and bp.Constant(0.1)(1000) == 0.1
    step = bp.StepDecay(1.0, drop=0.5, every=10)        # lr · drop^floor(t / every)
    assert [step(t) for t in (0, 9, 10, 19, 20, 35)] == [1.0, 1.0, 0.5, 0.5, 0.25, 0.125]
    expo = bp.ExponentialDecay(2.0, decay=0.9)          # lr · decay^t
    assert expo(3) == pytest.approx(2.0 * 0.9 * 0.9 * 0.9, rel=1e-15)
    inv = bp.InverseTime(1.0, k=0.5)                     # lr / (1 + k t)
    assert inv(4) == pytest.approx(1.0 / (1.0 + 0.5 * 4), rel=1e-15)
    np.testing.assert_allclose(expo(np.arange(3)), [2.0, 1.8, 1.62])   # arrays, for plotting
    assert type(step(3)) is float


def test_optimizer_follows_its_schedule():
    opt = bp.SGD(lr=bp.StepDecay(0.1, drop=0.5, every=1))     # 0.1, 0.05, 0.025
    assert opt.current_lr() == 0.1
    w1 = 1.0 - 0.1 * 2.0
    w2 = w1 - 0.05 * (-1.0)
    w3 = w2 - 0.025 * 0.5
    assert run(opt) == pytest.approx([w1, w2, w3], abs=1e-15)
    assert opt.current_lr() == 0.0125
    opt.reset()
    assert opt.current_lr() == 0.1


def test_get_optimizer():
    opt = bp.get_optimizer("adam", lr=0.01)
    assert isinstance(opt, bp.Adam) and opt.lr == 0.01
    assert isinstance(bp.get_optimizer("SGD", lr=0.1, momentum=0.9), bp.SGD)
    same = bp.RMSProp()
    assert bp.get_optimizer(same) is same


def test_assigning_lr_later_changes_the_next_step():
    """opt.lr is the one source of the rate: a new value (or a Schedule) takes effect at
    the next step; the schedule is read from it and cannot be set on its own."""
    p, g = np.array([1.0]), np.array([1.0])
    opt = bp.SGD(lr=0.1)
    opt.update([p], [g])
    opt.lr = 0.5
    opt.update([p], [g])
    assert p[0] == pytest.approx(1.0 - 0.1 - 0.5) and opt.current_lr() == 0.5
    opt.lr = bp.schedules.ExponentialDecay(1.0, 0.5)          # t = 2 now: 1.0 · 0.5²
    assert opt.current_lr() == 0.25 and opt.schedule is opt.lr
    with pytest.raises(AttributeError):
        opt.schedule = bp.schedules.Constant(0.3)
    with pytest.raises(ValueError, match="lr"):
        opt.lr = -1.0
