"""Colours and the projector style shared by every picture.

COLORS is the Okabe-Ito palette (safe for colour-blind readers). `presentation(True)`
switches every figure made afterwards to large fonts and thick lines for a projector;
`presentation(False)` goes back to the normal style. Projector mode is also on from the
start when the environment variable BP_PRESENTATION is set to 1 (scripts/present.sh does that,
so a notebook served with `make present` needs no edit).
"""
import os

import matplotlib as mpl

COLORS = {
    "blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "red": "#D55E00",
    "purple": "#CC79A7", "sky": "#56B4E9", "yellow": "#F0E442", "black": "#000000",
    "grey": "#999999",
}
CYCLE = [COLORS[c] for c in ("blue", "orange", "green", "red", "purple", "sky", "black")]

_NORMAL = {"font.size": 10, "axes.titlesize": 11, "axes.labelsize": 10, "lines.linewidth": 1.6,
           "lines.markersize": 5, "legend.fontsize": 9, "xtick.labelsize": 9, "ytick.labelsize": 9}
_PROJECTOR = {"font.size": 16, "axes.titlesize": 18, "axes.labelsize": 16, "lines.linewidth": 3.2,
              "lines.markersize": 9, "legend.fontsize": 14, "xtick.labelsize": 14, "ytick.labelsize": 14}

_state = {"presentation": os.environ.get("BP_PRESENTATION", "0").strip().lower() in ("1", "true", "yes", "on")}


def apply(rc=None):
    """Apply the current style (normal or projector) to matplotlib's rcParams."""
    mpl.rcParams["axes.prop_cycle"] = mpl.cycler(color=CYCLE)
    mpl.rcParams.update(_PROJECTOR if _state["presentation"] else _NORMAL)
    if rc:
        mpl.rcParams.update(rc)


def presentation(on=True):
    """Projector mode for every figure made from now on: large fonts, thick lines,
    colour-blind-safe colours. presentation(False) restores the normal style."""
    _state["presentation"] = bool(on)
    apply()
    return _state["presentation"]


def is_presentation():
    """True while projector mode is on."""
    return _state["presentation"]


def scale():
    """Size factor for things drawn by hand (node radius, text): 1.0 normal, 1.6 projector."""
    return 1.6 if _state["presentation"] else 1.0


if _state["presentation"]:
    apply()   # BP_PRESENTATION=1: pyplot figures made before any package picture are large too
