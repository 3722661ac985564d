"""Sliders for notebooks 08 (activations, losses) and 09 (depth, initialisation).

- `ActivationExplorer`: pick an activation, the input range and a point z₀: f and f'
  are redrawn, with f(z₀), f'(z₀) and the largest f' on the range.
- `LossExplorer`: target t and prediction y for MSE / MAE, true label and probability p
  for cross-entropy: the loss and its gradient at the chosen point.
- `GradientDepthExplorer`: depth, activation, initialisation and seed of a deep network:
  the gradient size per layer (log scale), for sigmoid, tanh, ReLU and Leaky ReLU at once.
- `WidthExplorer`: a slider over the widths of a finished `depth.width_sweep`: the fit of
  each network on the data, and its training and held-out loss.

Every picture is a `BlitFigureImage` whose artists are updated in place: the axes, curves
and legends are drawn once per setting that moves them (`background_key`), a slider that
only moves a point redraws just that point. Every number comes from the core. `update()` is the controls' callback; it never raises and never shows NaN
(tests call it directly over a grid of values).
"""
import html

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import NullLocator

from .. import depth as depth_mod
from ..losses import get_loss
from ..plotting.functions import ACTIVATION_NAMES, activation_curves, loss_curve
from ..plotting.style import COLORS
from .canvas import BlitFigureImage, PictureWidget


def _label(description, width="initial"):
    return {"description": description, "style": {"description_width": width}}


def _limits(*arrays, pad=0.08):
    """(lo, hi) around the finite values of the arrays, never empty."""
    vals = np.concatenate([np.ravel(a) for a in arrays])
    vals = vals[np.isfinite(vals)]
    if vals.size == 0:
        return -1.0, 1.0
    lo, hi = float(vals.min()), float(vals.max())
    span = max(hi - lo, 1e-3)
    return lo - pad * span, hi + pad * span


class ActivationExplorer(PictureWidget):
    """An activation f and its derivative f' over a chosen input range.

    Controls: `activation` (Dropdown "activation f"), `z_range` (FloatRangeSlider "input
    range z"), `z0` (FloatSlider "point z₀"). `summary` (HTML): f(z₀), f'(z₀), the largest
    f' on the range and where. `figure` (FigureImage): f left, f' right, z₀ marked.
    """

    def __init__(self, activation="sigmoid", z_range=(-6.0, 6.0), z0=0.0, n=301, figsize=(9.0, 3.2)):
        self.n = int(n)
        self.activation = widgets.Dropdown(options=list(ACTIVATION_NAMES), value=activation,
                                           **_label("activation f"))
        self.z_range = widgets.FloatRangeSlider(value=tuple(z_range), min=-10.0, max=10.0, step=0.5,
                                                readout_format=".1f", continuous_update=False,
                                                **_label("input range z"))
        self.z0 = widgets.FloatSlider(value=z0, min=-10.0, max=10.0, step=0.1, readout_format=".1f",
                                      continuous_update=False, **_label("point z₀"))
        self.summary = widgets.HTML()
        self.figure = BlitFigureImage(figsize=figsize, nrows=1, ncols=2)
        self.figure.fig.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.88, wspace=0.25)
        ax_f, ax_d = self.figure.axes
        for ax in (ax_f, ax_d):
            ax.axhline(0, color=COLORS["grey"], linewidth=0.6)
            ax.axvline(0, color=COLORS["grey"], linewidth=0.6)
            ax.set_xlabel("z")
        (self.f_line,) = ax_f.plot([], [], color=COLORS["blue"])
        (self.d_line,) = ax_d.plot([], [], color=COLORS["orange"])
        (self.f_dot,) = ax_f.plot([], [], "o", color=COLORS["red"])
        (self.d_dot,) = ax_d.plot([], [], "o", color=COLORS["red"])
        (self.d_max,) = ax_d.plot([], [], "v", color=COLORS["black"], label="largest f'")
        ax_d.legend(loc="upper right")
        self.figure.animated = [self.f_dot, self.d_dot]     # z₀ moves only these
        self.watch(self.activation, self.z_range, self.z0)
        self.widget = widgets.VBox([widgets.HBox([self.activation, self.z0]), self.z_range,
                                    self.summary, self.figure.image])
        self.update()

    def values(self):
        """(z, f(z), f'(z)) on the current range, and (f(z₀), f'(z₀)), from the core."""
        lo, hi = self.z_range.value
        if hi <= lo:
            hi = lo + 1.0
        z = np.linspace(lo, hi, self.n)
        a, da = activation_curves(self.activation.value, z)
        a0, da0 = activation_curves(self.activation.value, [self.z0.value])
        return z, a, da, float(a0[0]), float(da0[0])

    def update(self):
        """Recompute the curves for the current controls; refresh the numbers and the picture."""
        name = self.activation.value
        z, a, da, a0, da0 = self.values()
        z0 = float(self.z0.value)
        k = int(np.argmax(da))
        ax_f, ax_d = self.figure.axes
        self.f_line.set_data(z, a)
        self.d_line.set_data(z, da)
        inside = z[0] <= z0 <= z[-1]
        self.f_dot.set_data([z0] if inside else [], [a0] if inside else [])
        self.d_dot.set_data([z0] if inside else [], [da0] if inside else [])
        self.d_max.set_data([z[k]], [da[k]])
        for ax, ys in ((ax_f, a), (ax_d, da)):
            ax.set_xlim(z[0], z[-1])
            ax.set_ylim(*_limits(ys, [0.0]))
        soft = name == "softmax"
        ax_f.set_title("softmax of (z, 0): a₁" if soft else f"{name}: f(z)")
        ax_d.set_title("∂a₁/∂z₁ = a₁(1 − a₁)" if soft else f"{name}: f'(z)")
        f_sym, d_sym = ("a₁", "∂a₁/∂z₁") if soft else ("f", "f'")
        outside = "" if inside else " (z₀ is outside the drawn range)"
        self.summary.value = (
            f"<b>{html.escape(name)}</b>: {f_sym}(z₀ = {z0:.2f}) = {a0:.4f}, "
            f"{d_sym}(z₀) = {da0:.4f}{outside}<br>largest {d_sym} on [{z[0]:.1f}, {z[-1]:.1f}]: "
            f"{da[k]:.4f} at z = {z[k]:.2f}")
        self.figure.background_key = (name, z[0], z[-1])
        self.figure.refresh()



class LossExplorer(PictureWidget):
    """Regression losses against the prediction, cross-entropy against the probability.

    Controls: `target` ("target t"), `prediction` ("prediction y") for MSE and MAE;
    `label` ("true label") and `probability` ("predicted probability p") for binary
    cross-entropy. `summary` (HTML): each loss and its gradient at the chosen point.
    """

    def __init__(self, target=1.0, prediction=2.5, label=1, probability=0.2, figsize=(9.0, 3.4)):
        self.y_grid = np.linspace(-2.0, 4.0, 241)
        self.p_grid = np.linspace(0.005, 0.995, 199)
        self.target = widgets.FloatSlider(value=target, min=-1.0, max=3.0, step=0.1, readout_format=".1f",
                                          continuous_update=False, **_label("target t"))
        self.prediction = widgets.FloatSlider(value=prediction, min=-2.0, max=4.0, step=0.1,
                                              readout_format=".1f", continuous_update=False,
                                              **_label("prediction y"))
        self.label = widgets.ToggleButtons(options=[("class 1", 1), ("class 0", 0)], value=label,
                                           **_label("true label"))
        self.probability = widgets.FloatSlider(value=probability, min=0.01, max=0.99, step=0.01,
                                               readout_format=".2f", continuous_update=False,
                                               **_label("predicted probability p (of class 1)"))
        self.summary = widgets.HTML()
        self.figure = BlitFigureImage(figsize=figsize, nrows=1, ncols=2)
        self.figure.fig.subplots_adjust(left=0.08, right=0.98, bottom=0.16, top=0.88, wspace=0.25)
        ax_r, ax_c = self.figure.axes
        (self.mse_line,) = ax_r.plot([], [], color=COLORS["blue"], label="MSE (L2)")
        (self.mae_line,) = ax_r.plot([], [], color=COLORS["orange"], label="MAE (L1)")
        (self.mse_dot,) = ax_r.plot([], [], "o", color=COLORS["blue"])
        (self.mae_dot,) = ax_r.plot([], [], "o", color=COLORS["orange"])
        self.t_mark = ax_r.axvline(target, color=COLORS["grey"], linestyle=":")
        ax_r.set_xlim(self.y_grid[0], self.y_grid[-1])
        # (y - t)² on the grid reaches 9 to 25 for every target t on the slider: one fixed loss axis
        ax_r.set_ylim(0, 12.0 * 1.05)
        ax_r.set_xlabel("prediction y")
        ax_r.set_ylabel("loss")
        ax_r.legend(loc="upper center")
        (self.ce_line,) = ax_c.plot([], [], color=COLORS["green"], label="cross-entropy")
        (self.sq_line,) = ax_c.plot([], [], color=COLORS["grey"], linestyle="--", label="squared error")
        (self.ce_dot,) = ax_c.plot([], [], "o", color=COLORS["green"])
        ax_c.set_xlim(0, 1)
        ax_c.set_ylim(0, 5.0)
        ax_c.set_xlabel("predicted probability p of class 1")
        ax_c.legend(loc="upper center")
        # the axes never change (drawn once); t and the label change the curves, the target mark,
        # the titles (and the legends drawn over them): one background per (t, label); y and p
        # move only the points
        self.figure.layer = [self.mse_line, self.mae_line, self.t_mark, self.ce_line, self.sq_line,
                             ax_r.get_legend(), ax_c.get_legend(), ax_r.title, ax_c.title]
        self.figure.animated = [self.mse_dot, self.mae_dot, self.ce_dot]
        self.watch(self.target, self.prediction, self.label, self.probability)
        self.widget = widgets.VBox([widgets.HBox([self.target, self.prediction]),
                                    widgets.HBox([self.label, self.probability]),
                                    self.summary, self.figure.image])
        self._curves = {}
        self.update()

    def update(self):
        """Recompute both panels for the current controls and refresh."""
        t, y = float(self.target.value), float(self.prediction.value)
        label, p = int(self.label.value), float(self.probability.value)
        if len(self._curves) > 256:
            self._curves.clear()
        if ("t", t) not in self._curves:            # the curves change only with t or the label:
            self._curves["t", t] = (loss_curve("mse", self.y_grid, t)[0],     # kept per value
                                    loss_curve("mae", self.y_grid, t)[0])
        if ("label", label) not in self._curves:
            self._curves["label", label] = (loss_curve("binary_cross_entropy", self.p_grid, float(label))[0],
                                            loss_curve("mse", self.p_grid, float(label))[0])
        (mse, mae), (ce, sq) = self._curves["t", t], self._curves["label", label]
        mse0, mae0, ce0 = (get_loss(n)([[v]], [[w]]) for n, v, w in
                           (("mse", y, t), ("mae", y, t), ("binary_cross_entropy", p, label)))
        g_mse, g_mae, g_ce = (float(get_loss(n).grad([[v]], [[w]])[0, 0]) for n, v, w in
                              (("mse", y, t), ("mae", y, t), ("binary_cross_entropy", p, label)))
        ax_r, ax_c = self.figure.axes
        self.mse_line.set_data(self.y_grid, mse)
        self.mae_line.set_data(self.y_grid, mae)
        self.mse_dot.set_data([y], [mse0])
        self.mae_dot.set_data([y], [mae0])
        self.t_mark.set_xdata([t, t])
        ax_r.set_title(f"regression, target t = {t:.1f}")
        self.ce_line.set_data(self.p_grid, ce)
        self.sq_line.set_data(self.p_grid, sq)
        self.ce_dot.set_data([p], [ce0])
        ax_c.set_title(f"classification, true label {label}: " + ("−log p" if label == 1 else "−log(1 − p)"))
        self.summary.value = (
            f"MSE = (y − t)² = {mse0:.4f}, ∂L/∂y = {g_mse:.4f} &nbsp;|&nbsp; "
            f"MAE = |y − t| = {mae0:.4f}, ∂L/∂y = {g_mae:.4f}<br>"
            f"cross-entropy (label {label}, p = {p:.2f}) = {ce0:.4f}, ∂L/∂p = {g_ce:.4f}")
        self.figure.background_key = (t, label)
        self.figure.refresh()



INIT_LABELS = {"uniform": "uniform [−1, 1]", "xavier": "Xavier σ = √(2/(n_in+n_out))",
               "he": "He σ = √(2/n_in)"}
DEPTH_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu")


def verdict(norms):
    """A few words on a gradient profile (norms: (n_layers,), input layer first)."""
    ratio = depth_mod.first_to_last_ratio(norms)
    # the factor per layer is a trend: trusted from 4 hidden layers on
    factor = depth_mod.shrink_per_layer(norms) if len(norms) >= 5 else 1.0
    if ratio < 1e-3 or factor < 0.6:
        return "vanishing: the gradient shrinks layer by layer towards the input"
    if ratio > 1e3 or factor > 1.25:
        return "exploding towards the input: the gradient grows layer by layer"
    if np.max(norms) > 1e3:
        return "exploding: large gradients everywhere (the forward signal grows layer by layer)"
    if ratio < 0.1:
        return "shrinking: the first layer gets less than a tenth of the output layer's gradient"
    if np.max(norms) < 1e-2:
        return "small everywhere: the forward signal has died out, every layer learns slowly"
    return "healthy: every layer gets a gradient of a similar size"


class GradientDepthExplorer(PictureWidget):
    """Gradient size per layer of a deep network, for four activations at once.

    Controls: `depth` ("depth (hidden layers)", 2-20), `activation` ("activation f",
    the highlighted curve), `init` ("initialisation"), `seed` ("random seed").
    Each curve is `depth.gradient_profile(depth, activation, init, width, seed)`:
    ‖∂L/∂W_l‖ after one forward and backward pass on a random batch. `profiles` holds
    the last numbers; `summary` (HTML) gives the highlighted curve's first-to-last ratio.
    """

    def __init__(self, depth=10, activation="sigmoid", init="xavier", seed=0, width=32,
                 figsize=(7.5, 3.6)):
        self.width = int(width)
        self.depth = widgets.IntSlider(value=depth, min=2, max=20, continuous_update=False,
                                       **_label("depth (hidden layers)"))
        self.activation = widgets.Dropdown(options=list(DEPTH_ACTIVATIONS), value=activation,
                                           **_label("activation f"))
        self.init = widgets.Dropdown(options=[(v, k) for k, v in INIT_LABELS.items()], value=init,
                                     **_label("initialisation"))
        self.seed = widgets.IntSlider(value=seed, min=0, max=20, continuous_update=False,
                                      **_label("random seed"))
        self.summary = widgets.HTML()
        self.figure = BlitFigureImage(figsize=figsize, nrows=1, ncols=1)
        self.figure.fig.subplots_adjust(left=0.11, right=0.8, bottom=0.15, top=0.9)
        ax = self.figure.axes
        ax.set_yscale("log")
        ax.set_xlabel("layer (1 = first hidden layer, last = output layer)")
        ax.set_ylabel("gradient size ‖∂L/∂W‖")
        ax.grid(True, which="major", alpha=0.3)
        ax.yaxis.set_minor_locator(NullLocator())          # minor log ticks would double the render time
        colors = [COLORS[c] for c in ("blue", "orange", "green", "red")]
        self.lines = {name: ax.plot([], [], "o-", color=c, markersize=4, label=name)[0]
                      for name, c in zip(DEPTH_ACTIVATIONS, colors)}
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
        # one x axis for every depth (the curve grows with the depth), y limits in steps of 3
        # decades: the axes are drawn once per y range, a change redraws the lines and the title
        ax.set_xlim(0.5, self.depth.max + 1.5)
        ax.set_xticks([1] + list(range(5, self.depth.max + 2, 5)))
        self.figure.animated = list(self.lines.values()) + [ax.title]
        self._profile_cache = {}
        self.watch(self.depth, self.activation, self.init, self.seed)
        self.widget = widgets.VBox([widgets.HBox([self.depth, self.activation]),
                                    widgets.HBox([self.init, self.seed]),
                                    self.summary, self.figure.image])
        self.profiles = {}
        self.update()

    def update(self):
        """Recompute the four profiles for the current controls and redraw."""
        d, init, seed = int(self.depth.value), self.init.value, int(self.seed.value)
        chosen = self.activation.value
        key = (d, init, seed)
        if key not in self._profile_cache:          # the activation control only changes the highlight
            if len(self._profile_cache) >= 64:
                self._profile_cache.clear()
            self._profile_cache[key] = {name: depth_mod.gradient_profile(d, name, init, self.width, seed)
                                        for name in DEPTH_ACTIVATIONS}
        self.profiles = self._profile_cache[key]
        layers = np.arange(1, d + 2)
        ax = self.figure.axes
        for name, line in self.lines.items():
            norms = self.profiles[name]
            line.set_data(layers, np.where((norms > 0) & np.isfinite(norms), norms, np.nan))
            line.set_linewidth(3.0 if name == chosen else 1.2)
            line.set_alpha(1.0 if name == chosen else 0.55)
        shown = np.concatenate([n[(n > 0) & np.isfinite(n)] for n in self.profiles.values()])
        lo, hi = (shown.min(), shown.max()) if shown.size else (1e-3, 1.0)
        # y limits in steps of 3 decades: they (and the drawn axes) stay put while a slider moves
        ylim = (1e3 ** np.floor(np.log10(lo / 3.0) / 3.0), 1e3 ** np.ceil(np.log10(hi * 3.0) / 3.0))
        ax.set_ylim(*ylim)
        ax.set_title(f"depth {d}, {INIT_LABELS[init]}, seed {seed}")
        norms = self.profiles[chosen]
        ratio = depth_mod.first_to_last_ratio(norms)
        factor = depth_mod.shrink_per_layer(norms)
        factor_txt = f"×{factor:.3f} per hidden layer" if np.isfinite(factor) else "no hidden-layer factor"
        self.summary.value = (
            f"<b>{html.escape(chosen)}</b>: first layer ‖∂L/∂W₁‖ = {norms[0]:.2e}, "
            f"output layer {norms[-1]:.2e}, ratio {ratio:.2e} ({factor_txt}, going backwards)"
            f"<br>{verdict(norms)}")
        self.figure.background_key = ylim
        self.figure.refresh()



class WidthExplorer(PictureWidget):
    """Underfitting and overfitting, one width at a time, from a finished depth.width_sweep.

    Control: `width` (SelectionSlider "hidden units"). Left: the data (training dots,
    held-out crosses) and the chosen network's curve; right: training and held-out loss
    against the width, the chosen width marked. Nothing is retrained: the sweep's nets
    are drawn, so a change costs one render.
    """

    def __init__(self, sweep, X_train, t_train, X_test, t_test, width=None, n=301, figsize=(10.0, 3.6)):
        self.sweep = sweep
        widths = [int(w) for w in sweep.widths]
        X_all = np.vstack([X_train, X_test])
        self.x_grid = np.linspace(X_all[:, 0].min(), X_all[:, 0].max(), n).reshape(-1, 1)
        self.curves = {w: net.forward(self.x_grid)[:, 0] for w, net in zip(widths, sweep.nets)}
        self.width = widgets.SelectionSlider(options=widths, value=widths[0] if width is None else width,
                                             continuous_update=True, **_label("hidden units"))
        self.summary = widgets.HTML()
        self.figure = BlitFigureImage(figsize=figsize, nrows=1, ncols=2)
        self.figure.fig.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.9, wspace=0.25)
        ax_fit, ax_loss = self.figure.axes
        ax_fit.plot(X_train[:, 0], np.ravel(t_train), "o", color=COLORS["black"], label="training data")
        ax_fit.plot(X_test[:, 0], np.ravel(t_test), "x", color=COLORS["grey"], label="held-out data")
        (self.fit_line,) = ax_fit.plot([], [], color=COLORS["red"], label="network")
        all_t = np.concatenate([np.ravel(t_train), np.ravel(t_test)])
        ax_fit.set_ylim(*_limits(all_t, pad=0.35))
        ax_fit.set_xlim(self.x_grid[0, 0], self.x_grid[-1, 0])
        ax_fit.set_xlabel("x")
        ax_fit.legend(loc="lower left", fontsize="small")
        ax_loss.semilogx(widths, sweep.train_loss, "o-", color=COLORS["blue"], label="training loss")
        ax_loss.semilogx(widths, sweep.test_loss, "s-", color=COLORS["red"], label="held-out loss")
        (self.mark,) = ax_loss.plot([], [], "o", markersize=14, markerfacecolor="none",
                                    markeredgecolor=COLORS["black"], markeredgewidth=2)
        ax_loss.xaxis.set_minor_locator(NullLocator())
        ax_loss.set_xticks(widths)
        ax_loss.set_xticklabels([str(w) for w in widths])
        ax_loss.set_ylim(0, 1.1 * float(max(sweep.train_loss.max(), sweep.test_loss.max())))
        ax_loss.set_xlabel("hidden units")
        ax_loss.set_ylabel("MSE")
        ax_loss.legend(loc="upper center", fontsize="small")
        self.figure.animated = [self.fit_line, self.mark, ax_fit.title]   # the rest never changes
        self.watch(self.width)
        self.widget = widgets.VBox([self.width, self.summary, self.figure.image])
        self.update()

    def update(self):
        """Draw the chosen width's fit and mark it on the loss curves."""
        w = int(self.width.value)
        k = [int(v) for v in self.sweep.widths].index(w)
        tr, te = float(self.sweep.train_loss[k]), float(self.sweep.test_loss[k])
        self.fit_line.set_data(self.x_grid[:, 0], self.curves[w])
        self.mark.set_data([w], [te])
        self.figure.axes[0].set_title(f"{w} hidden unit" if w == 1 else f"{w} hidden units")
        best = self.sweep.best_width
        where = ("the smallest held-out loss" if w == best else
                 "fewer units than the best: underfitting side" if w < best else
                 "more units than the best: overfitting side")
        units = "hidden unit" if w == 1 else "hidden units"
        self.summary.value = (f"{w} {units}: training MSE {tr:.4f}, held-out MSE {te:.4f} "
                              f"({where}; best width {best})")
        self.figure.refresh()

