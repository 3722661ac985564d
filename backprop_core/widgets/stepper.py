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
import base64
import html

import ipywidgets as widgets
import numpy as np

from ..i18n import Catalogue, language
from ..plotting import style
from ..plotting.network import draw_network
from ..trace import trace
from .canvas import FigureImage, speaking

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
        "back": "◀ Back", "back_tip": "previous step", "next": "Next ▶", "next_tip": "next step",
        "start": "⟲ Start over", "start_tip": "back to step 1",
        "position": "step {i} of {n}", "new": "{kind} new",
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
        "back": "◀ 上一步", "back_tip": "上一步", "next": "下一步 ▶", "next_tip": "下一步",
        "start": "⟲ 从头开始", "start_tip": "回到第 1 步",
        "position": "第 {i} 步，共 {n} 步", "new": "新的 {kind}",
        "repr": "Stepper：一步训练中的第 {i} 步（共 {n} 步），{sizes} 网络"},
)


def _with_value(formula, value, decimals):
    """'z = ... = terms' -> 'z = ... = terms = value'."""
    return f"{formula} = {value:.{decimals}f}"


def build_steps(net, table, sample=0, t=None):
    """The steps of a TraceTable: a list of dicts with section, title, lines (formulas with
    numbers), explain, highlight (for draw_network), show, annotate, value. The words are
    in the table's language (table.lang)."""
    d = table.decimals
    lang = table.lang
    names = net.unit_names
    output_units = set(names[-1])
    rows = table.rows
    steps = [dict(section="start", title=TEXT("start_title", lang), value=None,
                  lines=[TEXT("start_line", lang)], explain=TEXT("start_explain", lang),
                  highlight=None, show="weights", annotate=None, highlight_edges=None,
                  edge_values="weights")]
    computed = {n: ["x"] for n in names[0]}      # inputs are known from the start
    for r in rows:
        if r.section != "forward" or r.sample != sample:
            continue
        computed.setdefault(r.name, []).append(r.quantity)
        steps.append(dict(section="forward", title=TEXT("forward_title", lang, quantity=r.quantity, name=r.name),
                          value=r.value, lines=[_with_value(r.formula, r.value, d)],
                          explain=TEXT(f"explain_{r.quantity}", lang), highlight=r.name,
                          show="forward", annotate={k: list(v) for k, v in computed.items()},
                          highlight_edges="in" if r.quantity == "z" else None,
                          edge_values="weights"))
    for r in rows:
        if r.section == "loss":
            target = "" if t is None else TEXT("target", lang, t=np.array2string(
                np.asarray(t, dtype=float), precision=d, floatmode="fixed").replace("\n", ""))
            steps.append(dict(section="loss", title=TEXT("loss_title", lang, name=r.name), value=r.value,
                              lines=[f"{r.formula}{target}", f"L = {r.value:.{d}f}"],
                              explain=TEXT("explain_L", lang), highlight=list(names[-1]),
                              show="forward", annotate=None, highlight_edges=None,
                              edge_values="weights"))
    done = []
    for r in rows:
        if r.section != "backward" or r.sample != sample:
            continue
        done.append(r.name)
        is_out = r.name in output_units
        steps.append(dict(section="backward", title=TEXT("backward_title", lang, name=r.name),
                          value=r.value, lines=[_with_value(r.formula, r.value, d)],
                          explain=TEXT("explain_delta_out" if is_out else "explain_delta_hidden", lang),
                          highlight=r.name, show="backward", annotate=list(done),
                          highlight_edges=None if is_out else "out", edge_values="weights"))
    for u in table.parameter_updates():           # ∂L/∂w, Δw, w new of each weight and bias
        kind = u.parameter
        lines = [_with_value(u.gradient.formula, u.gradient.value, d)]
        if u.plain:
            lines.append(f"Δ{kind} = " + _with_value(u.step.formula, u.step.value, d))
        else:
            lines.append(f"Δ{kind} = {u.step.value:.{d}f}   ({u.step.formula})")
        lines.append(TEXT("new", lang, kind=kind) + " = " + _with_value(u.new.formula, u.new.value, d))
        title = TEXT("weight_title" if kind == "w" else "bias_title", lang, name=u.name)
        steps.append(dict(section="update", title=title, value=u.new.value,
                          lines=lines, explain=TEXT(f"explain_{kind}", lang), highlight=u.name,
                          show="backward", annotate=None, highlight_edges=None,
                          edge_values="gradients"))
    return steps


class Stepper(widgets.VBox):
    """Next / Back through forward, loss, backward and update of one training step.

    Stepper(net, loss, X, t, optimizer=None): the network is copied (yours is not changed);
    the step is `bp.trace(net, loss, X, t, optimizer)` (default SGD(lr=0.1)).
    Attributes: steps (list of dicts), index, next_button, back_button, figure (FigureImage),
    formula (HTML), label (HTML "step k of n"), table (the TraceTable).
    Methods: next(), back(), go(i). For a batch, the forward and backward steps are those
    of sample `sample`; the updates use the whole batch.
    Each step's picture is drawn on its first visit and its PNG kept: going back (or
    forward again) to a step seen before only sends the kept pixels. With prefetch=True,
    after the new picture is sent, the next step's picture is drawn (one step ahead only),
    so that a Next click finds its pixels ready.
    """

    def __init__(self, net, loss, X, t, optimizer=None, decimals=4, picture_decimals=3, sample=0,
                 figsize=None, prefetch=True):
        self.net = net.copy()
        self.lang = language()                      # every word of this stepper: this language
        self.table = trace(self.net, loss, X, t, optimizer=optimizer, decimals=decimals)
        self.steps = build_steps(self.net, self.table, sample=sample, t=t)
        self.sample = sample
        self.picture_decimals = picture_decimals
        if figsize is None:
            n_max = max(self.net.sizes)
            k = style.scale()                       # bigger in projector mode
            figsize = ((1.9 * len(self.net.sizes) + 0.8) * k, (0.8 * n_max + 1.5) * k)
        with style.context():                       # the picture's fonts and sizes, this figure only
            self.figure = FigureImage(figsize=figsize)
            self.ax = self.figure.fig.add_axes((0.0, 0.0, 1.0, 0.9))
            self.title = self.figure.fig.text(0.5, 0.97, "", ha="center", va="top",
                                             fontsize=12 * style.scale())
        self.formula = widgets.HTML(layout=widgets.Layout(min_height="7em"))
        self.label = widgets.HTML()
        self.back_button = widgets.Button(description=TEXT("back", self.lang), tooltip=TEXT("back_tip", self.lang),
                                          layout=widgets.Layout(width="8em"))
        self.next_button = widgets.Button(description=TEXT("next", self.lang), tooltip=TEXT("next_tip", self.lang),
                                          button_style="primary",
                                          layout=widgets.Layout(width="8em"))
        self.start_button = widgets.Button(description=TEXT("start", self.lang),
                                           tooltip=TEXT("start_tip", self.lang),
                                           layout=widgets.Layout(width="9em"))
        self.back_button.on_click(lambda _: self.back())
        self.next_button.on_click(lambda _: self.next())
        self.start_button.on_click(lambda _: self.go(0))
        controls = widgets.HBox([self.back_button, self.next_button, self.start_button, self.label],
                                layout=widgets.Layout(align_items="center"))
        super().__init__([self.figure.image, self.formula, controls])
        self.index = 0
        self.prefetch = bool(prefetch)
        self._pngs = {}                 # step index -> PNG bytes: the steps never change, so each
        self.go(0)                      # picture is drawn once, on its first visit

    def next(self):
        """One step forward (no-op at the last step)."""
        return self.go(min(self.index + 1, len(self.steps) - 1))

    def back(self):
        """One step back (no-op at the first step)."""
        return self.go(max(self.index - 1, 0))

    def go(self, i):
        """Show step i (0-based); redraws the picture and the formula."""
        if isinstance(i, bool) or not isinstance(i, int) and not hasattr(i, "__index__"):
            raise TypeError(f"step index must be an integer, got {type(i).__name__}")
        i = int(i)
        if not 0 <= i < len(self.steps):
            raise ValueError(f"step index must be in 0..{len(self.steps) - 1}, got {i}")
        self.index = i
        step = self.steps[i]
        self.figure.show(self.picture(i))
        self.formula.value = self.formula_html(step)
        self.label.value = "&nbsp;" + TEXT("position", self.lang, i=i + 1, n=len(self.steps))
        self.back_button.disabled = i == 0
        self.next_button.disabled = i == len(self.steps) - 1
        if self.prefetch and i + 1 < len(self.steps):
            self.picture(i + 1)                 # the pixels above are on their way already
        return step

    def picture(self, i):
        """The PNG bytes of step i's picture (drawn on the first call, then kept), in the
        stepper's language and the package's style."""
        if i not in self._pngs:
            with speaking(self.lang), style.context():
                self._pngs[i] = self._draw(i)
        return self._pngs[i]

    def _draw(self, i):
        step = self.steps[i]
        for artist in list(self.ax.lines) + list(self.ax.patches) + list(self.ax.texts):
            artist.remove()                     # faster than ax.clear(), which rebuilds the axes
        draw_network(self.net, ax=self.ax, show=step["show"], highlight=step["highlight"],
                     decimals=self.picture_decimals, annotate=step["annotate"],
                     highlight_edges=step["highlight_edges"], sample=self.sample,
                     edge_values=step["edge_values"])
        self.title.set_text(step["title"])
        return self.figure.render()

    def __repr__(self):
        return TEXT("repr", self.lang, i=self.index + 1, n=len(self.steps),
                    sizes="-".join(str(n) for n in self.net.sizes))

    def _repr_mimebundle_(self, **kwargs):
        # the live widget, plus the current picture as PNG for viewers without widgets (GitHub)
        data = super()._repr_mimebundle_(**kwargs)
        data["image/png"] = base64.b64encode(self.figure.image.value).decode("ascii")
        return data

    @staticmethod
    def formula_html(step):
        """The HTML shown under the picture for one step."""
        lines = "<br>".join(html.escape(line) for line in step["lines"])
        return (f"<div style='font-size:1.05em'><b>{html.escape(step['title'])}</b>"
                f" &mdash; <i>{html.escape(step['explain'])}</i><br>"
                f"<code style='font-size:1.05em'>{lines}</code></div>")

    def formula_text(self, i=None):
        """The formula lines of step i (default: the current one) as plain text."""
        step = self.steps[self.index if i is None else i]
        return "\n".join(step["lines"])

    # --- static export (widgets.static): every step, for a page without a kernel -------------
    def static_state(self):
        """{"step": the step shown now (0-based)}."""
        return {"step": self.index}

    def static_controls(self):
        """Back / Next / Start over through every step, labelled as the live buttons."""
        from .static import steps_control
        positions = [TEXT("position", self.lang, i=i + 1, n=len(self.steps)) for i in range(len(self.steps))]
        return [steps_control(positions, [(b.description, b.tooltip) for b in
                                          (self.back_button, self.next_button, self.start_button)])]

    def static_frame(self, state):
        """go(state["step"]): the step's picture as the stepper shows it and its formula HTML."""
        from .static import Frame, frame_png
        self.go(state["step"])
        return Frame(frame_png(self.figure), self.formula.value)
