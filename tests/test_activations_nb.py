"""Tests for notebooks 08 and 09: depth.py (against independent numpy), the function
pictures, the three explorers' callbacks over a grid of values, and the claims the
notebooks' prose rests on."""
import subprocess
import sys

import numpy as np
import pytest

import backprop_core as bp
from backprop_core import depth
from backprop_core.plotting import functions as fplots

# ---------------------------------------------------------------- independent references

def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


REF = {   # f, f' written out from the textbook formulas, not from the core
    "identity": (lambda z: z, lambda z: np.ones_like(z)),
    "sigmoid": (_sigmoid, lambda z: _sigmoid(z) * (1 - _sigmoid(z))),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "relu": (lambda z: np.where(z > 0, z, 0.0), lambda z: (z > 0).astype(float)),
    "leaky_relu": (lambda z: np.where(z > 0, z, 0.01 * z), lambda z: np.where(z > 0, 1.0, 0.01)),
}


def manual_backprop_norms(net, X, t):
    """||dL/dW_l|| for L = mean((y - t)^2) by a hand-written loop (no core backward)."""
    a, zs, acts = X, [], [X]
    for layer in net.layers:
        z = a @ layer.W + layer.b
        a = REF[layer.activation.name][0](z)
        zs.append(z)
        acts.append(a)
    delta = 2 * (a - t) / a.size * REF[net.layers[-1].activation.name][1](zs[-1])
    norms = []
    for l in range(len(net.layers) - 1, -1, -1):
        norms.append(np.linalg.norm(acts[l].T @ delta))
        if l > 0:
            delta = (delta @ net.layers[l].W.T) * REF[net.layers[l - 1].activation.name][1](zs[l - 1])
    return np.array(norms[::-1])


# ---------------------------------------------------------------- depth.py

@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu"])
@pytest.mark.parametrize("init", ["uniform", "xavier", "he"])
def test_gradient_norms_match_hand_written_backprop(activation, init):
    net = depth.deep_network(6, width=8, activation=activation, init=init, seed=2)
    X, t = depth.probe_batch(8, batch=16, seed=2)
    got = depth.gradient_norms(net, X, t, bp.MSE())
    np.testing.assert_allclose(got, manual_backprop_norms(net, X, t), rtol=1e-10, atol=1e-300)


def test_gradient_norms_match_finite_differences():
    net = depth.deep_network(3, width=4, activation="tanh", init="xavier", seed=5)
    X, t = depth.probe_batch(4, batch=5, seed=5)
    numeric = bp.numerical_gradients(net, bp.MSE(), X, t)            # central differences
    expected = [np.linalg.norm(g) for g in numeric[0::2]]           # W of every layer
    np.testing.assert_allclose(depth.gradient_norms(net, X, t), expected, rtol=1e-6)


def test_gradient_norms_delta_quantity():
    net = depth.deep_network(2, width=3, activation="sigmoid", seed=1)
    X, t = depth.probe_batch(3, batch=4, seed=1)
    deltas = depth.gradient_norms(net, X, t, quantity="delta")
    np.testing.assert_allclose(deltas, [np.linalg.norm(layer.delta) for layer in net.layers])
    with pytest.raises(ValueError, match="quantity"):
        depth.gradient_norms(net, X, t, quantity="dz")


def test_deep_network_shape_seed_and_errors():
    net = depth.deep_network(4, width=5, activation="relu", init="he", seed=3, n_in=2, n_out=3)
    assert net.sizes == [2, 5, 5, 5, 5, 3]
    assert [l.activation.name for l in net.layers] == ["relu"] * 4 + ["identity"]
    again = depth.deep_network(4, width=5, activation="relu", init="he", seed=3, n_in=2, n_out=3)
    assert np.array_equal(net.get_flat(), again.get_flat())
    other = depth.deep_network(4, width=5, activation="relu", init="he", seed=4, n_in=2, n_out=3)
    assert not np.array_equal(net.get_flat(), other.get_flat())
    for bad in (0, -1):
        with pytest.raises(ValueError, match="depth"):
            depth.deep_network(bad)
    with pytest.raises(TypeError, match="depth"):
        depth.deep_network(2.5)
    with pytest.raises(ValueError, match="seed"):
        depth.deep_network(2, seed=-1)


def test_profile_equals_network_plus_probe_and_table():
    norms = depth.gradient_profile(5, "tanh", "xavier", width=6, seed=1, batch=10)
    net = depth.deep_network(5, 6, "tanh", "xavier", 1)
    X, t = depth.probe_batch(6, batch=10, seed=1)
    np.testing.assert_array_equal(norms, depth.gradient_norms(net, X, t))
    table = depth.ratio_table(["tanh", "sigmoid"], [2, 5], width=6, seed=1, batch=10)
    assert table.shape == (2, 2)
    assert table[0, 1] == pytest.approx(norms[0] / norms[-1], rel=1e-12)


def test_ratio_and_shrink_factor():
    norms = np.array([1e-4, 1e-3, 1e-2, 2.0])
    assert depth.first_to_last_ratio(norms) == pytest.approx(5e-5)
    assert depth.shrink_per_layer(norms) == pytest.approx(0.1)     # (1e-4 / 1e-2)^(1/2)
    assert depth.first_to_last_ratio([1.0, 0.0]) == 0.0
    assert np.isnan(depth.shrink_per_layer([1.0, 2.0]))            # one hidden layer only
    with pytest.raises(ValueError, match="norms"):
        depth.first_to_last_ratio([1.0])


def test_activation_stds_match_manual_forward():
    net = depth.deep_network(3, width=4, activation="tanh", seed=0)
    X, _ = depth.probe_batch(4, batch=7, seed=0)
    a, expected = X, []
    for layer in net.layers:
        a = REF[layer.activation.name][0](a @ layer.W + layer.b)
        expected.append(a.std())
    np.testing.assert_allclose(depth.activation_stds(net, X), expected, rtol=1e-12)


def test_dead_units_found_and_their_gradient_is_zero():
    X = np.linspace(-1, 1, 9).reshape(-1, 1)
    layer = bp.Dense(1, 4, "relu", weights=[[1.0, -1.0, 0.0, 2.0]], bias=[0.0, -10.0, 0.0, 5.0])
    net = bp.Sequential(layer, bp.Dense(4, 1, "identity", seed=0))
    # unit 1: z = -x - 10 < 0 always; unit 2: z = 0 always (ReLU'(0) = 0); 0 and 3 are alive
    assert depth.dead_units(net, X) == [(0, 1), (0, 2)]
    net.backward(bp.MSE().grad(net.forward(X), np.ones((9, 1))))
    assert np.all(layer.dW[:, [1, 2]] == 0) and np.all(layer.db[[1, 2]] == 0)
    assert np.all(layer.dW[:, [0, 3]] != 0)
    leaky = bp.Sequential(bp.Dense(1, 4, "leaky_relu", weights=layer.W, bias=layer.b),
                          bp.Dense(4, 1, "identity", seed=0))
    assert depth.dead_units(leaky, X) == []
    with pytest.raises(ValueError, match="width 1"):
        depth.dead_units(net, np.zeros((3, 2)))


def test_dead_units_skips_softmax():
    net = bp.Sequential(bp.Dense(2, 3, "softmax", seed=0))
    assert depth.dead_units(net, np.ones((2, 2))) == []


def test_train_width_and_sweep_match_manual_training():
    X, t = bp.datasets.sine(n=20, noise=0.1, seed=3)
    Xtr, ttr, Xte, tte = bp.datasets.split(X, t, test_fraction=0.5, seed=3)
    sweep = depth.width_sweep(Xtr, ttr, Xte, tte, [1, 3], epochs=30,
                              optimizer=lambda: bp.SGD(lr=0.1), seed=7)
    for k, width in enumerate([1, 3]):
        net = bp.Sequential(bp.Dense(1, width, "tanh", init="he", seed=7),
                            bp.Dense(width, 1, "identity", init="xavier", seed=8))
        bp.fit(net, Xtr, ttr, bp.MSE(), bp.SGD(lr=0.1), epochs=30, batch_size=len(Xtr), shuffle=False)
        assert sweep.train_loss[k] == pytest.approx(np.mean((net.forward(Xtr) - ttr) ** 2), rel=1e-12)
        assert sweep.test_loss[k] == pytest.approx(np.mean((net.forward(Xte) - tte) ** 2), rel=1e-12)
        assert np.array_equal(sweep.nets[k].get_flat(), net.get_flat())
    assert not sweep.diverged.any()
    assert sweep.best_width in (1, 3)
    with pytest.raises(TypeError, match="optimizer"):
        depth.width_sweep(Xtr, ttr, Xte, tte, [1], optimizer=bp.SGD(lr=0.1))
    with pytest.raises(ValueError, match="width"):
        depth.train_width(Xtr, ttr, 0)


def test_depth_module_imports_numpy_only():
    code = ("import sys, backprop_core.depth; "
            "print(any(m.startswith(('matplotlib', 'ipywidgets')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_plotting_functions_do_not_import_ipywidgets():
    code = ("import sys, backprop_core.plotting.functions; "
            "print('ipywidgets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ------------------------------------- the curves plotting/functions.py draws (in the core)

@pytest.mark.parametrize("name", sorted(REF))
def test_activation_curves_match_formulas(name):
    z = np.linspace(-7, 7, 141)
    a, da = bp.activations.curve(name, z)
    np.testing.assert_allclose(a, REF[name][0](z), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(da, REF[name][1](z), rtol=1e-12, atol=1e-15)


def test_softmax_curve_is_the_sigmoid():
    z = np.linspace(-7, 7, 141)
    a, da = bp.activations.curve("softmax", z)
    np.testing.assert_allclose(a, _sigmoid(z), rtol=1e-12)
    np.testing.assert_allclose(da, _sigmoid(z) * (1 - _sigmoid(z)), rtol=1e-12, atol=1e-15)


def test_every_listed_activation_has_curves():
    z = np.linspace(-3, 3, 7)
    for name in bp.activations.NAMES:
        a, da = bp.activations.curve(name, z)
        assert a.shape == da.shape == (7,) and np.all(np.isfinite(a)) and np.all(np.isfinite(da))


def test_loss_curves_match_formulas():
    y = np.linspace(-2, 4, 13)
    L, g = bp.losses.curve("mse", y, 1.0)
    np.testing.assert_allclose(L, (y - 1) ** 2)
    np.testing.assert_allclose(g, 2 * (y - 1))
    L, g = bp.losses.curve("mae", y, 1.0)
    np.testing.assert_allclose(L, np.abs(y - 1))
    np.testing.assert_allclose(g, np.sign(y - 1))
    p = np.linspace(0.05, 0.95, 10)
    L, g = bp.losses.curve("binary_cross_entropy", p, 1.0)
    np.testing.assert_allclose(L, -np.log(p), rtol=1e-12)
    np.testing.assert_allclose(g, -1 / p, rtol=1e-9)
    L, _ = bp.losses.curve("binary_cross_entropy", p, 0.0)
    np.testing.assert_allclose(L, -np.log(1 - p), rtol=1e-12)


def test_static_pictures_draw_without_warnings(strict):
    from matplotlib.figure import Figure
    figs = [fplots.plot_activations(), fplots.plot_losses(t=0.5), fplots.plot_power(0.25, 8, threshold=1e-3),
            fplots.plot_gradient_profiles({"a": [1e-3, 0.0, 1.0], "b": [1.0, 1.0, 1.0]}, highlight="a"),
            fplots.plot_width_sweep([1, 4, 16], [0.3, 0.1, 0.01], [0.3, 0.2, 0.4])]
    X, t = bp.datasets.sine(n=8, seed=0)
    net = bp.Sequential(bp.Dense(1, 2, "tanh"), bp.Dense(2, 1, "identity"))
    figs.append(fplots.plot_fits(X[:4], t[:4], X[4:], t[4:], [net], np.linspace(0, 1, 9).reshape(-1, 1)))
    for fig in figs:
        assert isinstance(fig, Figure)
        fig.canvas.draw()


# ---------------------------------------------------------------- widgets: callbacks over a grid

def _set(explorer, control, value):
    """Set a control like a user would; the observer must redraw exactly once."""
    before = explorer.figure.renders
    control.value = value
    if control.value == value:
        assert explorer.figure.renders in (before, before + 1)   # same value: no change event
    assert "nan" not in explorer.summary.value.lower()
    assert "inf" not in explorer.summary.value.lower().replace("info", "")
    return explorer.figure.renders - before


def test_activation_explorer_grid(strict):
    ex = bp.widgets.ActivationExplorer()
    assert ex.figure.renders == 1 and ex.figure.image.value[:4] == b"\x89PNG"
    for zr in [(-10.0, 10.0), (-0.5, 0.5), (-10.0, -9.5), (1.0, 1.0)]:      # every range, one activation
        assert _set(ex, ex.z_range, zr) in (0, 1)
    for name in bp.activations.NAMES:                                    # every activation, a few points
        assert _set(ex, ex.activation, name) in (0, 1)
        for zr, z0 in [((2.0, 8.0), -10.0), ((1.0, 1.0), 10.0), ((-6.0, 6.0), 0.0)]:
            _set(ex, ex.z_range, zr)
            _set(ex, ex.z0, z0)
            z, a, da, a0, da0 = ex.values()
            ref_a, ref_da = bp.activations.curve(name, [ex.z0.value])
            assert (a0, da0) == (ref_a[0], ref_da[0])
            assert f"{a0:.4f}" in ex.summary.value and f"{da[np.argmax(da)]:.4f}" in ex.summary.value
            assert np.array_equal(ex.panels.d_line.get_ydata(), da)
            lo, hi = ex.figure.axes[1].get_ylim()
            assert np.isfinite(lo) and np.isfinite(hi) and lo < hi


def test_activation_explorer_counts_renders():
    ex = bp.widgets.ActivationExplorer(activation="tanh")
    n = ex.figure.renders
    ex.activation.value = "relu"
    ex.z0.value = 1.5
    ex.z_range.value = (-2.0, 2.0)
    assert ex.figure.renders == n + 3
    assert "relu" in ex.summary.value and "1.0000" in ex.summary.value   # f(1.5)=1.5, f'=1


def test_sigmoid_explorer_shows_the_025_bound():
    ex = bp.widgets.ActivationExplorer(activation="sigmoid", z_range=(-10.0, 10.0))
    assert "0.2500 at z = 0.00" in ex.summary.value


def test_loss_explorer_grid(strict):
    ex = bp.widgets.LossExplorer()
    for t in [-1.0, 3.0]:
        _set(ex, ex.target, t)
        for y in [-2.0, t, 4.0]:
            _set(ex, ex.prediction, y)
            assert f"= {(y - t) ** 2:.4f}" in ex.summary.value
            assert f"= {abs(y - t):.4f}" in ex.summary.value
    for label in [0, 1]:
        _set(ex, ex.label, label)
        for p in [0.01, 0.99]:
            _set(ex, ex.probability, p)
            expected = -np.log(p) if label == 1 else -np.log(1 - p)
            assert f"= {expected:.4f}" in ex.summary.value
            assert np.all(np.isfinite(ex.panels.ce_line.get_ydata()))


def test_gradient_depth_explorer_grid(strict):
    ex = bp.widgets.GradientDepthExplorer(depth=2, width=8)
    for init in ["uniform", "xavier", "he"]:
        _set(ex, ex.init, init)
        for d in [2, 20]:
            _set(ex, ex.depth, d)
            names = ["sigmoid", "tanh", "relu", "leaky_relu"] if d == 20 else ["sigmoid"]
            for name in names:
                _set(ex, ex.activation, name)
                expected = depth.gradient_profile(d, name, init, 8, ex.seed.value)
                np.testing.assert_array_equal(ex.profiles[name], expected)
                assert len(ex.lines[name].get_xdata()) == d + 1
                assert f"{expected[0]:.2e}" in ex.summary.value
            lo, hi = ex.figure.axes.get_ylim()
            assert 0 < lo < hi and np.isfinite(hi)
    for seed in [0, 20]:
        assert _set(ex, ex.seed, seed) in (0, 1)


def test_gradient_depth_explorer_draws_each_y_range_once_and_matches_a_full_draw(strict):
    """The y axis is part of the background, one per y range (steps of 3 decades: a few), so
    a depth whose y range was seen before costs no full redraw; the picture equals
    matplotlib's own drawing of the whole figure."""
    import io

    from PIL import Image

    from backprop_core.plotting import style
    ex = bp.widgets.GradientDepthExplorer(depth=10, width=8)
    ranges = {ex.figure.axes.get_ylim()}
    draws = ex.figure.full_draws
    for d in (2, 20, 15, 3, 12):
        _set(ex, ex.depth, d)
        ranges.add(ex.figure.axes.get_ylim())
    assert len(ranges) >= 3 and ex.figure.full_draws == draws + len(ranges) - 1
    draws = ex.figure.full_draws
    for d in (12, 3, 15, 20, 2, 10):                  # every range seen: restored, not drawn
        _set(ex, ex.depth, d)
    assert ex.figure.full_draws == draws
    blitted = np.asarray(Image.open(io.BytesIO(ex.figure.image.value)).convert("RGBA")).astype(int)
    for artist in ex.figure.animated:
        artist.set_animated(False)
    with style.context():
        ex.figure.canvas.draw()
    full = np.asarray(ex.figure.canvas.buffer_rgba()).astype(int)
    assert blitted.shape == full.shape and np.abs(blitted - full).max() <= 2


def test_power_of_ten_labels_are_plain_text():
    assert fplots.power_of_ten(1e-12) == "10⁻¹²" and fplots.power_of_ten(1000.0) == "10³"
    assert fplots.power_of_ten(1.0) == "10⁰" and fplots.power_of_ten(2e-3) == "0.002"


def test_widgets_display_as_widgets():
    for ex in (bp.widgets.ActivationExplorer(), bp.widgets.LossExplorer(),
               bp.widgets.GradientDepthExplorer(depth=3, width=4)):
        bundle = ex._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in bundle
        labels = [c.description for box in ex.widget.children if hasattr(box, "children")
                  for c in box.children] + [c.description for c in ex.widget.children
                                            if getattr(c, "description", "")]
        assert all(labels), "every control needs a label"


# ---------------------------------------------------------------- claims the notebooks' prose rests on

def test_claim_sigmoid_derivative_at_most_quarter():
    z = np.linspace(-50, 50, 100001)
    d = bp.get_activation("sigmoid").deriv(z)
    assert d.max() == pytest.approx(0.25, abs=1e-12) and z[np.argmax(d)] == pytest.approx(0.0, abs=1e-9)
    assert 0.25 ** 4 > 1e-3 > 0.25 ** 5          # "vanishes within ~5 layers"


def test_claim_notebook08_dead_relu_scenario():
    x01, t = bp.datasets.sine(n=60, noise=0.1, seed=0)
    X = (x01 - 0.5) * 6.0
    net = bp.Sequential(bp.Dense(1, 8, "relu", init="he", seed=3), bp.Dense(8, 1, "identity", seed=103))
    assert depth.dead_units(net, X) == []
    hist = bp.fit(net, X, t, bp.MSE(), bp.Adam(lr=0.1), epochs=100, batch_size=10, seed=3)
    assert not hist.diverged
    dead = depth.dead_units(net, X)
    assert dead, "the notebook's training run must end with a dead ReLU"
    net.forward(X)
    for _, j in dead:
        assert net.layers[0].z[:, j].max() <= 0


def test_claim_notebook09_sigmoid_vanishes_others_do_not():
    table = depth.ratio_table(["sigmoid", "tanh", "relu", "leaky_relu"], [5, 20], init="xavier")
    assert table[0, 0] < 1e-3 and table[0, 1] < 1e-10        # sigmoid: vanished
    assert np.all((table[1:] > 0.1) & (table[1:] < 10))       # the others: within a factor of 10
    he = depth.gradient_profile(20, "relu", "he")
    uniform = depth.gradient_profile(20, "relu", "uniform")
    xavier = depth.gradient_profile(20, "relu", "xavier")
    assert uniform[0] > 1e6 and xavier[0] < 1e-2 and 1e-2 < he[0] < 1e2
    assert depth.shrink_per_layer(depth.gradient_profile(20, "sigmoid", "uniform")) > 0.25


def test_claim_notebook09_underfit_then_overfit():
    x01, t = bp.datasets.sine(n=60, noise=0.25, seed=0)
    X = (x01 - 0.5) * 6.0
    Xtr, ttr, Xte, tte = bp.datasets.split(X, t, test_fraction=0.75, seed=0)
    sweep = depth.width_sweep(Xtr, ttr, Xte, tte, [1, 8, 128], epochs=1500, seed=1)
    assert sweep.test_loss[1] < sweep.test_loss[0] and sweep.test_loss[1] < sweep.test_loss[2]
    assert sweep.train_loss[2] < sweep.train_loss[1] < sweep.train_loss[0]


def test_verdict_words():
    from backprop_core.widgets.function_explorers import verdict
    assert verdict(np.array([1e-9, 1e-7, 1e-5, 1e-3, 1e-1, 1.0])).startswith("vanishing")
    assert verdict(np.array([1e4, 1e3, 1e2, 1e1, 1.0, 1.0])).startswith("exploding towards")
    assert verdict(np.array([1e16, 1e16, 1e16, 1e16, 1e16])).startswith("exploding: large")
    assert verdict(np.array([0.05, 1.0])).startswith("shrinking")
    assert verdict(np.array([1e-4, 1e-4, 1e-4, 1e-4, 1e-4])).startswith("small")
    assert verdict(np.array([0.5, 0.6, 0.7, 0.6, 0.5])).startswith("healthy")


def test_width_explorer_grid(strict):
    X, t = bp.datasets.sine(n=16, noise=0.2, seed=1)
    Xtr, ttr, Xte, tte = bp.datasets.split(X, t, test_fraction=0.5, seed=1)
    sweep = depth.width_sweep(Xtr, ttr, Xte, tte, [1, 3, 9], epochs=20, seed=0)
    ex = bp.widgets.WidthExplorer(sweep, Xtr, ttr, Xte, tte)
    assert ex.width.value == 1 and ex.figure.renders == 1
    for w in [3, 9, 1, 9]:
        before = ex.figure.renders
        ex.width.value = w
        assert ex.figure.renders == before + 1
        i = [1, 3, 9].index(w)
        assert f"training MSE {sweep.train_loss[i]:.4f}" in ex.summary.value
        assert f"held-out MSE {sweep.test_loss[i]:.4f}" in ex.summary.value
        np.testing.assert_array_equal(ex.fit_line.get_ydata(), sweep.nets[i].forward(ex.x_grid)[:, 0])
        assert "nan" not in ex.summary.value.lower()
    ex.width.value = 1
    assert "1 hidden unit:" in ex.summary.value
