"""Every widget in 简体中文 and its PNG fallback (issues 9 and 13).

Built with bp.set_language("zh") and every warning an error (matplotlib's "Glyph missing"
included: the bundled Chinese font must cover every character drawn), each widget's labels,
options, status lines and figure texts are Chinese, its dropdown values are the same keys as
in English, and its display data carries an image/png of the current picture (what GitHub and
nbviewer show without a kernel).
"""
import base64
import re
import warnings

import numpy as np
import pytest

import backprop_core as bp
from backprop_core import depth

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def chinese():
    previous = bp.language()
    bp.set_language("zh")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            yield
    finally:
        bp.set_language(previous)


@pytest.fixture(scope="module")
def sweep_data():
    X, t = bp.datasets.sine(n=16, noise=0.2, seed=1)
    Xtr, ttr, Xte, tte = bp.datasets.split(X, t, test_fraction=0.5, seed=1)
    return depth.width_sweep(Xtr, ttr, Xte, tte, [1, 3, 9], epochs=20, seed=0), Xtr, ttr, Xte, tte


def make(name, sweep_data):
    w = bp.widgets
    if name == "WidthExplorer":
        return w.WidthExplorer(*sweep_data)
    if name == "GradientDepthExplorer":
        return w.GradientDepthExplorer(depth=4, width=8)
    if name == "Stepper":
        e = bp.examples.e3_network()
        return w.Stepper(e.net, e.loss, e.X, e.t, optimizer=bp.SGD(lr=e.lr))
    if name == "GraphStepper":
        x = bp.graph.Value(3.0, "x")
        return w.GraphStepper(x * x + x)
    return getattr(w, name)()


OURS = ["TrainingLab", "LearningRateExplorer", "TrialAndErrorExplorer", "ActivationExplorer", "LossExplorer",
        "GradientDepthExplorer", "WidthExplorer"]
ALL = OURS + ["Stepper", "GraphStepper"]


def controls(widget):
    """Every ipywidgets control with a description inside the widget's layout."""
    found, todo = [], [getattr(widget, "widget", widget)]
    while todo:
        w = todo.pop()
        todo.extend(getattr(w, "children", ()))
        if getattr(w, "description", ""):
            found.append(w)
    return found


def figure_texts(fig):
    from matplotlib.text import Text
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


@pytest.mark.parametrize("name", OURS)
def test_widget_in_chinese(name, chinese, sweep_data):
    widget = make(name, sweep_data)
    described = controls(widget)
    assert described and all(CJK.search(c.description) for c in described
                             if not re.fullmatch(r"[\w'′ ]+", c.description)), \
        [c.description for c in described]
    assert any(CJK.search(c.description) for c in described)
    text = (widget.status if name == "TrainingLab" else widget.summary).value
    assert CJK.search(text), text
    assert any(CJK.search(t) for t in figure_texts(widget.figure.fig))
    for c in described:                                      # options: Chinese labels, the same keys
        labels = getattr(c, "_options_labels", ())
        if labels and any(CJK.search(label) for label in labels):
            assert not any(CJK.search(str(v)) for v in c._options_values)
    if hasattr(widget.figure, "invalidate"):
        widget.figure.invalidate()
    widget.figure.refresh()                                  # a full draw: no glyph missing


def test_stepper_in_chinese(chinese, sweep_data):
    widget = make("Stepper", sweep_data)                     # builds and draws without a warning
    if not any(CJK.search(getattr(c, "description", "") or "") for c in controls(widget)) \
            and not any(CJK.search(t) for t in figure_texts(widget.figure.fig)):
        pytest.xfail("the Stepper's text is not bilingual yet (widgets/stepper.py: helper B1's lane)")


def test_dropdown_values_are_the_same_keys_in_both_languages(sweep_data):
    def values(widget):
        return {c.description: tuple(c._options_values) for c in controls(widget) if hasattr(c, "_options_values")}
    for name in OURS:
        en = values(make(name, sweep_data))
        try:
            bp.set_language("zh")
            zh = values(make(name, sweep_data))
        finally:
            bp.set_language("en")
        assert sorted(en.values(), key=repr) == sorted(zh.values(), key=repr), name


def test_code_that_sets_values_works_in_chinese(chinese):
    lab = bp.widgets.TrainingLab()
    lab.set(problem="bowl", optimizer="SGD+momentum", schedule="exponential", compare="momentum", unit="epochs")
    assert lab.error is None and len(lab.runs) == 3
    assert lab.compare.label == "μ：0, 0.5, 0.9" and lab.optimizer.label == "SGD+动量"
    ex = bp.widgets.LearningRateExplorer()
    ex.rule.value = "post"
    assert "原文的规则" in ex.summary.value


def test_numbers_are_formatted_the_same_in_both_languages():
    def numbers(text):
        return re.findall(r"-?\d+(?:\.\d+)?(?:e[+-]\d+)?", text)
    lines = {}
    for lang in ("en", "zh"):
        try:
            bp.set_language(lang)
            lab = bp.widgets.TrainingLab(problem="noisy", compare="batch", batch_size=5)
            ex = bp.widgets.GradientDepthExplorer(depth=4, width=8)
            lines[lang] = (lab.summary(), ex.summary.value)
        finally:
            bp.set_language("en")
    for en, zh in zip(lines["en"], lines["zh"]):
        assert sorted(numbers(en)) == sorted(numbers(zh))      # the same numbers, in each language's order


@pytest.mark.parametrize("name", ALL)
def test_every_widget_displays_with_a_png_fallback(name, sweep_data):
    from IPython.core.formatters import DisplayFormatter
    widget = make(name, sweep_data)
    data, _ = DisplayFormatter().format(widget)             # what a kernel stores in the notebook
    assert "application/vnd.jupyter.widget-view+json" in data
    png = base64.b64decode(data["image/png"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png == widget.figure.image.value


def test_one_weight_run_lives_in_the_core():
    from backprop_core import one_weight
    from backprop_core.widgets import explorers
    assert explorers.one_weight_run is one_weight.one_weight_run
    run = one_weight.one_weight_run(0.01, 30, "loss")
    assert run.diverged and np.all(np.isfinite(run.y))
