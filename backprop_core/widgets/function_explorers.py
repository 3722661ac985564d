"""Sliders for notebooks 08 (activations, losses) and 09 (depth, initialisation).

- `ActivationExplorer`: pick an activation, the input range and a point z₀: f and f'
  are redrawn, with f(z₀), f'(z₀) and the largest f' on the range. The picture is
  `plotting.functions.ActivationPanels`'.
- `LossExplorer`: target t and prediction y for MSE / MAE, true label and probability p
  for cross-entropy: the loss and its gradient at the chosen point. The picture is
  `plotting.functions.LossPanels`'.
- `GradientDepthExplorer`: depth, activation, initialisation and seed of a deep network:
  the gradient size per layer (log scale), for sigmoid, tanh, ReLU and Leaky ReLU at once.
  The picture is `plotting.functions.plot_gradient_profiles`'s, its lines then moved.
- `WidthExplorer`: a slider over the widths of a finished `depth.width_sweep`: the fit of
  each network on the data (`plot_fits`), and its training and held-out loss
  (`plot_width_sweep`), the chosen width marked.

Every picture is a `BlitFigureImage` whose artists are updated in place: the axes, curves
and legends are drawn once per setting that moves them (the key of its `Scene`), a slider that
only moves a point redraws just that point. Every number comes from the core. `update()` is
the controls' callback; it never raises and never shows NaN (tests call it directly over a
grid of values). Every label, line and title is in the language the explorer was made in.
"""
import html

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import NullLocator

from .. import depth as depth_mod
from ..activations import NAMES as ACTIVATION_NAMES
from ..activations import curve as activation_curves
from ..i18n import Catalogue
from ..limits import decade_limits, padded_limits
from ..losses import get_loss
from ..lru import LRU
from ..plotting.functions import TEXT as PICTURE_TEXT
from ..plotting.functions import (
    ActivationPanels,
    LossPanels,
    activation_name,
    plot_fits,
    plot_gradient_profiles,
    plot_width_sweep,
)
from ..plotting.style import COLORS
from .controls import labelled, one_press_away
from .drawing import BlitFigureImage, Scene, SpriteText, in_style
from .picture import PictureWidget, made_in_language

TEXT = Catalogue(
    en={
        # ActivationExplorer
        "activation": "activation f", "z_range": "input range z", "z0": "point z₀",
        "outside": " (z₀ is outside the drawn range)",
        "act_summary": "<b>{name}</b>: {f}(z₀ = {z0}) = {a0}, {d}(z₀) = {da0}{outside}<br>"
                       "largest {d} on [{lo}, {hi}]: {top} at z = {z_top}",
        # LossExplorer
        "target": "target t", "label": "true label",
        "class1": "class 1", "class0": "class 0", "probability": "predicted probability p (of class 1)",
        "loss_summary": "MSE = (y − t)² = {mse}, ∂L/∂y = {g_mse} &nbsp;|&nbsp; MAE = |y − t| = {mae}, "
                        "∂L/∂y = {g_mae}<br>cross-entropy (label {label}, p = {p}) = {ce}, ∂L/∂p = {g_ce}",
        # GradientDepthExplorer
        "depth": "depth (hidden layers)", "init": "initialisation", "seed": "random seed",
        "init.uniform": "uniform [−1, 1]", "init.xavier": "Xavier σ = √(2/(n_in+n_out))",
        "init.he": "He σ = √(2/n_in)",
        "depth_title": "depth {depth}, {init}, seed {seed}",
        "factor": "×{factor} per hidden layer", "no_factor": "no hidden-layer factor",
        "depth_summary": "<b>{name}</b>: first layer ‖∂L/∂W₁‖ = {first}, output layer {last}, "
                         "ratio {ratio} ({factor}, going backwards)<br>{verdict}",
        "vanishing": "vanishing: the gradient shrinks layer by layer towards the input",
        "exploding_back": "exploding towards the input: the gradient grows layer by layer",
        "exploding": "exploding: large gradients everywhere (the forward signal grows layer by layer)",
        "shrinking": "shrinking: the first layer gets less than a tenth of the output layer's gradient",
        "small": "small everywhere: the forward signal has died out, every layer learns slowly",
        "healthy": "healthy: every layer gets a gradient of a similar size",
        # WidthExplorer
        "network": "network",
        "units_1": "{w} hidden unit", "units_n": "{w} hidden units",
        "best": "the smallest held-out loss", "under": "fewer units than the best: underfitting side",
        "over": "more units than the best: overfitting side",
        "width_summary": "{units}: training MSE {train}, held-out MSE {test} ({where}; best width {best})",
    },
    zh={
        "activation": "激活函数 f", "z_range": "输入范围 z", "z0": "点 z₀",
        "outside": "（z₀ 在所画范围之外）",
        "act_summary": "<b>{name}</b>：{f}(z₀ = {z0}) = {a0}，{d}(z₀) = {da0}{outside}<br>"
                       "{d} 在 [{lo}, {hi}] 上的最大值：{top}，在 z = {z_top} 处",
        "target": "目标值 t", "label": "真实标签",
        "class1": "类别 1", "class0": "类别 0", "probability": "预测为类别 1 的概率 p",
        "loss_summary": "MSE = (y − t)² = {mse}，∂L/∂y = {g_mse} &nbsp;|&nbsp; MAE = |y − t| = {mae}，"
                        "∂L/∂y = {g_mae}<br>交叉熵（标签 {label}，p = {p}）= {ce}，∂L/∂p = {g_ce}",
        "depth": "深度（隐藏层数）", "init": "初始化", "seed": "随机种子",
        "init.uniform": "均匀分布 [−1, 1]", "init.xavier": "Xavier σ = √(2/(n_in+n_out))",
        "init.he": "He σ = √(2/n_in)",
        "depth_title": "深度 {depth}，{init}，种子 {seed}",
        "factor": "每个隐藏层 ×{factor}", "no_factor": "没有隐藏层的因子",
        "depth_summary": "<b>{name}</b>：第一层 ‖∂L/∂W₁‖ = {first}，输出层 {last}，"
                         "比值 {ratio}（{factor}，沿反向传播的方向）<br>{verdict}",
        "vanishing": "梯度消失：梯度朝输入方向逐层变小",
        "exploding_back": "梯度朝输入方向爆炸：梯度逐层变大",
        "exploding": "梯度爆炸：每一层的梯度都很大（前向信号逐层变大）",
        "shrinking": "梯度变小：第一层得到的梯度不到输出层的十分之一",
        "small": "处处都很小：前向信号已经消失，每一层都学得很慢",
        "healthy": "健康：每一层得到的梯度大小相近",
        "network": "网络",
        "units_1": "{w} 个隐藏单元", "units_n": "{w} 个隐藏单元",
        "best": "验证集损失最小", "under": "比最佳宽度少：欠拟合的一侧",
        "over": "比最佳宽度多：过拟合的一侧",
        "width_summary": "{units}：训练 MSE {train}，验证集 MSE {test}（{where}；最佳宽度 {best}）",
    },
)


class ActivationExplorer(PictureWidget):
    """An activation f and its derivative f' over a chosen input range.

    Controls: `activation` (Dropdown "activation f"), `z_range` (FloatRangeSlider "input
    range z"), `z0` (FloatSlider "point z₀"). `summary` (HTML): f(z₀), f'(z₀), the largest
    f' on the range and where. `figure` (FigureImage): f left, f' right, z₀ marked, drawn
    by `panels` (plotting.functions.ActivationPanels). In idle time (in a kernel) it draws the
    pictures of the input ranges one key press away (`prefetched` counts them).
    lang="en" or "zh" (default the current language): every word it shows, kept as `lang`.
    """

    @made_in_language
    @in_style
    def __init__(self, activation="sigmoid", z_range=(-6.0, 6.0), z0=0.0, n=301, figsize=(9.0, 3.2), lang=None):
        self.n = int(n)
        self.activation = widgets.Dropdown(options=[(activation_name(a), a) for a in ACTIVATION_NAMES],
                                           value=activation, **labelled(TEXT("activation")))
        self.z_range = widgets.FloatRangeSlider(value=tuple(z_range), min=-10.0, max=10.0, step=0.5,
                                                readout_format=".1f", continuous_update=False,
                                                **labelled(TEXT("z_range")))
        self.z0 = widgets.FloatSlider(value=z0, min=-10.0, max=10.0, step=0.1, readout_format=".1f",
                                      continuous_update=False, **labelled(TEXT("z0")))
        self.summary = widgets.HTML()
        self.figure = BlitFigureImage(figsize=figsize, nrows=1, ncols=2)
        self.figure.fig.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.88, wspace=0.25)
        self.panels = ActivationPanels(*self.figure.axes)
        # z₀ moves only the dots; the activation and the range change the rest (the titles and
        # the x limits say which)
        ax_f = self.figure.axes[0]
        self.figure.declare(Scene(moving=self.panels.moving, key=lambda: (ax_f.get_title(), ax_f.get_xlim())))
        self.watch(self.activation, self.z_range, self.z0)
        self.widget = widgets.VBox([widgets.HBox([self.activation, self.z0]), self.z_range,
                                    self.summary, self.figure.image])
        self.update()

    def grid(self, z_range=None):
        """The input grid z (n,) over the current range (or `z_range`), at least 1 wide."""
        lo, hi = self.z_range.value if z_range is None else z_range
        if hi <= lo:
            hi = lo + 1.0
        return np.linspace(lo, hi, self.n)

    def neighbours(self):
        """The input ranges one key press away: either end one step or a page of five steps
        either way, inside the slider's bounds, low end below the high end."""
        (lo, hi), slider = self.z_range.value, self.z_range
        return ([(a, hi) for a in one_press_away(lo, slider.step, slider.min, slider.max) if a < hi]
                + [(lo, b) for b in one_press_away(hi, slider.step, slider.min, slider.max) if lo < b])

    @in_style
    def idle_work(self):
        """Idle time (PictureWidget.schedule_idle): draw the background (curves and axes) of
        one neighbouring input range that lacks it, so that key press only restores it."""
        name = self.activation.value
        return self.draw_ahead(self.neighbours(), lambda z_range: self.panels.show(name, self.grid(z_range)),
                               self.z_range.value)

    def at_z0(self):
        """(f(z₀), f'(z₀)) from the core."""
        a0, da0 = activation_curves(self.activation.value, [self.z0.value])
        return float(a0[0]), float(da0[0])

    def values(self):
        """(z, f(z), f'(z)) on the current range, and (f(z₀), f'(z₀)), from the core."""
        z = self.grid()
        return (z, *activation_curves(self.activation.value, z), *self.at_z0())

    @in_style
    def update(self):
        """Recompute the curves for the current controls; refresh the numbers and the picture."""
        name = self.activation.value
        z = self.grid()
        a, da = self.panels.show(name, z)
        a0, da0 = self.at_z0()
        z0 = float(self.z0.value)
        k = int(np.argmax(da))
        inside = self.panels.mark(z0, a0, da0)
        soft = name == "softmax"
        f_sym, d_sym = ("a₁", "∂a₁/∂z₁") if soft else ("f", "f'")
        self.summary.value = TEXT(
            "act_summary", name=html.escape(name), f=f_sym, d=d_sym, z0=f"{z0:.2f}", a0=f"{a0:.4f}",
            da0=f"{da0:.4f}", outside="" if inside else TEXT("outside"), lo=f"{z[0]:.1f}", hi=f"{z[-1]:.1f}",
            top=f"{da[k]:.4f}", z_top=f"{z[k]:.2f}")
        self.figure.refresh()

    # --- static export (widgets.static): the lesson's grid, for a page without a kernel ------
    def static_state(self):
        """{"activation", "z_range", "z0"}: the controls now."""
        return {"activation": self.activation.value, "z_range": tuple(float(v) for v in self.z_range.value),
                "z0": round(float(self.z0.value), 1)}

    def static_controls(self):
        """Every activation; the input range [-6, 6] or [-10, 10] (a menu); z0 from -10 to 10
        in steps of 2, and -1, 1 (static.ACTIVATION)."""
        from .static import ACTIVATION, Control, choices, range_text, slider
        state = self.static_state()
        ranges = tuple(dict.fromkeys(ACTIVATION["z_range"] + (state["z_range"],)))
        return [choices("activation", self.activation.description, self.activation.options, state["activation"],
                        grid="every activation"),
                Control("z_range", self.z_range.description, "select", ranges,
                        tuple(range_text(r) for r in ranges), state["z_range"], grid="[-6, 6] or [-10, 10]"),
                slider("z0", self.z0.description, ACTIVATION["z0"], state["z0"], fmt_="{:.1f}".format,
                       grid="-10 ... 10 in steps of 2, and -1, 1")]

    def static_frame(self, state):
        """The controls set to `state`: the picture and the numbers as this explorer shows them."""
        from .static import Frame, frame_png
        self.activation.value = state["activation"]
        self.z_range.value = tuple(state["z_range"])
        self.z0.value = float(state["z0"])
        return Frame(frame_png(self.figure), self.summary.value)



class LossExplorer(PictureWidget):
    """Regression losses against the prediction, cross-entropy against the probability.

    Controls: `target` ("target t"), `prediction` ("prediction y") for MSE and MAE;
    `label` ("true label") and `probability` ("predicted probability p") for binary
    cross-entropy. `summary` (HTML): each loss and its gradient at the chosen point.
    `figure` (FigureImage): drawn by `panels` (plotting.functions.LossPanels). In idle time
    (in a kernel) it draws the curves of the targets and label one key press away.
    lang="en" or "zh" (default the current language): every word it shows, kept as `lang`.
    """

    @made_in_language
    @in_style
    def __init__(self, target=1.0, prediction=2.5, label=1, probability=0.2, figsize=(9.0, 3.4), lang=None):
        self.y_grid = np.linspace(-2.0, 4.0, 241)
        self.p_grid = np.linspace(0.005, 0.995, 199)
        self.target = widgets.FloatSlider(value=target, min=-1.0, max=3.0, step=0.1, readout_format=".1f",
                                          continuous_update=False, **labelled(TEXT("target")))
        self.prediction = widgets.FloatSlider(value=prediction, min=-2.0, max=4.0, step=0.1,
                                              readout_format=".1f", continuous_update=False,
                                              **labelled(PICTURE_TEXT("prediction")))   # its axis' name
        self.label = widgets.ToggleButtons(options=[(TEXT("class1"), 1), (TEXT("class0"), 0)], value=label,
                                           **labelled(TEXT("label")))
        # its long description takes the default 300 px of a slider: a wider slider on its own
        # row keeps a track to move along
        self.probability = widgets.FloatSlider(value=probability, min=0.01, max=0.99, step=0.01,
                                               readout_format=".2f", continuous_update=False,
                                               layout=widgets.Layout(width="38em"),
                                               **labelled(TEXT("probability")))
        self.summary = widgets.HTML()
        self.figure = BlitFigureImage(figsize=figsize, nrows=1, ncols=2)
        self.figure.fig.subplots_adjust(left=0.08, right=0.98, bottom=0.16, top=0.88, wspace=0.25)
        self.panels = LossPanels(*self.figure.axes, self.y_grid, self.p_grid, target)
        # the axes never change (drawn once); t and the label change the curves, the target mark,
        # the titles (and the legends drawn over them): one background per (t, label); y and p
        # move only the points
        self.figure.declare(Scene(moving=self.panels.moving, layer=self.panels.layer,
                                  key=lambda: self.panels.shown))
        self.watch(self.target, self.prediction, self.label, self.probability)
        self.widget = widgets.VBox([widgets.HBox([self.target, self.prediction]),
                                    self.label, self.probability,
                                    self.summary, self.figure.image])
        self.update()

    def neighbours(self):
        """The (t, label) one key press away: t one step or a page of five either way, the
        other label."""
        t, label, slider = float(self.target.value), int(self.label.value), self.target
        near = [(v, label) for v in one_press_away(t, slider.step, slider.min, slider.max)]
        return near + [(t, other) for _, other in self.label.options if other != label]

    @in_style
    def idle_work(self):
        """Idle time (PictureWidget.schedule_idle): draw the curves, target mark and titles of
        one neighbouring (t, label) that lacks them, so that key press only restores them."""
        return self.draw_ahead(self.neighbours(), lambda state: self.panels.show(*state),
                               (float(self.target.value), int(self.label.value)))

    @in_style
    def update(self):
        """Recompute both panels for the current controls and refresh."""
        t, y = float(self.target.value), float(self.prediction.value)
        label, p = int(self.label.value), float(self.probability.value)
        mse0, mae0, ce0 = (get_loss(n)([[v]], [[w]]) for n, v, w in
                           (("mse", y, t), ("mae", y, t), ("binary_cross_entropy", p, label)))
        g_mse, g_mae, g_ce = (float(get_loss(n).grad([[v]], [[w]])[0, 0]) for n, v, w in
                              (("mse", y, t), ("mae", y, t), ("binary_cross_entropy", p, label)))
        self.panels.show(t, label)
        self.panels.mark(y, p, mse0, mae0, ce0)
        self.summary.value = TEXT(
            "loss_summary", mse=f"{mse0:.4f}", g_mse=f"{g_mse:.4f}", mae=f"{mae0:.4f}", g_mae=f"{g_mae:.4f}",
            label=label, p=f"{p:.2f}", ce=f"{ce0:.4f}", g_ce=f"{g_ce:.4f}")
        self.figure.refresh()

    # --- static export (widgets.static): the lesson's grid, for a page without a kernel ------
    def static_state(self):
        """{"target", "prediction", "label", "probability"}: the controls now."""
        return {"target": round(float(self.target.value), 1), "prediction": round(float(self.prediction.value), 1),
                "label": int(self.label.value), "probability": round(float(self.probability.value), 2)}

    def static_controls(self):
        """The prediction y from -2 to 4 in steps of 0.5, both labels, p over 0.01 ... 0.99
        (static.LOSS); the target t fixed (live notebook only)."""
        from .static import LOSS, choices, fixed, slider
        state = self.static_state()
        return [fixed("target", self.target.description, "range", state["target"], f"{state['target']:.1f}"),
                slider("prediction", self.prediction.description, LOSS["prediction"], state["prediction"],
                       fmt_="{:.1f}".format, grid="-2 ... 4 in steps of 0.5"),
                choices("label", self.label.description, self.label.options, state["label"], grid="both labels"),
                slider("probability", self.probability.description, LOSS["probability"], state["probability"],
                       fmt_="{:.2f}".format, grid="0.01, 0.05, 0.1, 0.2, 0.5, 0.8, 0.99")]

    def static_frame(self, state):
        """The controls set to `state`: the picture and the numbers as this explorer shows them."""
        from .static import Frame, frame_png
        self.target.value = float(state["target"])
        self.prediction.value = float(state["prediction"])
        self.label.value = int(state["label"])
        self.probability.value = float(state["probability"])
        return Frame(frame_png(self.figure), self.summary.value)



INITS = ("uniform", "xavier", "he")
DEPTH_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu")


def verdict(norms):
    """A few words on a gradient profile (norms: (n_layers,), input layer first)."""
    ratio = depth_mod.first_to_last_ratio(norms)
    # the factor per layer is a trend: trusted from 4 hidden layers on
    factor = depth_mod.shrink_per_layer(norms) if len(norms) >= 5 else 1.0
    if ratio < 1e-3 or factor < 0.6:
        return TEXT("vanishing")
    if ratio > 1e3 or factor > 1.25:
        return TEXT("exploding_back")
    if np.max(norms) > 1e3:
        return TEXT("exploding")
    if ratio < 0.1:
        return TEXT("shrinking")
    if np.max(norms) < 1e-2:
        return TEXT("small")
    return TEXT("healthy")


def y_limits(profiles):
    """The y limits of gradient profiles {name: norms}: in steps of 3 decades around the
    positive finite norms (they stay put while a slider moves)."""
    shown = np.concatenate([n[(n > 0) & np.isfinite(n)] for n in profiles.values()])
    lo, hi = (shown.min(), shown.max()) if shown.size else (1e-3, 1.0)
    return decade_limits(lo, hi)


class GradientDepthExplorer(PictureWidget):
    """Gradient size per layer of a deep network, for four activations at once.

    Controls: `depth` ("depth (hidden layers)", 2-20), `activation` ("activation f",
    the highlighted curve), `init` ("initialisation"), `seed` ("random seed").
    Each curve is `depth.gradient_profile(depth, activation, init, width, seed)`:
    ‖∂L/∂W_l‖ after one forward and backward pass on a random batch. `profiles` holds
    the last numbers; `summary` (HTML) gives the highlighted curve's first-to-last ratio.
    The axes, labels and the four lines are drawn by `plot_gradient_profiles` (the static
    picture of notebook 09) for the first setting; a change moves those lines. In idle time
    (in a kernel) it computes the settings one key press away and draws their y axes.
    lang="en" or "zh" (default the current language): every word it shows, kept as `lang`.
    """

    @made_in_language
    @in_style
    def __init__(self, depth=10, activation="sigmoid", init="xavier", seed=0, width=32,
                 figsize=(7.5, 3.6), lang=None):
        self.width = int(width)
        self.depth = widgets.IntSlider(value=depth, min=2, max=20, continuous_update=False,
                                       layout=widgets.Layout(width="28em"), **labelled(TEXT("depth")))
        self.activation = widgets.Dropdown(options=[(activation_name(a), a) for a in DEPTH_ACTIVATIONS],
                                           value=activation, **labelled(TEXT("activation")))
        self.init = widgets.Dropdown(options=[(TEXT(f"init.{k}"), k) for k in INITS], value=init,
                                     **labelled(TEXT("init")))
        self.seed = widgets.IntSlider(value=seed, min=0, max=20, continuous_update=False,
                                      **labelled(TEXT("seed")))
        self.summary = widgets.HTML()
        self.figure = BlitFigureImage(figsize=figsize, nrows=1, ncols=1)
        self.figure.fig.subplots_adjust(left=0.11, right=0.8, bottom=0.15, top=0.9)
        ax = self.figure.axes
        self._profile_cache = LRU(64)
        plot_gradient_profiles(self._profiles(depth, init, seed), ax=ax, highlight=activation)
        self.lines = dict(zip(DEPTH_ACTIVATIONS, ax.get_lines()[-len(DEPTH_ACTIVATIONS):]))
        ax.yaxis.set_minor_locator(NullLocator())          # minor log ticks would double the render time
        for line in self.lines.values():                     # the legend: every line alike (update() highlights)
            line.set_linewidth(1.2)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
        # one x axis for every depth (the curve grows with the depth); the y axis (ticks, labels,
        # grid) is in the background, one per y range (steps of 3 decades: a few); the lines, the
        # spines over them and the title are drawn on it
        ax.set_xlim(0.5, self.depth.max + 1.5)
        ax.set_xticks([1] + list(range(5, self.depth.max + 2, 5)))
        # the title names the setting: a new string on every key press, its pixels kept per
        # string (SpriteText: matplotlib draws text glyph by glyph, ~5 ms for this title)
        title = ax.title
        self.title = ax.add_artist(SpriteText(0.5, 1.0, "", transform=title.get_transform(),
                                              fontproperties=title.get_fontproperties(),
                                              color=title.get_color(), ha="center", va="baseline",
                                              clip_on=False))
        self.figure.declare(Scene(moving=[*self.lines.values(), *ax.spines.values(), self.title],
                                  key=ax.get_ylim))
        self.watch(self.depth, self.activation, self.init, self.seed)
        self.widget = widgets.VBox([widgets.HBox([self.depth, self.activation]),
                                    widgets.HBox([self.init, self.seed]),
                                    self.summary, self.figure.image])
        self.profiles = {}
        self.update()

    def _profiles(self, d, init, seed):
        """{activation: norms (d + 1,)} from the core, kept per (depth, init, seed)."""
        key = (d, init, seed)
        if key not in self._profile_cache:          # the activation control only changes the highlight
            self._profile_cache[key] = {name: depth_mod.gradient_profile(d, name, init, self.width, seed)
                                        for name in DEPTH_ACTIVATIONS}
        return self._profile_cache[key]

    def neighbours(self):
        """The (depth, init, seed) one key press away: the depth one step or a page of five
        either way, the seed one either way, the other initialisations."""
        d, init, seed = int(self.depth.value), self.init.value, int(self.seed.value)
        near = [(k, init, seed) for k in one_press_away(d, 1, self.depth.min, self.depth.max)]
        near += [(d, init, s) for s in (seed - 1, seed + 1) if self.seed.min <= s <= self.seed.max]
        return near + [(d, other, seed) for other in INITS if other != init]

    def title_text(self, d, init, seed):
        """The picture's title for depth d, initialisation init and seed."""
        return TEXT("depth_title", depth=d, init=TEXT(f"init.{init}"), seed=seed)

    @in_style
    def idle_work(self):
        """Idle time (PictureWidget.schedule_idle): the profiles of one neighbouring setting
        (kept, see _profiles); when all are kept, the background of one y range they lack;
        then the pixels of one title they show."""
        near = self.neighbours()
        for setting in near:                                # the profiles first, one per loop turn
            if setting not in self._profile_cache:
                self._profiles(*setting)
                return True
        ax = self.figure.axes
        if self.draw_ahead((self._profiles(*setting) for setting in near),
                           lambda profiles: ax.set_ylim(*y_limits(profiles)), self.profiles):
            return True
        renderer = self.figure.canvas.get_renderer()
        return any(self.title.prepare(self.title_text(*setting), renderer) for setting in near)

    @in_style
    def update(self):
        """Recompute the four profiles for the current controls and redraw."""
        d, init, seed = int(self.depth.value), self.init.value, int(self.seed.value)
        chosen = self.activation.value
        self.profiles = self._profiles(d, init, seed)
        layers = np.arange(1, d + 2)
        ax = self.figure.axes
        for name, line in self.lines.items():
            norms = self.profiles[name]
            line.set_data(layers, np.where((norms > 0) & np.isfinite(norms), norms, np.nan))
            line.set_linewidth(3.0 if name == chosen else 1.2)
            line.set_alpha(1.0 if name == chosen else 0.55)
        ax.set_ylim(*y_limits(self.profiles))
        self.title.set_text(self.title_text(d, init, seed))
        norms = self.profiles[chosen]
        ratio = depth_mod.first_to_last_ratio(norms)
        factor = depth_mod.shrink_per_layer(norms)
        factor_txt = TEXT("factor", factor=f"{factor:.3f}") if np.isfinite(factor) else TEXT("no_factor")
        self.summary.value = TEXT(
            "depth_summary", name=html.escape(chosen), first=f"{norms[0]:.2e}", last=f"{norms[-1]:.2e}",
            ratio=f"{ratio:.2e}", factor=factor_txt, verdict=verdict(norms))
        self.figure.refresh()

    # --- static export (widgets.static): the lesson's grid, for a page without a kernel ------
    def static_state(self):
        """{"depth", "activation", "init", "seed"}: the controls now."""
        return {"depth": int(self.depth.value), "activation": self.activation.value, "init": self.init.value,
                "seed": int(self.seed.value)}

    def static_controls(self):
        """Depth 2..20 at 6 positions, every activation and initialisation, seeds 0, 1, 2
        (static.DEPTH)."""
        from .static import DEPTH, choices, slider
        state = self.static_state()
        return [slider("depth", self.depth.description, DEPTH["depth"], state["depth"],
                       grid="2, 4, 6, 10, 15, 20"),
                choices("activation", self.activation.description, self.activation.options, state["activation"],
                        grid="every activation"),
                choices("init", self.init.description, self.init.options, state["init"],
                        grid="every initialisation"),
                slider("seed", self.seed.description, DEPTH["seed"], state["seed"], grid="seeds 0, 1, 2")]

    def static_frame(self, state):
        """The controls set to `state`: the picture and the numbers as this explorer shows them."""
        from .static import Frame, frame_png
        self.depth.value = int(state["depth"])
        self.activation.value = state["activation"]
        self.init.value = state["init"]
        self.seed.value = int(state["seed"])
        return Frame(frame_png(self.figure), self.summary.value)


class WidthExplorer(PictureWidget):
    """Underfitting and overfitting, one width at a time, from a finished depth.width_sweep.

    Control: `width` (SelectionSlider "hidden units"). Left: the data (training dots,
    held-out crosses) and the chosen network's curve (`plot_fits`); right: training and
    held-out loss against the width (`plot_width_sweep`), the chosen width marked. Nothing
    is retrained: the sweep's nets are drawn, so a change costs one render.
    lang="en" or "zh" (default the current language): every word it shows, kept as `lang`.
    """

    @made_in_language
    @in_style
    def __init__(self, sweep, X_train, t_train, X_test, t_test, width=None, n=301, figsize=(10.0, 3.6),
                 lang=None):
        self.sweep = sweep
        widths = [int(w) for w in sweep.widths]
        X_all = np.vstack([X_train, X_test])
        self.x_grid = np.linspace(X_all[:, 0].min(), X_all[:, 0].max(), n).reshape(-1, 1)
        self.curves = {w: net.forward(self.x_grid)[:, 0] for w, net in zip(widths, sweep.nets)}
        self.width = widgets.SelectionSlider(options=widths, value=widths[0] if width is None else width,
                                             continuous_update=True, **labelled(PICTURE_TEXT("hidden_units")))
        self.summary = widgets.HTML()
        self.figure = BlitFigureImage(figsize=figsize, nrows=1, ncols=2)
        self.figure.fig.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.9, wspace=0.25)
        ax_fit, ax_loss = self.figure.axes
        first = widths.index(self.width.value)
        plot_fits(X_train, t_train, X_test, t_test, [sweep.nets[first]], self.x_grid, ax=ax_fit,
                  labels=[TEXT("network")])
        self.fit_line = ax_fit.get_lines()[-1]              # the network's curve: moved per width
        all_t = np.concatenate([np.ravel(t_train), np.ravel(t_test)])
        ax_fit.set_ylim(*padded_limits(all_t, pad=0.35))
        ax_fit.set_xlim(self.x_grid[0, 0], self.x_grid[-1, 0])
        ax_fit.legend(loc="lower left", fontsize="small")
        plot_width_sweep(widths, sweep.train_loss, sweep.test_loss, ax=ax_loss)
        (self.mark,) = ax_loss.plot([], [], "o", markersize=14, markerfacecolor="none",
                                    markeredgecolor=COLORS["black"], markeredgewidth=2)
        ax_loss.set_ylim(0, 1.1 * float(max(sweep.train_loss.max(), sweep.test_loss.max())))
        ax_loss.legend(loc="upper center", fontsize="small")
        self.figure.declare(Scene(moving=[self.fit_line, self.mark, ax_fit.title]))   # the rest never changes
        self.watch(self.width)
        self.widget = widgets.VBox([self.width, self.summary, self.figure.image])
        self.update()

    @in_style
    def update(self):
        """Draw the chosen width's fit and mark it on the loss curves."""
        w = int(self.width.value)
        k = [int(v) for v in self.sweep.widths].index(w)
        tr, te = float(self.sweep.train_loss[k]), float(self.sweep.test_loss[k])
        self.fit_line.set_data(self.x_grid[:, 0], self.curves[w])
        self.mark.set_data([w], [te])
        units = TEXT("units_1" if w == 1 else "units_n", w=w)
        self.figure.axes[0].set_title(units)
        best = self.sweep.best_width
        where = TEXT("best" if w == best else "under" if w < best else "over")
        self.summary.value = TEXT("width_summary", units=units, train=f"{tr:.4f}", test=f"{te:.4f}",
                                  where=where, best=best)
        self.figure.refresh()

    # --- static export (widgets.static): every width, for a page without a kernel ------------
    def static_state(self):
        """{"width": the width shown now}."""
        return {"width": int(self.width.value)}

    def static_controls(self):
        """The width slider at every width of the sweep."""
        from .static import slider
        return [slider("width", self.width.description, tuple(int(w) for w in self.sweep.widths),
                       int(self.width.value), grid="every width of the sweep")]

    def static_frame(self, state):
        """The picture and the numbers at state["width"]."""
        from .static import Frame, frame_png
        self.width.value = int(state["width"])
        return Frame(frame_png(self.figure), self.summary.value)
