"""The training lab: sliders for learning rate, momentum and batch size that redraw a loss
contour with the descent path and the loss curve, live.

Four problems in two parameters (backprop_core.landscapes): seed 001's linear regression
(minimum at w = -1, b = 5), the same line with noisy data (for mini-batch noise), an
ill-conditioned quadratic bowl (where momentum shines) and a non-convex 1-1-1 tanh network.

    lab = bp.widgets.TrainingLab()      # the last expression of a cell shows it
    lab.lr.value = 0.3                  # from code: redraws exactly as a drag does
    lab.set(optimizer="SGD+momentum", momentum=0.9, lr=0.5)   # several controls, one redraw
    lab.result.diverged_at, lab.renders

This module is the view. The model is `backprop_core.runs`: `Settings` (what the controls
say) -> `RunPlanner.runs` (one run, or 2-3 in compare mode, each with its cached
`landscapes.Descent`: `NetProblem.descend` runs `fit(..., record_params=True)`,
`QuadraticBowl.descend` calls the core optimiser's `update([θ], [A θ])`) -> status lines.
The view reads the controls, asks the planner, and moves existing artists of one Agg figure
(`BlitFigureImage`): no new figure, no Output capture. Dropdown values are language-free
keys (`runs.OPTIMIZERS`, `runs.SCHEDULES`, `runs.COMPARES`, the problem names); their
labels, the descriptions and every line of text are in the language set when the lab is
made (`bp.set_language("zh")` first for 简体中文).
"""
import html
from dataclasses import replace

import ipywidgets as widgets
import numpy as np
from matplotlib.legend import Legend
from matplotlib.ticker import NullLocator

from .. import landscapes
from ..i18n import Catalogue
from ..lru import LRU
from ..plotting import style
from ..plotting.curves import LossCurve
from ..plotting.landscape import PATH_COLORS, PathArtist, clip_path, draw_surface
from ..runs import (
    COMPARES,
    MAX_STEPS,
    OPTIMIZERS,
    SCHEDULES,
    UNITS,
    RunPlanner,
    Settings,
    make_optimizer,
    make_schedule,
    optimizer_name,
    reads_momentum,
)
from .controls import ValueSlider, arrows_from, pressed_again, round_values
from .drawing import BlitFigureImage, Scene, SpriteText, in_style, package_style
from .picture import PictureWidget, made_in_language, speaking

__all__ = ["TrainingLab", "ContourPanel", "OPTIMIZERS", "SCHEDULES", "COMPARES",
           "UNITS", "MAX_STEPS", "GRID", "LR_VALUES", "make_optimizer", "make_schedule"]

GRID = 61               # contour grid points per parameter
# the learning-rate slider's positions: round numbers from 1e-4 to 10 (0.007, 0.07, 0.5, 0.7 ...)
# and, finer, the edge of stability of the two regression problems (2/λmax = 0.679):
# 0.6, 0.62, 0.64, 0.66, 0.68, 0.7 ("move the slider slowly from 0.6 to 0.7")
LR_VALUES = round_values(-4, 1, extra=(0.62, 0.64, 0.66, 0.68))
# compare mode, the order the runs are drawn in (the last on top): the runs the text watches on
# top, e.g. the μ = 0 path over μ = 0.5; the decaying schedules over the constant one's wandering
DRAW_ORDER = {"schedule": (0, 1, 2)}
DEFAULT_ORDER = (1, 2, 0)
EPOCH_MARKERS = ("o", "s", "^")   # per run: the epoch curves of a comparison stay apart
EPOCH_STYLES = ("-", "--", ":")
LEGENDS = 8             # loss-axes legends kept (_show_legend)
_SURFACES = {}          # problem name -> (P1, P2, L), computed once per session

TEXT = Catalogue(
    en={
        "problem": "problem", "optimizer": "optimiser", "lr": "learning rate η", "momentum": "momentum μ",
        "schedule": "η schedule", "batch_size": "batch size B", "steps": "count n", "unit": "n counts",
        "seed": "seed (batch order)", "log_scale": "log-scale loss axis", "compare": "compare",
        "unit.steps": "steps", "unit.epochs": "epochs",
        "schedule.constant": "constant η", "schedule.step": "step: η·0.5 per 50 steps",
        "schedule.exponential": "exponential: η·0.99^t", "schedule.1/t": "1/t: η/(1 + 0.05 t)",
        "compare.off": "off", "compare.lr": "η: η/10, η, 10η", "compare.momentum": "μ: 0, 0.5, 0.9",
        "compare.batch": "batch: 1, B, full", "compare.optimizer": "optimiser: SGD, +μ, Adam",
        "compare.schedule": "schedule: const, exp, 1/t",
        "problem.linear": "regression, seed 001", "problem.noisy": "regression, noisy data",
        "problem.bowl": "ill-conditioned bowl", "problem.nonlinear": "tanh net, non-convex",
        "markers": "○ start   ● end   ☆ minimum   ✕ left the plot",
        "left_plot": "{label}: left the plot at step {step}",
        "step": "step", "loss": "loss",
        # short enough to fit over the axes in projector mode too (fonts × 1.6)
        "loss_title": "loss before each step\n(faint: mini-batches; ○ □ △: all data, each epoch)",
        "error": "<b>Could not redraw:</b> {error}",
    },
    zh={
        "problem": "问题", "optimizer": "优化器", "lr": "学习率 η", "momentum": "动量 μ",
        "schedule": "学习率调度", "batch_size": "批大小 B", "steps": "次数 n", "unit": "n 的单位",
        "seed": "种子（批次顺序）", "log_scale": "损失轴用对数刻度", "compare": "比较",
        "unit.steps": "步", "unit.epochs": "轮",
        "schedule.constant": "恒定 η", "schedule.step": "阶梯：每 50 步 η·0.5",
        "schedule.exponential": "指数：η·0.99^t", "schedule.1/t": "1/t：η/(1 + 0.05 t)",
        "compare.off": "不比较", "compare.lr": "η：η/10, η, 10η", "compare.momentum": "μ：0, 0.5, 0.9",
        "compare.batch": "批大小：1, B, 全部", "compare.optimizer": "优化器：SGD, +μ, Adam",
        "compare.schedule": "调度：恒定, 指数, 1/t",
        "problem.linear": "线性回归（文章 001）", "problem.noisy": "线性回归，带噪声的数据",
        "problem.bowl": "病态的碗形曲面", "problem.nonlinear": "tanh 网络，非凸",
        "markers": "○ 起点   ● 终点   ☆ 最小值   ✕ 离开绘图区域",
        "left_plot": "{label}：在第 {step} 步离开绘图区域",
        "step": "步数", "loss": "损失",
        "loss_title": "每步之前的损失\n（浅色：小批量；○ □ △：全部数据，每轮一次）",
        "error": "<b>无法重绘：</b>{error}",
    },
)


def _text(key, fallback):
    """TEXT(key) when the catalogue has it, else `fallback` (a problem added elsewhere)."""
    return TEXT(key) if key in TEXT else fallback


class ContourPanel:
    """One problem's contour axes (made once, shown when its problem is chosen): the cached
    loss grid, the minimum, three path artists and three notes."""

    def __init__(self, ax, problem, surface):
        self.ax = ax
        draw_surface(ax, *surface)
        # the ☆ moves with no run, but it is drawn with the paths (animated), over them: hollow,
        # so an end dot at the minimum shows through it
        self.star, = ax.plot(problem.minima[:, 0], problem.minima[:, 1], "*", mfc="none", mec="black",
                             mew=1.4 * style.scale(), ms=15 * style.scale(), zorder=6)
        x_label, y_label = landscapes.axis_labels(problem)
        ax.set_xlabel(x_label)
        ax.set_ylabel(y_label)
        ax.set_title(f"{landscapes.title(problem)}\n{TEXT('markers')}", fontsize=9.5 * style.scale())
        self.paths = [PathArtist(ax, c) for c in PATH_COLORS]
        for path in self.paths:        # the ✕ where a path left the plot sits on the border: whole
            path.end.set_clip_on(False)
        self.notes = [_note(ax, k, c) for k, c in enumerate(PATH_COLORS)]

    def artists(self):
        return [a for path in self.paths for a in path.artists()] + [self.star] + self.notes


def _note(ax, k, color):
    """An (empty) text box at the upper left of `ax`, row k of three: 'diverged at step k'
    (a SpriteText: drawn on every key press, its pixels are kept per string)."""
    note = SpriteText(0.02, 0.97 - 0.075 * k, "", transform=ax.transAxes, color=color,
                      fontsize=9 * style.scale(), ha="left", va="top", zorder=7, clip_on=False,
                      bbox=dict(boxstyle="round,pad=0.2", fc="white", ec=color, alpha=0.9))
    return ax.add_artist(note)


def _note_text(run, left_at):
    """A run's note: 'μ = 0.9: diverged at step k', or where its path left the plot (left_at:
    the step, or None), else ''."""
    if run.result.diverged:
        return run.status(short=True)
    return "" if left_at is None else TEXT("left_plot", label=run.tag, step=left_at)


def _slider_style():
    return {"description_width": "9.5em"}


def _options(prefix, keys):
    """Dropdown options as (label, key) pairs: the label translated, the key (the value) not."""
    return [(_text(f"{prefix}.{key}", key), key) for key in keys]


class TrainingLab(PictureWidget):
    """Gradient descent on a 2-parameter problem, live: contour + path (left), loss (right).

    TrainingLab(problem="linear", lr=0.1, optimizer="SGD", momentum=0.9, steps=200, **settings):
    any other control's starting value by name, e.g. TrainingLab(compare="lr", batch_size=5).
    Controls (ipywidgets, all attributes): problem, optimizer, lr (learning rate η: a
    ValueSlider over LR_VALUES, round numbers 1e-4..10, exact; a value from code that is not
    a position is added), momentum (μ), schedule, batch_size, steps, unit ('steps' or 'epochs'),
    seed (the mini-batch order), log_scale, compare. Dropdown values are the keys of
    `runs` (language-free); only their labels are translated. Every control's value change
    redraws; controls that change nothing are disabled (momentum for SGD, RMSProp and Adam,
    and in compare 'momentum' mode, which sets μ itself: then also hidden; batch size for the
    bowl; the seed and the steps/epochs toggle when no run uses mini-batches). Changes from
    the front end are folded into one redraw of the latest values (PictureWidget), and in
    idle time the lab trains the runs of the same key press once more and of one arrow
    press either way (after a move of η, μ, B or the seed), draws the loss axes a next
    move may need (`prefetched` counts them), and after a move of the step count trains
    its runs for twice the count, so that a larger count typed in next takes their first
    steps (`trained_ahead` counts both).
    After a redraw: `runs` (one per setting), `result` (the first run's Descent: params,
    loss, epoch_loss, diverged_at, final_loss), `renders` (redraw count), `error` (None, or
    the exception a redraw met: it is shown in `status` instead of being raised).
    `planner` (a runs.RunPlanner) plans the runs and keeps the cached descents.
    lang="en" or "zh" (default the current language): every word it shows, kept as `lang`.
    """

    @made_in_language
    @in_style
    def __init__(self, problem="linear", lr=0.1, optimizer="SGD", momentum=0.9, steps=200,
                 figsize=(10.0, 4.0), dpi=90, lang=None, **settings):
        self.planner = RunPlanner()
        self.problems = self.planner.problems
        if problem not in self.problems:
            raise ValueError(f"problem must be one of {list(self.problems)}, got {problem!r}")
        row = widgets.Layout(width="25em")              # one layout model shared by the controls

        def full(key, **kw):
            return dict(description=TEXT(key), style=_slider_style(), layout=row, **kw)
        self.problem = widgets.Dropdown(options=_options("problem", self.problems), value=problem, **full("problem"))
        self.optimizer = widgets.Dropdown(options=[(optimizer_name(o), o) for o in OPTIMIZERS], value=optimizer,
                                          **full("optimizer"))
        self.lr = ValueSlider(LR_VALUES, value=lr, continuous_update=True, **full("lr"))
        self.momentum = widgets.FloatSlider(value=momentum, min=0.0, max=0.99, step=0.01, readout_format=".2f",
                                            description=TEXT("momentum"), style=_slider_style(),
                                            layout=widgets.Layout(width="25em"))   # its own: it hides
        self.schedule = widgets.Dropdown(options=_options("schedule", SCHEDULES), value="constant", **full("schedule"))
        self.batch_size = widgets.IntSlider(value=1, min=1, max=1, **full("batch_size"))
        self.steps = widgets.IntSlider(value=steps, min=1, max=1000, step=1, **full("steps"))
        self.unit = widgets.ToggleButtons(options=_options("unit", UNITS), value="steps", description=TEXT("unit"),
                                          style={"description_width": "9.5em", "button_width": "6em"})
        self.seed = widgets.IntSlider(value=0, min=0, max=20, **full("seed"))
        self.log_scale = widgets.Checkbox(value=True, description=TEXT("log_scale"), indent=False)
        self.compare = widgets.Dropdown(options=_options("compare", COMPARES), value="off", **full("compare"))
        self.controls = {"problem": self.problem, "optimizer": self.optimizer, "lr": self.lr,
                         "momentum": self.momentum, "schedule": self.schedule, "batch_size": self.batch_size,
                         "steps": self.steps, "unit": self.unit, "seed": self.seed,
                         "log_scale": self.log_scale, "compare": self.compare}
        self.status = widgets.HTML()
        if style.is_presentation():                   # projector: large fonts need a larger canvas
            figsize = (figsize[0] * 1.25, figsize[1] * 1.35)
            margins = dict(left=0.08, right=0.985, bottom=0.15, top=0.84, wspace=0.25)
        else:
            margins = dict(left=0.065, right=0.985, bottom=0.12, top=0.87, wspace=0.22)
        self.figure = BlitFigureImage(figsize=figsize, dpi=dpi)
        grid = self.figure.fig.add_gridspec(1, 2, **margins)
        self.ax_loss = self.figure.fig.add_subplot(grid[0, 1])
        self.image = self.figure.image
        self.view = widgets.VBox([
            widgets.HBox([widgets.VBox([self.problem, self.optimizer, self.lr, self.momentum, self.schedule]),
                          widgets.VBox([self.batch_size, self.steps, self.unit, self.seed,
                                        self.compare, self.log_scale])]),
            self.image, self.status])
        self.widget = self.view                       # PictureWidget: displayed with its PNG
        self.runs, self.result, self.error = [], None, None
        self.renders = 0
        self._holding = False
        self._loss_axes_key = None
        self._legends = LRU(LEGENDS, evicted=lambda legend: legend.remove())   # see _show_legend
        self._neighbours, self.prefetched = [], 0
        self._ahead, self._next_presses, self.trained_ahead = None, [], 0
        self._drawn = None                            # (Settings, log scale) of the picture shown
        self._first = True
        self._setup_loss_axes()
        self.panels = {}                              # every contour once, up front (~0.1 s each)
        for name, p in self.problems.items():
            if name not in _SURFACES:                 # the same grid for every lab of this session
                _SURFACES[name] = p.surface(GRID)
            self.panels[name] = ContourPanel(self.figure.fig.add_subplot(grid[0, 0]), p, _SURFACES[name])
        # two strips with their own cached pixels: the contour (changes with the problem) and
        # the loss axes (with the step count, the scale, the legend): one is redrawn, not both
        self.strip_axes = ([panel.ax for panel in self.panels.values()], [self.ax_loss])
        self._configure_controls()
        unknown = set(settings) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; controls are {list(self.controls)}")
        for name, value in settings.items():          # e.g. TrainingLab(compare="lr", batch_size=5)
            self.controls[name].value = value
        self.watch(*self.controls.values())
        self.redraw()

    # --- controls ------------------------------------------------------------------------
    def set(self, **values):
        """Set several controls at once (by attribute name) with a single redraw:
        lab.set(optimizer="SGD+momentum", lr=0.5, momentum=0.9)."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; controls are {list(self.controls)}")
        self._holding = True
        try:
            if "problem" in values:
                self.problem.value = values.pop("problem")
                self._configure_controls()
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.redraw()
        return self

    def changes_arrived(self, changes):
        """Changes from the front end, folded: adapt the controls if the problem was one, redraw
        once. After a move of the step count, idle time trains the runs ahead (idle_work)."""
        if (self.settings(), self.log_scale.value) == self._drawn:
            return                  # an echo of the values drawn (the front end's rounding of μ)
        problem = [c for c in changes if c["owner"] is self.problem]
        self.changed(problem[-1] if problem else changes[-1])
        settings = self.settings()
        counting = any(c["owner"] is self.steps for c in changes)
        self._ahead = self.planner.ahead(settings, self.steps.max) if counting else None
        self._next_presses = self._presses_after(settings, changes[-1])

    def _presses_after(self, settings, change):
        """The settings the next key press on the control just moved may ask for, after a move
        of the learning rate, μ, the batch size or the seed: the same press once more
        (controls.pressed_again), then one arrow either way (after a page or a drag: a reader
        who jumped tunes next; after an arrow one of them is the value it came from, the other
        the press once more). [] after a move of another control."""
        names = {self.lr: "lr", self.momentum: "momentum", self.batch_size: "batch_size", self.seed: "seed"}
        control = change["owner"]
        name = names.get(control)
        if name is None:
            return []
        values = [pressed_again(control, change["old"], change["new"]), *arrows_from(control, change["new"])]
        return [replace(settings, **{name: round(float(v), 6) if name == "momentum" else v})
                for v in values if v is not None]

    def changed(self, change):
        """A control changed (PictureWidget.watch): adapt the other controls, redraw once."""
        if self._holding:
            return
        if change["owner"] is self.problem:
            self._holding = True
            try:
                self._configure_controls()
            finally:
                self._holding = False
        self.redraw()

    def _configure_controls(self):
        """Batch size range for the problem's data; grey out what does not apply."""
        p = self.problems[self.problem.value]
        if p.n_samples is None:
            self.batch_size.disabled = True
        else:
            self.batch_size.disabled = False
            if self.batch_size.max != p.n_samples:
                was_full = self.batch_size.value == self.batch_size.max
                self.batch_size.max = p.n_samples
                if was_full or self._first:
                    self.batch_size.value = p.n_samples

    def _current_problem(self):
        return self.problems[self.problem.value]

    def settings(self):
        """The controls' values as a runs.Settings (what the planner reads)."""
        p = self._current_problem()
        return Settings(problem=self.problem.value, optimizer=self.optimizer.value, lr=float(self.lr.value),
                        momentum=round(float(self.momentum.value), 6), schedule=self.schedule.value,
                        batch_size=None if p.n_samples is None else int(self.batch_size.value),
                        steps=int(self.steps.value), unit=self.unit.value, seed=int(self.seed.value),
                        compare=self.compare.value)

    def clear_cache(self):
        """Forget the cached descents (the next redraw trains again; benchmarks use this)."""
        self.planner.clear()

    # --- pictures ------------------------------------------------------------------------
    def _setup_loss_axes(self):
        ax = self.ax_loss
        self.curves = [LossCurve(ax, c) for c in PATH_COLORS]
        for curve, marker in zip(self.curves, EPOCH_MARKERS):
            curve.epochs.set_marker(marker)
        ax.set_xlabel(TEXT("step"))
        ax.set_ylabel(TEXT("loss"))
        ax.grid(True, alpha=0.3)

    @property
    def panel(self):
        """The contour panel of the current problem."""
        return self.panels[self.problem.value]

    @property
    def ax_contour(self):
        return self.panel.ax

    def redraw(self):
        """Train (or take from the cache) every run the controls ask for, move the artists,
        render the PNG. Never raises: a failure is shown in `status` and kept in `error`."""
        try:
            with speaking(self.lang):             # the style: where texts are made (_update_loss_axes)
                self._redraw()
            self.error = None
        except Exception as exc:             # a widget callback must not raise into the front end
            self.error = exc
            self.status.value = TEXT("error", lang=self.lang, error=html.escape(f"{type(exc).__name__}: {exc}"))
        return self

    def update(self):
        """The same as redraw() (the PictureWidget callback)."""
        return self.redraw()

    def _redraw(self):
        settings = self.settings()
        p = self._current_problem()
        for name, panel in self.panels.items():
            panel.ax.set_visible(name == self.problem.value)
        uses_momentum = reads_momentum(settings)
        self.momentum.disabled = not uses_momentum
        self.momentum.layout.visibility = "visible" if uses_momentum else "hidden"   # no μ to show
        runs = self.planner.runs(settings)
        # the seed orders the mini-batches, the unit counts them: with the full batch (or the
        # bowl) every epoch is one step and the order changes nothing
        mini_batches = self.planner.reads_seed(settings, runs)
        self.seed.disabled = not mini_batches
        self.unit.disabled = not mini_batches
        self.runs, self.result = runs, runs[0].result
        self._first = False
        panel = self.panel
        for k in range(len(PATH_COLORS)):
            path, curve = panel.paths[k], self.curves[k]
            if k >= len(runs):
                path.set_visible(False)
                curve.set_visible(False)
                panel.notes[k].set_text("")
                continue
            run, r = runs[k], runs[k].result
            left_at = path.set_path(r.params, p.ranges, label=run.label)
            curve.set_curve(r.loss, r.epoch_steps, r.epoch_loss, r.diverged_at, label=run.label)
            curve.epochs.set_visible(r.steps_per_epoch > 1)
            # mini-batches: the epoch curve leads; in a comparison the noisy per-step lines stay faint
            curve.line.set_alpha(1.0 if r.steps_per_epoch == 1 else 0.5 if len(runs) == 1 else 0.22)
            # a comparison's epoch curves may lie on each other: own dashes, markers at other epochs
            compared = len(runs) > 1 and len(r.epoch_steps) > 6
            curve.epochs.set_linestyle(EPOCH_STYLES[k] if compared else "-")
            curve.epochs.set_markevery((k, len(runs)) if compared else None)
            panel.notes[k].set_text(_note_text(run, left_at))
        self._update_loss_axes(runs, settings)
        bottom, top = self.ax_loss.get_ylim()
        for curve in self.curves[:len(runs)]:            # a blow-up above the axes: mark it at the top
            x, y = curve.blowup.get_data()
            if len(y) and y[0] > top:
                curve.blowup.set_data(x, [top * (0.8 if self.log_scale.value else 0.97)])
            if self.log_scale.value:                      # converged below the axes: out through the bottom
                for line in (curve.line, curve.epochs):   # (an exact 0 has no log: put it below too)
                    x, y = line.get_data()
                    if len(y) and np.min(y) <= 0:
                        line.set_data(x, np.where(np.asarray(y) > 0, y, bottom * 1e-3))
        self.status.value = "<br>".join(html.escape(line) for line in self.planner.status_lines(settings, runs))
        self.figure.refresh()
        self.renders += 1
        self._drawn = settings, self.log_scale.value

    def _update_loss_axes(self, runs, settings):
        """The loss axes as the planner says (runs.RunPlanner.loss_axes: still while a slider
        moves, so the background is reused), the ones a next move may need (for the idle-time
        prefetch), and the picture's Scene: what moves, in which order."""
        log = bool(self.log_scale.value)
        axes = self.planner.loss_axes(settings, runs, log)
        title = TEXT("loss_title")
        legend = tuple((run.legend, run.result.steps_per_epoch > 1) for run in runs) if len(runs) > 1 else ()
        key = (self.problem.value, log, axes.xmax, title, axes.ylim, legend)
        if key != self._loss_axes_key:                 # the static part changed: set it up again
            with package_style():
                self._set_loss_axes(key, runs)
        self._neighbours = [((self.problem.value, log, near.xmax, title, near.ylim, legend), runs)
                            for near in self.planner.nearby_loss_axes(settings, runs, axes, log, self.steps.max)]
        order = DRAW_ORDER.get(self.compare.value, DEFAULT_ORDER)
        order = [k for k in order if k < len(runs)] if len(runs) > 1 else [0]
        order += [k for k in range(len(PATH_COLORS)) if k not in order]
        panel = self.panel
        # the paths' lines first, each lower one wider, so a path under another shows around it;
        # then every start and end, the ☆ (hollow) and the notes: none is buried under a scribble
        width = 1.6 * style.scale()
        for rank, k in enumerate(order[:len(runs)]):
            panel.paths[k].line.set_linewidth(width * (1 + (len(runs) - 1 - rank)))
        moving = ([panel.paths[k].line for k in order]
                  + [a for k in order for a in (panel.paths[k].start, panel.paths[k].end)]
                  + [panel.star] + panel.notes + [a for k in order for a in self.curves[k].artists()])
        self.figure.declare(Scene(moving=moving, strips=self.strip_axes, key=self._static_key))

    def _static_key(self):
        """One key per strip: the contour's (the problem) and the loss axes' (_set_loss_axes)."""
        return self.problem.value, self._loss_axes_key

    def idle_work(self):
        """Idle time (PictureWidget.schedule_idle), one piece per call: train the runs of the
        same key press once more, then of one arrow either way, with their notes' pixels
        (after a move of η, μ, B or the seed: a reader who pressed → is likely to press →
        again, one who paged to tune with the arrows next; when they do, that work is not
        spent twice); draw
        one missing neighbouring background of the loss axes; when all are drawn, train the
        runs of a larger count ahead (RunPlanner.ahead)."""
        for settings in self._next_presses:
            if not self.planner.cached(settings):
                self._prepare_notes(settings, self.planner.runs(settings))
                self.trained_ahead += 1
                return True
        for key, runs in self._neighbours:
            full = (self.problem.value, key)
            if self.figure.has_background(full):
                continue
            shown = self._loss_axes_key
            with package_style():
                self._set_loss_axes(key, runs)
                self.figure.prepare(full)
                self._set_loss_axes(shown, self.runs)  # as shown: a next move that keeps them
            self.prefetched += 1                       # sets nothing up (4 ms with a legend)
            return True
        if self._ahead is not None and not self.planner.cached(self._ahead):
            self.planner.runs(self._ahead)             # a longer count typed in: no training
            self.trained_ahead += 1
        return False

    def _prepare_notes(self, settings, runs):
        """Draw and keep the notes' pixels that `runs` (trained ahead) will show (SpriteText):
        text is the slow part of a redraw (~3 ms a note)."""
        problem, panel = self.problems[settings.problem], self.panels[settings.problem]
        renderer = self.figure.canvas.get_renderer()
        with package_style():
            for note, run in zip(panel.notes, runs):
                note.prepare(_note_text(run, clip_path(run.result.params, problem.ranges)[1]), renderer)

    def _set_loss_axes(self, key, runs):
        """The static part of the loss axes: scale, limits, title, legend (compare mode), as
        `key` (problem, log, xmax, title, ylim, legend: see _update_loss_axes) says."""
        _, log, xmax, title, ylim, legend = key
        ax = self.ax_loss
        scale = "log" if log else "linear"
        if ax.get_yscale() != scale:                   # (a new scale: new locators, 0.3 ms)
            ax.set_yscale(scale)
            if log:                                    # minor log ticks: a third of the axes' draw time
                ax.yaxis.set_minor_locator(NullLocator())
        ax.set_ylim(*ylim)
        ax.set_xlim(0, xmax)
        ax.set_title(title, fontsize=9.5 * style.scale())
        self._show_legend(legend, runs)
        self._loss_axes_key = key

    def _show_legend(self, legend, runs):
        """Show the loss axes' legend `legend` (the key's part: each run's label and whether it
        shows epochs; () for none), drawn with the background, under the curves. Each is made
        once and kept (the LEGENDS shown last): a legend takes 4 ms to make, and a batch size
        moving between all data and mini-batches switches between two of them."""
        shown = self.loss_legend()
        if shown is not None:
            shown.set_visible(False)
        if not legend:                                 # compare mode only (one run: its settings are in the status)
            return
        artist = self._legends.get(legend)             # (now the newest)
        if artist is None:
            handles = [self.curves[k].epochs if runs[k].result.steps_per_epoch > 1 else self.curves[k].line
                       for k in range(len(runs))]
            artist = self._legends[legend] = self.ax_loss.add_artist(Legend(
                self.ax_loss, handles, [run.legend for run in runs], loc="lower left", framealpha=0.85,
                fontsize=8.5 * style.scale()))
        artist.set_visible(True)

    def loss_legend(self):
        """The legend shown on the loss axes (a matplotlib Legend), or None."""
        legend = self._loss_axes_key[-1] if self._loss_axes_key else ()
        return self._legends.get(legend) if legend in self._legends else None

    def summary(self):
        """One line per run: its label and 'final loss 0.0123 after 200 steps' or
        'diverged at step k' (fixed decimals: for printing in notebooks)."""
        with speaking(self.lang):
            return "\n".join(self.planner.status_lines(self.settings(), self.runs))

    # --- static export (widgets.static): the pictures a page without a kernel shows ---------
    def static_state(self):
        """The controls' values now: {control name: value}."""
        return {name: control.value for name, control in self.controls.items()}

    def static_controls(self):
        """Every control in order: those this lab's lesson moves over their grid
        (`static.lab_grid`), the others fixed at their value."""
        from .static import lab_controls
        return lab_controls(self)

    def static_frame(self, state):
        """lab.set(**state): the picture as this lab shows it and its status lines."""
        from .static import Frame, frame_png
        self.set(**state)
        return Frame(frame_png(self.figure), self.status.value)
