"""Small single-notebook explorers: a few sliders, one live picture, one line of numbers.

- `one_weight_run(lr, steps, rule)`: seed 000's chain (bp.examples.e1_chain), only the
  weight w trained, k steps; the numbers the explorer shows (also used by notebook 01).
- `LearningRateExplorer`: learning-rate slider (log scale) for that chain: the new
  output and loss after one step and after k steps, or "diverged at step k".
- `TrialAndErrorExplorer`: seed 002's "trial and error": move w31, w'11, w'21 by hand
  and watch the output approach (or miss) the target 3.2.

Every picture is a `BlitFigureImage` (Agg figure updated in place, PNG into a widgets.Image):
its artists are made once and moved (set_data, set_text), never rebuilt per change.
Callbacks never raise and never draw NaN: they can be called directly (tests do).
"""
import html
from collections import OrderedDict

import ipywidgets as widgets
import numpy as np

from .. import examples
from ..optimizers import SGD
from ..plotting.style import COLORS
from .canvas import BlitFigureImage, PictureWidget

RULES = {
    "loss": "w ← w − η·∂L/∂w  (loss gradient)",
    "post": "w ← w + η·∂y/∂w  (the post's rule)",
}

_LIMIT = 1e12          # |y| beyond this counts as diverged (as bp.fit's max_loss)


class OneWeightRun:
    """The trajectory of one_weight_run. w, y, L: (n + 1,) values before step 0 .. after
    step n, n <= steps (finite numbers only); diverged_at: the step whose result blew up."""

    def __init__(self, lr, steps, rule, w, y, L, diverged_at):
        self.lr, self.steps, self.rule = lr, steps, rule
        self.w, self.y, self.L = np.asarray(w), np.asarray(y), np.asarray(L)
        self.diverged_at = diverged_at

    @property
    def diverged(self):
        return self.diverged_at is not None

    def __repr__(self):
        end = (f"diverged at step {self.diverged_at}" if self.diverged
               else f"y = {self.y[-1]:.4f} after {self.steps} steps")
        return f"OneWeightRun(lr={self.lr:g}, rule={self.rule!r}, {end})"


def one_weight_run(lr, steps=1, rule="loss", example=None):
    """Train only w of seed 000's chain (h = w·x, y = v·h + c) for `steps` steps.

    rule "loss": w ← w − η·∂L/∂w, L = MSE(y, t) (gradient descent on the loss);
    rule "post": w ← w + η·∂y/∂w (the post's step along the output's derivative).
    Both derivatives come from the core's backward pass. A step whose output is not
    finite or |y| > 1e12 ends the run: diverged_at = that step (1-based).
    """
    if rule not in RULES:
        raise ValueError(f"rule must be one of {', '.join(map(repr, RULES))}, got {rule!r}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
    ex = examples.e1_chain() if example is None else example
    net, X, t, loss = ex.net.copy(), ex.X, ex.t, ex.loss
    W = net.layers[0].W                       # the green box w; v and c stay fixed
    opt = SGD(lr=lr)
    y = net.forward(X)
    ws, ys, Ls = [float(W[0, 0])], [float(y[0, 0])], [loss(y, t)]
    diverged_at = None
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            if rule == "loss":
                net.backward(loss.grad(y, t))                   # fills layer.dW = ∂L/∂w
                grad = net.layers[0].dW
            else:
                net.backward(np.ones_like(y))                   # dL/dy := 1, so dW = ∂y/∂w
                grad = -net.layers[0].dW                        # step *up* the output
            opt.update([W], [grad])
            y = net.forward(X) if np.all(np.isfinite(W)) else np.full_like(y, np.inf)
            if not np.all(np.isfinite(y)) or np.abs(y).max() > _LIMIT:
                diverged_at = k
                break
            ws.append(float(W[0, 0]))
            ys.append(float(y[0, 0]))
            Ls.append(loss(y, t))
    return OneWeightRun(lr, steps, rule, ws, ys, Ls, diverged_at)


def _label(description, width="initial"):
    return {"description": description, "style": {"description_width": width}}


class LearningRateExplorer(PictureWidget):
    """Learning-rate slider for seed 000's one-weight chain.

    Controls: `lr_slider` ("learning rate η", log scale), `steps_slider` ("steps k"),
    `rule` (loss gradient or the post's rule). `summary` (HTML) gives w, y, L after one
    step and after k steps, or "diverged at step k"; `figure` (BlitFigureImage) draws the
    output y and the loss L per step. `update()` recomputes and redraws (the sliders'
    callback; tests call it directly). `run` holds the last OneWeightRun.
    """

    def __init__(self, lr=1e-6, steps=10, rule="loss", figsize=(8.0, 3.2)):
        self.example = examples.e1_chain()
        self.target = float(self.example.t[0, 0])
        self.lr_slider = widgets.FloatLogSlider(value=lr, base=10, min=-7, max=-1, step=0.1,
                                                readout_format=".1e", continuous_update=False,
                                                **_label("learning rate η"))
        self.steps_slider = widgets.IntSlider(value=steps, min=1, max=30, continuous_update=False,
                                              **_label("steps k"))
        self.rule = widgets.ToggleButtons(options=[(v, k) for k, v in RULES.items()], value=rule,
                                          **_label("update rule"))
        self.summary = widgets.HTML()
        self.figure = BlitFigureImage(figsize=figsize, nrows=1, ncols=2)
        self.figure.fig.subplots_adjust(left=0.1, right=0.98, bottom=0.17, top=0.86, wspace=0.3)
        self._setup_axes()
        self.watch(self.lr_slider, self.steps_slider, self.rule)
        self.widget = widgets.VBox([self.lr_slider, self.steps_slider, self.rule,
                                    self.summary, self.figure.image])
        self.run = None
        self._pngs = OrderedDict()      # (lr, steps, rule) -> PNG: a setting seen before is not redrawn
        self.update()

    def update(self):
        """Recompute the run for the current controls; refresh the numbers and the picture."""
        self.run = one_weight_run(float(self.lr_slider.value), int(self.steps_slider.value),
                                  self.rule.value, self.example)
        self.summary.value = self._summary_html(self.run)
        key = (self.run.lr, self.run.steps, self.run.rule)
        if key not in self._pngs:
            self._draw(self.run)
            self._pngs[key] = self.figure.render()
            if len(self._pngs) > 128:
                self._pngs.popitem(last=False)
        self._pngs.move_to_end(key)
        self.figure.show(self._pngs[key])
        return self.run

    def _summary_html(self, run):
        def state(k):
            return (f"w = {run.w[k]:.6g}, output y = {run.y[k]:.6g}, "
                    f"loss L = {run.L[k]:.6g}")
        lines = [f"η = {run.lr:.1e}, rule {html.escape(RULES[run.rule])}",
                 f"start: {state(0)} (target {self.target:g})"]
        if run.diverged_at == 1:
            lines.append("<b style='color:#D55E00'>diverged at step 1</b> (|y| > 1e12)")
        else:
            lines.append(f"after 1 step: {state(1)}")
            if run.diverged:
                lines.append(f"<b style='color:#D55E00'>diverged at step {run.diverged_at}</b> "
                             f"(|y| > 1e12); last finite: {state(len(run.y) - 1)}")
            elif run.steps > 1:
                lines.append(f"after {run.steps} steps: {state(run.steps)}")
        return "<br>".join(lines)

    def _setup_axes(self):
        """The artists, made once: output and target (left), loss (right), divergence marks."""
        ax_y, ax_L = self.figure.axes
        ax_y.axhline(self.target, color=COLORS["green"], ls="--", lw=1.2, label=f"target {self.target:g}")
        (self.y_line,) = ax_y.plot([], [], "o-", color=COLORS["blue"], label="output y")
        ax_y.set_xlabel("step")
        ax_y.set_ylabel("output y")
        legend = ax_y.legend(loc="best")
        (self.L_line,) = ax_L.plot([], [], "o-", color=COLORS["orange"])
        ax_L.set_yscale("log")
        ax_L.set_xlabel("step")
        ax_L.set_ylabel("loss L = (y − t)²")
        self.diverged_marks = []
        for ax in (ax_y, ax_L):
            line = ax.axvline(1, color=COLORS["red"], lw=1.5, visible=False)
            text = ax.text(1, 0.5, "", color=COLORS["red"], transform=ax.get_xaxis_transform(), ha="left",
                           visible=False)
            self.diverged_marks.append((line, text))
        # the axes are drawn once per (rounded) limits; a change redraws only these, in this order
        self.figure.animated = ([self.y_line, self.L_line] + [a for mark in self.diverged_marks for a in mark]
                                + [legend, self.figure.fig.suptitle("")])

    def _draw(self, run):
        """Move the artists to the run's numbers (limits from the data, as a fresh plot would)."""
        ax_y, ax_L = self.figure.axes
        k = np.arange(len(run.y))
        self.y_line.set_data(k, run.y)
        self.L_line.set_data(k, np.maximum(run.L, 1e-30))
        y_scale = "symlog" if np.abs(run.y).max() > 1e4 else "linear"
        if ax_y.get_yscale() != y_scale:
            if y_scale == "symlog":
                ax_y.set_yscale("symlog", linthresh=100.0)
            else:
                ax_y.set_yscale("linear")
        ylim = _round_limits(np.append(run.y, self.target), y_scale)
        L_lim = _round_limits(np.maximum(run.L, 1e-30), "log")
        ax_y.set_ylim(*ylim)
        ax_L.set_ylim(*L_lim)
        x_end = next(n for n in (1, 2, 5, 10, 20, 30, 50, 100, max(run.steps, 1)) if n >= run.steps)
        for ax in (ax_y, ax_L):
            ax.set_xlim(-0.5, x_end + 0.5)              # a few sizes: the axes stay while k moves
        self.figure.background_key = (x_end, y_scale, ylim, L_lim)
        title = f"η = {run.lr:.1e}, " + ("loss gradient" if run.rule == "loss" else "the post's rule")
        if run.diverged:
            title += f": diverged at step {run.diverged_at}"
        for line, text in self.diverged_marks:
            line.set_visible(run.diverged)
            text.set_visible(run.diverged)
            if run.diverged:
                line.set_xdata([run.diverged_at, run.diverged_at])
                text.set_x(run.diverged_at)
                text.set_text(f" diverged\n at step {run.diverged_at}")
        self.figure.fig.suptitle(title)



def _round_limits(values, scale):
    """Axis limits around `values` rounded outwards (so that nearby settings share them, and
    the drawn axes can be reused), plus a 5 % margin. scale: "linear", "log" or "symlog"."""
    lo, hi = float(np.min(values)), float(np.max(values))
    if scale == "log":                              # steps of 3 decades
        lo, hi = 3.0 * np.floor(np.log10(lo) / 3.0), 3.0 * np.ceil(np.log10(hi) / 3.0)
        hi = max(hi, lo + 3.0)
        pad = 0.05 * (hi - lo)
        return 10.0 ** (lo - pad), 10.0 ** (hi + pad)
    if scale == "symlog":                           # ± whole decades
        top = 10.0 ** np.ceil(np.log10(max(abs(lo), abs(hi))))
        return (-top if lo < 0 else 0.0) * 1.05, (top if hi > 0 else 0.0) * 1.05
    step = 10.0 ** np.floor(np.log10(max(hi - lo, 1e-6)))   # multiples of the span's decade
    lo, hi = np.floor(lo / step) * step, np.ceil(hi / step) * step
    pad = 0.05 * (hi - lo)
    return float(lo - pad), float(hi + pad)


class TrialAndErrorExplorer(PictureWidget):
    """Seed 002's "trial and error": sliders for w31, w'11, w'21 of the 3-2-1 network
    (the weights the post changed); the output and its gap to the target 3.2 update live.

    `sliders`: dict name -> FloatSlider; `summary` (HTML); `figure` (BlitFigureImage, a bar of
    the output against the target); `tries` counts the settings looked at. `update()`
    is the callback (tests call it directly).
    """

    NAMES = {"w31": (0, 2, 0), "w'11": (1, 0, 0), "w'21": (1, 1, 0)}   # layer, row, column

    def __init__(self, figsize=(6.0, 1.8)):
        self.example = examples.e3_network()
        self.net = self.example.net
        self.target = float(self.example.t[0, 0])
        self.sliders = {}
        for name, (li, r, c) in self.NAMES.items():
            s = widgets.FloatSlider(value=float(self.net.layers[li].W[r, c]), min=0.0, max=1.0,
                                    step=0.01, readout_format=".2f", continuous_update=True,
                                    **_label(f"weight {name}", "80px"))
            self.sliders[name] = s
        self.watch(*self.sliders.values())
        self.summary = widgets.HTML()
        self.figure = BlitFigureImage(figsize=figsize, nrows=1, ncols=1)
        self.figure.fig.subplots_adjust(left=0.1, right=0.97, bottom=0.3, top=0.8)
        ax = self.figure.axes
        self.bar = ax.barh([0], [0.0], color=COLORS["blue"], height=0.5)[0]
        target_line = ax.axvline(self.target, color=COLORS["green"], ls="--", lw=2, label=f"target {self.target:g}")
        ax.set_xlim(0, 5)
        ax.set_yticks([])
        ax.set_xlabel("output a1''")
        legend = ax.legend(loc="lower right")
        # drawn once: the axes; per change, in this order: the bar, then the target, frame and legend over it, the title
        self.figure.animated = [self.bar, target_line, *ax.spines.values(), legend, ax.title]
        self.tries = 0
        self.widget = widgets.VBox(list(self.sliders.values()) + [self.summary, self.figure.image])
        self.update()

    def output(self):
        """The network's output a1'' for the sliders' weights."""
        for name, (li, r, c) in self.NAMES.items():
            self.net.layers[li].W[r, c] = float(self.sliders[name].value)
        return float(self.net.forward(self.example.X)[0, 0])

    def update(self):
        y = self.output()
        self.tries += 1
        gap = self.target - y
        self.summary.value = (f"output a1'' = {y:.4f}, target {self.target:g}, "
                              f"gap t − y = {gap:+.4f} (settings tried: {self.tries})")
        self.bar.set_width(y)
        self.figure.axes.set_title(f"output {y:.4f}")
        self.figure.refresh()
        return y

