"""Stepper: Next / Back through one training step, one unit at a time.

The steps are the rows of `bp.trace` (nothing is recomputed here): the forward pass unit
by unit (z, then o), the loss, the backward pass unit by unit (δ, from the output back),
then the update of every weight and bias (∂L/∂w, Δw, new w). Each step highlights its
unit (or edge) on the network picture and shows its formula with the numbers put in.
A network in training mode (net.train()) with a Dropout adds a step per unit of the
dropped level (its mask m); frozen parameters show Δ = 0.

    stepper = bp.widgets.Stepper(net, loss, X, t, optimizer=bp.SGD(lr=0.9))
    stepper            # in a notebook: the picture, the formula and the buttons
"""
from dataclasses import dataclass

import numpy as np

from ..i18n import Catalogue
from ..plotting import style
from ..plotting.network import draw_network
from ..trace import trace
from .drawing import FigureImage
from .picture import made_in_language
from .stepping import Caption, StepperBase

TEXT = Catalogue(
    en={"start_title": "the network before the step",
        "start_line": "weights on the edges, biases under the units",
        "start_explain": "press Next to run the forward pass one unit at a time",
        "forward_title": "forward: {quantity} of unit {name}",
        "loss_title": "loss ({name})", "target": " and target t = {t}",
        "backward_title": "backward: δ of unit {name}",
        "weight_title": "update: weight {name}", "bias_title": "update: bias of unit {name}",
        "explain_z": "weighted sum of the unit's inputs plus its bias",
        "explain_o": "the activation function turns z into the unit's output o",
        "explain_m": "dropout: the unit's output is kept and divided by 1 - p (m = 1/(1 - p)), "
                     "or dropped (m = 0); the next level sees o·m",
        "explain_L": "the loss compares the network's output with the target",
        "explain_delta_out": "δ = ∂L/∂z of an output unit: how the loss changes with its z",
        "explain_delta_hidden": "δ of a hidden unit: the δs of the next level, sent back along "
                                "the weights, times f'(z)",
        "explain_w": "each weight moves against its gradient ∂L/∂w = o_p·δ_q",
        "explain_b": "each bias moves against its gradient ∂L/∂b = δ_q",
        "new": "{kind} new",
        "repr": "Stepper: step {i} of {n} through one training step of a {sizes} network"},
    zh={"start_title": "这一步之前的网络",
        "start_line": "连线上是权重，单元下方是偏置",
        "start_explain": "按“下一步”，逐个单元地运行前向传播",
        "forward_title": "前向传播：单元 {name} 的 {quantity}",
        "loss_title": "损失（{name}）", "target": "，目标值 t = {t}",
        "backward_title": "反向传播：单元 {name} 的 δ",
        "weight_title": "更新：权重 {name}", "bias_title": "更新：单元 {name} 的偏置",
        "explain_z": "单元各输入的加权和，再加上它的偏置",
        "explain_o": "激活函数把 z 变成这个单元的输出 o",
        "explain_m": "dropout：这个单元的输出要么保留并除以 1 - p（m = 1/(1 - p)），"
                     "要么被丢弃（m = 0）；下一层看到的是 o·m",
        "explain_L": "损失函数比较网络的输出和目标值",
        "explain_delta_out": "输出单元的 δ = ∂L/∂z：损失随它的 z 如何变化",
        "explain_delta_hidden": "隐藏单元的 δ：下一层的 δ 沿着权重传回来，再乘以 f'(z)",
        "explain_w": "每个权重都朝着梯度 ∂L/∂w = o_p·δ_q 的反方向移动",
        "explain_b": "每个偏置都朝着梯度 ∂L/∂b = δ_q 的反方向移动",
        "new": "新的 {kind}",
        "repr": "Stepper：一步训练中的第 {i} 步（共 {n} 步），{sizes} 网络"},
)


@dataclass(frozen=True)
class NetworkStep:
    """One step of the Stepper: what it says and what its network picture shows.

    section: 'start' | 'forward' | 'loss' | 'backward' | 'update'; title, explain, lines:
    the caption (lines: the formulas with the numbers put in); value: the number the step
    computes (None at the start). The picture is draw_network(net, show=show,
    highlight=highlight, annotate=annotate, highlight_edges=highlight_edges,
    edge_values=edge_values)."""
    section: str
    title: str
    explain: str
    lines: tuple
    value: float | None = None
    show: str = "forward"
    highlight: object = None
    annotate: object = None
    highlight_edges: str | None = None
    edge_values: str = "weights"

    @property
    def caption(self):
        """The step's Caption (title, explain, lines)."""
        return Caption(self.title, self.explain, self.lines)


def with_value(formula, value, decimals):
    """'z = ... = terms' -> 'z = ... = terms = value'."""
    return f"{formula} = {value:.{decimals}f}"


def forward_steps(rows, input_names, sample, d, lang):
    """z, then o (then m after a dropout) of each unit, in the order the trace computed
    them; each picture writes the values computed so far."""
    computed = {n: ["x"] for n in input_names}       # inputs are known from the start
    steps = []
    for r in rows:
        if r.section != "forward" or r.sample != sample:
            continue
        computed.setdefault(r.name, []).append(r.quantity)
        steps.append(NetworkStep(
            "forward", TEXT("forward_title", lang, quantity=r.quantity, name=r.name),
            TEXT(f"explain_{r.quantity}", lang), (with_value(r.formula, r.value, d),),
            r.value, show="forward", highlight=r.name,
            annotate={k: list(v) for k, v in computed.items()},
            highlight_edges="in" if r.quantity == "z" else None))
    return steps


def loss_steps(rows, output_names, t, d, lang):
    """L = loss(y, t), the output units highlighted."""
    target = "" if t is None else TEXT("target", lang, t=np.array2string(
        np.asarray(t, dtype=float), precision=d, floatmode="fixed").replace("\n", ""))
    return [NetworkStep("loss", TEXT("loss_title", lang, name=r.name), TEXT("explain_L", lang),
                        (f"{r.formula}{target}", f"L = {r.value:.{d}f}"), r.value,
                        show="forward", highlight=list(output_names))
            for r in rows if r.section == "loss"]


def backward_steps(rows, output_names, sample, d, lang):
    """δ of each unit, from the output back; each picture writes the δs found so far."""
    done, steps = [], []
    for r in rows:
        if r.section != "backward" or r.sample != sample:
            continue
        done.append(r.name)
        is_out = r.name in output_names
        steps.append(NetworkStep(
            "backward", TEXT("backward_title", lang, name=r.name),
            TEXT("explain_delta_out" if is_out else "explain_delta_hidden", lang),
            (with_value(r.formula, r.value, d),), r.value, show="backward", highlight=r.name,
            annotate=list(done), highlight_edges=None if is_out else "out"))
    return steps


def update_steps(table, d, lang):
    """∂L/∂w, Δw and the new w of each weight and bias, ∂L/∂w on the edges."""
    steps = []
    for u in table.parameter_updates():
        kind = u.parameter
        step = (f"Δ{kind} = " + with_value(u.step.formula, u.step.value, d) if u.plain
                else f"Δ{kind} = {u.step.value:.{d}f}   ({u.step.formula})")
        lines = (with_value(u.gradient.formula, u.gradient.value, d), step,
                 TEXT("new", lang, kind=kind) + " = " + with_value(u.new.formula, u.new.value, d))
        title = TEXT("weight_title" if kind == "w" else "bias_title", lang, name=u.name)
        steps.append(NetworkStep("update", title, TEXT(f"explain_{kind}", lang), lines,
                                 u.new.value, show="backward", highlight=u.name,
                                 edge_values="gradients"))
    return steps


def build_steps(net, table, sample=0, t=None):
    """The steps of a TraceTable, a list of NetworkStep: the network before the step, the
    forward pass, the loss, the backward pass, the updates. The words are in the table's
    language (table.lang); forward and backward steps are those of sample `sample`."""
    d, lang, names, rows = table.decimals, table.lang, net.unit_names, table.rows
    start = NetworkStep("start", TEXT("start_title", lang), TEXT("start_explain", lang),
                        (TEXT("start_line", lang),), show="weights")
    return ([start] + forward_steps(rows, names[0], sample, d, lang)
            + loss_steps(rows, names[-1], t, d, lang)
            + backward_steps(rows, set(names[-1]), sample, d, lang) + update_steps(table, d, lang))


class Stepper(StepperBase):
    """Next / Back through forward, loss, backward and update of one training step.

    Stepper(net, loss, X, t, optimizer=None, lang=None): the network is copied (yours is
    not changed); the step is `bp.trace(net, loss, X, t, optimizer)` (default SGD(lr=0.1)).
    Attributes: steps (list of NetworkStep), index, lang, widget (the VBox to display),
    next_button, back_button, start_button, figure (FigureImage), caption (HTML; also
    `formula`), label (HTML "step k of n"), table (the TraceTable).
    Methods: next(), back(), go(i), formula_text(i). For a batch, the forward and backward
    steps are those of sample `sample`; the updates use the whole batch.
    Each step's picture is drawn on its first visit and its PNG kept. With prefetch=True,
    after the new picture is sent, the next step's picture is drawn (one step ahead only),
    so that a Next click finds its pixels ready.
    """

    @made_in_language
    def __init__(self, net, loss, X, t, optimizer=None, decimals=4, picture_decimals=3, sample=0,
                 figsize=None, prefetch=True, lang=None):
        self.net = net.copy()
        self.table = trace(self.net, loss, X, t, optimizer=optimizer, decimals=decimals)
        self.sample = sample
        self.picture_decimals = picture_decimals
        if figsize is None:
            n_max = max(self.net.sizes)
            k = style.scale()                       # bigger in projector mode
            figsize = ((1.9 * len(self.net.sizes) + 0.8) * k, (0.8 * n_max + 1.5) * k)
        with style.context():                       # the picture's fonts and sizes, this figure only
            figure = FigureImage(figsize=figsize)
            self.ax = figure.fig.add_axes((0.0, 0.0, 1.0, 0.9))
            self.title = figure.fig.text(0.5, 0.97, "", ha="center", va="top",
                                         fontsize=12 * style.scale())
        super().__init__(build_steps(self.net, self.table, sample=sample, t=t), figure,
                         prefetch=prefetch)

    @property
    def formula(self):
        """The HTML under the picture (the caption widget, by the name the lessons use)."""
        return self.caption

    def caption_of(self, i):
        """The Caption of step i."""
        return self.steps[i].caption

    def draw_step(self, i):
        """draw_network as step i shows it, its title above; the PNG bytes."""
        step = self.steps[i]
        with style.context():
            for artist in list(self.ax.lines) + list(self.ax.patches) + list(self.ax.texts):
                artist.remove()                 # faster than ax.clear(), which rebuilds the axes
            draw_network(self.net, ax=self.ax, show=step.show, highlight=step.highlight,
                         decimals=self.picture_decimals, annotate=step.annotate,
                         highlight_edges=step.highlight_edges, sample=self.sample,
                         edge_values=step.edge_values)
            self.title.set_text(step.title)
            return self.figure.render()

    def __repr__(self):
        return TEXT("repr", self.lang, i=self.index + 1, n=len(self.steps),
                    sizes="-".join(str(n) for n in self.net.sizes))

    @staticmethod
    def formula_html(step):
        """The HTML shown under the picture for one step (a NetworkStep)."""
        return step.caption.html()

    def formula_text(self, i=None):
        """The formula lines of step i (default: the current one) as plain text."""
        return "\n".join(self.steps[self.index if i is None else i].lines)
