"""The training lab (issue 4): its problems (landscapes), pictures (curves, landscape) and widget.

Numbers are checked against independent references written here in plain numpy (gradient
descent on the formulas, central differences, the closed form of descent on a quadratic),
never against values copied from the code under test.
"""
import io
import subprocess
import sys

import numpy as np
import pytest
from checked_drawing import checked_backgrounds  # noqa: F401 (autouse: every restored background checked)

import backprop_core as bp
from backprop_core import landscapes
from backprop_core import runs as lab_runs
from backprop_core.plotting import curves as pcurves
from backprop_core.plotting import landscape as pland


@pytest.fixture(scope="module")
def lab(warnings_as_errors):
    with warnings_as_errors():
        return bp.widgets.TrainingLab()


def reset(lab):
    lab.set(problem="linear", optimizer="SGD", lr=0.1, momentum=0.9, schedule="constant",
            batch_size=lab.problems["linear"].n_samples, steps=200, unit="steps", seed=0,
            log_scale=True, compare="off")


# --- the problems (numpy only) --------------------------------------------------------------

def manual_gd_linear(x, t, w, b, lr, steps, max_loss=1e12):
    """Full-batch gradient descent on L = mean((w x + b - t)^2), written out by hand.
    Returns (path (k+1, 2), losses (k,), diverged_at)."""
    path, losses = [(w, b)], []
    for k in range(steps):
        e = w * x + b - t
        L = np.mean(e ** 2)
        if not np.isfinite(L) or L > max_loss:  # noqa: SIM300 - L is the loss (maths' name), not a constant
            return np.array(path), np.array(losses), k
        w, b = w - lr * 2 * np.mean(e * x), b - lr * 2 * np.mean(e)
        losses.append(L)
        path.append((w, b))
    return np.array(path), np.array(losses), None


def test_linear_problem_minimum_and_start_loss():
    p = landscapes.linear_problem()
    x, t = p.X[:, 0], p.t[:, 0]
    assert p.loss_at((-1.0, 5.0)) == pytest.approx(0.0, abs=1e-24)      # seed 001: minimum at (-1, 5)
    assert p.loss_at(p.start) == pytest.approx(np.mean((1.0 * x + 0.0 - t) ** 2), rel=1e-14)
    P1, P2, L = p.surface(n=31)
    assert L.shape == (31, 31)
    i = np.unravel_index(np.argmin(L), L.shape)
    assert abs(P1[i] + 1.0) < 0.25 and abs(P2[i] - 5.0) < 0.4          # lowest grid cell next to (-1, 5)


def test_linear_descent_matches_hand_written_gradient_descent():
    p = landscapes.linear_problem()
    d = p.descend(bp.SGD(0.1), steps=60)                 # full batch
    path, losses, _ = manual_gd_linear(p.X[:, 0], p.t[:, 0], 1.0, 0.0, 0.1, 60)
    np.testing.assert_allclose(d.params, path, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(d.loss, losses, rtol=1e-10, atol=1e-12)
    assert d.steps == 60 and d.diverged_at is None and d.steps_per_epoch == 1


def test_linear_divergence_threshold_is_two_over_largest_curvature():
    p = landscapes.linear_problem()
    x = p.X[:, 0]
    H = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])   # Hessian of the MSE
    lr_max = 2.0 / np.linalg.eigvalsh(H).max()
    assert p.descend(bp.SGD(0.98 * lr_max), steps=1000).diverged_at is None
    assert p.descend(bp.SGD(1.02 * lr_max), steps=5000).diverged_at is not None


def test_linear_diverged_at_matches_hand_written_descent():
    p = landscapes.linear_problem()
    d = p.descend(bp.SGD(1.9), steps=200)
    _, losses, k = manual_gd_linear(p.X[:, 0], p.t[:, 0], 1.0, 0.0, 1.9, 200)
    assert k is not None and d.diverged_at == k
    assert len(d.loss) == k and np.all(np.isfinite(d.params)) and d.final_loss == np.inf


def test_bowl_gradient_and_closed_form_descent(fd):
    bowl = landscapes.QuadraticBowl()
    theta = np.array([0.7, -1.3])
    np.testing.assert_allclose(bowl.gradient(theta), fd(bowl.value, theta), rtol=1e-7)
    assert np.allclose(np.linalg.eigvalsh(bowl.A), sorted(bowl.curvatures))
    lr, k = 0.5, 40
    d = bowl.descend(bp.SGD(lr), steps=k)
    expected = np.linalg.matrix_power(np.eye(2) - lr * bowl.A, k) @ bowl.start   # θ_k = (I - ηA)^k θ_0
    np.testing.assert_allclose(d.params[-1], expected, rtol=1e-10, atol=1e-14)
    assert d.final_loss == pytest.approx(0.5 * expected @ bowl.A @ expected, rel=1e-10)


def test_bowl_momentum_matches_heavy_ball_and_beats_plain_descent():
    bowl = landscapes.QuadraticBowl()
    lr, mu = 0.5, 0.9
    theta, v = bowl.start.copy(), np.zeros(2)
    for _ in range(100):                                   # v = μ v - η A θ;  θ += v
        v = mu * v - lr * (bowl.A @ theta)
        theta = theta + v
    d = bowl.descend(bp.SGD(lr, momentum=mu), steps=100)
    np.testing.assert_allclose(d.params[-1], theta, rtol=1e-10, atol=1e-14)
    plain = bowl.descend(bp.SGD(lr), steps=100)
    assert d.final_loss < 0.1 * plain.final_loss            # the narrow valley: momentum shines


def test_bowl_diverges_above_two_over_lambda1():
    bowl = landscapes.QuadraticBowl()
    assert bowl.descend(bp.SGD(1.9), steps=300).diverged_at is None
    d = bowl.descend(bp.SGD(2.2), steps=2000)
    assert d.diverged_at is not None and np.all(np.isfinite(d.params))


def test_nonlinear_problem_two_minima_and_ridge():
    p = landscapes.nonlinear_problem()
    x, t = p.X[:, 0], p.t[:, 0]
    assert p.loss_at((2.0, 1.5)) == pytest.approx(0.0, abs=1e-24)
    assert p.loss_at((-2.0, -1.5)) == pytest.approx(0.0, abs=1e-24)
    for w2 in (-2.0, 0.5, 3.0):                            # w1 = 0: the output is 0 whatever w2
        assert p.loss_at((0.0, w2)) == pytest.approx(np.mean(t ** 2), rel=1e-12)
    w1, w2 = 0.8, -0.4
    assert p.loss_at((w1, w2)) == pytest.approx(np.mean((w2 * np.tanh(w1 * x) - t) ** 2), rel=1e-12)


def test_noisy_problem_minimum_is_the_least_squares_line(fd):
    p = landscapes.noisy_linear_problem()
    best = p.minima[0]
    np.testing.assert_allclose(fd(p.loss_at, best), [0.0, 0.0], atol=1e-6)   # zero gradient there
    x, t = p.X[:, 0], p.t[:, 0]
    slope, intercept = np.polyfit(x, t, 1)                  # an independent least-squares fit
    np.testing.assert_allclose(best, [slope, intercept], rtol=1e-10)
    assert p.loss_at(best) > 0.1                            # noisy: no line fits every point


def test_every_problem_surface_is_finite():
    for name, p in landscapes.problems().items():
        P1, P2, L = p.surface(n=15)
        assert np.all(np.isfinite(L)) and L.shape == (15, 15), name
        assert P1[0, 0] == p.ranges[0][0] and P2[-1, 0] == p.ranges[1][1]


@pytest.mark.parametrize("batch", [1, 3, 7, 20])
def test_minibatch_descent_bookkeeping(batch):
    p = landscapes.linear_problem()
    d = p.descend(bp.SGD(0.02), steps=45, batch_size=batch, seed=3)
    per_epoch = -(-20 // batch)
    assert d.steps_per_epoch == per_epoch
    assert d.params.shape == (46, 2) and d.loss.shape == (45,)
    assert len(d.epoch_loss) == 45 // per_epoch
    np.testing.assert_array_equal(d.epoch_steps, per_epoch * np.arange(1, 45 // per_epoch + 1))
    for s, L in zip(d.epoch_steps, d.epoch_loss):          # the epoch loss is the loss at that point
        assert L == pytest.approx(p.loss_at(d.params[s]), rel=1e-10)  # noqa: SIM300 - L: the loss
    again = p.descend(bp.SGD(0.02), steps=45, batch_size=batch, seed=3)
    np.testing.assert_array_equal(d.params, again.params)


def test_minibatch_seed_changes_the_path_not_the_full_batch():
    p = landscapes.linear_problem()
    a = p.descend(bp.SGD(0.05), 30, batch_size=5, seed=0).params
    b = p.descend(bp.SGD(0.05), 30, batch_size=5, seed=1).params
    assert not np.allclose(a, b)
    fa = p.descend(bp.SGD(0.05), 30, seed=0).params
    fb = p.descend(bp.SGD(0.05), 30, seed=1).params
    np.testing.assert_allclose(fa, fb, rtol=1e-12)


def test_descend_bad_batch_size():
    with pytest.raises(ValueError, match="batch_size must be in 1..20"):
        landscapes.linear_problem().descend(bp.SGD(0.1), 10, batch_size=21)


def test_landscapes_import_no_matplotlib():
    code = "import sys, backprop_core.landscapes; assert 'matplotlib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_pictures_import_no_ipywidgets():
    code = ("import sys, backprop_core.plotting.landscape, backprop_core.plotting.curves; "
            "assert 'ipywidgets' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


# --- pictures ---------------------------------------------------------------------------------

def test_clip_path_inside_and_leaving():
    box = ((-2.0, 2.0), (-1.0, 1.0))
    path = np.array([[0.0, 0.0], [1.0, 0.5], [3.0, 0.5], [1e200, -1e200]])
    inside, left = pland.clip_path(path, box)
    assert left == 2
    np.testing.assert_allclose(inside, [[0, 0], [1, 0.5], [2, 0.5]])
    inside, left = pland.clip_path(path[:2], box)
    assert left is None and np.array_equal(inside, path[:2])
    inside, left = pland.clip_path([[0.0, 0.0], [1e300, 1e300]], box)      # exits through a corner side
    assert left == 1 and np.allclose(inside[-1], [1.0, 1.0])


def test_loss_limits_are_always_finite():
    for log in (False, True):
        for curves in ([], [np.array([])], [np.array([np.nan, np.inf])], [np.array([0.0, 0.0])],
                       [np.array([5.0, 1e-30, 1e300])], [np.array([2.0, 2.0])]):
            lo, hi = pcurves.loss_limits(curves, log)
            assert np.isfinite(lo) and np.isfinite(hi) and lo < hi
            if log:
                assert lo > 0


def test_plot_contour_and_plot_loss_static(strict):
    import matplotlib.pyplot as plt
    p = landscapes.linear_problem()
    surface = p.surface(n=21)
    good = p.descend(bp.SGD(0.1), 50)
    bad = p.descend(bp.SGD(1.9), 50)
    fig = pland.plot_contour(None, *surface, paths=[(good.params, "η = 0.1"), (bad.params, "η = 1.9")],
                             minimum=(-1, 5), names=p.param_names)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["η = 0.1", "η = 1.9", "minimum"]
    assert any("left the plot at step 1" in t.get_text() for t in ax.texts)
    fig2 = pcurves.plot_loss(None, [(good.loss, "η = 0.1"), (bad.loss, "η = 1.9", bad.diverged_at)], log=True)
    labels = [t.get_text() for t in fig2.axes[0].get_legend().get_texts()]
    assert labels[1] == f"η = 1.9: diverged at step {bad.diverged_at}"
    assert plt.get_fignums() == []                       # closed: shown once as a cell's value


def test_png_bytes_decodes_to_the_same_pixels():
    from PIL import Image

    from backprop_core.widgets.drawing import png_bytes
    rgba = np.random.default_rng(0).integers(0, 256, size=(7, 11, 4), dtype=np.uint8)
    decoded = np.asarray(Image.open(io.BytesIO(png_bytes(rgba))).convert("RGBA"))
    np.testing.assert_array_equal(decoded, rgba)


def test_png_bytes_reuses_its_scratch_rows_without_leaking_the_last_picture():
    from PIL import Image

    from backprop_core.widgets.drawing import png_bytes, png_rows
    rng = np.random.default_rng(1)
    first, second = rng.integers(0, 256, size=(2, 7, 11, 4), dtype=np.uint8)
    rows = png_rows(first)
    for rgba in (first, second, first):
        png = png_bytes(rgba, rows=rows)
        np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")), rgba)
    assert png_rows(second, rows) is rows                      # it fits: kept
    other = rng.integers(0, 256, size=(5, 11, 4), dtype=np.uint8)
    assert png_rows(other, rows).shape == (5, 45)              # another size: a new one
    np.testing.assert_array_equal(
        np.asarray(Image.open(io.BytesIO(png_bytes(other, rows=rows))).convert("RGBA")), other)


def test_nice_ceiling():
    from backprop_core.limits import nice_ceiling
    assert [nice_ceiling(n) for n in (1, 10, 11, 200, 201, 290, 301, 1000, 4000)] == \
        [10, 10, 15, 200, 250, 300, 400, 1000, 4000]


# --- the widget -------------------------------------------------------------------------------

def check_clean(lab, before):
    """One redraw happened, no error, every drawn number finite, axes limits finite."""
    assert lab.error is None, lab.error
    assert lab.renders == before + 1
    assert lab.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    p = lab.problems[lab.problem.value]
    (lo1, hi1), (lo2, hi2) = p.ranges
    for k, run in enumerate(lab.runs):
        r = run.result
        assert np.all(np.isfinite(r.params)) and np.all(np.isfinite(r.loss))
        assert np.all(np.isfinite(r.epoch_loss))
        line = lab.panel.paths[k].line
        x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
        assert np.all(np.isfinite(x)) and np.all(np.isfinite(y)) and len(x) >= 1
        assert np.all((x >= lo1 - 1e-9) & (x <= hi1 + 1e-9) & (y >= lo2 - 1e-9) & (y <= hi2 + 1e-9))
        assert np.all(np.isfinite(lab.curves[k].line.get_ydata()))
    lo, hi = lab.ax_loss.get_ylim()
    assert np.isfinite(lo) and np.isfinite(hi) and lo < hi
    if lab.log_scale.value:
        assert lo > 0


EXTREMES = [
    ("lr", 10.0), ("lr", 1e-4), ("momentum", 0.0), ("momentum", 0.99), ("batch_size", 1),
    ("steps", 1), ("steps", 1000), ("unit", "epochs"), ("seed", 20), ("log_scale", False),
] + [("optimizer", o) for o in lab_runs.OPTIMIZERS[1:]] \
  + [("schedule", v) for v in lab_runs.SCHEDULES[1:]] \
  + [("compare", v) for v in lab_runs.COMPARES[1:]] \
  + [("problem", v) for v in ("noisy", "bowl", "nonlinear")]


@pytest.mark.parametrize("name,value", EXTREMES)
def test_every_control_at_its_extremes_redraws_cleanly(lab, strict, name, value):
    reset(lab)
    before = lab.renders
    lab.controls[name].value = value                     # what a drag does
    check_clean(lab, before)


@pytest.mark.parametrize("problem", ["linear", "bowl", "nonlinear"])
@pytest.mark.parametrize("optimizer", lab_runs.OPTIMIZERS)
def test_every_optimiser_on_every_problem_at_lr_max_and_momentum_max(lab, strict, problem, optimizer):
    reset(lab)
    lab.set(problem=problem, optimizer=optimizer, momentum=0.99, batch_size=1)
    for lr in (10.0, 1e-4):
        before = lab.renders
        lab.lr.value = lr
        check_clean(lab, before)


def test_full_batch_and_batch_one_on_nonlinear(lab, strict):
    reset(lab)
    lab.problem.value = "nonlinear"
    n = lab.problems["nonlinear"].n_samples
    assert lab.batch_size.max == n
    for b in (1, n):
        before = lab.renders
        lab.batch_size.value = b
        check_clean(lab, before)
        assert lab.result.steps_per_epoch == -(-n // b)


def test_divergence_is_labelled_and_the_curve_cut(lab, strict):
    reset(lab)
    lab.lr.value = 1.9
    k = lab.result.diverged_at
    p = lab.problems["linear"]
    _, _, expected = manual_gd_linear(p.X[:, 0], p.t[:, 0], 1.0, 0.0, 1.9, 200)
    assert k == expected and k is not None
    assert lab.panel.notes[0].get_text() == f"SGD, η = 1.9: diverged at step {k}"
    assert f"diverged at step {k}" in lab.status.value and f"diverged at step {k}" in lab.summary()
    assert len(lab.curves[0].line.get_xdata()) == k        # the curve ends where it diverged
    assert len(lab.curves[0].blowup.get_xdata()) == 1
    assert lab.panel.paths[0].end.get_marker() == "X"      # the path ends where it left the plot


def test_lr_max_with_momentum_099_diverges_and_is_labelled(lab, strict):
    reset(lab)
    lab.set(optimizer="SGD+momentum", momentum=0.99, lr=10.0)
    assert lab.result.diverged and lab.error is None
    assert lab.panel.notes[0].get_text().endswith(f"diverged at step {lab.result.diverged_at}")


def test_programmatic_change_redraws_like_a_drag(lab, strict):
    reset(lab)
    before, image = lab.renders, lab.image.value
    lab.lr.value = 0.3
    assert lab.renders == before + 1 and lab.runs[0].lr == 0.3 and lab.image.value != image
    lab.set(lr=0.05, momentum=0.5, optimizer="Nesterov")
    assert lab.renders == before + 2                         # set(): one redraw for several controls
    assert (lab.runs[0].optimizer, lab.runs[0].lr, lab.runs[0].momentum) == ("Nesterov", 0.05, 0.5)


def test_a_legend_shown_again_is_the_one_kept(strict, monkeypatch):
    """A batch size moving between all data and mini-batches switches between two legends
    (the epoch markers join the handles): each is made once and shown again after, one at a
    time; at most LEGENDS are kept, the others leave the axes."""
    from backprop_core.widgets import lab as lab_module
    lab = bp.widgets.TrainingLab(problem="nonlinear", compare="momentum", lr=0.1)
    n = lab.problems["nonlinear"].n_samples
    made = []
    real = lab_module.Legend
    monkeypatch.setattr(lab_module, "Legend", lambda *a, **k: made.append(a[2]) or real(*a, **k))
    shown = {}
    for b in (n, n - 1, n, n - 1, n):
        lab.batch_size.value = b
        legend = lab.loss_legend()
        assert [t.get_text() for t in legend.get_texts()] == ["μ = 0.0", "μ = 0.5", "μ = 0.9"]
        assert legend.get_visible() and legend in lab.ax_loss.artists
        assert sum(a.get_visible() for a in lab.ax_loss.artists if isinstance(a, real)) == 1
        shown.setdefault(b < n, legend)
        assert shown[b < n] is legend
        assert bool(legend.get_lines()[0].get_marker() not in ("None", "", None)) == (b < n)
    assert len(made) == 1                                  # the full-batch legend was made at the start
    monkeypatch.setattr(lab_module, "LEGENDS", 1)          # keep one: each switch makes one anew
    made.clear()
    lab = bp.widgets.TrainingLab(problem="nonlinear", compare="momentum", lr=0.1)
    for b in (n - 1, n, n - 1):
        lab.batch_size.value = b
        assert [a for a in lab.ax_loss.artists if isinstance(a, real)] == [lab.loss_legend()]
    assert len(made) == 4
    monkeypatch.setattr(lab_module, "LEGENDS", 2)          # two: the one shown longest ago goes
    lab = bp.widgets.TrainingLab(problem="nonlinear", compare="momentum", lr=0.1)
    full = lab.loss_legend()
    lab.batch_size.value = n - 1
    lab.batch_size.value = n                               # the full-batch legend shown again
    lab.compare.value = "lr"                               # a third: the mini-batch one goes
    kept = [a for a in lab.ax_loss.artists if isinstance(a, real)]
    assert len(kept) == 2 and full in kept and lab.loss_legend() in kept
    lab.compare.value = "off"
    assert lab.loss_legend() is None
    assert not any(a.get_visible() for a in lab.ax_loss.artists if isinstance(a, real))


def test_compare_mode_three_colours_and_legend(lab, strict):
    reset(lab)
    lab.compare.value = "lr"
    assert [r.lr for r in lab.runs] == pytest.approx([0.01, 0.1, 1.0])
    colours = {lab.curves[k].line.get_color() for k in range(3)}
    assert len(colours) == 3
    assert {lab.panel.paths[k].line.get_color() for k in range(3)} == colours   # same colour both panels
    legend = [t.get_text() for t in lab.loss_legend().get_texts()]
    assert legend == ["η / 10", "η", "10 η"]
    assert [r.label for r in lab.runs] == ["η = 0.01", "η = 0.1", "η = 1"]
    lab.compare.value = "momentum"
    assert [r.momentum for r in lab.runs] == [0.0, 0.5, 0.9]
    assert lab.momentum.disabled                  # the mode sets μ itself: the slider would do nothing
    lab.compare.value = "off"
    assert len(lab.runs) == 1 and not lab.curves[1].line.get_visible()


def test_notes_on_the_landscape_name_a_compared_run_by_what_tells_it_apart(strict):
    """In a comparison the note over the landscape says 'μ = 0.9: ...' (the legend's name),
    not the whole label the status lines give; an η or batch comparison keeps its value."""
    lab = bp.widgets.TrainingLab(problem="nonlinear", compare="momentum", lr=0.1)
    notes = [n.get_text() for n in lab.panel.notes]
    assert notes[:2] == ["", ""] and notes[2].startswith("μ = 0.9: left the plot at step ")
    assert "SGD+momentum, η = 0.1, μ = 0.9: final loss" in lab.summary()
    lab.set(problem="linear", compare="optimizer", lr=0.9)
    assert lab.panel.notes[0].get_text().startswith("SGD: diverged at step ")
    lab.set(compare="lr", lr=0.7)
    assert lab.panel.notes[2].get_text().startswith("η = 7: ")
    lab.set(compare="off", lr=1.9)
    assert lab.panel.notes[0].get_text().startswith("SGD, η = 1.9: diverged at step ")


def test_format_loss_keeps_four_decimals_but_never_prints_a_small_loss_as_zero():
    assert lab_runs.format_loss(0.00291) == "0.0029"
    assert lab_runs.format_loss(30.8947) == "30.8947"
    assert lab_runs.format_loss(3.2e-15) == "3.200e-15"
    assert lab_runs.format_loss(4.9e-5) == "4.900e-05"
    assert lab_runs.format_loss(0.0) == "0.0000"
    assert lab_runs.format_loss(2.568e11) == "2.568e+11"


def test_bowl_disables_batch_size_and_says_why(lab, strict):
    reset(lab)
    lab.set(problem="bowl", compare="batch")
    assert lab.batch_size.disabled and len(lab.runs) == 1
    assert "no data" in lab.status.value
    lab.problem.value = "linear"
    assert not lab.batch_size.disabled and lab.batch_size.max == 20


def test_log_toggle_reuses_the_descent(lab, strict):
    reset(lab)
    result = lab.result
    lab.log_scale.value = False
    assert lab.result is result and lab.ax_loss.get_yscale() == "linear"


def test_blitted_picture_equals_a_full_draw(lab, strict):
    reset(lab)
    lab.lr.value = 0.35                                     # background reused, artists blitted
    blitted = lab.image.value
    lab.figure.invalidate()
    lab.redraw()                                            # everything drawn from scratch
    assert lab.figure.full_draws >= 1
    from PIL import Image
    a = np.asarray(Image.open(io.BytesIO(blitted)))
    b = np.asarray(Image.open(io.BytesIO(lab.image.value)))
    assert a.shape == b.shape and np.abs(a.astype(int) - b.astype(int)).max() <= 2


def test_epochs_count_and_cap(lab, strict):
    reset(lab)
    lab.set(unit="epochs", steps=10, batch_size=5)
    assert lab.result.steps == 40 and len(lab.result.epoch_loss) == 10
    lab.set(batch_size=1, steps=1000)
    assert lab.result.steps == lab_runs.MAX_STEPS


def test_controls_are_labelled():
    lab = bp.widgets.TrainingLab()
    for name, control in lab.controls.items():
        assert control.description, name
    assert "η" in lab.lr.description and "μ" in lab.momentum.description


def test_hessian_by_differences_matches_the_formulas():
    bowl = landscapes.QuadraticBowl()
    np.testing.assert_allclose(landscapes.hessian(bowl, (0.3, -0.2)), bowl.A, atol=1e-6)
    p = landscapes.linear_problem()
    x = p.X[:, 0]
    H = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    np.testing.assert_allclose(landscapes.hessian(p, p.start), H, atol=1e-5)


def test_constructor_settings_and_schedule_compare(strict):
    lab = bp.widgets.TrainingLab(problem="nonlinear", compare="schedule", batch_size=1, lr=0.5)
    assert lab.renders == 1 and lab.error is None
    assert [r.schedule for r in lab.runs] == ["constant", "exponential", "1/t"]
    assert all(r.batch_size == 1 for r in lab.runs)
    with pytest.raises(ValueError, match="unknown control"):
        bp.widgets.TrainingLab(learning_rate=0.1)


def test_controls_that_do_not_apply_are_disabled(lab, strict):
    reset(lab)                                              # SGD, full batch
    assert lab.momentum.disabled and lab.seed.disabled
    lab.set(optimizer="Nesterov", batch_size=5)
    assert not lab.momentum.disabled and not lab.seed.disabled
    lab.compare.value = "momentum"                          # μ = 0, 0.5, 0.9 set by the mode
    assert lab.momentum.disabled
    lab.set(optimizer="SGD", compare="optimizer")           # the SGD+momentum run reads μ
    assert not lab.momentum.disabled
    lab.set(optimizer="Nesterov", compare="off")
    lab.problem.value = "bowl"
    assert lab.batch_size.disabled and lab.seed.disabled


def test_seed_slider_shows_that_seeds_path(lab, strict):
    """Mutation test (issue 10): the lab's result cache ignoring the seed would show seed 0's
    path after the seed slider moved to 1 (seed 0 is in the cache from the step before)."""
    reset(lab)
    lab.set(problem="noisy", batch_size=5, lr=0.05, seed=0)
    seed0 = lab.result.params
    lab.seed.value = 1                                       # what a drag does
    p = lab.problems["noisy"]
    expected = p.descend(bp.SGD(0.05), steps=200, batch_size=5, seed=1).params
    np.testing.assert_array_equal(lab.result.params, expected)
    assert not np.allclose(lab.result.params, seed0)
    np.testing.assert_array_equal(lab.panel.paths[0].line.get_xdata()[:3], expected[:3, 0])


def test_redraw_in_another_language_keeps_the_labs_language(strict, use_language):
    use_language("zh")
    lab = bp.widgets.TrainingLab()
    use_language("en")
    lab.lr.value = 1.9                                       # a drag after the notebook switched back
    assert "发散" in lab.status.value and "发散" in lab.summary() and "diverged" not in lab.summary()
    assert "发散" in lab.panel.notes[0].get_text()


# --- live sliders (issue 14) -----------------------------------------------------------------
def test_learning_rates_land_where_they_are_set(strict):
    """0.7 is 0.7: the slider's positions are the round numbers the notebook uses, exactly, and
    a value from code stays exact (a FloatLogSlider with steps of 0.05 in the exponent made 0.7
    into 0.708). The captions and the summary print the same number."""
    lab = bp.widgets.TrainingLab(problem="linear", lr=0.07)
    positions = [v for _, v in lab.lr.options]
    for lr in (0.007, 0.07, 0.7, 0.5, 0.1, 0.05, 0.3, 0.9, 0.6, 0.62, 0.64, 0.66, 0.68):
        assert lr in positions
    assert positions == sorted(positions) and positions[0] == 1e-4 and positions[-1] == 10.0
    between = [v for v in positions if 0.6 < v < 0.7]
    assert len(between) >= 4                                # "from 0.6 to 0.7, slowly"
    lab.lr.value = 0.7
    assert lab.lr.value == 0.7 and lab.runs[0].lr == 0.7 and lab.lr.label == "0.7"
    assert "η = 0.7:" in lab.summary() and "η = 0.7:" in lab.panel.notes[0].get_text() or \
        "η = 0.7" in lab.summary()
    lab.lr.value = 0.123                                    # not a position: added, exactly
    assert lab.lr.value == 0.123 and lab.runs[0].lr == 0.123 and lab.lr.label == "0.123"
    assert [v for _, v in lab.lr.options] == sorted(positions + [0.123])
    lab.lr.index = lab.lr.index + 1                         # what the front end sends: a position
    assert lab.lr.value == positions[positions.index(0.12) + 1]
    lab2 = bp.widgets.TrainingLab(lr=0.0123)                # an unlisted start value too
    assert lab2.lr.value == 0.0123 and lab2.runs[0].lr == 0.0123


def _front_end(control, **state):
    """What a comm message from the browser does: set_state under the property lock."""
    control.set_state(state)


def test_front_end_changes_are_coalesced_into_one_redraw(strict):
    """A drag sends values faster than the lab redraws: the changes that arrive while a
    redraw is pending are folded into one redraw of the latest value (no stale redraws
    queued); a change set from code still redraws at once."""
    import asyncio
    lab = bp.widgets.TrainingLab(problem="linear", lr=0.1)
    start = lab.renders
    positions = [v for _, v in lab.lr.options]

    async def drag():
        for k in range(1, 6):                              # five positions, faster than redraws
            _front_end(lab.lr, index=positions.index(0.1) + k)
            await asyncio.sleep(0)
        assert lab.renders == start and lab.pending == 5    # nothing drawn yet
        await asyncio.sleep(0.05)
        assert lab.renders == start + 1 and lab.pending == 0
        assert lab.runs[0].lr == lab.lr.value == positions[positions.index(0.1) + 5]
        _front_end(lab.steps, value=150)
        _front_end(lab.problem, value="noisy")              # a problem change among them
        _front_end(lab.steps, value=120)
        await asyncio.sleep(0.05)
        assert lab.renders == start + 2 and lab.result.steps == 120
        assert not lab.batch_size.disabled                  # configured for the noisy problem
        _front_end(lab.steps, value=100)
        lab.lr.value = 0.05                                 # from code: now, with the pending change
        assert lab.renders == start + 3 and lab.result.steps == 100 and lab.runs[0].lr == 0.05
        await asyncio.sleep(0.05)
        assert lab.renders == start + 3                     # nothing stale left to draw

    asyncio.run(drag())
    before = lab.renders
    _front_end(lab.steps, value=90)                         # no event loop (a script): at once
    assert lab.renders == before + 1 and lab.result.steps == 90


def test_a_change_after_a_pause_is_drawn_at_the_next_turn_of_the_loop(strict):
    """A key press after a pause is drawn still_fold_s (1 ms) later, not coalesce_s (4 ms): a
    change that comes with it is folded in, no more are waited for; a change that comes
    within still_s of a front-end redraw (a drag) waits coalesce_s for the ones behind it,
    which are folded into one redraw."""
    import asyncio
    lab = bp.widgets.TrainingLab(problem="linear", lr=0.1)
    positions = [v for _, v in lab.lr.options]
    start = lab.renders

    async def presses():
        _front_end(lab.lr, index=positions.index(0.1) + 1)
        await asyncio.sleep(lab.coalesce_s * 0.75)         # after still_fold_s, before coalesce_s
        after_pause = lab.renders
        _front_end(lab.lr, index=positions.index(0.1) + 2)  # within still_s: waits coalesce_s
        await asyncio.sleep(lab.coalesce_s * 0.75)
        in_drag = lab.renders
        _front_end(lab.lr, index=positions.index(0.1) + 3)
        await asyncio.sleep(lab.coalesce_s * 10)
        return after_pause, in_drag, lab.renders

    assert asyncio.run(presses()) == (start + 1, start + 1, start + 2)
    assert lab.lr.value == lab.runs[0].lr == positions[positions.index(0.1) + 3]


def test_explorers_coalesce_front_end_changes_too(strict):
    import asyncio
    ex = bp.widgets.TrialAndErrorExplorer()
    start = ex.tries

    async def drag():
        for v in (0.1, 0.2, 0.3, 0.4):
            _front_end(ex.sliders["w31"], value=v)
            await asyncio.sleep(0)
        await asyncio.sleep(0.05)

    asyncio.run(drag())
    assert ex.tries == start + 1 and ex.net.layers[0].W[2, 0] == 0.4


def test_strips_redraw_one_panel_with_the_same_pixels(strict):
    """The lab's loss axes change (steps past 200, the scale, a legend) without drawing the
    contour again, and the picture is pixel for pixel the one a full draw gives."""
    lab = bp.widgets.TrainingLab(problem="noisy", compare="batch", batch_size=5)
    for change in (dict(steps=201), dict(log_scale=False), dict(batch_size=4), dict(steps=30),
                   dict(problem="bowl"), dict(problem="noisy", steps=200)):
        full, strips = lab.figure.full_draws, lab.figure.strip_draws
        lab.set(**change)
        if "problem" not in change and lab.figure.full_draws != full:
            pytest.fail(f"{change}: the whole figure was drawn again")
        assert "problem" in change or lab.figure.strip_draws <= strips + 1
        pixels = np.asarray(lab.figure.canvas.buffer_rgba()).copy()
        lab.figure.invalidate()
        lab.redraw()
        np.testing.assert_array_equal(pixels, np.asarray(lab.figure.canvas.buffer_rgba()), err_msg=str(change))


def test_batch_comparison_legend_stays_while_b_moves(strict):
    lab = bp.widgets.TrainingLab(problem="noisy", compare="batch", batch_size=5)
    legends = [r.legend for r in lab.runs]
    assert legends == ["batch 1", "batch B", "full batch"]
    full, strips = lab.figure.full_draws, lab.figure.strip_draws
    lab.batch_size.value = 6
    assert [r.legend for r in lab.runs] == legends and "batch 6" in lab.runs[1].label
    assert (lab.figure.full_draws, lab.figure.strip_draws) == (full, strips)   # background reused


def test_controls_that_do_nothing_are_hidden_or_disabled(strict):
    """Issue 13, item 11: μ is hidden when no run reads it; the steps/epochs toggle is off
    when every epoch is one step (full batch, or the bowl)."""
    lab = bp.widgets.TrainingLab(problem="linear")              # SGD, full batch
    assert lab.momentum.disabled and lab.momentum.layout.visibility == "hidden"
    assert lab.unit.disabled
    lab.set(optimizer="SGD+momentum", batch_size=5)
    assert not lab.momentum.disabled and lab.momentum.layout.visibility == "visible"
    assert not lab.unit.disabled
    lab.problem.value = "bowl"
    assert lab.unit.disabled
    assert lab.lr.layout is not lab.momentum.layout             # hiding μ hides nothing else


def test_first_run_is_drawn_on_top_and_crosses_are_whole(strict):
    """Issue 13, item 11: in the bowl's μ comparison the μ = 0 path (the one the text
    watches) is drawn after the μ = 0.5 path; the ✕ where a path left the plot is not cut
    at the border; the epoch curves of a comparison have their own markers."""
    lab = bp.widgets.TrainingLab(problem="bowl", compare="momentum", lr=0.5)
    animated = lab.figure.animated
    first, middle = lab.panel.paths[0].line, lab.panel.paths[1].line
    assert animated.index(first) > animated.index(middle)
    assert all(not path.end.get_clip_on() for path in lab.panel.paths)
    assert len({c.epochs.get_marker() for c in lab.curves}) == 3
    lab = bp.widgets.TrainingLab(problem="noisy", compare="schedule", batch_size=1)
    assert all(c.line.get_alpha() <= 0.25 for c in lab.curves)     # the noisy lines stay faint
    assert len({c.epochs.get_linestyle() for c in lab.curves}) == 3
    animated = lab.figure.animated                                  # the decaying schedules on top
    assert animated.index(lab.panel.paths[0].line) < animated.index(lab.panel.paths[2].line)


def test_idle_time_draws_the_loss_axes_a_next_move_needs(strict):
    """In a kernel (an event loop runs), after a move from the front end the lab draws in
    idle time the loss axes its next move may need (the x ends of the step count one step or
    one page away, the other top of the log axis), so such a move only restores them. The
    x axis ends at the run's round length (200 steps on 0..200, issue 20). A converged curve
    leaves the log axis through the bottom instead of lying along it as a false plateau."""
    import asyncio

    async def idle():
        lab = bp.widgets.TrainingLab(problem="linear", compare="lr", lr=0.07)
        assert lab.ax_loss.get_xlim()[1] == 200
        await asyncio.sleep(0.5)
        assert lab.prefetched == 0                          # nothing before the first move
        _front_end(lab.steps, value=202)                    # 202 steps: x axis 0..250
        for _ in range(50):                                 # idle time on a busy machine: up to 5 s
            await asyncio.sleep(0.1)
            if lab.prefetched >= 2:
                break
        return lab

    lab = asyncio.run(idle())
    assert lab.prefetched >= 2
    full, strips = lab.figure.full_draws, lab.figure.strip_draws
    lab.steps.value = 197                                   # a page down: x axis 0..200, drawn already
    assert lab.ax_loss.get_xlim()[1] == 200
    assert (lab.figure.full_draws, lab.figure.strip_draws) == (full, strips)
    pixels = np.asarray(lab.figure.canvas.buffer_rgba()).copy()
    lab.figure.invalidate()
    lab.redraw()
    np.testing.assert_array_equal(pixels, np.asarray(lab.figure.canvas.buffer_rgba()))
    lab = bp.widgets.TrainingLab(problem="linear", lr=0.07, steps=200)
    bottom = lab.ax_loss.get_ylim()[0]
    assert lab.result.final_loss < 1e-6 * bottom            # converged far below the axis ...
    assert np.min(lab.curves[0].line.get_ydata()) < bottom  # ... and drawn leaving through it


def test_idle_time_draws_the_loss_axes_of_a_typed_count(strict):
    """A count typed into the readout jumps past the next positions: the lab also draws
    ahead the x ends two rungs of the ladder either way (202 steps end at 250; 300 and 400
    above, 200 and 150 below), so typing 300 or 150 only restores its loss axes."""
    import asyncio

    async def idle():
        lab = bp.widgets.TrainingLab(problem="linear", compare="lr", lr=0.07)
        _front_end(lab.steps, value=202)
        for _ in range(100):                                # idle time on a busy machine: up to 10 s
            await asyncio.sleep(0.1)
            if lab.prefetched >= 5:                         # 200 at the top was drawn at the start
                break
        return lab

    lab = asyncio.run(idle())
    assert lab.prefetched == 5
    for typed, x_end in ((300, 300), (150, 150), (390, 400)):
        full, strips = lab.figure.full_draws, lab.figure.strip_draws
        lab.steps.value = typed
        assert lab.ax_loss.get_xlim()[1] == x_end
        assert (lab.figure.full_draws, lab.figure.strip_draws) == (full, strips), typed


def test_idle_time_after_a_count_move_trains_the_runs_ahead(strict):
    """After a move of the step count (and only then) idle time trains the runs for twice the
    count: a larger count typed in next trains nothing and draws the runs a fresh lab draws."""
    import asyncio

    async def idle(move):
        lab = bp.widgets.TrainingLab(problem="noisy", compare="batch", batch_size=5, lr=0.1)
        renders = lab.renders
        move(lab)
        await asyncio.sleep(0.1)
        assert lab.renders == renders + 1
        for _ in range(100):                                # idle time on a busy machine: up to 10 s
            await asyncio.sleep(0.1)
            if lab.trained_ahead or lab.prefetched >= 3:    # (the runs ahead come after these)
                break
        await asyncio.sleep(1.0)
        return lab

    toggled = asyncio.run(idle(lambda lab: _front_end(lab.log_scale, value=False)))
    assert toggled.prefetched >= 3 and toggled.trained_ahead == 0       # not after another control
    lab = asyncio.run(idle(lambda lab: _front_end(lab.steps, value=201)))
    assert lab.trained_ahead == 1
    trained = lab.planner.trained
    lab.steps.value = 385                                   # typed: within 2 x 201 steps
    assert lab.planner.trained == trained
    fresh = bp.widgets.TrainingLab(problem="noisy", compare="batch", batch_size=5, lr=0.1, steps=385)
    for run, reference in zip(lab.runs, fresh.runs):
        np.testing.assert_array_equal(run.result.params, reference.result.params)
        np.testing.assert_array_equal(run.result.loss, reference.result.loss)
    np.testing.assert_array_equal(np.asarray(lab.figure.canvas.buffer_rgba()),
                                  np.asarray(fresh.figure.canvas.buffer_rgba()))


@pytest.mark.parametrize("control, first, next_presses", [("lr", 1, [2]), ("batch_size", -1, [-2]),
                                                          ("seed", 5, [10, 4, 6])])
def test_idle_time_trains_the_runs_of_the_next_key_presses(strict, control, first, next_presses):
    """After a key press on η, B or the seed (an arrow: one position, a page: five) idle time
    trains the runs that pressing the same key again asks for, and after a page those of one
    arrow either way (after an arrow these are where it came from and the press again): each
    of those presses trains nothing and draws what a fresh lab with its settings draws."""
    import asyncio

    lab = bp.widgets.TrainingLab(problem="noisy", compare="schedule", batch_size=5, lr=0.1)
    slider = getattr(lab, control)
    positions = [v for _, v in lab.lr.options] if control == "lr" else None

    def press(position):
        if positions is not None:                           # the lr slider sends its position
            _front_end(slider, index=positions.index(0.1) + position)
        else:
            _front_end(slider, value={"batch_size": 5, "seed": 0}[control] + position)

    async def idle():
        press(first)
        for _ in range(100):                                # idle time on a busy machine: up to 10 s
            await asyncio.sleep(0.1)
            if lab.trained_ahead >= len(next_presses):
                break
        await asyncio.sleep(0.5)                            # and nothing more comes

    asyncio.run(idle())
    assert lab.trained_ahead == len(next_presses)
    trained = lab.planner.trained
    for position in next_presses:                           # from the front end, one after another
        press(position)
        assert lab.planner.trained == trained, position
        fresh = bp.widgets.TrainingLab(**lab.static_state())
        for run, reference in zip(lab.runs, fresh.runs):
            np.testing.assert_array_equal(run.result.params, reference.result.params)
        np.testing.assert_array_equal(np.asarray(lab.figure.canvas.buffer_rgba()),
                                      np.asarray(fresh.figure.canvas.buffer_rgba()))


def test_idle_time_draws_the_notes_of_the_runs_it_trains_ahead(strict, monkeypatch):
    """07.2's comparison: the runs trained ahead in idle time come with their notes' pixels
    (SpriteText.prepare), so the press that shows them draws no text, and its picture is the
    one a fresh lab with its settings draws."""
    import asyncio

    from backprop_core.widgets.drawing import SpriteText
    drawn, sprite = [], SpriteText._sprite

    def counted(note, renderer):                            # every note's text drawn anew
        drawn.append(note.get_text())
        return sprite(note, renderer)

    monkeypatch.setattr(SpriteText, "_sprite", counted)
    lab = bp.widgets.TrainingLab(problem="nonlinear", compare="momentum", lr=0.1)
    positions = [v for _, v in lab.lr.options]
    start = positions.index(0.1)

    async def idle():
        _front_end(lab.lr, index=start + 1)
        for _ in range(100):                                # idle time on a busy machine: up to 10 s
            await asyncio.sleep(0.1)
            if lab.trained_ahead:
                break
        await asyncio.sleep(0.5)

    asyncio.run(idle())
    assert lab.trained_ahead == 1
    prepared = list(drawn)
    _front_end(lab.lr, index=start + 2)                     # the same press again
    shown = [note.get_text() for note in lab.panel.notes if note.get_text()]
    assert shown and set(shown) <= set(prepared)            # notes to show, drawn in idle time
    assert drawn == prepared                                # none drawn by the press
    fresh = bp.widgets.TrainingLab(problem="nonlinear", compare="momentum", lr=positions[start + 2])
    np.testing.assert_array_equal(np.asarray(lab.figure.canvas.buffer_rgba()),
                                  np.asarray(fresh.figure.canvas.buffer_rgba()))


def test_paths_ends_and_minimum_are_not_buried(strict):
    """Issue 20, item 9: a path drawn under another is wider, so it shows around it (07 §1:
    η = 0.07 under η = 0.007); every start and end and the ☆ are drawn after all the lines
    (07 §3: the batch-1 scribble)."""
    lab = bp.widgets.TrainingLab(problem="noisy", compare="batch", batch_size=5, lr=0.1)
    animated, panel = lab.figure.animated, lab.panel
    last_line = max(animated.index(path.line) for path in panel.paths)
    ends = [animated.index(a) for path in panel.paths for a in (path.start, path.end)]
    assert min(ends) > last_line and animated.index(panel.star) > max(ends)
    order = sorted(range(3), key=lambda k: animated.index(panel.paths[k].line))
    widths = [panel.paths[k].line.get_linewidth() for k in order]
    assert widths[0] > widths[1] > widths[2]


def test_a_front_end_echo_of_the_values_drawn_neither_redraws_nor_works_ahead(strict):
    """A notebook's labs receive, when their views appear, the front end's rounding of μ
    (0.9 -> 0.9000000000000001): the settings drawn do not change, so nothing is redrawn and
    no idle-time work starts (seven labs at once held up the first key press by a second).
    A real change from the front end, the log scale's too, still redraws."""
    import asyncio

    async def echo():
        lab = bp.widgets.TrainingLab(problem="linear", compare="lr", lr=0.07)
        renders = lab.renders
        _front_end(lab.momentum, value=0.9000000000000001)
        await asyncio.sleep(0.5)
        echoed = lab.renders, lab.prefetched
        _front_end(lab.log_scale, value=not lab.log_scale.value)
        await asyncio.sleep(0.05)
        return renders, echoed, lab.renders

    renders, echoed, toggled = asyncio.run(echo())
    assert echoed == (renders, 0)
    assert toggled == renders + 1


def test_only_the_widget_moved_last_works_in_idle_time(strict):
    """Idle-time work belongs to the widget the reader moved last: moving a second lab
    cancels the first one's, so a notebook of many widgets draws ahead for one at a time."""
    import asyncio

    async def two():
        first = bp.widgets.TrainingLab(problem="linear", compare="lr", lr=0.07)
        second = bp.widgets.TrainingLab(problem="linear", lr=0.07)
        _front_end(first.steps, value=202)
        await asyncio.sleep(0.05)                           # redrawn; its idle time not yet come
        _front_end(second.steps, value=202)
        await asyncio.sleep(1.5)
        return first, second

    first, second = asyncio.run(two())
    assert first.prefetched == 0 and first.trained_ahead == 0
    assert second.prefetched > 0
