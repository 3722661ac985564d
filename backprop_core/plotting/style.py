"""Colours, fonts and the projector style shared by every picture, applied per figure.

COLORS is the Okabe-Ito palette (safe for colour-blind readers). Every picture of the package
is made and drawn inside `context()`, a matplotlib rc_context with the package's style, so the
user's own plots and matplotlib's global rcParams are never changed:

    with style.context():                 # the package's style for what is made in here
        fig, ax = style.new_figure((5, 3.5))
    fig, ax = style.new_figure((5, 3.5))  # the same: the one way the package makes a figure

Fonts: DejaVu Sans (matplotlib's own) first, then the bundled Chinese font "Noto Sans SC
Subset" (plotting/fonts/, regular and bold, SIL OFL 1.1), registered with matplotlib's font manager when
`bp.plotting` is first imported. matplotlib falls back per glyph, so Latin, Greek and maths
come from DejaVu Sans and 汉字 from Noto: a figure in Chinese needs no system font.

`presentation(True)` switches every figure made afterwards to large fonts and thick lines
for a projector; `presentation(False)` goes back to the normal style. Projector mode is also
on from the start when the environment variable BP_PRESENTATION is set to 1 (scripts/present.sh
does that, so a notebook served with `make present` needs no edit).

`apply()` is for your own pyplot figures: it writes the style (and the Chinese fallback
font) into matplotlib's global rcParams, once, when you call it. The package never calls it,
except at import when BP_PRESENTATION=1 (projector mode asked for by the presenter).
"""
import contextlib
import functools
import os
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

COLORS = {
    "blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "red": "#D55E00",
    "purple": "#CC79A7", "sky": "#56B4E9", "yellow": "#F0E442", "black": "#000000",
    "grey": "#999999",
}
CYCLE = [COLORS[c] for c in ("blue", "orange", "green", "red", "purple", "sky", "black")]

FONT_FILE = Path(__file__).resolve().parent / "fonts" / "NotoSansSC-Subset.otf"
FONT_FILES = (FONT_FILE, FONT_FILE.with_name("NotoSansSC-Subset-Bold.otf"))    # regular, bold
CJK_FAMILY = "Noto Sans SC Subset"
FONT_FAMILIES = ("DejaVu Sans", CJK_FAMILY)      # per-glyph fallback, first match wins

_NORMAL = {"font.size": 10, "axes.titlesize": 11, "axes.labelsize": 10, "lines.linewidth": 1.6,
           "lines.markersize": 5, "legend.fontsize": 9, "xtick.labelsize": 9, "ytick.labelsize": 9}
_PROJECTOR = {"font.size": 16, "axes.titlesize": 18, "axes.labelsize": 16, "lines.linewidth": 3.2,
              "lines.markersize": 9, "legend.fontsize": 14, "xtick.labelsize": 14, "ytick.labelsize": 14}

_state = {"presentation": os.environ.get("BP_PRESENTATION", "0").strip().lower() in ("1", "true", "yes", "on"),
          "fonts": False, "applied": False,
          "inside": None}          # inside context(): the presentation flag it was made with


def register_fonts():
    """Add the bundled Chinese font (regular and bold) to matplotlib's font manager (once).
    Returns the font family list the pictures use."""
    if not _state["fonts"]:
        for path in FONT_FILES:
            font_manager.fontManager.addfont(str(path))
        _state["fonts"] = True
    return list(FONT_FAMILIES)


def rc_params():
    """The rcParams of the current style (normal or projector) as a dict."""
    params = dict(_PROJECTOR if _state["presentation"] else _NORMAL)
    params["axes.prop_cycle"] = mpl.cycler(color=CYCLE)
    params["font.family"] = register_fonts()
    return params


@contextlib.contextmanager
def context(extra=None):
    """Make and draw figures in the package's style: a matplotlib rc_context with rc_params()
    (plus `extra` rcParams). matplotlib's global rcParams are the same afterwards.
    Re-entrant: inside another context() of the same style it costs nothing (a widget's
    redraw passes through several drawing functions). Also usable as a decorator."""
    key = _state["presentation"]
    if _state["inside"] == key and not extra:
        yield
        return
    params = rc_params()
    if extra:
        params.update(extra)
    outer = _state["inside"]
    with mpl.rc_context(params):
        _state["inside"] = key
        try:
            yield
        finally:
            _state["inside"] = outer


def styled(function):
    """Decorator: run `function` inside context(), so every artist it makes (lines, texts,
    legends) gets the package's style and fonts. Every drawing function of bp.plotting uses
    it; widgets use it on the methods that redraw."""
    @functools.wraps(function)
    def inside_context(*args, **kwargs):
        with context():
            return function(*args, **kwargs)
    return inside_context


def use_fonts(*axes):
    """Give the titles and axis labels of `axes` the package's font families (DejaVu Sans,
    then the Chinese font). Needed for Axes made outside context() (e.g. your own
    plt.subplots passed as ax=): their title and label texts were made with your fonts."""
    for ax in axes:
        for text in (ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label):
            if text.get_fontfamily() != list(FONT_FAMILIES):
                text.set_fontfamily(list(FONT_FAMILIES))


def new_figure(figsize=(5.0, 3.5), nrows=None, ncols=None, rect=None, layout=None, **subplot_kw):
    """A new Figure in the package's style, made with pyplot and closed at once (as the last
    expression of a cell it shows exactly once; pyplot keeps no reference to it).

    nrows, ncols: a grid of Axes (plt.subplots; subplot_kw such as squeeze=False go there);
    rect: one Axes at (left, bottom, width, height) in figure fractions; neither: one Axes
    from add_subplot. Returns (fig, axes)."""
    import matplotlib.pyplot as plt  # only here: the returned figure must display in Jupyter
    with context():
        fig = plt.figure(figsize=figsize, layout=layout)
        plt.close(fig)
        if rect is not None:
            axes = fig.add_axes(rect)
        elif nrows is not None or ncols is not None:
            axes = fig.subplots(nrows or 1, ncols or 1, **subplot_kw)
        else:
            axes = fig.add_subplot(**subplot_kw)
    return fig, axes


def apply(rc=None):
    """Write the current style (normal or projector, with the Chinese fallback font) into
    matplotlib's global rcParams, for your own pyplot figures. The package's own pictures
    do not need it (they use context())."""
    mpl.rcParams.update(rc_params())
    if rc:
        mpl.rcParams.update(rc)
    _state["applied"] = True


def presentation(on=True):
    """Projector mode for every figure made from now on: large fonts, thick lines,
    colour-blind-safe colours. presentation(False) restores the normal style.
    Global rcParams change only if you called apply() before (then it is applied again)."""
    _state["presentation"] = bool(on)
    if _state["applied"]:
        apply()
    return _state["presentation"]


def is_presentation():
    """True while projector mode is on."""
    return _state["presentation"]


def scale():
    """Size factor for things drawn by hand (node radius, text): 1.0 normal, 1.6 projector."""
    return 1.6 if _state["presentation"] else 1.0


register_fonts()
if _state["presentation"]:
    apply()   # BP_PRESENTATION=1: the presenter's own pyplot figures are large too
