"""GraphStepper: Next / Back through a `bp.graph`, one node forward, one edge backward.

The steps come from `bp.graph.steps(out)` (nothing is recomputed here): first the forward
pass, node by node (each shows the formula it computes with the numbers put in), then the
backward pass, edge by edge: each step does ONE multiplication,
∂out/∂parent += (local derivative of the edge) × ∂out/∂child, and shows it. The picture is
`bp.plotting.draw_graph` with the values known so far and the gradients filled so far.

    loss, params, ex = bp.graph.e1_chain(with_loss=False)
    bp.widgets.GraphStepper(loss)         # in a notebook: the tree, the caption, the buttons

Displayed, it carries the current picture as PNG too (viewers without widgets show it).
"""
import html

import ipywidgets as widgets

from .. import graph as _graph
from ..i18n import Catalogue
from ..plotting import graph as _pictures
from .canvas import FigureImage, PictureWidget

TEXT = Catalogue(
    en={
        "back": "◀ Back", "next": "Next ▶", "start_over": "⟲ Start over",
        "back_tip": "previous step", "next_tip": "next step", "start_tip": "back to step 1",
        "step": "step {i} of {n}",
        "start_title": "the tree before the forward pass",
        "start_explain": "the leaves (weights, inputs, numbers) are known; press Next to "
                         "compute the other nodes one at a time",
        "start_line": "{n} nodes, {edges} edges",
        "forward_title": "forward: node {name}",
        "forward_explain": "a unit formula: its value from its inputs' values",
        "seed_title": "backward starts at the output",
        "seed_explain": "the output's gradient with respect to itself is 1",
        "backward_title": "backward: edge {parent} → {child}",
        "add": "+ passes the gradient on unchanged (local derivative 1)",
        "sub": "− passes it on, with a minus sign for the second input",
        "mul": "× sends each input the OTHER input times the gradient",
        "max": "max routes the whole gradient to the larger input, 0 to the other",
        "unit": "the local derivative of {op} at this node, times the gradient from above",
        "again": "{parent} is used more than once: this contribution is added to the "
                 "{before} it already had (+=)",
        "repr": "GraphStepper: step {i} of {n} through the graph of {out}",
    },
    zh={
        "back": "◀ 上一步", "next": "下一步 ▶", "start_over": "⟲ 从头开始",
        "back_tip": "上一步", "next_tip": "下一步", "start_tip": "回到第 1 步",
        "step": "第 {i} 步，共 {n} 步",
        "start_title": "前向计算之前的树",
        "start_explain": "叶子节点（权重、输入、常数）是已知的；点“下一步”逐个计算其余节点",
        "start_line": "{n} 个节点，{edges} 条边",
        "forward_title": "前向：节点 {name}",
        "forward_explain": "一个单元公式：由输入的值算出它的值",
        "seed_title": "反向传播从输出开始",
        "seed_explain": "输出对它自己的梯度是 1",
        "backward_title": "反向：边 {parent} → {child}",
        "add": "+ 把梯度原样传下去（局部导数是 1）",
        "sub": "− 把梯度传下去，第二个输入带一个负号",
        "mul": "× 给每个输入的是【另一个】输入乘以梯度",
        "max": "max 把梯度全部送给较大的那个输入，另一个得到 0",
        "unit": "{op} 在这个节点的局部导数，乘以从上面传下来的梯度",
        "again": "{parent} 被用了不止一次：这一份要加到它已有的 {before} 上（+=）",
        "repr": "计算图逐步演示器：{out} 的计算图，第 {i} 步，共 {n} 步",
    },
)

_GATES = {"+": "add", "-": "sub", "*": "mul", "max": "max"}


def _f(v, d):
    return _pictures._fmt(v, d)


def _p(v, d):
    """A number inside a formula: negative numbers in brackets, 1.000 × (-60.000)."""
    text = _f(v, d)
    return f"({text})" if text.startswith("-") else text


def formula(node, names, decimals=3):
    """'name = inputs with numbers = value' for one non-leaf node, e.g. 'h = 5.000 × 2.000'."""
    vals = [_p(p.data, decimals) for p in node.parents]
    op = node.op
    if op in ("+", "-", "*", "/") and len(vals) == 2:
        body = f" {_pictures.SYMBOLS[op]} ".join(vals)
    elif op == "+":
        body = " + ".join(vals)
    elif op.startswith("**"):
        body = f"{vals[0]}{_pictures._superscript(op[2:])}"
    elif op == "max":
        body = f"max({vals[0]}, {vals[1]})"
    else:
        body = f"{_pictures.SYMBOLS.get(op, op)}({vals[0]})"
    return f"{names[node]} = {body} = {_f(node.data, decimals)}"


def caption(step, names, out, decimals=3):
    """(title, explanation, lines) of one step of bp.graph.steps, in the current language."""
    d = decimals
    if step.section == "start":
        nodes = list(step.known)
        n = len(_graph.topological_order(out))
        edges = sum(len(v.parents) for v in _graph.topological_order(out))
        return (TEXT("start_title"), TEXT("start_explain"),
                [TEXT("start_line", n=n, edges=edges)] if nodes else [])
    if step.section == "forward":
        return (TEXT("forward_title", name=names[step.node]), TEXT("forward_explain"),
                [formula(step.node, names, d)])
    o = names[out]
    if step.section == "seed":
        return TEXT("seed_title"), TEXT("seed_explain"), [f"∂{o}/∂{o} = 1"]
    child, parent = names[step.node], names[step.parent]
    gate = _GATES.get(step.node.op)
    explain = TEXT(gate) if gate else TEXT("unit", op=_pictures.SYMBOLS.get(step.node.op,
                                                                          step.node.op))
    product = step.local * step.upstream
    lines = [f"∂{o}/∂{parent} += ∂{child}/∂{parent} × ∂{o}/∂{child} = "
             f"{_p(step.local, d)} × {_p(step.upstream, d)} = {_f(product, d)}"]
    if step.before != 0.0:
        lines.append(TEXT("again", parent=parent, before=_f(step.before, d))
                     + f": {_f(step.before, d)} + {_p(product, d)} = {_f(step.after, d)}")
    return TEXT("backward_title", parent=parent, child=child), explain, lines


class GraphStepper(PictureWidget):
    """Next / Back through the forward and the backward pass of the graph of `out`.

    GraphStepper(out, decimals=3): runs one out.backward() from zero (via bp.graph.steps,
    which zeroes the leaves' grads first: no earlier pass adds in). Attributes:
    steps (bp.graph.Step records), index, widget (the VBox to display), figure
    (FigureImage), caption (HTML), label, next_button, back_button, start_button.
    Methods: next(), back(), go(i), caption_text(i). Each step's picture is drawn on its
    first visit and kept.
    """

    def __init__(self, out, decimals=3, figsize=None):
        self.out = out
        self.steps = _graph.steps(out)
        self.names = _graph.names(out)
        self.decimals = decimals
        size, top = _pictures.figure_size(out, "title")
        size = figsize or size
        self.figure = FigureImage(figsize=size)
        self.ax = self.figure.fig.add_axes((0.0, 0.0, 1.0, 1.0 - top / size[1]))
        self.caption = widgets.HTML(layout=widgets.Layout(min_height="6em"))
        self.label = widgets.HTML()
        self.back_button = widgets.Button(description=TEXT("back"), tooltip=TEXT("back_tip"),
                                          layout=widgets.Layout(width="8em"))
        self.next_button = widgets.Button(description=TEXT("next"), tooltip=TEXT("next_tip"),
                                          button_style="primary",
                                          layout=widgets.Layout(width="8em"))
        self.start_button = widgets.Button(description=TEXT("start_over"),
                                           tooltip=TEXT("start_tip"),
                                           layout=widgets.Layout(width="9em"))
        self.back_button.on_click(lambda _: self.back())
        self.next_button.on_click(lambda _: self.next())
        self.start_button.on_click(lambda _: self.go(0))
        controls = widgets.HBox([self.back_button, self.next_button, self.start_button,
                                 self.label], layout=widgets.Layout(align_items="center"))
        self.widget = widgets.VBox([self.figure.image, self.caption, controls])
        self._pngs = {}
        self.index = 0
        self.go(0)

    def next(self):
        """One step forward (no-op at the last step)."""
        return self.go(min(self.index + 1, len(self.steps) - 1))

    def back(self):
        """One step back (no-op at the first step)."""
        return self.go(max(self.index - 1, 0))

    def go(self, i):
        """Show step i (0-based)."""
        if isinstance(i, bool) or not hasattr(i, "__index__"):
            raise TypeError(f"step index must be an integer, got {type(i).__name__}")
        i = int(i)
        if not 0 <= i < len(self.steps):
            raise ValueError(f"step index must be in 0..{len(self.steps) - 1}, got {i}")
        self.index = i
        title, explain, lines = caption(self.steps[i], self.names, self.out, self.decimals)
        self.figure.show(self.picture(i))
        body = "<br>".join(html.escape(line) for line in lines)
        self.caption.value = (f"<div style='font-size:1.05em'><b>{html.escape(title)}</b>"
                              f" &mdash; <i>{html.escape(explain)}</i><br>"
                              f"<code style='font-size:1.05em'>{body}</code></div>")
        self.label.value = "&nbsp;" + html.escape(TEXT("step", i=i + 1, n=len(self.steps)))
        self.back_button.disabled = i == 0
        self.next_button.disabled = i == len(self.steps) - 1
        return self.steps[i]

    def picture(self, i):
        """The PNG bytes of step i's picture (drawn on the first call, then kept)."""
        if i not in self._pngs:
            step = self.steps[i]
            self.ax.clear()
            active = (step.node, step.index) if step.section == "backward" else step.node
            title, _, _ = caption(step, self.names, self.out, self.decimals)
            _pictures.draw_graph(self.out, ax=self.ax, known=step.known, grads=step.grads,
                                 active=active, title=title, decimals=self.decimals)
            self._pngs[i] = self.figure.render()
        return self._pngs[i]

    def caption_text(self, i=None):
        """The caption of step i (default: the current one) as plain text."""
        title, explain, lines = caption(self.steps[self.index if i is None else i],
                                        self.names, self.out, self.decimals)
        return "\n".join([f"{title} — {explain}"] + lines)

    def __repr__(self):
        return TEXT("repr", i=self.index + 1, n=len(self.steps), out=self.names[self.out])

    # --- static export (widgets.static): every step, for a page without a kernel -------------
    def static_state(self):
        """{"step": the step shown now (0-based)}."""
        return {"step": self.index}

    def static_controls(self):
        """Back / Next / Start over through every step, labelled as the live buttons."""
        from .static import steps_control
        positions = [TEXT("step", i=i + 1, n=len(self.steps)) for i in range(len(self.steps))]
        return [steps_control(positions, [(b.description, b.tooltip) for b in
                                          (self.back_button, self.next_button, self.start_button)])]

    def static_frame(self, state):
        """go(state["step"]): the step's picture as the stepper shows it and its caption HTML."""
        from .static import Frame, frame_png
        self.go(state["step"])
        return Frame(frame_png(self.figure), self.caption.value)
