"""Loss curves: the loss per step (and per epoch for mini-batches), on a linear or log
axis, cut where the descent diverged, with a "diverged at step k" label.

    hist = bp.fit(net, X, t, "mse", bp.SGD(0.1), epochs=50, batch_size=5)
    fig = plot_loss(None, [(hist.loss, "SGD, η = 0.1")], log=True)

`LossCurve` is the updatable form a widget keeps: `set_curve(...)` moves existing artists.
`loss_limits` gives y-limits that are always finite (never a NaN axis, never an empty plot).
When `ax` is None the picture gets its own figure, made with pyplot and closed at once.
Labels are in the current language (bp.set_language).
"""
import numpy as np

from ..i18n import Catalogue
from ..training import divergence_text as divergence_words
from . import style

CURVE_COLORS = (style.COLORS["blue"], style.COLORS["orange"], style.COLORS["green"])

TEXT = Catalogue(
    en={"labelled": "{label}: {note}",
        "step": "step", "loss": "loss", "title": "loss per step"},
    zh={"labelled": "{label}：{note}",
        "step": "步数", "loss": "损失", "title": "每一步的损失"},
)


def loss_limits(curves, log=False, clip=3.0):
    """Finite y-limits for loss curves. curves: list of 1-D arrays (non-finite values are
    ignored). Linear: from 0 to a little above the highest value, but at most `clip` times
    the highest starting loss, so one exploding curve does not flatten the others (it leaves
    through the top). Log: from the smallest positive value (at least 1e-16 of the top)
    to the top. Always returns lo < hi."""
    values = [np.asarray(c, dtype=float) for c in curves if np.size(c)]
    values = [v[np.isfinite(v)] for v in values]
    values = [v for v in values if v.size]
    if not values:
        return (1e-3, 1.0) if log else (0.0, 1.0)
    top = max(float(v.max()) for v in values)
    first = max(float(v[0]) for v in values)
    if log:
        positive = [v[v > 0] for v in values]
        positive = [p for p in positive if p.size]
        if not positive:
            return 1e-3, 1.0
        top = max(float(p.max()) for p in positive)
        lo = max(min(float(p.min()) for p in positive), top * 1e-16)
        if lo >= top:
            lo, top = lo / 2.0, top * 2.0
        return lo / 1.5, top * 1.5
    hi = min(top, clip * first) if first > 0 else top
    hi = hi * 1.05 if hi > 0 else 1.0
    return 0.0, hi


class LossCurve:
    """One run's loss on a loss axes: per step (a line), per epoch (a line with
    circles, for mini-batches), and a cross at the step where it diverged."""

    @style.styled
    def __init__(self, ax, color, label=None):
        s = style.scale()
        self.line, = ax.plot([], [], "-", color=color, lw=1.4 * s, label=label)
        self.epochs, = ax.plot([], [], "-o", color=color, lw=1.8 * s, ms=4.5 * s, mec="black", mew=0.6, zorder=3)
        self.blowup, = ax.plot([], [], "X", color=color, mec="black", ms=10 * s, zorder=5)

    def set_curve(self, loss, epoch_steps=(), epoch_loss=(), diverged_at=None, label=None):
        """loss: (k,) per step (step 0 first); epoch_loss at epoch_steps; diverged_at: the
        step where the loss became inf (the curve ends there, marked with a cross)."""
        loss = np.asarray(loss, dtype=float)
        steps = np.arange(len(loss))
        keep = np.isfinite(loss)
        self.line.set_data(steps[keep], loss[keep])
        self.epochs.set_data(np.asarray(epoch_steps, dtype=float), np.asarray(epoch_loss, dtype=float))
        if diverged_at is not None and keep.any():
            last = int(steps[keep][-1])
            self.blowup.set_data([last], [loss[last]])
        else:
            self.blowup.set_data([], [])
        if label is not None:
            self.line.set_label(label)
        self.set_visible(True)

    def set_visible(self, visible):
        for artist in (self.line, self.epochs, self.blowup):
            artist.set_visible(visible)

    def artists(self):
        return [self.line, self.epochs, self.blowup]


def divergence_text(diverged_at, label=None):
    """The note a diverged run gets: 'diverged at step k' ('<label>: diverged at step k'
    with a label), in the current language."""
    note = divergence_words(diverged_at)
    return note if label is None else TEXT("labelled", label=label, note=note)


@style.styled
def plot_loss(ax, runs, log=False, epochs=None, steps=None, title=True):
    """A static loss-curve picture. runs: [(loss, label)] or [(loss, label, diverged_at)],
    loss (k,) per step; epochs (optional): [(epoch_steps, epoch_loss)] matching runs.
    Each diverged run's curve ends in a cross and its legend entry says so.
    title: True for "loss per step" (in the current language), a string, or None/False.
    ax: an Axes or None for a new figure. Returns the Figure."""
    if ax is None:
        _, ax = style.new_figure((5.0, 3.5))
    style.use_fonts(ax)
    curves = []
    for k, run in enumerate(runs):
        loss, label = run[0], run[1]
        diverged_at = run[2] if len(run) > 2 else None
        if diverged_at is not None:
            label = divergence_text(diverged_at, label)
        curve = LossCurve(ax, CURVE_COLORS[k % len(CURVE_COLORS)], label=label)
        es, el = epochs[k] if epochs else ((), ())
        curve.set_curve(loss, es, el, diverged_at)
        curves.extend([loss, el])
    ax.set_yscale("log" if log else "linear")
    ax.set_ylim(*loss_limits(curves, log))
    ax.set_xlim(0, steps if steps else max([len(r[0]) for r in runs] + [1]))
    ax.set_xlabel(TEXT("step"))
    ax.set_ylabel(TEXT("loss"))
    if title is True:
        title = TEXT("title")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper right", framealpha=0.85)
    return ax.figure
