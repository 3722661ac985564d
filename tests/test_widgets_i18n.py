"""Every widget in 简体中文 and its PNG fallback (issues 9 and 13).

Built with bp.set_language("zh") and every warning an error (matplotlib's "Glyph missing"
included: the bundled Chinese font must cover every character drawn), each widget's labels,
options, status lines and figure texts are Chinese, its dropdown values are the same keys as
in English, and its display data carries an image/png of the current picture (what GitHub and
nbviewer show without a kernel).
"""
import base64
import html.parser
import importlib
import pkgutil
import re
import string

import ipywidgets
import numpy as np
import pytest

import backprop_core as bp
from backprop_core import depth
from backprop_core.i18n import Catalogue

CJK = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"(?<![A-Za-z_])[A-Za-z]{2,}(?![A-Za-z_])")     # not a subscript such as δ_next


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
def test_widget_in_chinese(name, chinese, strict, sweep_data):
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


def package_catalogues():
    """Every bp.i18n.Catalogue in the package's modules (wherever a widget's words live)."""
    found = {}
    for info in pkgutil.walk_packages(bp.__path__, "backprop_core."):
        for value in vars(importlib.import_module(info.name)).values():
            if isinstance(value, Catalogue):
                found[id(value)] = value
    return list(found.values())


def template(text):
    """A catalogue text as a regular expression: each {field} a group, the rest literal."""
    parts, fields = [], []
    for literal, field, _, _ in string.Formatter().parse(text):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(r"(\S+)")                      # a name or a number
            fields.append(field)
    return re.compile("".join(parts), re.S), fields


def in_other_language(shown, catalogues, lang):
    """{text in `lang`: its catalogue} for the catalogue entries `shown` (an English text) is
    made from: those of the longest English text that matches it in full, their {fields}
    filled in with what `shown` has there. Empty when no entry matches."""
    best, found = 0, {}
    for catalogue in catalogues:
        for key, text in catalogue.texts["en"].items():
            pattern, fields = template(text)
            match = pattern.fullmatch(shown)
            literal = len(text) - sum(len(f) + 2 for f in fields)
            if match and literal > 0 and literal >= best:
                other = catalogue.texts[lang][key].format(**dict(zip(fields, match.groups())))
                found = {**(found if literal == best else {}), other: catalogue}
                best = literal
    return found


class TextPieces(html.parser.HTMLParser):
    """The text of an HTML fragment, one piece per element or line, whitespace stripped."""

    def __init__(self, fragment):
        super().__init__()
        self.pieces = []
        self.feed(fragment)

    def handle_data(self, data):
        if data.strip():
            self.pieces.append(data.strip())


def shown_texts(widget):
    """What a student reads in a widget, in page order: every HTML widget's text (piece by
    piece) and every button's label and tooltip."""
    texts, todo = [], [getattr(widget, "widget", widget)]     # the displayed box
    while todo:
        w = todo.pop(0)
        todo[:0] = list(getattr(w, "children", ()))
        if isinstance(w, ipywidgets.Button):
            texts += [w.description, w.tooltip]
        elif isinstance(w, ipywidgets.HTML):
            texts += TextPieces(w.value).pieces
    return texts


def english_words(catalogues):
    """The English words of the catalogues: for each entry, the words of its English text
    that its Chinese text does not keep ("dropout" may stay, f'(z) and o_p are symbols)."""
    def words(text):
        literal = "".join(part for part, _, _, _ in string.Formatter().parse(text))
        return {w.lower() for w in WORD.findall(literal)}
    return {w for c in catalogues for k, en in c.texts["en"].items() for w in words(en) - words(c.texts["zh"][k])}


def test_stepper_in_chinese(use_language, strict):
    """Every step of the Stepper, made in Chinese, shows the Chinese of the catalogue entries
    that the same step shows in English (title, explanation, buttons, tooltips, position),
    and no English word of the catalogues, neither in its text nor in its picture."""
    e = bp.examples.e3_network()
    steppers = {}
    for lang in ("en", "zh"):
        use_language(lang)
        steppers[lang] = bp.widgets.Stepper(e.net, e.loss, e.X, e.t, optimizer=bp.SGD(lr=e.lr))
    use_language("en")                                       # each stepper keeps its own language
    en, zh = steppers["en"], steppers["zh"]
    catalogues = package_catalogues()
    assert len(en.steps) == len(zh.steps) > 10
    used, seen = set(), []
    for i in range(len(en.steps)):
        en.go(i)
        zh.go(i)
        en_texts, zh_texts = shown_texts(en), shown_texts(zh)
        assert len(en_texts) == len(zh_texts), (i, en_texts, zh_texts)
        translated = 0
        for en_text, zh_text in zip(en_texts, zh_texts):
            expected = in_other_language(en_text, catalogues, "zh")
            if expected:
                assert zh_text in expected and CJK.search(zh_text), (i, en_text, zh_text, expected)
                translated += 1
                used |= set(expected.values())
        # the title, the explanation, the position, three buttons with their tooltips
        assert translated >= 9, (i, en_texts)
        assert sum(bool(CJK.search(t)) for t in zh_texts) >= 9, (i, zh_texts)
        seen += zh_texts + figure_texts(zh.figure.fig)
    english = english_words(used)
    assert {"next", "back", "step", "unit", "weight"} <= english
    for text in seen:
        found = [w for w in WORD.findall(text) if w.lower() in english]
        assert not found, (found, text)


def test_dropdown_values_are_the_same_keys_in_both_languages(sweep_data, use_language):
    def values(widget):
        return {c.description: tuple(c._options_values) for c in controls(widget) if hasattr(c, "_options_values")}
    for name in OURS:
        use_language("en")
        en = values(make(name, sweep_data))
        use_language("zh")
        zh = values(make(name, sweep_data))
        assert sorted(en.values(), key=repr) == sorted(zh.values(), key=repr), name


def test_code_that_sets_values_works_in_chinese(chinese, strict):
    lab = bp.widgets.TrainingLab()
    lab.set(problem="bowl", optimizer="SGD+momentum", schedule="exponential", compare="momentum", unit="epochs")
    assert lab.error is None and len(lab.runs) == 3
    assert lab.compare.label == "μ：0, 0.5, 0.9" and lab.optimizer.label == "SGD+动量"
    ex = bp.widgets.LearningRateExplorer()
    ex.rule.value = "post"
    assert "原文的规则" in ex.summary.value


def test_numbers_are_formatted_the_same_in_both_languages(use_language):
    def numbers(text):
        return re.findall(r"-?\d+(?:\.\d+)?(?:e[+-]\d+)?", text)
    lines = {}
    for lang in ("en", "zh"):
        use_language(lang)
        lab = bp.widgets.TrainingLab(problem="noisy", compare="batch", batch_size=5)
        ex = bp.widgets.GradientDepthExplorer(depth=4, width=8)
        lines[lang] = (lab.summary(), ex.summary.value)
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
