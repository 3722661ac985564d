"""The drawing engine (widgets.drawing): a widget declares a Scene (what moves, what keys the
static part), the engine alone marks artists for blitting, and a static part changed
without its key is caught (StaleBackground), not shown as a silently stale picture."""
import pathlib
import re

import numpy as np
import pytest
from checked_drawing import checked_backgrounds  # noqa: F401 (autouse)

import backprop_core as bp
from backprop_core import limits
from backprop_core.lru import LRU
from backprop_core.widgets import explorers
from backprop_core.widgets.drawing import BlitFigureImage, Scene, StaleBackground, check_backgrounds
from backprop_core.widgets.picture import PictureWidget

WIDGETS = pathlib.Path(bp.__file__).parent / "widgets"


def picture(mode):
    """A two-panel picture: a static line per panel, a moving dot; mode "plain", "layer" (the
    right line in the layer) or "strips". Returns (figure, the static line that a key covers,
    dot, key holder)."""
    figure = BlitFigureImage(figsize=(6, 2), dpi=50, nrows=1, ncols=2)
    figure.fig.subplots_adjust(wspace=0.5)
    left, right = figure.axes
    static, = left.plot([0, 1], [0, 1])
    curve, = right.plot([0, 1], [1, 0])
    dot, = right.plot([0.5], [0.5], "o")
    key = {"value": 0}

    def key_now():
        return (key["value"], 0) if mode == "strips" else key["value"]
    scene = Scene(moving=[dot], key=key_now)
    if mode == "layer":
        scene = Scene(moving=[dot], layer=[curve], key=key_now)
    if mode == "strips":
        scene = Scene(moving=[dot], strips=[[left], [right]], key=key_now)
    figure.declare(scene)
    return figure, curve if mode == "layer" else static, dot, key


@pytest.mark.parametrize("mode", ["plain", "layer", "strips"])
def test_a_static_change_without_its_key_is_caught(mode):
    figure, static, dot, key = picture(mode)
    figure.refresh()
    dot.set_data([0.2], [0.8])
    figure.refresh()                                   # only the dot moved: the background is reused
    static.set_ydata([0.3, 0.6])                           # a static part changed, the key did not
    with pytest.raises(StaleBackground, match="key"):
        figure.refresh()
    key["value"] = 1                                   # declared: drawn again, nothing stale
    figure.refresh()


@pytest.mark.parametrize("mode", ["plain", "layer", "strips"])
def test_without_the_check_the_stale_picture_would_be_shown(mode):
    """What the check prevents: the restored pixels are the old static part."""
    figure, static, dot, key = picture(mode)
    previous = check_backgrounds(False)
    try:
        figure.refresh()
        before = np.array(figure.canvas.buffer_rgba())
        static.set_ydata([0.3, 0.6])
        figure.refresh()
        assert np.array_equal(before, np.asarray(figure.canvas.buffer_rgba()))    # stale
        key["value"] = 1
        figure.refresh()
        assert not np.array_equal(before, np.asarray(figure.canvas.buffer_rgba()))
    finally:
        check_backgrounds(previous)


def test_a_widgets_static_change_is_caught():
    ex = explorers.TrialAndErrorExplorer()
    ex.sliders["w31"].value = 0.5                      # the background is restored
    ex.figure.axes.set_xlabel("changed by hand")       # not declared: its key stays None
    with pytest.raises(StaleBackground):
        ex.sliders["w31"].value = 0.6


def test_only_the_engine_marks_artists_for_blitting():
    poking = re.compile(r"set_animated|\.animated\s*=|background_key|\.layer\s*=|figure\.strips|base_key")
    for path in sorted(WIDGETS.glob("*.py")):
        if path.name == "drawing.py":
            continue
        found = [line for line in path.read_text(encoding="utf-8").splitlines() if poking.search(line)]
        assert not found, f"{path.name} sets blitting attributes: {found}"


def test_no_private_name_is_imported_across_widget_files():
    private = re.compile(r"^from \.\w* import .*\b_[a-z]\w*|^from \.\w+ import \($", re.M)
    for path in sorted(WIDGETS.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        single = [m.group(0) for m in private.finditer(text) if not m.group(0).endswith("(")]
        assert not single, f"{path.name}: {single}"


def test_declare_marks_the_moving_and_layer_artists_only():
    figure, static, dot, _ = picture("plain")
    assert dot.get_animated() and not static.get_animated()
    assert figure.animated == [dot]
    figure, curve, dot, _ = picture("layer")
    assert curve.get_animated() and figure.animated == [dot]


def descriptions(box):
    """Every control's description inside a layout."""
    out = [getattr(box, "description", "") or ""]
    for child in getattr(box, "children", ()):
        out += descriptions(child)
    return out


@pytest.mark.parametrize("make", [
    lambda lang: explorers.LearningRateExplorer(lang=lang),
    lambda lang: explorers.TrialAndErrorExplorer(lang=lang),
    lambda lang: bp.widgets.ActivationExplorer(lang=lang),
    lambda lang: bp.widgets.LossExplorer(lang=lang),
    lambda lang: bp.widgets.GradientDepthExplorer(depth=3, lang=lang),
    lambda lang: bp.widgets.TrainingLab(lang=lang),
])
def test_every_widget_takes_lang_and_keeps_it(make):
    assert bp.language() == "en"
    widget = make("zh")
    assert isinstance(widget, PictureWidget) and widget.lang == "zh" and bp.language() == "en"
    assert re.search(r"[\u4e00-\u9fff]", " ".join(descriptions(widget.widget)))
    assert make(None).lang == "en"
    with pytest.raises(ValueError, match="lang"):
        make("fr")


@pytest.mark.parametrize("mode", ["plain", "layer", "strips"])
def test_keys_drawn_ahead_never_push_out_a_key_shown(mode):
    """Idle time's backgrounds (prepare) are kept apart from the shown ones: however many keys
    are drawn ahead, going back to a key shown earlier restores it (a value typed back); a
    key drawn ahead and then shown joins the shown ones and stays."""
    figure, static, dot, key = picture(mode)
    figure.refresh()                                       # key 0 shown
    for k in range(1, 40):                                 # far more than either cache holds
        key["value"] = k
        figure.prepare(figure.scene.key())
    key["value"] = 39
    figure.refresh()                                       # drawn ahead, now shown
    assert figure.scene.key() in figure.backgrounds
    for k in range(100, 140):
        key["value"] = k
        figure.prepare(figure.scene.key())
    kept = [k for k in (0, 39, 1) if figure.has_background((k, 0) if mode == "strips" else k)]
    assert kept == [0, 39]                                 # key 1, drawn ahead long ago: gone
    for k in (0, 39):
        key["value"] = k
        figure.refresh()                                   # restored, checked against a fresh drawing
    assert len(figure.backgrounds) <= 12 and len(figure.ahead) <= 12


def test_lru_keeps_the_newest():
    cache = LRU(2)
    cache["a"], cache["b"] = 1, 2
    assert cache["a"] == 1                             # a is now the newest
    cache["c"] = 3
    assert "b" not in cache and len(cache) == 2 and cache.get("b", 0) == 0
    assert cache.pop("a") == 1 and list(cache) == ["c"]
    gone = []
    cache = LRU(1, evicted=gone.append)
    cache["a"], cache["b"] = 1, 2
    assert gone == [1] and list(cache) == ["b"]
    with pytest.raises(ValueError, match="size"):
        LRU(0)


def test_the_rounders_numbers():
    assert [limits.ceiling(n, limits.STEP_ENDS) for n in (0, 1, 3, 30, 31, 101)] == [1, 1, 5, 30, 50, 101]
    assert limits.outward_limits([3e-5, 2.0], "log") == pytest.approx((10 ** -6.45, 10 ** 3.45))
    assert limits.outward_limits([-150.0, 20.0], "symlog") == pytest.approx((-1050.0, 1050.0))
    assert limits.outward_limits([0.13, 0.47], "linear") == pytest.approx((0.08, 0.52))
    assert limits.decade_limits(2e-4, 5.0) == pytest.approx((1e-6, 1e3))
    assert limits.padded_limits([np.nan, 1.0, 3.0], pad=0.5) == (0.0, 4.0)
    assert limits.padded_limits([np.inf]) == (-1.0, 1.0)
    with pytest.raises(ValueError, match="scale"):
        limits.outward_limits([1.0], "cubic")


def numbers_html(widget):
    """The widget's line of numbers: the lab's status, an explorer's summary."""
    return (widget.status if isinstance(widget, bp.widgets.TrainingLab) else widget.summary).value


@pytest.mark.parametrize("make, move", [
    (lambda **kw: explorers.LearningRateExplorer(**kw), lambda w: setattr(w.lr_slider, "value", 4e-6)),
    (lambda **kw: bp.widgets.LossExplorer(**kw), lambda w: setattr(w.target, "value", 2.0)),
    (lambda **kw: bp.widgets.TrainingLab(compare="lr", **kw), lambda w: w.set(lr=0.3)),
])
def test_lang_zh_draws_what_a_widget_made_in_chinese_draws(make, move, use_language):
    use_language("en")
    given = make(lang="zh")                            # made while the language is English
    use_language("zh")
    made = make()
    use_language("en")
    for _ in range(2):
        assert bytes(given.figure.image.value) == bytes(made.figure.image.value)
        assert numbers_html(given) == numbers_html(made)
        move(given)                                    # callbacks run in the widget's language
        move(made)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sprite_text_draws_the_pixels_the_text_draws(lang):
    """A lab's note (a SpriteText: its pixels kept per string) draws what matplotlib's own
    Text.draw draws there, to within 1 in a colour channel, over whatever lies under it (a
    path under the box, alpha 0.9), in both languages; the same string again is copied, a
    new string drawn anew; an empty note draws nothing."""
    from matplotlib.text import Text
    lab = bp.widgets.TrainingLab(problem="nonlinear", compare="momentum", lr=0.1, lang=lang)
    figure, note = lab.figure, lab.panel.notes[2]
    assert note.get_text()                                   # μ = 0.9 left the plot: a note
    renderer = figure.canvas.get_renderer()
    below = np.array(figure.canvas.buffer_rgba())            # the picture shown, note included
    kept = len(note.sprites)
    figure.canvas.restore_region(figure.backgrounds[figure.scene.key()])
    for artist in figure.animated:
        if artist is not note and artist.get_visible():
            figure.fig.draw_artist(artist)
    under = np.array(figure.canvas.buffer_rgba())
    Text.draw(note, renderer)                                # matplotlib's own drawing
    reference = np.array(figure.canvas.buffer_rgba()).astype(int)
    assert np.any(reference != under)
    assert np.abs(below.astype(int) - reference).max() <= 1
    assert len(note.sprites) == kept                         # nothing drawn anew to check it
    note.set_text(note.get_text() + "!")
    figure.fig.draw_artist(note)
    assert len(note.sprites) == kept + 1
    note.set_text("")
    figure.canvas.restore_region(figure.backgrounds[figure.scene.key()])
    before = np.array(figure.canvas.buffer_rgba())
    figure.fig.draw_artist(note)
    np.testing.assert_array_equal(np.asarray(figure.canvas.buffer_rgba()), before)
