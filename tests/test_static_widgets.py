"""The static website's widgets (issue 18): every picture precomputed by the package itself.

For every widget kind, a sample of its static states: the exported frame (widgets.static.export,
the file a page shows) decodes to exactly the pixels of the live widget's picture for the same
settings, set through the live API (lab.set, slider.value = ..., stepper.go) on another,
fresh widget, encoded as a notebook stores a widget's picture (drawing.small_png_bytes). Also:
data-state strings, the declared grids, the controls' labels in both languages, the HTML
controls, and the check that fails when the recorded widgets are not the notebook's.
"""
import json
import pathlib
import re
import sys

import numpy as np
import pytest
from checked_drawing import checked_backgrounds  # noqa: F401 (autouse: every restored background checked)

import backprop_core as bp
from backprop_core import depth
from backprop_core.widgets import explorers, static
from backprop_core.widgets.drawing import small_png_bytes
from backprop_core.widgets.picture import PictureWidget

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts" / "site"))
import widget_frames  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def sweep():
    X, t = bp.datasets.sine(n=16, noise=0.2, seed=1)
    Xtr, ttr, Xte, tte = bp.datasets.split(X, t, test_fraction=0.5, seed=1)
    return depth.width_sweep(Xtr, ttr, Xte, tte, [1, 3, 9], epochs=20, seed=0), Xtr, ttr, Xte, tte


def make(kind, sweep_data=None):
    """A fresh widget of `kind`, as the notebooks make it, in the current language."""
    w = bp.widgets
    if kind == "Stepper":
        e = bp.examples.e5_network()
        return w.Stepper(e.net, e.loss, e.X, e.t, optimizer=bp.SGD(lr=e.lr))
    if kind == "GraphStepper":
        loss1, _, _ = bp.graph.e1_chain()
        return w.GraphStepper(loss1)
    if kind == "TrainingLab":
        return w.TrainingLab(problem="noisy", compare="batch", batch_size=5, lr=0.1)
    if kind == "LearningRateExplorer":
        return explorers.LearningRateExplorer(lr=1e-6, steps=10, rule="loss")
    if kind == "TrialAndErrorExplorer":
        return explorers.TrialAndErrorExplorer()
    if kind == "GradientDepthExplorer":
        return w.GradientDepthExplorer(depth=10, activation="sigmoid", init="xavier", seed=0)
    if kind == "WidthExplorer":
        return w.WidthExplorer(*sweep_data, width=1)
    return getattr(w, kind)()


def live_set(widget, state):
    """Set `state` through the widget's live API (what a student's moves do)."""
    if isinstance(widget, (bp.widgets.Stepper, bp.widgets.GraphStepper)):
        widget.go(state["step"])
    elif isinstance(widget, bp.widgets.TrainingLab):
        widget.set(**state)
    elif isinstance(widget, explorers.LearningRateExplorer):
        widget.lr_slider.value, widget.steps_slider.value = state["lr"], state["steps"]
        widget.rule.value = state["rule"]
    elif isinstance(widget, explorers.TrialAndErrorExplorer):
        for name, slider in widget.sliders.items():
            slider.value = state[name]
    elif isinstance(widget, bp.widgets.ActivationExplorer):
        widget.activation.value, widget.z_range.value = state["activation"], tuple(state["z_range"])
        widget.z0.value = state["z0"]
    else:                                   # Loss, GradientDepth, Width explorers: one control each
        for name, value in state.items():
            getattr(widget, name).value = value


KINDS = ["Stepper", "GraphStepper", "TrainingLab", "LearningRateExplorer", "TrialAndErrorExplorer",
         "ActivationExplorer", "LossExplorer", "GradientDepthExplorer", "WidthExplorer"]


def sample(controls, n=3, seed=0):
    """The first, the last and n random states of the controls' grid."""
    every = list(static.states(controls))
    rng = np.random.default_rng(seed)
    picks = {0, len(every) - 1} | {int(k) for k in rng.integers(0, len(every), n)}
    return [every[k] for k in sorted(picks)]


@pytest.mark.parametrize("kind", KINDS)
def test_exported_frames_are_the_live_widgets_pixels(kind, sweep, tmp_path):
    exported = make(kind, sweep)
    record = static.export(exported, tmp_path, prefix="w0", initial=exported.static_state(), quick=True)
    controls = exported.static_controls()
    assert record["kind"] == kind and record["count"] == len(record["frames"]) >= 2
    keys = list(record["frames"])
    rng = np.random.default_rng(1)
    picked = {keys[0], keys[-1], *(keys[int(k)] for k in rng.integers(0, len(keys), 2))}
    by_key = {static.state_key(s, controls): s for s in static.states(static.quick_controls(
        controls, exported.static_state()))}
    live = make(kind, sweep)
    # the page's first picture is the one the notebook stores for this widget, pixel for pixel
    stored = static.rgb_of_png(live.figure.image.value)
    first = static.rgb_of_png((tmp_path / record["frames"][record["initial"]][0]).read_bytes())
    assert np.array_equal(first, stored), f"{kind}: the first frame is not the notebook's stored picture"
    for key in sorted(picked):
        state = by_key[key]
        live_set(live, state)
        shown = static.rgb_of_png(live.figure.image.value)
        reference = static.rgb_of_png(small_png_bytes(shown))
        frame = static.rgb_of_png((tmp_path / record["frames"][key][0]).read_bytes())
        assert frame.shape == reference.shape
        assert np.array_equal(frame, reference), f"{kind} {key}: the frame is not the live picture"
        # a redrawn picture is its canvas' pixels (steppers and the learning-rate explorer show kept
        # pictures; the first picture is the small PNG a notebook stores)
        redrawn = live.figure.renders > 1
        if redrawn and kind not in ("Stepper", "GraphStepper", "LearningRateExplorer"):
            canvas = np.asarray(live.figure.canvas.buffer_rgba())[:, :, :3]
            assert np.array_equal(shown, canvas), f"{kind} {key}: the live picture is not its canvas"
        status = record["frames"][key][1]
        assert status and status.strip(), f"{kind} {key}: no status"


@pytest.mark.parametrize("kind", KINDS)
def test_full_grid_frames_match_a_sample_of_live_settings(kind, sweep, tmp_path):
    """A sample of the full build's grid (not the quick one): static_frame = the live picture."""
    exported, live = make(kind, sweep), make(kind, sweep)
    controls = exported.static_controls()
    for state in sample(controls, n=2, seed=2):
        frame = exported.static_frame(state)
        live_set(live, state)
        reference = small_png_bytes(static.rgb_of_png(live.figure.image.value))
        assert np.array_equal(static.rgb_of_png(frame.png), static.rgb_of_png(reference)), (kind, state)


def test_data_state_names_every_setting():
    lab = bp.widgets.TrainingLab(problem="linear", compare="lr", lr=0.07)
    controls = lab.static_controls()
    key = static.state_key(lab.static_state(), controls)
    assert key == ("problem=linear;optimizer=SGD;lr=0.07;momentum=0.9;schedule=constant;batch_size=20;"
                   "steps=200;unit=steps;seed=0;log_scale=1;compare=lr")
    e5 = bp.examples.e5_network()
    stepper = bp.widgets.Stepper(e5.net, e5.loss, e5.X, e5.t, optimizer=bp.SGD(lr=e5.lr))
    assert static.state_key({"step": 3}, stepper.static_controls()) == "step=3"
    act = bp.widgets.ActivationExplorer()
    assert static.state_key(act.static_state(), act.static_controls()) == "activation=sigmoid;z_range=-6..6;z0=0"
    lr = explorers.LearningRateExplorer(lr=1e-6, steps=10)
    assert static.state_key(lr.static_state(), lr.static_controls()) == "lr=1e-06;steps=10;rule=loss"


# the seven labs of notebook 07, as their cells make them, and what each must precompute
LABS_07 = [
    (dict(problem="linear", compare="lr", lr=0.07), {"lr": (0.007, 0.07, 0.5, 0.6, 0.62, 0.68, 0.7, 0.9),
                                                     "compare": ("lr", "off")}),
    (dict(problem="bowl", compare="momentum", lr=0.5), {"lr": (0.1, 0.5, 1.0)}),
    (dict(problem="nonlinear", compare="momentum", lr=0.1), {"lr": (0.05, 0.1, 0.5)}),
    (dict(problem="noisy", compare="batch", batch_size=5, lr=0.1), {"batch_size": (2, 5, 10),
                                                                     "lr": (0.05, 0.1), "seed": (0, 1)}),
    (dict(problem="noisy", compare="batch", batch_size=5, lr=0.05, unit="epochs", steps=10),
     {"batch_size": (2, 5, 10), "steps": (5, 10, 20, 50)}),
    (dict(problem="noisy", compare="schedule", batch_size=1, lr=0.1), {"lr": (0.05, 0.1), "seed": (0, 1)}),
    (dict(), {"problem": ("linear", "noisy", "bowl", "nonlinear"), "lr": (0.01, 0.1, 0.7, 2.0)}),
]


@pytest.mark.parametrize("settings, wanted", LABS_07)
def test_each_lab_of_notebook_07_declares_its_grid(settings, wanted):
    lab = bp.widgets.TrainingLab(**settings)
    controls = {c.name: c for c in lab.static_controls()}
    assert list(controls) == list(lab.controls)               # every live control, in order
    for name, values in wanted.items():
        c = controls[name]
        assert c.precomputed and c.grid, name
        assert set(values) <= set(c.values), (name, c.values)
        assert c.value in c.values
    for name, c in controls.items():
        if name not in wanted:
            assert not c.precomputed and c.values == (c.value,), name
    n = int(np.prod([len(c.values) for c in controls.values()]))
    assert 5 <= n <= 30, f"{settings}: {n} states"              # the 8 MB budget of notebook 07's page


def test_notebook_07_frames_fit_its_page_budget():
    """About 100 frames of ~33 KB for the seven labs: with the page's ~4.3 MB of HTML, theme and
    MathJax, within 8 MB."""
    total = 0
    for settings, _ in LABS_07:
        lab = bp.widgets.TrainingLab(**settings)
        total += len(list(static.states(lab.static_controls())))
    assert total <= 105, total


@pytest.mark.parametrize("kind", KINDS)
def test_every_precomputed_control_states_its_grid(kind, sweep):
    for c in make(kind, sweep).static_controls():
        assert c.kind in static.KINDS
        if c.precomputed:
            assert c.grid and len(c.values) >= 2, (kind, c.name)
            assert len({static.fmt(v) for v in c.values}) == len(c.values), (kind, c.name)   # keys distinct


@pytest.mark.parametrize("kind", KINDS)
def test_controls_are_labelled_in_both_languages(kind, sweep, use_language):
    use_language("zh")
    zh = make(kind, sweep).static_controls()
    use_language("en")
    en = make(kind, sweep).static_controls()
    assert [c.name for c in zh] == [c.name for c in en]
    for c_en, c_zh in zip(en, zh):
        if c_en.kind == "steps":
            for (label_en, tip_en), (label_zh, tip_zh) in zip(c_en.buttons, c_zh.buttons):
                assert label_en and CJK.search(label_zh) and not CJK.search(label_en)
                assert tip_en and CJK.search(tip_zh) and not CJK.search(tip_en)
            assert CJK.search(c_zh.labels[0]) and not CJK.search(c_en.labels[0])
            continue
        assert c_en.label and c_zh.label, (kind, c_en.name)
        assert not CJK.search(c_en.label)
        if c_en.label != c_zh.label:
            assert CJK.search(c_zh.label), (kind, c_zh.label)
    assert any(CJK.search(c.label) for c in zh if c.kind != "steps") or zh[0].kind == "steps"


def test_live_only_note_in_both_languages():
    assert static.TEXT("live_only", lang="en") == "live notebook only"
    assert static.TEXT("live_only", lang="zh") == "仅在实时笔记本中可用"


def test_widget_html_is_standard_labelled_controls(tmp_path, chinese):
    lab = bp.widgets.TrainingLab(problem="bowl", compare="momentum", lr=0.5)
    record = static.export(lab, tmp_path, prefix="w1", initial=lab.static_state(), quick=True)
    record.update(stem="07_training_lab", index=1)
    page = widget_frames.widget_html(record, "widgets")
    assert 'type="range"' in page and "<select" in page and "<label for=" in page
    img = re.search(r'<img class="bp-sw-picture" src="([^"]+)" data-state="([^"]+)"', page)
    assert img and img.group(1).startswith("widgets/07_training_lab/w1-")
    assert img.group(2).replace("&amp;", "&") == record["initial"]
    assert "学习率 η" in page and "仅在实时笔记本中可用" in page
    # a disabled control for every control that is not precomputed, enabled for the others
    n_fixed = sum(not c["precomputed"] for c in record["controls"])
    assert page.count(" disabled") == n_fixed
    data = json.loads(re.search(r'<script type="application/json" class="bp-sw-data">(.*?)</script>',
                                page).group(1).replace("<\\/", "</"))
    assert data["initial"] == record["initial"] and set(data["frames"]) == set(record["frames"])
    e5 = bp.examples.e5_network()
    stepper = bp.widgets.Stepper(e5.net, e5.loss, e5.X, e5.t, optimizer=bp.SGD(lr=e5.lr))
    record = static.export(stepper, tmp_path, prefix="w0", initial={"step": 0})
    record.update(stem="00_start_here", index=0)
    page = widget_frames.widget_html(record, "widgets")
    assert page.count("<button") == 3 and "下一步 ▶" in page and "第 1 步，共" in page
    assert record["count"] == len(stepper.steps)


def test_trial_status_leaves_the_count_of_tries_to_the_page():
    w = explorers.TrialAndErrorExplorer()
    frame = w.static_frame(w.static_state())
    assert static.TRIES in frame.status and "3.2" in frame.status


def test_count_check_fails_on_a_mismatch():
    committed = [(3, "lab = bp.widgets.TrainingLab()\nlab"), (7, "bp.widgets.Stepper(net, loss, X, t)")]
    good = [{"kind": "TrainingLab", "cell_source": committed[0][1]},
            {"kind": "Stepper", "cell_source": committed[1][1]}]
    widget_frames.check_records("nb", committed, good)            # no error
    with pytest.raises(RuntimeError, match="1 widgets recorded.*2 widget views"):
        widget_frames.check_records("nb", committed, good[:1])
    with pytest.raises(RuntimeError, match="cell 7"):
        widget_frames.check_records("nb", committed, [good[0], dict(good[1], cell_source="x = 1")])
    with pytest.raises(RuntimeError, match="does not name it"):
        widget_frames.check_records("nb", committed, [good[0], dict(good[1], kind="GraphStepper")])


def test_bad_controls_are_refused():
    with pytest.raises(ValueError, match="kind"):
        static.Control("x", "x", "knob", (1,), ("1",), 1)
    with pytest.raises(ValueError, match="not one of its positions"):
        static.Control("x", "x", "range", (1, 2), ("1", "2"), 3)
    with pytest.raises(ValueError, match="one length"):
        static.Control("x", "x", "range", (1, 2), ("1",), 1)
    c = static.slider("a", "a", (1, 2), 1)
    with pytest.raises(ValueError, match="distinct"):
        static.check_controls([c, c])
    with pytest.raises(RuntimeError, match="IPython kernel"):
        static.start_recording()


def test_every_picture_widget_of_the_package_exports():
    """Every PictureWidget subclass (the capstone's too, once it is in the package) has the protocol."""
    import importlib
    import pkgutil

    import backprop_core.widgets as pkg
    for info in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"backprop_core.widgets.{info.name}")

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)
    found = [c for c in subclasses(PictureWidget) if c.__module__.startswith("backprop_core.")]
    assert len(found) >= 7
    for cls in found:
        for method in ("static_controls", "static_frame", "static_state"):
            assert callable(getattr(cls, method, None)), f"{cls.__name__} has no {method}()"
