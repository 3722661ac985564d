"""The training lab: sliders for learning rate, momentum and batch size that redraw a loss
contour with the descent path and the loss curve, live.

Four problems in two parameters (backprop_core.landscapes): seed 001's linear regression
(minimum at w = -1, b = 5), the same line with noisy data (for mini-batch noise), an
ill-conditioned quadratic bowl (where momentum shines) and a non-convex 1-1-1 tanh network.

    lab = bp.widgets.TrainingLab()      # the last expression of a cell shows it
    lab.lr.value = 0.3                  # from code: redraws exactly as a drag does
    lab.set(optimizer="SGD+momentum", momentum=0.9, lr=0.5)   # several controls, one redraw
    lab.result.diverged_at, lab.renders

The descent is the core's: `landscapes.NetProblem.descend` runs `fit(..., record_params=True)`
(mini-batches, shuffling, divergence detection), `landscapes.QuadraticBowl.descend` calls the
core optimiser's `update([θ], [A θ])`. The widget only chooses the settings, keeps the results
in a small cache (toggling the log scale does not train again) and moves existing artists of
one Agg figure (`FigureImage`): no new figure, no Output capture.
"""
from collections import OrderedDict

import ipywidgets as widgets
import numpy as np

from .. import landscapes
from ..optimizers import SGD, Adam, RMSProp
from ..plotting import style
from ..plotting.curves import LossCurve, divergence_text
from ..plotting.landscape import PATH_COLORS, PathArtist, draw_surface
from ..schedules import Constant, ExponentialDecay, InverseTime, StepDecay
from .canvas import BlitFigureImage, bundle_with_png

OPTIMIZERS = ("SGD", "SGD+momentum", "Nesterov", "RMSProp", "Adam")
SCHEDULES = (("constant η", "constant"),
             ("step: η·0.5 per 50 steps", "step"),
             ("exponential: η·0.99^t", "exponential"),
             ("1/t: η/(1 + 0.05 t)", "1/t"))
COMPARES = (("off", "off"),
            ("η: η/10, η, 10η", "lr"),
            ("μ: 0, 0.5, 0.9", "momentum"),
            ("batch: 1, B, full", "batch"),
            ("optimiser: SGD, +μ, Adam", "optimizer"),
            ("schedule: const, exp, 1/t", "schedule"))
PROBLEMS = (("regression, seed 001", "linear"),
            ("regression, noisy data", "noisy"),
            ("ill-conditioned bowl", "bowl"),
            ("tanh net, non-convex", "nonlinear"))
MAX_STEPS = 5000        # cap on the steps of one run when counting in epochs
GRID = 61               # contour grid points per parameter
_CACHE_SIZE = 128
_SURFACES = {}          # problem name -> (P1, P2, L), computed once per session


def make_schedule(name, lr):
    """The core Schedule (lr of step t) for one of the lab's schedule names."""
    if name == "constant":
        return Constant(lr)
    if name == "step":
        return StepDecay(lr, drop=0.5, every=50)
    if name == "exponential":
        return ExponentialDecay(lr, decay=0.99)
    if name == "1/t":
        return InverseTime(lr, k=0.05)
    raise ValueError(f"schedule must be one of {[v for _, v in SCHEDULES]}, got {name!r}")


def make_optimizer(name, lr, momentum=0.0, schedule="constant"):
    """A core optimiser from the lab's names. Nesterov with μ = 0 is plain SGD."""
    rate = make_schedule(schedule, lr)
    if name == "SGD":
        return SGD(rate)
    if name == "SGD+momentum":
        return SGD(rate, momentum=momentum)
    if name == "Nesterov":
        return SGD(rate, momentum=momentum, nesterov=momentum > 0)
    if name == "RMSProp":
        return RMSProp(rate)
    if name == "Adam":
        return Adam(rate)
    raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {name!r}")


class Run:
    """One setting of the lab and its descent (a landscapes.Descent in `result`)."""

    def __init__(self, label, optimizer, lr, momentum, batch_size, schedule, steps, seed, legend=None):
        self.label = label
        self.legend = label if legend is None else legend   # short, fixed while a slider moves
        self.optimizer, self.lr, self.momentum = optimizer, lr, momentum
        self.batch_size, self.schedule, self.steps, self.seed = batch_size, schedule, steps, seed
        self.result = None

    def key(self, problem):
        momentum = self.momentum if self.optimizer in ("SGD+momentum", "Nesterov") else None
        return (problem, self.optimizer, self.lr, momentum, self.batch_size, self.schedule,
                self.steps, self.seed)

    def status(self):
        """'label: diverged at step k', 'label: final loss 0.0123 after 200 steps' or, when the
        loss ended higher than it started, 'label: loss grew from 31.02 to 2.568e+11 ...'."""
        r = self.result
        if r.diverged:
            return f"{self.label}: {divergence_text(r.diverged_at)}"
        if len(r.loss) and r.final_loss > r.loss[0]:
            return (f"{self.label}: loss grew from {_fmt(r.loss[0])} to {_fmt(r.final_loss)} "
                    f"in {r.steps} steps (diverging)")
        return f"{self.label}: final loss {_fmt(r.final_loss)} after {r.steps} steps"


def _fmt(L):
    """A loss with a fixed number of decimals (4), or 4 significant digits when >= 1e4."""
    return f"{L:.4f}" if L < 1e4 else f"{L:.3e}"


class ContourPanel:
    """One problem's contour axes (made once, shown when its problem is chosen): the cached
    loss grid, the minimum, three path artists and three notes."""

    def __init__(self, ax, problem, surface):
        self.ax = ax
        draw_surface(ax, *surface)
        ax.plot(problem.minima[:, 0], problem.minima[:, 1], "*", color="white", mec="black",
                ms=13 * style.scale(), zorder=6)
        ax.set_xlabel(problem.param_names[0])
        ax.set_ylabel(problem.param_names[1])
        ax.set_title(f"{problem.title}\n○ start   ● end   ☆ minimum   ✕ left the plot",
                     fontsize=9.5 * style.scale())
        self.paths = [PathArtist(ax, c) for c in PATH_COLORS]
        self.notes = [_note(ax, k, c) for k, c in enumerate(PATH_COLORS)]

    def artists(self):
        return [a for path in self.paths for a in path.artists()] + self.notes


def _note(ax, k, color):
    """An (empty) text box at the upper left of `ax`, row k of three: 'diverged at step k'."""
    return ax.text(0.02, 0.97 - 0.075 * k, "", transform=ax.transAxes, color=color,
                   fontsize=9 * style.scale(), ha="left", va="top", zorder=7,
                   bbox=dict(boxstyle="round,pad=0.2", fc="white", ec=color, alpha=0.9))


def nice_ceiling(n):
    """The smallest of 10, 20, 30, 50, 100, 200, 300, 500, 1000, ... that is >= n (axis ends
    change in a few jumps while a slider moves, so their backgrounds can be reused)."""
    for decade in (1, 10, 100, 1000, 10000):
        for m in (10, 20, 30, 50):
            if m * decade >= n:
                return m * decade
    return int(n)


def _slider_style():
    return {"description_width": "9.5em"}


class TrainingLab:
    """Gradient descent on a 2-parameter problem, live: contour + path (left), loss (right).

    TrainingLab(problem="linear", lr=0.1, optimizer="SGD", momentum=0.9, steps=200, **settings):
    any other control's starting value by name, e.g. TrainingLab(compare="lr", batch_size=5).
    Controls (ipywidgets, all attributes): problem, optimizer, lr (learning rate η, log
    slider 1e-4..10), momentum (μ), schedule, batch_size, steps, unit ('steps' or 'epochs'),
    seed (the mini-batch order), log_scale, compare. Every control's value change redraws;
    controls that change nothing are disabled (momentum for SGD, RMSProp and Adam, and in
    compare 'momentum' mode, which sets μ itself; batch size
    for the bowl; the seed when no run uses mini-batches).
    After a redraw: `runs` (one per setting), `result` (the first run's Descent: params,
    loss, epoch_loss, diverged_at, final_loss), `renders` (redraw count), `error` (None, or
    the exception a redraw met: it is shown in `status` instead of being raised).
    """

    def __init__(self, problem="linear", lr=0.1, optimizer="SGD", momentum=0.9, steps=200,
                 figsize=(10.0, 4.0), dpi=90, **settings):
        self.problems = landscapes.problems()
        if problem not in self.problems:
            raise ValueError(f"problem must be one of {list(self.problems)}, got {problem!r}")
        row = widgets.Layout(width="25em")              # one layout model shared by the controls
        full = lambda **kw: dict(style=_slider_style(), layout=row, **kw)
        self.problem = widgets.Dropdown(options=PROBLEMS, value=problem, description="problem", **full())
        self.optimizer = widgets.Dropdown(options=OPTIMIZERS, value=optimizer, description="optimiser", **full())
        self.lr = widgets.FloatLogSlider(value=lr, base=10, min=-4, max=1, step=0.05, readout_format=".3g",
                                         description="learning rate η", continuous_update=True, **full())
        self.momentum = widgets.FloatSlider(value=momentum, min=0.0, max=0.99, step=0.01, readout_format=".2f",
                                            description="momentum μ", **full())
        self.schedule = widgets.Dropdown(options=SCHEDULES, value="constant", description="η schedule", **full())
        self.batch_size = widgets.IntSlider(value=1, min=1, max=1, description="batch size B", **full())
        self.steps = widgets.IntSlider(value=steps, min=1, max=1000, step=1, description="count n", **full())
        self.unit = widgets.ToggleButtons(options=["steps", "epochs"], value="steps", description="n counts",
                                          style={"description_width": "9.5em", "button_width": "6em"})
        self.seed = widgets.IntSlider(value=0, min=0, max=20, description="seed (batch order)", **full())
        self.log_scale = widgets.Checkbox(value=True, description="log-scale loss axis", indent=False)
        self.compare = widgets.Dropdown(options=COMPARES, value="off", description="compare", **full())
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
        self.runs, self.result, self.error = [], None, None
        self.renders = 0
        self._cache = OrderedDict()
        self._holding = False
        self._loss_axes_key = None
        self._first = True
        self._setup_loss_axes()
        self.panels = {}                              # every contour once, up front (~0.1 s each)
        for name, p in self.problems.items():
            if name not in _SURFACES:                 # the same grid for every lab of this session
                _SURFACES[name] = p.surface(GRID)
            self.panels[name] = ContourPanel(self.figure.fig.add_subplot(grid[0, 0]), p, _SURFACES[name])
        self._configure_controls()
        unknown = set(settings) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; controls are {list(self.controls)}")
        for name, value in settings.items():          # e.g. TrainingLab(compare="lr", batch_size=5)
            self.controls[name].value = value
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
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

    def _on_change(self, change):
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

    def _n_steps(self, batch_size):
        if self.unit.value == "steps":
            return int(self.steps.value)
        p = self._current_problem()
        per_epoch = 1 if p.n_samples is None else -(-p.n_samples // batch_size)
        return int(min(self.steps.value * per_epoch, MAX_STEPS))

    def settings(self):
        """The runs the current controls ask for: one, or 2-3 in compare mode."""
        p = self._current_problem()
        opt, lr, mu = self.optimizer.value, float(self.lr.value), float(self.momentum.value)
        batch = None if p.n_samples is None else int(self.batch_size.value)
        sched, seed = self.schedule.value, int(self.seed.value)
        uses_mu = opt in ("SGD+momentum", "Nesterov")

        def run(label, legend=None, o=opt, r=lr, m=mu, b=batch, s=sched):
            return Run(label, o, r, m, b, s, self._n_steps(b or 1), seed, legend)

        # the legend names what varies without the slider's number (it stays still during a drag,
        # so it can be part of the cached background); the full label goes to the status lines
        mode = self.compare.value
        if mode == "lr":
            return [run(f"η = {r:.3g}", legend, r=r)
                    for r, legend in ((lr / 10, "η / 10"), (lr, "η"), (lr * 10, "10 η"))]
        if mode == "momentum":
            o = opt if uses_mu else "SGD+momentum"
            return [run(f"{o}, η = {lr:.3g}, μ = {m:.1f}", f"μ = {m:.1f}", o=o, m=m) for m in (0.0, 0.5, 0.9)]
        if mode == "batch" and batch is not None:
            sizes = sorted({1, batch, p.n_samples})
            return [run(f"batch {b}" + (" (full)" if b == p.n_samples else ""), b=b) for b in sizes]
        if mode == "schedule":
            return [run(f"{opt}, η = {lr:.3g}, {name}", name, s=name) for name in ("constant", "exponential", "1/t")]
        if mode == "optimizer":
            return [run(f"{o}, η = {lr:.3g}" + (f", μ = {mu:.2f}" if o == "SGD+momentum" else ""), o, o=o)
                    for o in ("SGD", "SGD+momentum", "Adam")]
        label = f"{opt}, η = {lr:.3g}" + (f", μ = {mu:.2f}" if uses_mu else "")
        if sched != "constant":
            label += f", {sched} decay"
        return [run(label, opt if sched == "constant" else f"{opt}, {sched} decay")]

    def _descend(self, run):
        key = run.key(self.problem.value)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        optimizer = make_optimizer(run.optimizer, run.lr, run.momentum, run.schedule)
        result = self._current_problem().descend(optimizer, steps=run.steps, batch_size=run.batch_size,
                                                 seed=run.seed)
        self._cache[key] = result
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return result

    def clear_cache(self):
        """Forget the cached descents (the next redraw trains again; benchmarks use this)."""
        self._cache.clear()

    # --- pictures ------------------------------------------------------------------------
    def _setup_loss_axes(self):
        ax = self.ax_loss
        self.curves = [LossCurve(ax, c) for c in PATH_COLORS]
        ax.set_xlabel("step")
        ax.set_ylabel("loss")
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
            self._redraw()
            self.error = None
        except Exception as exc:             # a widget callback must not raise into the front end
            self.error = exc
            self.status.value = f"<b>Could not redraw:</b> {type(exc).__name__}: {exc}"
        return self

    def _redraw(self):
        p = self._current_problem()
        for name, panel in self.panels.items():
            panel.ax.set_visible(name == self.problem.value)
        # μ matters only when a run reads the slider: compare "momentum" sets μ = 0, 0.5, 0.9 itself
        uses_mu = self.optimizer.value in ("SGD+momentum", "Nesterov")
        self.momentum.disabled = not ((uses_mu and self.compare.value != "momentum")
                                      or self.compare.value == "optimizer")
        runs = self.settings()
        # the seed orders the mini-batches: with the full batch (or the bowl) it changes nothing
        self.seed.disabled = not any(run.batch_size is not None and run.batch_size < p.n_samples
                                     for run in runs)
        for run in runs:
            run.result = self._descend(run)
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
            curve.line.set_alpha(0.5 if r.steps_per_epoch > 1 else 1.0)   # mini-batch: the epoch curve leads
            note = ""
            if r.diverged:
                note = f"{run.label}: {divergence_text(r.diverged_at)}"
            elif left_at is not None:
                note = f"{run.label}: left the plot at step {left_at}"
            panel.notes[k].set_text(note)
        self._update_loss_axes(runs)
        top = self.ax_loss.get_ylim()[1]
        for curve in self.curves[:len(runs)]:            # a blow-up above the axes: mark it at the top
            x, y = curve.blowup.get_data()
            if len(y) and y[0] > top:
                curve.blowup.set_data(x, [top * (0.8 if self.log_scale.value else 0.97)])
        self.status.value = "<br>".join(self._status_lines(runs, p))
        self.figure.refresh()
        self.renders += 1

    def _update_loss_axes(self, runs):
        """Loss axes limits set by the problem's starting loss L0, not by each run, so the axes
        stay still while a slider moves and the background is reused: linear 0..1.5 L0; log
        1e-10 L0..10 L0, or up to 1e13 (above fit's divergence threshold 1e12) when a run went
        above 10 L0. A curve above the top leaves through it (and is labelled when it
        diverged); one below 1e-10 L0 has converged to rounding level. x: 0..a round number
        of steps (nice_ceiling)."""
        ax = self.ax_loss
        log = bool(self.log_scale.value)
        p = self._current_problem()
        L0 = p.loss_at(p.start)
        highest = max([float(np.max(r.result.loss)) for r in runs if len(r.result.loss)] + [L0])
        top = 1e13 if highest > 10.0 * L0 else 10.0 * L0
        ylim = (1e-10 * L0, top) if log else (0.0, 1.5 * L0)
        xmax = nice_ceiling(max([run.steps for run in runs] + [1]))
        # short enough to fit over the axes in projector mode too (fonts × 1.6)
        title = "loss before each step\n(faint: mini-batches; ○: all data, each epoch)"
        legend = tuple((run.legend, run.result.steps_per_epoch > 1) for run in runs) if len(runs) > 1 else ()
        key = (self.problem.value, log, xmax, title, ylim, legend)
        if key != self._loss_axes_key:                 # the static part changed: set it up again
            ax.set_yscale("log" if log else "linear")
            ax.set_ylim(*ylim)
            ax.set_xlim(0, xmax)
            ax.set_title(title, fontsize=9.5 * style.scale())
            if ax.get_legend() is not None:
                ax.get_legend().remove()
            if legend:                                 # compare mode (one run: its settings are in the status)
                handles = [self.curves[k].line for k in range(len(runs))]
                ax.legend(handles, [run.legend for run in runs], loc="lower left", framealpha=0.85,
                          fontsize=8.5 * style.scale())    # drawn with the background, under the curves
            self._loss_axes_key = key
        self.figure.background_key = key
        self.figure.animated = self.panel.artists() + [a for c in self.curves for a in c.artists()]

    def _status_lines(self, runs, p):
        lines = []
        for run in runs:
            r = run.result
            extra = ""
            if r.steps_per_epoch > 1:
                extra = f" ({r.steps_per_epoch} steps per epoch, batch {run.batch_size} of {p.n_samples})"
            lines.append(run.status() + extra)
        if p.n_samples is None and (self.compare.value == "batch" or self.unit.value == "epochs"):
            lines.append("the bowl has no data: every step uses the exact gradient (batch size does not apply)")
        return lines

    def summary(self):
        """One line per run: its label and 'final loss 0.0123 after 200 steps' or
        'diverged at step k' (fixed decimals: for printing in notebooks)."""
        return "\n".join(self._status_lines(self.runs, self._current_problem()))

    # --- display ---------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        return bundle_with_png(self.view, self.figure.image.value, **kwargs)
