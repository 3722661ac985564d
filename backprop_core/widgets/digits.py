"""Notebook 12's live control: the hidden width of the digits network.

`DigitsWidthExplorer(runs)`: a slider over the widths of a finished `recipe.width_sweep`
({width: Run}). Left: the chosen width's training and held-out accuracy after each epoch
(`plotting.digits.plot_accuracy`, its lines then moved); right: the held-out accuracy after
the last epoch against the width (`plot_width_accuracy`), the chosen width marked. Nothing is
trained here: every run was computed by the core before, so a move costs one render.
"""
import ipywidgets as widgets
import numpy as np

from ..i18n import Catalogue
from ..plotting.digits import plot_accuracy, plot_width_accuracy
from ..plotting.style import COLORS
from .controls import ValueSlider, labelled
from .drawing import BlitFigureImage, Scene, in_style
from .picture import PictureWidget, made_in_language

TEXT = Catalogue(
    en={"units": "hidden units", "title": "64-{w}-10 network",
        "summary": "<b>64-{w}-10</b> after {epochs} epochs: training set {tr} of {n_tr} right, "
                   "held-out set <b>{te} of {n_te}</b> ({pct} %)."},
    zh={"units": "隐藏单元数", "title": "64-{w}-10 网络",
        "summary": "<b>64-{w}-10</b> 训练 {epochs} 轮后：训练集 {n_tr} 张中对了 {tr} 张，"
                   "验证集 <b>{n_te} 张中对了 {te} 张</b>（{pct}%）。"},
)


class DigitsWidthExplorer(PictureWidget):
    """runs: {width: recipe.Run} (recipe.width_sweep); width: the width shown first
    (default the smallest). Control: `width` (a ValueSlider over the widths).
    lang="en" or "zh" (default the current language): every word it shows, kept as `lang`.
    """

    @made_in_language
    @in_style
    def __init__(self, runs, width=None, figsize=(10.0, 3.6), lang=None):
        if not isinstance(runs, dict) or not runs:
            raise ValueError("runs must be a non-empty dict {hidden width: recipe.Run} "
                             "(recipe.width_sweep's result)")
        self.runs = {int(w): runs[w] for w in sorted(runs)}
        self.widths = list(self.runs)
        first = self.widths[0] if width is None else int(width)
        if first not in self.runs:
            raise ValueError(f"width must be one of the swept widths {self.widths}, got {width!r}")
        self.width = ValueSlider(self.widths, value=first, fmt="{:.0f}", continuous_update=True,
                                 **labelled(TEXT("units")))
        self.summary = widgets.HTML()
        self.figure = BlitFigureImage(figsize=figsize, nrows=1, ncols=2)
        self.figure.fig.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.9, wspace=0.25)
        ax_acc, ax_width = self.figure.axes
        run = self.runs[first]
        plot_accuracy(run.train_accuracy, run.test_accuracy, ax=ax_acc)
        self.train_line, self.test_line = ax_acc.lines[0], ax_acc.lines[1]
        plot_width_accuracy(self.widths, [r.test_accuracy[-1] for r in self.runs.values()], ax=ax_width)
        low = min(float(r.test_accuracy[-1]) for r in self.runs.values())
        ax_width.set_ylim(max(0.0, low - 0.05), 1.0)
        (self.mark,) = ax_width.plot([], [], "o", markersize=14, markerfacecolor="none",
                                     markeredgecolor=COLORS["black"], markeredgewidth=2)
        self.figure.declare(Scene(moving=[self.train_line, self.test_line, self.mark, ax_acc.title]))
        self.watch(self.width)
        self.widget = widgets.VBox([self.width, self.summary, self.figure.image])
        self.update()

    @in_style
    def update(self):
        """Draw the chosen width's accuracy curves and mark it on the right."""
        w = int(self.width.value)
        run = self.runs[w]
        epochs = np.arange(len(run.train_correct))
        self.train_line.set_data(epochs, run.train_accuracy)
        self.test_line.set_data(epochs, run.test_accuracy)
        self.mark.set_data([w], [run.test_accuracy[-1]])
        self.figure.axes[0].set_title(TEXT("title", w=w))
        te = int(run.test_correct[-1])
        self.summary.value = TEXT("summary", w=w, epochs=len(epochs) - 1, tr=int(run.train_correct[-1]),
                                  n_tr=run.n_train, te=te, n_te=run.n_test,
                                  pct=f"{100 * te / run.n_test:.1f}")
        self.figure.refresh()

    # --- static export (widgets.static): every width, for a page without a kernel ------------
    def static_state(self):
        """{"width": the width shown now}."""
        return {"width": int(self.width.value)}

    def static_controls(self):
        """The width slider at every swept width (all precomputed)."""
        from .static import slider
        return [slider("width", self.width.description, tuple(self.widths), int(self.width.value),
                       grid="every swept width")]

    def static_frame(self, state):
        """The picture and summary HTML at state["width"]."""
        from .static import Frame, frame_png
        self.width.value = float(state["width"])
        return Frame(frame_png(self.figure), self.summary.value)
