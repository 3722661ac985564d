"""Small single-notebook explorers: a few sliders, one live picture, one line of numbers.

- `LearningRateExplorer`: learning-rate slider (log scale) for seed 000's chain
  (bp.examples.e1_chain): the new output and loss after one step and after k steps, or
  "diverged at step k". The numbers are the core's `one_weight.one_weight_run` (re-exported
  here as `explorers.one_weight_run`, the name notebook 01 uses).
- `TrialAndErrorExplorer`: seed 002's "trial and error": move w31, w'11, w'21 by hand
  and watch the output approach (or miss) the target 3.2.

Every picture is a `BlitFigureImage` (Agg figure updated in place, PNG into a widgets.Image):
its artists are made once and moved (set_data, set_text), never rebuilt per change.
Callbacks never raise and never draw NaN: they can be called directly (tests do).
Every label, line and title is in the language the explorer was made in (bp.set_language).
"""
import html

import ipywidgets as widgets
import numpy as np

from .. import examples
from ..i18n import Catalogue
from ..limits import STEP_ENDS, ceiling, outward_limits
from ..lru import LRU
from ..one_weight import RULES, OneWeightRun, one_weight_run
from ..plotting.style import COLORS
from ..training import divergence_text
from .controls import ValueSlider, labelled, one_press_away, round_values
from .drawing import BlitFigureImage, Scene, in_style
from .picture import PictureWidget, made_in_language

__all__ = ["LearningRateExplorer", "TrialAndErrorExplorer", "one_weight_run", "OneWeightRun", "RULES",
           "LR_VALUES"]

# the learning-rate slider's positions: round numbers from 1e-7 to 0.1, and, finer, the edge of
# stability of seed 000's chain (η = 4e-6: the error factor 1 − η·2·500² is −1): 3.8e-6 ... 4.2e-6
LR_VALUES = round_values(-7, -1, extra=(3.8e-6, 3.9e-6, 4.1e-6, 4.2e-6))

TEXT = Catalogue(
    en={
        "lr": "learning rate η", "steps": "steps k", "rule": "update rule",
        "rule.loss": "w ← w − η·∂L/∂w  (loss gradient)", "rule.post": "w ← w + η·∂y/∂w  (the post's rule)",
        "rule_short.loss": "loss gradient", "rule_short.post": "the post's rule",
        "state": "w = {w}, output y = {y}, loss L = {L}",
        "setting": "η = {lr}, rule {rule}",
        "start": "start: {state} (target {target})",
        "diverged": "<b style='color:#D55E00'>{text}</b> (|y| > 1e12)",
        "last_finite": "; last finite: {state}",
        "after_1": "after 1 step: {state}",
        "after_k": "after {steps} steps: {state}",
        "target": "target {target}", "output_y": "output y", "step": "step", "loss_axis": "loss L = (y − t)²",
        "title": "η = {lr}, {rule}", "title_diverged": ": {text}",
        "mark": " diverged\n at step {step}",
        "weight": "weight {name}", "output_a": "output a1''", "output_title": "output {y}",
        "trial": "output a1'' = {y}, target {target}, gap t − y = {gap} (settings tried: {tries})",
    },
    zh={
        "lr": "学习率 η", "steps": "步数 k", "rule": "更新规则",
        "rule.loss": "w ← w − η·∂L/∂w（损失的梯度）", "rule.post": "w ← w + η·∂y/∂w（原文的规则）",
        "rule_short.loss": "损失的梯度", "rule_short.post": "原文的规则",
        "state": "w = {w}，输出 y = {y}，损失 L = {L}",
        "setting": "η = {lr}，规则 {rule}",
        "start": "开始：{state}（目标 {target}）",
        "diverged": "<b style='color:#D55E00'>{text}</b>（|y| > 1e12）",
        "last_finite": "；最后一个有限值：{state}",
        "after_1": "1 步之后：{state}",
        "after_k": "{steps} 步之后：{state}",
        "target": "目标 {target}", "output_y": "输出 y", "step": "步数", "loss_axis": "损失 L = (y − t)²",
        "title": "η = {lr}，{rule}", "title_diverged": "：{text}",
        "mark": " 在第 {step} 步\n 发散",
        "weight": "权重 {name}", "output_a": "输出 a1''", "output_title": "输出 {y}",
        "trial": "输出 a1'' = {y}，目标 {target}，差距 t − y = {gap}（已试过的设置：{tries}）",
    },
)


class LearningRateExplorer(PictureWidget):
    """Learning-rate slider for seed 000's one-weight chain.

    Controls: `lr_slider` ("learning rate η", a ValueSlider over LR_VALUES: 1e-7 ... 0.1,
    exact round numbers; any other value set from code is added), `steps_slider` ("steps k"),
    `rule` (loss gradient or the post's rule). `summary` (HTML) gives w, y, L after one
    step and after k steps, or "diverged at step k"; `figure` (BlitFigureImage) draws the
    output y and the loss L per step. `update()` recomputes and redraws (the sliders'
    callback; tests call it directly). `run` holds the last OneWeightRun. In idle time (in
    a kernel) it draws the axes of the settings one key press away (`prefetched` counts them).
    lang="en" or "zh" (default the current language): every word it shows, kept as `lang`.
    """

    @made_in_language
    @in_style
    def __init__(self, lr=1e-6, steps=10, rule="loss", figsize=(8.0, 3.2), lang=None):
        self.example = examples.e1_chain()
        self.target = float(self.example.t[0, 0])
        self.lr_slider = ValueSlider(LR_VALUES, value=lr, fmt="{:.3g}", continuous_update=True,
                                     **labelled(TEXT("lr")))
        self.steps_slider = widgets.IntSlider(value=steps, min=1, max=30, continuous_update=False,
                                              **labelled(TEXT("steps")))
        self.rule = widgets.ToggleButtons(options=[(TEXT(f"rule.{k}"), k) for k in RULES], value=rule,
                                          **labelled(TEXT("rule")))
        self.summary = widgets.HTML()
        self.figure = BlitFigureImage(figsize=figsize, nrows=1, ncols=2)
        self.figure.fig.subplots_adjust(left=0.1, right=0.98, bottom=0.17, top=0.86, wspace=0.3)
        self._setup_axes()
        self.watch(self.lr_slider, self.steps_slider, self.rule)
        self.widget = widgets.VBox([self.lr_slider, self.steps_slider, self.rule,
                                    self.summary, self.figure.image])
        self.run = None
        self._pngs = LRU(128)           # (lr, steps, rule) -> PNG: a setting seen before is not redrawn
        self.update()

    @in_style
    def update(self):
        """Recompute the run for the current controls; refresh the numbers and the picture."""
        self.run = one_weight_run(float(self.lr_slider.value), int(self.steps_slider.value),
                                  self.rule.value, self.example)
        self.summary.value = self._summary_html(self.run)
        key = (self.run.lr, self.run.steps, self.run.rule)
        png = self._pngs.get(key)
        if png is None:
            self._draw(self.run)
            png = self._pngs[key] = self.figure.render()
        self.figure.show(png)
        return self.run

    def _summary_html(self, run):
        def state(k):
            return TEXT("state", w=f"{run.w[k]:.6g}", y=f"{run.y[k]:.6g}", L=f"{run.L[k]:.6g}")
        lines = [TEXT("setting", lr=f"{run.lr:.1e}", rule=html.escape(TEXT(f"rule.{run.rule}"))),
                 TEXT("start", state=state(0), target=f"{self.target:g}")]
        diverged = TEXT("diverged", text=html.escape(divergence_text(run.diverged_at)))
        if run.diverged_at == 1:
            lines.append(diverged)
        else:
            lines.append(TEXT("after_1", state=state(1)))
            if run.diverged:
                lines.append(diverged + TEXT("last_finite", state=state(len(run.y) - 1)))
            elif run.steps > 1:
                lines.append(TEXT("after_k", steps=run.steps, state=state(run.steps)))
        return "<br>".join(lines)

    def _setup_axes(self):
        """The artists, made once: output and target (left), loss (right), divergence marks."""
        ax_y, ax_L = self.figure.axes
        ax_y.axhline(self.target, color=COLORS["green"], ls="--", lw=1.2,
                     label=TEXT("target", target=f"{self.target:g}"))
        (self.y_line,) = ax_y.plot([], [], "o-", color=COLORS["blue"], label=TEXT("output_y"))
        ax_y.set_xlabel(TEXT("step"))
        ax_y.set_ylabel(TEXT("output_y"))
        legend = ax_y.legend(loc="best")
        (self.L_line,) = ax_L.plot([], [], "o-", color=COLORS["orange"])
        ax_L.set_yscale("log")
        ax_L.set_xlabel(TEXT("step"))
        ax_L.set_ylabel(TEXT("loss_axis"))
        self.diverged_marks = []
        for ax in (ax_y, ax_L):
            line = ax.axvline(1, color=COLORS["red"], lw=1.5, visible=False)
            text = ax.text(1, 0.5, "", color=COLORS["red"], transform=ax.get_xaxis_transform(), ha="left",
                           visible=False)
            self.diverged_marks.append((line, text))
        # the axes are drawn once per (rounded) limits and scale; a change redraws only these, in this order
        moving = ([self.y_line, self.L_line] + [a for mark in self.diverged_marks for a in mark]
                  + [legend, self.figure.fig.suptitle("")])
        self.figure.declare(Scene(moving=moving, key=lambda: (ax_y.get_xlim(), ax_y.get_yscale(),
                                                               ax_y.get_ylim(), ax_L.get_ylim())))

    def _draw(self, run):
        """Move the artists to the run's numbers (limits from the data, as a fresh plot would)."""
        k = np.arange(len(run.y))
        self.y_line.set_data(k, run.y)
        self.L_line.set_data(k, np.maximum(run.L, 1e-30))
        self._set_limits(run)
        title = TEXT("title", lr=f"{run.lr:.1e}", rule=TEXT(f"rule_short.{run.rule}"))
        if run.diverged:
            title += TEXT("title_diverged", text=divergence_text(run.diverged_at))
        for line, text in self.diverged_marks:
            line.set_visible(run.diverged)
            text.set_visible(run.diverged)
            if run.diverged:
                line.set_xdata([run.diverged_at, run.diverged_at])
                text.set_x(run.diverged_at)
                text.set_text(TEXT("mark", step=run.diverged_at))
        self.figure.fig.suptitle(title)

    def _set_limits(self, run):
        """The static part for `run`: the y scale and the axes' limits (the Scene's key)."""
        ax_y, ax_L = self.figure.axes
        y_scale = "symlog" if np.abs(run.y).max() > 1e4 else "linear"
        if ax_y.get_yscale() != y_scale:
            if y_scale == "symlog":
                ax_y.set_yscale("symlog", linthresh=100.0)
            else:
                ax_y.set_yscale("linear")
        ax_y.set_ylim(*outward_limits(np.append(run.y, self.target), y_scale))
        ax_L.set_ylim(*outward_limits(np.maximum(run.L, 1e-30), "log"))
        x_end = ceiling(run.steps, STEP_ENDS)
        for ax in (ax_y, ax_L):
            ax.set_xlim(-0.5, x_end + 0.5)              # a few sizes: the axes stay while k moves

    def neighbours(self):
        """The settings (lr, steps, rule) one key press away: η and k one step or a page of five
        either way, the other rule."""
        lr, steps, rule = float(self.lr_slider.value), int(self.steps_slider.value), self.rule.value
        rates = [v for _, v in self.lr_slider.options]
        near = [(rates[j], steps, rule) for j in one_press_away(rates.index(lr), 1, 0, len(rates) - 1)]
        near += [(lr, k, rule) for k in one_press_away(steps, 1, self.steps_slider.min, self.steps_slider.max)]
        return near + [(lr, steps, other) for other in RULES if other != rule]

    @in_style
    def idle_work(self):
        """Idle time (PictureWidget.schedule_idle): draw the background (axes and limits) of
        one neighbouring setting that lacks it, so that key press only restores it."""
        runs = (one_weight_run(lr, steps, rule, self.example) for lr, steps, rule in self.neighbours())
        return self.draw_ahead(runs, self._set_limits, self.run)

    # --- static export (widgets.static): the lesson's grid, for a page without a kernel ------
    def static_state(self):
        """{"lr", "steps", "rule"}: the controls' values now."""
        return {"lr": float(self.lr_slider.value), "steps": int(self.steps_slider.value), "rule": self.rule.value}

    def static_controls(self):
        """η over static.LR_EXPLORER's ladder, the steps k, both rules (labels as the live controls)."""
        from .static import LR_EXPLORER, choices, slider
        state = self.static_state()
        return [slider("lr", self.lr_slider.description, LR_EXPLORER["lr"], state["lr"],
                       fmt_="{:.3g}".format,                    # the live slider's readout
                       grid="1-2-5 ladder 1e-7..0.1, 3e-6 and 3.8e-6..4.2e-6 (the edge of stability)"),
                slider("steps", self.steps_slider.description, LR_EXPLORER["steps"], state["steps"],
                       grid="k = 1, 3, 10, 30"),
                choices("rule", self.rule.description, self.rule.options, state["rule"], grid="both rules")]

    def static_frame(self, state):
        """The controls set to `state`: the picture and the numbers as this explorer shows them."""
        from .static import Frame, frame_png
        self.lr_slider.value = float(state["lr"])
        self.steps_slider.value = int(state["steps"])
        self.rule.value = state["rule"]
        return Frame(frame_png(self.figure), self.summary.value)



class TrialAndErrorExplorer(PictureWidget):
    """Seed 002's "trial and error": sliders for w31, w'11, w'21 of the 3-2-1 network
    (the weights the post changed); the output and its gap to the target 3.2 update live.

    `sliders`: dict name -> FloatSlider; `summary` (HTML); `figure` (BlitFigureImage, a bar of
    the output against the target); `tries` counts the settings looked at. `update()`
    is the callback (tests call it directly).
    lang="en" or "zh" (default the current language): every word it shows, kept as `lang`.
    """

    NAMES = {"w31": (0, 2, 0), "w'11": (1, 0, 0), "w'21": (1, 1, 0)}   # layer, row, column

    @made_in_language
    @in_style
    def __init__(self, figsize=(6.0, 1.8), lang=None):
        self.example = examples.e3_network()
        self.net = self.example.net
        self.target = float(self.example.t[0, 0])
        self.sliders = {}
        for name, (li, r, c) in self.NAMES.items():
            s = widgets.FloatSlider(value=float(self.net.layers[li].W[r, c]), min=0.0, max=1.0,
                                    step=0.01, readout_format=".2f", continuous_update=True,
                                    **labelled(TEXT("weight", name=name), "80px"))
            self.sliders[name] = s
        self.watch(*self.sliders.values())
        self.summary = widgets.HTML()
        self.figure = BlitFigureImage(figsize=figsize, nrows=1, ncols=1)
        self.figure.fig.subplots_adjust(left=0.1, right=0.97, bottom=0.3, top=0.8)
        ax = self.figure.axes
        self.bar = ax.barh([0], [0.0], color=COLORS["blue"], height=0.5)[0]
        target_line = ax.axvline(self.target, color=COLORS["green"], ls="--", lw=2,
                                 label=TEXT("target", target=f"{self.target:g}"))
        ax.set_xlim(0, 5)
        ax.set_yticks([])
        ax.set_xlabel(TEXT("output_a"))
        legend = ax.legend(loc="lower right")
        # drawn once: the axes; per change, in this order: the bar, then the target, frame and legend over it, the title
        self.figure.declare(Scene(moving=[self.bar, target_line, *ax.spines.values(), legend, ax.title]))
        self.tries = 0
        self.widget = widgets.VBox(list(self.sliders.values()) + [self.summary, self.figure.image])
        self.update()

    def output(self):
        """The network's output a1'' for the sliders' weights."""
        for name, (li, r, c) in self.NAMES.items():
            self.net.layers[li].W[r, c] = float(self.sliders[name].value)
        return float(self.net.forward(self.example.X)[0, 0])

    @in_style
    def update(self):
        y = self.output()
        self.tries += 1
        gap = self.target - y
        self.summary.value = TEXT("trial", y=f"{y:.4f}", target=f"{self.target:g}", gap=f"{gap:+.4f}",
                                  tries=self.tries)
        self.bar.set_width(y)
        self.figure.axes.set_title(TEXT("output_title", y=f"{y:.4f}"))
        self.figure.refresh()
        return y


    # --- static export (widgets.static): the lesson's grid, for a page without a kernel ------
    def static_state(self):
        """{weight name: value}: the sliders now."""
        return {name: round(float(s.value), 2) for name, s in self.sliders.items()}

    def static_controls(self):
        """Each weight from the post's value - 0.04 to + 0.08 in steps of 0.02 (static.TRIAL_OFFSETS)."""
        from .static import TRIAL_OFFSETS, slider
        post = examples.e3_network().net               # the post's weights: the sliders' start
        start = {name: round(float(post.layers[li].W[r, c]), 2) for name, (li, r, c) in self.NAMES.items()}
        now = self.static_state()
        return [slider(name, self.sliders[name].description,
                       [round(start[name] + d, 2) for d in TRIAL_OFFSETS], now[name], fmt_="{:.2f}".format,
                       grid="the post's weight - 0.04 ... + 0.08 in steps of 0.02")
                for name in self.NAMES]

    def static_frame(self, state):
        """The sliders set to `state`: the picture, and the numbers with the count of settings
        tried left to the page (an empty span.bp-sw-tries the page fills in)."""
        from .static import TRIES, Frame, frame_png
        for name in self.NAMES:
            self.sliders[name].value = float(state[name])
        y = self.output()
        status = TEXT("trial", y=f"{y:.4f}", target=f"{self.target:g}", gap=f"{self.target - y:+.4f}", tries=TRIES)
        return Frame(frame_png(self.figure), status)
