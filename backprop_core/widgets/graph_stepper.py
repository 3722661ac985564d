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
from .. import graph as _graph
from ..i18n import Catalogue
from ..plotting import graph as _pictures
from ..plotting.numbers import fixed, superscript
from .drawing import FigureImage
from .picture import made_in_language
from .stepping import Caption, StepperBase

TEXT = Catalogue(
    en={
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


def _bracketed(v, d):
    """A number inside a formula: negative numbers in brackets, 1.000 × (-60.000)."""
    text = fixed(v, d)
    return f"({text})" if text.startswith("-") else text


def formula(node, names, decimals=3):
    """'name = inputs with numbers = value' for one non-leaf node, e.g. 'h = 5.000 × 2.000'."""
    vals = [_bracketed(p.data, decimals) for p in node.parents]
    op = node.op
    if op in ("+", "-", "*", "/") and len(vals) == 2:
        body = f" {_pictures.SYMBOLS[op]} ".join(vals)
    elif op == "+":
        body = " + ".join(vals)
    elif op.startswith("**"):
        body = f"{vals[0]}{superscript(op[2:])}"
    elif op == "max":
        body = f"max({vals[0]}, {vals[1]})"
    else:
        body = f"{_pictures.SYMBOLS.get(op, op)}({vals[0]})"
    return f"{names[node]} = {body} = {fixed(node.data, decimals)}"


def caption(step, names, out, decimals=3, lang=None):
    """The Caption (title, explanation, lines) of one step of bp.graph.steps, in `lang`
    (None: the current language)."""
    def text(key, **fields):
        return TEXT(key, lang, **fields)
    d = decimals
    if step.section == "start":
        order = _graph.topological_order(out)
        edges = sum(len(v.parents) for v in order)
        lines = (text("start_line", n=len(order), edges=edges),) if step.known else ()
        return Caption(text("start_title"), text("start_explain"), lines)
    if step.section == "forward":
        return Caption(text("forward_title", name=names[step.node]), text("forward_explain"),
                       (formula(step.node, names, d),))
    o = names[out]
    if step.section == "seed":
        return Caption(text("seed_title"), text("seed_explain"), (f"∂{o}/∂{o} = 1",))
    child, parent = names[step.node], names[step.parent]
    gate = _GATES.get(step.node.op)
    explain = text(gate) if gate else text("unit", op=_pictures.SYMBOLS.get(step.node.op,
                                                                          step.node.op))
    product = step.local * step.upstream
    lines = [f"∂{o}/∂{parent} += ∂{child}/∂{parent} × ∂{o}/∂{child} = "
             f"{_bracketed(step.local, d)} × {_bracketed(step.upstream, d)} = {fixed(product, d)}"]
    if step.before != 0.0:
        before = fixed(step.before, d)
        lines.append(text("again", parent=parent, before=before)
                     + f": {before} + {_bracketed(product, d)} = {fixed(step.after, d)}")
    return Caption(text("backward_title", parent=parent, child=child), explain, tuple(lines))


class GraphStepper(StepperBase):
    """Next / Back through the forward and the backward pass of the graph of `out`.

    GraphStepper(out, decimals=3, figsize=None, lang=None): runs one out.backward() from
    zero (via bp.graph.steps, which zeroes the leaves' grads first: no earlier pass adds
    in). Attributes: steps (bp.graph.Step records), index, lang, widget (the VBox to
    display), figure (FigureImage), caption (HTML), label, next_button, back_button,
    start_button. Methods: next(), back(), go(i), caption_text(i). Each step's picture is
    drawn on its first visit and kept.
    """

    @made_in_language
    def __init__(self, out, decimals=3, figsize=None, lang=None):
        self.out = out
        self.names = _graph.names(out)
        self.decimals = decimals
        size, top = _pictures.figure_size(out, "title")
        size = figsize or size
        figure = FigureImage(figsize=size)
        self.ax = figure.fig.add_axes((0.0, 0.0, 1.0, 1.0 - top / size[1]))
        # prefetch: after showing a step, draw the next one (~50 ms), so that Next shows it at once
        super().__init__(_graph.steps(out), figure, caption_height="6em", prefetch=True)

    def caption_of(self, i):
        """The Caption of step i."""
        return caption(self.steps[i], self.names, self.out, self.decimals, self.lang)

    def draw_step(self, i):
        """draw_graph with the values known and the gradients filled at step i."""
        step = self.steps[i]
        for artist in [*self.ax.patches, *self.ax.texts]:   # the last step's boxes, arrows and
            artist.remove()                                  # numbers (cheaper than ax.clear())
        active = (step.node, step.index) if step.section == "backward" else step.node
        _pictures.draw_graph(self.out, ax=self.ax, known=step.known, grads=step.grads,
                             active=active, title=self.caption_of(i).title,
                             decimals=self.decimals)
        return self.figure.render()

    def caption_text(self, i=None):
        """The caption of step i (default: the current one) as plain text."""
        c = self.caption_of(self.index if i is None else i)
        return "\n".join([f"{c.title} — {c.explain}", *c.lines])

    def __repr__(self):
        return TEXT("repr", self.lang, i=self.index + 1, n=len(self.steps),
                    out=self.names[self.out])
