"""Pictures of activation functions, loss functions and gradient size per layer (seeds 003, 004).

Every curve is computed by the core (`activations.curve`, `losses.curve`,
`depth.gradient_profile`); this module only draws.

    fig = plot_activations()                    # all nine activations and their derivatives
    fig = plot_losses(t=1.0)                    # MSE, MAE vs prediction; cross-entropy vs p
    fig = plot_gradient_profiles({"sigmoid": norms, ...})
    panels = ActivationPanels(ax_f, ax_d); panels.show("tanh", z); panels.mark(z0, a0, da0)
    panels = LossPanels(ax_r, ax_c, y_grid, p_grid); panels.show(t, label); panels.mark(...)

The two panel classes draw the pictures of notebook 08's explorers and move them in place:
they list which of their artists move (`moving`) and which change with a slower control
(`layer`), for the widget's Scene.

When `ax` is None a picture gets its own figure, made with pyplot and closed at once (as the
last expression of a cell it shows once). Given `ax`, pyplot is not touched (the widgets).
Titles, axis labels and legends are in the current language (bp.set_language).
"""
import numpy as np
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullLocator

from ..activations import NAMES as ACTIVATION_NAMES
from ..activations import curve as activation_curves
from ..i18n import Catalogue
from ..limits import padded_limits
from ..losses import curve as loss_curve
from ..lru import LRU
from . import style
from .style import COLORS

TEXT = Catalogue(
    en={"softmax": "softmax of (z, 0): a₁ and ∂a₁/∂z₁",
        "layers_n": "number of layers n", "share_left": "gradient share left",
        "mse": "MSE (L2): (y - t)²", "mae": "MAE (L1): |y - t|",
        "prediction": "prediction y", "loss": "loss", "regression": "regression, target t = {t}",
        "ce1": "cross-entropy, label 1: -log p", "ce0": "cross-entropy, label 0: -log(1-p)",
        "sq1": "squared error, label 1", "probability": "predicted probability p of class 1",
        "classification": "classification",
        "layer": "layer (1 = first hidden layer, last = output layer)",
        "gradient_size": "gradient size ‖∂L/∂W‖",
        "train_loss": "training loss", "test_loss": "held-out (test) loss", "hidden_units": "hidden units",
        "train_data": "training data", "test_data": "held-out data", "net": "net {k}",
        # ActivationPanels
        "f_title": "{name}: f(z)", "d_title": "{name}: f'(z)", "softmax_f": "softmax of (z, 0): a₁",
        "largest": "largest f'",
        # LossPanels
        "mse_short": "MSE (L2)", "mae_short": "MAE (L1)", "ce": "cross-entropy", "squared": "squared error",
        "classification_label": "classification, true label {label}: {formula}",
        "name.identity": "identity"},
    zh={"softmax": "(z, 0) 的 softmax：a₁ 与 ∂a₁/∂z₁",
        "layers_n": "层数 n", "share_left": "剩下的梯度比例",
        "mse": "MSE（L2）：(y - t)²", "mae": "MAE（L1）：|y - t|",
        "prediction": "预测值 y", "loss": "损失", "regression": "回归，目标值 t = {t}",
        "ce1": "交叉熵，标签 1：-log p", "ce0": "交叉熵，标签 0：-log(1-p)",
        "sq1": "平方误差，标签 1", "probability": "预测为类别 1 的概率 p",
        "classification": "分类",
        "layer": "层（1 = 第一个隐藏层，最后一个 = 输出层）",
        "gradient_size": "梯度大小 ‖∂L/∂W‖",
        "train_loss": "训练损失", "test_loss": "验证集（测试）损失", "hidden_units": "隐藏单元数",
        "train_data": "训练数据", "test_data": "验证集数据", "net": "网络 {k}",
        "f_title": "{name}：f(z)", "d_title": "{name}：f'(z)", "softmax_f": "(z, 0) 的 softmax：a₁",
        "largest": "最大的 f'",
        "mse_short": "MSE（L2）", "mae_short": "MAE（L1）", "ce": "交叉熵", "squared": "平方误差",
        "classification_label": "分类，真实标签 {label}：{formula}",
        "name.identity": "恒等"},
)


def activation_name(name):
    """An activation's name as a lesson of the edition writes it: the package's name (sigmoid,
    tanh, relu, softmax, ...), except identity, 恒等 in Chinese (恒等函数 in the lessons)."""
    return TEXT("name.identity") if name == "identity" else name

def zero_lines(ax):
    """The axes z = 0 and y = 0 as thin grey lines."""
    ax.axhline(0, color=COLORS["grey"], linewidth=0.6)
    ax.axvline(0, color=COLORS["grey"], linewidth=0.6)


@style.styled
def draw_activation(ax, name, z):
    """f (solid) and f' (dashed) of one activation into ax. Returns the two Line2D."""
    a, da = activation_curves(name, z)
    (f_line,) = ax.plot(z, a, color=COLORS["blue"], label="f(z)")
    (d_line,) = ax.plot(z, da, color=COLORS["orange"], linestyle="--", label="f'(z)")
    zero_lines(ax)
    title = TEXT("softmax") if name == "softmax" else activation_name(name)
    style.use_fonts(ax)
    ax.set_title(title)
    ax.set_xlabel("z")
    return f_line, d_line


@style.styled
def plot_activations(names=ACTIVATION_NAMES, z_range=(-5.0, 5.0), n=401, ncols=3):
    """A grid of every activation with its derivative. Returns the Figure."""
    names = list(names)
    nrows = int(np.ceil(len(names) / ncols))
    s = style.scale()
    fig, axes = style.new_figure((4.0 * ncols * s, 2.7 * nrows * s), nrows, ncols, squeeze=False)
    z = np.linspace(z_range[0], z_range[1], n)
    for ax, name in zip(axes.flat, names):
        draw_activation(ax, name, z)
        ax.set_ylim(-1.5, 3.0)
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    axes.flat[0].legend(loc="upper left")
    fig.tight_layout()
    return fig


@style.styled
def plot_power(factor=0.25, n_max=20, ax=None, threshold=None):
    """factor^n for n = 0..n_max on a log scale: the largest share of the gradient left after
    n layers whose derivative is at most `factor`. threshold: a horizontal line to compare with."""
    if ax is None:
        _, ax = style.new_figure((5.5 * style.scale(), 3.2 * style.scale()))
    style.use_fonts(ax)
    n = np.arange(n_max + 1)
    ax.semilogy(n, factor ** n.astype(float), "o-", color=COLORS["blue"], label=f"{factor:g}ⁿ")
    if threshold is not None:
        ax.axhline(threshold, color=COLORS["red"], linestyle=":", label=f"{threshold:g}")
    ax.set_xlabel(TEXT("layers_n"))
    ax.set_ylabel(TEXT("share_left"))
    ax.legend()
    ax.grid(True, which="major", alpha=0.3)
    return ax.figure


@style.styled
def draw_regression_losses(ax, t=1.0, y_range=(-2.0, 4.0), n=241):
    """MSE (t - y)^2 and MAE |t - y| of one sample against the prediction y. Returns the lines."""
    y = np.linspace(y_range[0], y_range[1], n)
    mse, _ = loss_curve("mse", y, t)
    mae, _ = loss_curve("mae", y, t)
    (l1,) = ax.plot(y, mse, color=COLORS["blue"], label=TEXT("mse"))
    (l2,) = ax.plot(y, mae, color=COLORS["orange"], label=TEXT("mae"))
    style.use_fonts(ax)
    ax.set_xlabel(TEXT("prediction"))
    ax.set_ylabel(TEXT("loss"))
    ax.set_title(TEXT("regression", t=f"{t:g}"))
    ax.legend(loc="upper center")
    return l1, l2


@style.styled
def draw_classification_losses(ax, n=199):
    """Binary cross-entropy of one sample against the predicted probability p, for the true
    label 1 (-log p) and 0 (-log(1 - p)), and the squared error (p - 1)^2 for comparison."""
    p = np.linspace(0.005, 0.995, n)
    ce1, _ = loss_curve("binary_cross_entropy", p, 1.0)
    ce0, _ = loss_curve("binary_cross_entropy", p, 0.0)
    sq1, _ = loss_curve("mse", p, 1.0)
    lines = ax.plot(p, ce1, color=COLORS["blue"], label=TEXT("ce1"))
    lines += ax.plot(p, ce0, color=COLORS["green"], label=TEXT("ce0"))
    lines += ax.plot(p, sq1, color=COLORS["grey"], linestyle="--", label=TEXT("sq1"))
    style.use_fonts(ax)
    ax.set_xlabel(TEXT("probability"))
    ax.set_ylabel(TEXT("loss"))
    ax.set_title(TEXT("classification"))
    ax.set_ylim(0, 5.5)
    ax.legend(loc="upper center")
    return lines


@style.styled
def plot_losses(t=1.0, y_range=(-2.0, 4.0)):
    """Two panels: MSE and MAE against the prediction; cross-entropy against p. Returns the Figure."""
    s = style.scale()
    fig, (ax1, ax2) = style.new_figure((11.0 * s, 3.8 * s), 1, 2)
    draw_regression_losses(ax1, t, y_range)
    draw_classification_losses(ax2)
    fig.tight_layout()
    return fig


class ActivationPanels:
    """One activation side by side with its derivative, moved in place (ActivationExplorer).

    f(z) in ax_f (blue), f'(z) in ax_d (orange, its largest value marked ▼), both with the
    axes z = 0 and y = 0, titled "name: f(z)" / "name: f'(z)" (softmax: its first output a₁
    of the logits (z, 0) and ∂a₁/∂z₁). show(name, z) draws the curves from the core;
    mark(z0, a0, da0) the point z₀ on both: the two dots are `moving`.
    """

    @style.styled
    def __init__(self, ax_f, ax_d):
        for ax in (ax_f, ax_d):
            zero_lines(ax)
            ax.set_xlabel("z")
        self.axes = ax_f, ax_d
        self.span = (0.0, 0.0)
        (self.f_line,) = ax_f.plot([], [], color=COLORS["blue"])
        (self.d_line,) = ax_d.plot([], [], color=COLORS["orange"])
        (self.f_dot,) = ax_f.plot([], [], "o", color=COLORS["red"])
        (self.d_dot,) = ax_d.plot([], [], "o", color=COLORS["red"])
        (self.d_max,) = ax_d.plot([], [], "v", color=COLORS["black"], label=TEXT("largest"))
        ax_d.legend(loc="upper right")
        self.moving = [self.f_dot, self.d_dot]

    @style.styled
    def show(self, name, z):
        """f and f' of activation `name` on the grid z (n,), increasing. Returns (a, da), (n,) each."""
        a, da = activation_curves(name, z)
        k = int(np.argmax(da))
        self.f_line.set_data(z, a)
        self.d_line.set_data(z, da)
        self.d_max.set_data([z[k]], [da[k]])
        self.span = (z[0], z[-1])
        for ax, ys in zip(self.axes, (a, da)):
            ax.set_xlim(z[0], z[-1])
            ax.set_ylim(*padded_limits(ys, [0.0]))
        ax_f, ax_d = self.axes
        soft = name == "softmax"
        ax_f.set_title(TEXT("softmax_f") if soft else TEXT("f_title", name=activation_name(name)))
        ax_d.set_title("∂a₁/∂z₁ = a₁(1 − a₁)" if soft else TEXT("d_title", name=activation_name(name)))
        return a, da

    def mark(self, z0, a0, da0):
        """The point z₀ on both curves: (z0, a0) and (z0, da0), hidden when z0 is outside the
        range shown. Returns True when it is shown."""
        inside = self.span[0] <= z0 <= self.span[1]
        self.f_dot.set_data([z0] if inside else [], [a0] if inside else [])
        self.d_dot.set_data([z0] if inside else [], [da0] if inside else [])
        return inside


class LossPanels:
    """The loss of one sample, moved in place (LossExplorer).

    Left (ax_r): MSE (y - t)² and MAE |y - t| against the prediction y on y_grid, the target t
    marked (dotted); right (ax_c): binary cross-entropy of the true label against the
    probability p of class 1 on p_grid, with the squared error for comparison. show(t, label)
    draws the curves, the mark and the titles: they are the `layer` (one per t and label);
    mark(y, p, mse, mae, ce) draws the three points: they are `moving`.
    """

    @style.styled
    def __init__(self, ax_r, ax_c, y_grid, p_grid, t=1.0):
        self.axes, self.y_grid, self.p_grid = (ax_r, ax_c), y_grid, p_grid
        self.curves = LRU(256)         # the curves change only with t or the label: kept per value
        (self.mse_line,) = ax_r.plot([], [], color=COLORS["blue"], label=TEXT("mse_short"))
        (self.mae_line,) = ax_r.plot([], [], color=COLORS["orange"], label=TEXT("mae_short"))
        (self.mse_dot,) = ax_r.plot([], [], "o", color=COLORS["blue"])
        (self.mae_dot,) = ax_r.plot([], [], "o", color=COLORS["orange"])
        self.t_mark = ax_r.axvline(t, color=COLORS["grey"], linestyle=":")
        ax_r.set_xlim(y_grid[0], y_grid[-1])
        # (y - t)² on y in [-2, 4] reaches 9 to 25 for every target t in [-1, 3]: one fixed loss axis
        ax_r.set_ylim(0, 12.0 * 1.05)
        ax_r.set_xlabel(TEXT("prediction"))
        ax_r.set_ylabel(TEXT("loss"))
        ax_r.legend(loc="upper center")
        (self.ce_line,) = ax_c.plot([], [], color=COLORS["green"], label=TEXT("ce"))
        (self.sq_line,) = ax_c.plot([], [], color=COLORS["grey"], linestyle="--", label=TEXT("squared"))
        (self.ce_dot,) = ax_c.plot([], [], "o", color=COLORS["green"])
        ax_c.set_xlim(0, 1)
        ax_c.set_ylim(0, 5.0)
        ax_c.set_xlabel(TEXT("probability"))
        ax_c.legend(loc="upper center")
        self.moving = [self.mse_dot, self.mae_dot, self.ce_dot]
        self.layer = [self.mse_line, self.mae_line, self.t_mark, self.ce_line, self.sq_line,
                      ax_r.get_legend(), ax_c.get_legend(), ax_r.title, ax_c.title]

    def curve(self, kind, value):
        """("t", t): MSE and MAE on y_grid; ("label", label): cross-entropy and squared error
        on p_grid; from the core, kept per value."""
        if (kind, value) not in self.curves:
            if kind == "t":
                pair = loss_curve("mse", self.y_grid, value)[0], loss_curve("mae", self.y_grid, value)[0]
            else:
                pair = (loss_curve("binary_cross_entropy", self.p_grid, float(value))[0],
                        loss_curve("mse", self.p_grid, float(value))[0])
            self.curves[kind, value] = pair
        return self.curves[kind, value]

    @style.styled
    def show(self, t, label):
        """The curves for target t and true label `label` (1 or 0), the target mark and the
        titles; `shown` is (t, label) from then on."""
        self.shown = (t, label)
        (mse, mae), (ce, sq) = self.curve("t", t), self.curve("label", label)
        ax_r, ax_c = self.axes
        self.mse_line.set_data(self.y_grid, mse)
        self.mae_line.set_data(self.y_grid, mae)
        self.t_mark.set_xdata([t, t])
        ax_r.set_title(TEXT("regression", t=f"{t:.1f}"))
        self.ce_line.set_data(self.p_grid, ce)
        self.sq_line.set_data(self.p_grid, sq)
        formula = "−log p" if label == 1 else "−log(1 − p)"
        ax_c.set_title(TEXT("classification_label", label=label, formula=formula))

    def mark(self, y, p, mse, mae, ce):
        """The points (y, mse) and (y, mae) on the left, (p, ce) on the right."""
        self.mse_dot.set_data([y], [mse])
        self.mae_dot.set_data([y], [mae])
        self.ce_dot.set_data([p], [ce])


@style.styled
def plot_gradient_profiles(profiles, ax=None, title=None, highlight=None):
    """Gradient size per layer on a log scale. profiles: {label: norms (n_layers,)}, input
    layer first, output layer last. Zeros cannot be drawn on a log axis and are left out."""
    if ax is None:
        _, ax = style.new_figure((6.5 * style.scale(), 3.8 * style.scale()))
    style.use_fonts(ax)
    colors = [COLORS[c] for c in ("blue", "orange", "green", "red", "purple", "sky", "black")]
    for k, (label, norms) in enumerate(profiles.items()):
        norms = np.asarray(norms, dtype=float)
        layers = np.arange(1, norms.size + 1)
        shown = np.where(norms > 0, norms, np.nan)
        width = 3.0 if label == highlight else 1.6
        # a marker and a dash of its own: curves that coincide (relu and leaky_relu) stay visible
        ax.semilogy(layers, shown, color=colors[k % len(colors)], linewidth=width,
                    marker="os^Dv"[k % 5], linestyle=("-", "--", "-.", ":")[k % 4],
                    markersize=4 + (k % 4), markerfacecolor="none" if k % 2 else None, label=label)
    ax.set_xlabel(TEXT("layer"))
    ax.set_ylabel(TEXT("gradient_size"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(power_of_ten))
    ax.grid(True, which="major", alpha=0.3)
    ax.legend()
    if title:
        ax.set_title(title)
    return ax.figure


SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_of_ten(value, pos=None):
    """A log axis' tick label as plain text: 1e-12 -> '10⁻¹²' (what matplotlib writes as
    mathtext, without parsing it: a new label costs no mathtext parse); other values '{:g}'."""
    if value > 0:
        k = round(np.log10(value))
        if np.isclose(value, 10.0 ** k, rtol=1e-9, atol=0.0):
            return "10" + str(k).translate(SUPERSCRIPTS)
    return f"{value:g}"


@style.styled
def plot_width_sweep(widths, train_loss, test_loss, ax=None):
    """Training and held-out loss against the number of hidden units (log x)."""
    if ax is None:
        _, ax = style.new_figure((6.0 * style.scale(), 3.6 * style.scale()))
    style.use_fonts(ax)
    ax.semilogx(widths, train_loss, "o-", color=COLORS["blue"], label=TEXT("train_loss"))
    ax.semilogx(widths, test_loss, "s-", color=COLORS["red"], label=TEXT("test_loss"))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticks(list(widths))
    ax.set_xticklabels([str(w) for w in widths])
    ax.set_xlabel(TEXT("hidden_units"))
    ax.set_ylabel("MSE")
    ax.set_ylim(bottom=0)
    ax.legend()
    ax.grid(True, alpha=0.3)
    return ax.figure


@style.styled
def plot_fits(X_train, t_train, X_test, t_test, nets, x_grid, ax=None, labels=None):
    """Data (training dots, held-out crosses) and each net's prediction over x_grid (n, 1)."""
    if ax is None:
        _, ax = style.new_figure((6.0 * style.scale(), 3.6 * style.scale()))
    style.use_fonts(ax)
    ax.plot(X_train[:, 0], np.ravel(t_train), "o", color=COLORS["black"], label=TEXT("train_data"))
    ax.plot(X_test[:, 0], np.ravel(t_test), "x", color=COLORS["grey"], label=TEXT("test_data"))
    colors = [COLORS[c] for c in ("orange", "green", "red", "purple")]
    for k, net in enumerate(nets):
        label = labels[k] if labels else TEXT("net", k=k + 1)
        ax.plot(x_grid[:, 0], net.forward(x_grid)[:, 0], color=colors[k % len(colors)], label=label)
    ax.set_xlabel("x")
    ax.set_ylabel("t")
    ax.legend(fontsize="small")
    return ax.figure
