"""The dtype option: float64 by default (teaching precision); dtype=np.float32 keeps float32
through forward, backward, the optimiser step and fit."""
import numpy as np
import pytest

import backprop_core as bp


def net_of(dtype):
    return bp.Sequential(bp.Dense(3, 4, "tanh", seed=0, dtype=dtype),
                         bp.Dense(4, 2, "sigmoid", seed=1, dtype=dtype))


def arrays_of(net):
    """Every array the net keeps: parameters, gradients and the recorded pass."""
    out = net.parameters() + net.gradients()
    for layer in net.layers:
        out += [layer.x, layer.z, layer.a, layer.delta, layer.dL_da]
    return [a for a in out if a is not None]


X = np.random.default_rng(0).normal(size=(5, 3))          # float64 data
T = np.random.default_rng(1).uniform(size=(5, 2))


def test_float64_is_the_default():
    net = net_of(np.float64)
    assert bp.Dense(2, 2).W.dtype == np.float64
    net.backward(bp.MSE().grad(net.forward(X), T))
    assert all(a.dtype == np.float64 for a in arrays_of(net))


def test_float32_forward_and_backward():
    net = net_of(np.float32)
    y = net.forward(X)
    assert y.dtype == np.float32
    dX = net.backward(bp.MSE().grad(y, T))
    assert dX.dtype == np.float32
    for a in arrays_of(net):
        assert a.dtype == np.float32


@pytest.mark.parametrize("make", [lambda: bp.SGD(lr=0.1), lambda: bp.SGD(lr=0.1, momentum=0.9),
                                  lambda: bp.SGD(lr=0.1, momentum=0.9, nesterov=True),
                                  lambda: bp.RMSProp(lr=0.01), lambda: bp.Adam(lr=0.01)],
                         ids=["sgd", "momentum", "nesterov", "rmsprop", "adam"])
def test_float32_step_keeps_float32(make):
    net = net_of(np.float32)
    opt = make()
    params = net.parameters()
    for _ in range(2):
        net.backward(bp.MSE().grad(net.forward(X), T))
        opt.step(net)
    for p, same in zip(net.parameters(), params):
        assert p is same and p.dtype == np.float32
    for name in ("velocity", "square_avg", "m", "v"):
        for s in getattr(opt, name, None) or []:
            assert s.dtype == np.float32


def test_float32_fit_keeps_float32_and_agrees_with_float64():
    n32, n64 = net_of(np.float32), net_of(np.float64)
    h32 = bp.fit(n32, X, T, bp.MSE(), bp.SGD(lr=0.5), epochs=20, batch_size=5, shuffle=False)
    h64 = bp.fit(n64, X, T, bp.MSE(), bp.SGD(lr=0.5), epochs=20, batch_size=5, shuffle=False)
    for a in arrays_of(n32):
        assert a.dtype == np.float32
    # single precision: the same training to about 6 significant digits
    np.testing.assert_allclose(h32.loss, h64.loss, rtol=1e-4)
    np.testing.assert_allclose(n32.get_flat(), n64.get_flat(), rtol=1e-4, atol=1e-5)


def test_float32_copy_and_flat():
    net = net_of(np.float32)
    assert all(l.W.dtype == np.float32 for l in net.copy().layers)
    net.set_flat(np.zeros(net.get_flat().size))
    assert all(p.dtype == np.float32 for p in net.parameters())
