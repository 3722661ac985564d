"""Tests for the speed helpers (timing, batches, plotting.speed), the speed fixes in the core,
and a smoke run of the benchmarks."""
import math
import pathlib
import subprocess
import sys
import time

import numpy as np
import pytest

import backprop_core as bp
from backprop_core import timing

ROOT = pathlib.Path(__file__).resolve().parent.parent


# --- timing ---------------------------------------------------------------------------------

def test_median_time_measures_a_known_sleep():
    t = timing.median_time(lambda: time.sleep(0.002), repeat=3, number=2)
    assert 0.0019 <= t.median < 0.05
    assert t.best <= t.median
    assert len(t.per_call) == 3


def test_timing_median_and_per_item():
    t = timing.Timing([3.0, 1.0, 2.0])
    assert t.median == 2.0 and t.best == 1.0
    assert t.per(4) == 0.5
    with pytest.raises(ValueError, match="n must be a positive count"):
        t.per(0)
    with pytest.raises(ValueError, match="at least one"):
        timing.Timing([])


def test_calls_per_round_grows_until_min_time():
    calls = []
    n = timing.calls_per_round(lambda: calls.append(1), min_time=0.001)
    assert str(n).rstrip("0") in {"1", "2", "5"} and len(calls) >= n
    assert timing.calls_per_round(lambda: time.sleep(0.003), min_time=0.002) == 1


def test_compare_times_interleaves_rounds():
    order = []
    res = timing.compare_times({"a": lambda: order.append("a"), "b": lambda: order.append("b")},
                               repeat=3, warmup=0, min_time=0.0)
    assert set(res) == {"a", "b"}
    # after choosing the call counts (one call each with min_time 0), rounds alternate a, b, a, b
    assert order[-6:] == ["a", "b", "a", "b", "a", "b"]


def test_paired_ratio_is_the_median_of_each_rounds_ratio():
    a, b = timing.Timing([2.0, 2.0, 8.0]), timing.Timing([1.0, 2.0, 2.0])
    assert timing.paired_ratio(a, b) == 2.0           # rounds' ratios 2, 1, 4
    assert a.median / b.median == 1.0                 # (not the ratio of the medians)
    assert timing.paired_ratio(b, a) == 0.5
    with pytest.raises(ValueError, match="same number of rounds"):
        timing.paired_ratio(a, timing.Timing([1.0]))


def test_sweep_times_each_value():
    seen = []
    res = timing.sweep(lambda v: seen.append(v), [1, 2, 3], repeat=2, warmup=0)
    assert list(res) == [1, 2, 3]
    assert seen == [1, 1, 2, 2, 3, 3]


@pytest.mark.parametrize("seconds, text", [(1.5, "1.5 s"), (0.0123, "12.3 ms"), (4.56e-6, "4.56 µs"),
                                           (2e-9, "2 ns"), (0.0, "0 ns")])
def test_format_seconds(seconds, text):
    assert timing.format_seconds(seconds) == text


def test_format_seconds_refuses_negative_and_nan():
    with pytest.raises(ValueError):
        timing.format_seconds(-1.0)
    with pytest.raises(ValueError):
        timing.format_seconds(float("nan"))


def test_markdown_table():
    text = timing.markdown_table(["a", "bb"], [["1", "22"], ["333", "4"]])
    assert text.splitlines() == ["| a   | bb |", "|-----|----|", "|   1 | 22 |", "| 333 |  4 |"]
    with pytest.raises(ValueError, match="every row needs 2 cells"):
        timing.markdown_table(["a", "b"], [["1"]])


def test_timing_is_standard_library_only():
    src = (ROOT / "backprop_core" / "timing.py").read_text()
    assert "import numpy" not in src and "matplotlib" not in src


# --- batches ---------------------------------------------------------------------------------

def _net():
    return bp.Sequential(bp.Dense(3, 4, "sigmoid", seed=0), bp.Dense(4, 2, "sigmoid", seed=1))


def _data(n=64):
    rng = np.random.default_rng(0)
    return rng.standard_normal((n, 3)), rng.uniform(0.1, 0.9, (n, 2))


@pytest.mark.parametrize("n, b, want", [(1024, 1, 1024), (1024, 1000, 2), (10, 3, 4), (10, 10, 1)])
def test_updates_per_epoch_counts_fit_steps(n, b, want):
    assert bp.batches.updates_per_epoch(n, b) == want
    X = np.zeros((n, 3))
    hist = bp.fit(_net(), X, np.full((n, 2), 0.5), bp.MSE(), bp.SGD(lr=0.1), epochs=1, batch_size=b)
    assert hist.steps == want


def test_gradient_spread_is_zero_for_the_full_batch_and_shrinks_with_batch_size():
    X, t = _data()
    net = _net()
    assert bp.batches.gradient_spread(net, bp.MSE(), X, t, 64) == pytest.approx(0.0, abs=1e-12)
    spreads = [bp.batches.gradient_spread(net, bp.MSE(), X, t, b, n_batches=40) for b in (1, 4, 16)]
    assert spreads[0] > spreads[1] > spreads[2] > 0


def test_gradient_spread_matches_a_direct_computation():
    X, t = _data(8)
    net = _net()
    full = np.concatenate([g.ravel() for g in bp.analytic_gradients(net, bp.MSE(), X, t)])
    rng = np.random.default_rng(5)
    want = []
    for _ in range(3):
        idx = rng.choice(8, size=2, replace=False)
        g = np.concatenate([g.ravel() for g in bp.analytic_gradients(net, bp.MSE(), X[idx], t[idx])])
        want.append(np.linalg.norm(g - full) / np.linalg.norm(full))
    got = bp.batches.gradient_spread(net, bp.MSE(), X, t, 2, n_batches=3, seed=5)
    assert got == pytest.approx(float(np.median(want)), rel=1e-12)


def test_gradient_spread_refuses_a_batch_larger_than_the_data():
    X, t = _data(8)
    with pytest.raises(ValueError, match="batch_size must be at most the 8 samples"):
        bp.batches.gradient_spread(_net(), bp.MSE(), X, t, 9)


def test_step_memory_counts_the_per_batch_arrays():
    net = _net()
    # x (b,3); layer 1: z, a, dL/da, delta (b,4) each; layer 2: x is layer 1's a; z, a, dL/da, delta (b,2)
    per_sample = (3 + 4 * 4 + 4 * 2) * 8
    assert bp.batches.step_memory(net, 1) == per_sample
    assert bp.batches.step_memory(net, 10) == 10 * per_sample
    net32 = bp.Sequential(bp.Dense(3, 4, dtype=np.float32), bp.Dense(4, 2, dtype=np.float32))
    assert bp.batches.step_memory(net32, 10) == 10 * per_sample // 2


def test_step_memory_counts_an_identity_layers_shared_array_once():
    net = bp.Sequential(bp.Dense(3, 2, "identity"))
    # x (3), z is a (2), dL/da is delta (2)
    assert bp.batches.step_memory(net, 1) == (3 + 2 + 2) * 8


# --- the speed fixes keep the maths ---------------------------------------------------------

def test_backward_without_input_grad_gives_the_same_gradients():
    X, t = _data()
    a, b = _net(), _net()
    ga = a.backward(bp.MSE().grad(a.forward(X), t))
    gb = b.backward(bp.MSE().grad(b.forward(X), t), input_grad=False)
    assert ga.shape == X.shape and gb is None
    for p, q in zip(a.gradients(), b.gradients()):
        np.testing.assert_array_equal(p, q)


def test_float32_network_stays_float32_through_a_step():
    net = bp.Sequential(bp.Dense(3, 4, dtype=np.float32), bp.Dense(4, 2, dtype=np.float32))
    X, t = _data()
    y = net.forward(X)
    g = bp.MSE().grad(y, t)
    assert y.dtype == np.float32 and g.dtype == np.float32
    net.backward(g)
    bp.SGD(lr=0.1).step(net)
    assert all(p.dtype == np.float32 for p in net.parameters() + net.gradients())


def test_mixed_dtype_layers_still_work():
    net = bp.Sequential(bp.Dense(3, 4, dtype=np.float64), bp.Dense(4, 2, "identity", dtype=np.float32))
    X, t = _data()
    net.backward(bp.MSE().grad(net.forward(X), t))
    assert net.layers[0].dW.dtype == np.float64 and net.layers[1].dW.dtype == np.float32


def test_sigmoid_is_exact_and_silent_far_out(recwarn):
    z = np.array([-1e4, -800.0, -30.0, 0.0, 30.0, 1e4])
    a = bp.get_activation("sigmoid").value(z)
    np.testing.assert_allclose(a, [0.0, 0.0, 1 / (1 + math.exp(30)), 0.5, 1 / (1 + math.exp(-30)), 1.0],
                               rtol=1e-15, atol=0)
    a32 = bp.get_activation("sigmoid").value(z.astype(np.float32))
    assert a32.dtype == np.float32 and np.all(np.isfinite(a32))
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_sigmoid_backward_matches_the_formula():
    rng = np.random.default_rng(2)
    z, g = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    act = bp.get_activation("sigmoid")
    a = act.value(z)
    np.testing.assert_allclose(act.backward(z, a, g), g * a * (1 - a), rtol=1e-15)
    np.testing.assert_allclose(act.backward(z, None, g), g * a * (1 - a), rtol=1e-15)


# --- plotting.speed ---------------------------------------------------------------------------

def test_speed_plots_draw_and_check_lengths():
    from backprop_core.plotting.speed import plot_epoch_time, plot_flop_rate
    fig = plot_epoch_time([1, 2, 4], [1.0, 0.6, 0.5], n_samples=100)
    ax = fig.axes[0]
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2, 4])
    assert ax.get_xlabel() == "batch size (samples per update)"
    fig = plot_flop_rate([32, 64], [1.0, 2.0], peak=3.0, label="float64")
    assert len(fig.axes[0].lines) == 2
    with pytest.raises(ValueError, match="equal length"):
        plot_epoch_time([1, 2], [1.0], n_samples=10)
    with pytest.raises(ValueError, match="equal length"):
        plot_flop_rate([], [], peak=None)


def test_speed_plots_do_not_import_widgets():
    src = (ROOT / "backprop_core" / "plotting" / "speed.py").read_text()
    assert "ipywidgets" not in src


# --- the benchmarks run -----------------------------------------------------------------------

def test_scaling_step_flops():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import scaling
    finally:
        sys.path.pop(0)
    # layer 1 (3x4): x W and x^T delta; layer 2 (4x2): also delta W^T; 2 flops per multiply-add
    assert scaling.step_flops((3, 4, 2), 5) == 2 * 2 * 5 * 12 + 3 * 2 * 5 * 8


def test_compare_quick_runs_and_checks_same_updates():
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "compare.py"), "--quick"],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "Same update checked" in out.stdout and "core/lean" in out.stdout
