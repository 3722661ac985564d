"""A trace of one training step: every intermediate value, as a table for teaching.

Rows like the hand computation of seed 004: per unit z, o = f(z), δ = ∂L/∂z; per weight
∂L/∂w, the update Δw and the new value; each with its formula and the numbers put in.

    table = bp.trace(net, loss, X, t, optimizer=bp.SGD(lr=0.9))
    table.value("δ", "5")              # one number
    table.rows[0]                      # TraceRow(section='forward', quantity='z', name='4', ...)
    table.parameter_updates()[0]       # ParameterUpdate: the ∂L/∂w, Δw and new-w rows of one weight

The table's words (section names, headers, the few words inside formulas) are in the
language in force when it was made (bp.set_language); symbols and numbers are the same in both.
"""
import copy
import html
import numbers
import unicodedata
from dataclasses import dataclass

import numpy as np

from .i18n import Catalogue, language
from .losses import get_loss
from .network import Sequential
from .optimizers import SGD, Optimizer

SECTIONS = ("forward", "loss", "backward", "update")

TEXT = Catalogue(
    en={"forward": "forward", "loss": "loss", "backward": "backward", "update": "update",
        "title": "one training step", "section_title": "{title}: {section}",
        "sample": " (sample {sample})", "new": "{kind} new",
        "h_step": "step", "h_quantity": "quantity", "h_value": "value", "h_formula": "formula",
        "loss_of": "{loss} of y = {y}", "jacobian": "(softmax Jacobian)",
        "optimizer_step": "optimizer's step (plain gradient step would be {plain})",
        "frozen": "frozen: training leaves it as it is", "kept": "kept", "dropped": "dropped",
        # a loss: its name in the row label, and in the formula (the class's name)
        "name_mse": "mse", "name_half_squared_error": "half_squared_error", "name_mae": "mae",
        "name_binary_cross_entropy": "binary_cross_entropy", "name_cross_entropy": "cross_entropy",
        "loss_mse": "MSE", "loss_half_squared_error": "HalfSquaredError", "loss_mae": "MAE",
        "loss_binary_cross_entropy": "BinaryCrossEntropy", "loss_cross_entropy": "CrossEntropy",
        "identity": "o = identity(z) = identity({z})"},
    zh={"forward": "前向传播", "loss": "损失", "backward": "反向传播", "update": "更新",
        "title": "一步训练", "section_title": "{title}：{section}",
        "sample": "（样本 {sample}）", "new": "新的 {kind}",
        "h_step": "步骤", "h_quantity": "量", "h_value": "数值", "h_formula": "公式",
        "loss_of": "{loss}，y = {y}", "jacobian": "（softmax 的雅可比矩阵）",
        "optimizer_step": "优化器给出的步长（普通梯度下降的一步是 {plain}）",
        "frozen": "冻结：训练不改变它", "kept": "保留", "dropped": "丢弃",
        "name_mse": "均方误差", "name_half_squared_error": "半平方误差", "name_mae": "平均绝对误差",
        "name_binary_cross_entropy": "二元交叉熵", "name_cross_entropy": "交叉熵",
        "loss_mse": "均方误差", "loss_half_squared_error": "半平方误差 ½(t − o)²",
        "loss_mae": "平均绝对误差", "loss_binary_cross_entropy": "二元交叉熵",
        "loss_cross_entropy": "交叉熵", "identity": "o = z = {z}"},
)


def display_width(text):
    """Columns `text` takes in a fixed-width font: a 汉字 or a full-width sign （，：） takes
    two, every other character one. display_width("新的 w") == 7."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text, width, align="<"):
    """`text` padded with spaces to `width` columns (display_width), left ("<") or right (">")."""
    fill = " " * max(0, width - display_width(text))
    return text + fill if align == "<" else fill + text


@dataclass(frozen=True)
class TraceRow:
    """One recorded number of the step.

    section: 'forward' | 'loss' | 'backward' | 'update'; quantity: 'z', 'o', 'm' (the dropout
    mask of a unit, when the network is in training mode), 'L', 'δ',
    '∂L/∂w', 'Δw', 'w new' (and the same with b); name: a unit ('5'), an edge ('4→6') or the
    loss's name; formula: the formula with the numbers put in; sample: index into the batch
    (forward and backward rows), None for numbers of the whole batch.
    Update rows also say which parameter (parameter 'w' or 'b') and which of its three rows
    they are (role 'gradient', 'step' or 'new'); a step row's `plain` is True when the step
    is the plain gradient step -lr·∂L/∂w, False when the optimiser's rule (momentum, Adam)
    gave another one."""
    section: str
    quantity: str
    name: str
    value: float
    formula: str
    sample: int | None = None
    parameter: str | None = None
    role: str | None = None
    plain: bool | None = None


@dataclass(frozen=True)
class ParameterUpdate:
    """The three update rows of one weight or bias: gradient (∂L/∂w), step (Δw), new (w new).
    parameter: 'w' or 'b'; name: the edge '4→6' of a weight, the unit '6' of a bias."""
    parameter: str
    name: str
    gradient: TraceRow
    step: TraceRow
    new: TraceRow

    @property
    def plain(self):
        """True when the step is the plain gradient step -lr·∂L/∂w."""
        return bool(self.step.plain)

    @property
    def old(self):
        """The value before the step."""
        return self.new.value - self.step.value


class TraceTable:
    """The rows of one step: `rows`, a list of TraceRow. str() is a plain fixed-decimal table
    (stable text for nbval); in Jupyter it renders as HTML. `parameter_updates()` groups the
    update rows per weight and bias; `value(quantity, name)` looks one number up."""

    def __init__(self, rows, decimals=4, title=None, lang=None):
        self.rows = list(rows)
        self.decimals = decimals
        self.lang = language() if lang is None else lang
        self.title = TEXT("title", lang=self.lang) if title is None else title

    def value(self, quantity, name, sample=0):
        """The number recorded for (quantity, name), e.g. table.value('o', '6')."""
        for r in self.rows:
            if r.quantity == quantity and r.name == name and r.sample in (None, sample):
                return r.value
        raise KeyError(f"no row for quantity {quantity!r}, name {name!r}; quantities: "
                       f"{sorted({r.quantity for r in self.rows})}")

    def section(self, section):
        """A TraceTable with only the rows of one section ('forward', 'backward', ...)."""
        if section not in SECTIONS:
            raise ValueError(f"unknown section {section!r}; known: {', '.join(SECTIONS)}")
        title = TEXT("section_title", lang=self.lang, title=self.title,
                     section=TEXT(section, lang=self.lang))
        return TraceTable([r for r in self.rows if r.section == section], self.decimals, title, self.lang)

    def parameter_updates(self):
        """The update rows grouped per parameter, in table order: a list of ParameterUpdate
        (gradient, step and new value of each weight and bias)."""
        groups = {}
        for r in self.rows:
            if r.section == "update":
                groups.setdefault((r.parameter, r.name), {})[r.role] = r
        return [ParameterUpdate(parameter, name, g["gradient"], g["step"], g["new"])
                for (parameter, name), g in groups.items()]

    def _fmt(self, v):
        return f"{v:.{self.decimals}f}"

    def _lines(self):
        multi = any(r.sample not in (None, 0) for r in self.rows)
        out = []
        for r in self.rows:
            quantity = TEXT("new", lang=self.lang, kind=r.parameter) if r.role == "new" else r.quantity
            key = f"name_{r.name}"
            name = TEXT(key, lang=self.lang) if r.section == "loss" and key in TEXT else r.name
            label = f"{quantity}[{name}]"
            if multi and r.sample is not None:
                label += TEXT("sample", lang=self.lang, sample=r.sample)
            out.append((TEXT(r.section, lang=self.lang), label, self._fmt(r.value), r.formula))
        return out

    def __str__(self):
        lines = self._lines()
        if not lines:
            return ""
        w1 = max(display_width(line[1]) for line in lines)
        w2 = max(display_width(line[2]) for line in lines)
        text, current = [], None
        for section, label, val, formula in lines:
            if section != current:
                text.append(f"-- {section} --")
                current = section
            text.append(f"{pad(label, w1)}  {pad(val, w2, '>')}   {formula}".rstrip())
        return "\n".join(text)

    def __repr__(self):
        return str(self)

    def _repr_html_(self):
        head = "".join(f"<th>{TEXT(k, lang=self.lang)}</th>"
                       for k in ("h_step", "h_quantity", "h_value", "h_formula"))
        parts = [f"<table><caption>{html.escape(self.title)}</caption>", f"<tr>{head}</tr>"]
        for section, label, val, formula in self._lines():
            parts.append(f"<tr><td>{section}</td><td>{html.escape(label)}</td>"
                         f"<td style='text-align:right'>{val}</td>"
                         f"<td style='text-align:left'><code>{html.escape(formula)}</code></td></tr>")
        parts.append("</table>")
        return "".join(parts)


def _check_arguments(net, optimizer, decimals):
    if not isinstance(net, Sequential):
        raise TypeError(f"trace: net must be a network (bp.Sequential), got {type(net).__name__}")
    if isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        raise TypeError(f"trace: optimizer must be an optimiser object such as bp.{optimizer.__name__}(lr=0.1) "
                        f"(with brackets), got the class {optimizer.__name__}")
    if not isinstance(optimizer, Optimizer):
        raise TypeError("trace: optimizer must be an optimiser object such as bp.SGD(lr=0.1), "
                        f"got {type(optimizer).__name__} {optimizer!r:.40}")
    if isinstance(decimals, bool) or not isinstance(decimals, numbers.Integral) or not 0 <= decimals <= 12:
        raise ValueError(f"trace: decimals must be a whole number in 0..12, got {decimals!r}")
    return int(decimals)


def trace(net, loss, X, t, optimizer=None, apply=False, decimals=4):
    """Record one step of training `net` on (X, t): forward, loss, backward, update.

    optimizer: the update rule (default SGD(lr=0.1)); its state is copied, so the trace
    shows the step it would take without changing it unless apply=True (then net and
    optimizer take the step). Works for a batch; rows then carry the sample index.
    Every row is computed from a fresh forward and backward pass on X (never from the values
    a previous pass left in the layers), in the network's mode: after net.train() a Dropout
    draws a mask, recorded as rows 'm' (0 for a dropped unit, 1/(1-p) for a kept one) that
    enter the next z and the δ; in evaluation mode (the default) dropout is the identity.
    A frozen parameter's rows show Δ = 0 (Dense(..., freeze=...)).
    """
    loss = get_loss(loss)
    optimizer = SGD(lr=0.1) if optimizer is None else optimizer
    d = _check_arguments(net, optimizer, decimals)
    y = net.forward(X)
    L = loss(y, t)
    net.backward(loss.grad(y, t))
    step = StepRecorder(net, d, language())
    for s in range(step.batch):
        step.forward(s)
    step.loss(loss, y, L)
    for s in range(step.batch):
        step.backward(s)
    step.update(optimizer)
    if apply:
        optimizer.step(net)
    return TraceTable(step.rows, d, lang=step.lang)


class StepRecorder:
    """The rows of one step, written from the values the last forward and backward pass of
    `net` left in its layers (layer.x, z, a, delta, dL_da; each Dropout's mask); numbers
    with `decimals` digits, words in `lang`. trace() calls forward(s), loss, backward(s)
    and update in that order; `rows` is the list of TraceRow."""

    def __init__(self, net, decimals, lang):
        self.net, self.d, self.lang = net, decimals, lang
        self.names = net.unit_names
        self.batch = net.layers[0].x.shape[0]
        self.masks = {level: drop.mask for level, drop in net.dropouts.items() if drop.mask is not None}
        self.rows = []

    def number(self, v):
        """Fixed decimals, negatives in brackets: 1.0000·(-0.5000)."""
        text = f"{v:.{self.d}f}"
        return f"({text})" if text.startswith("-") else text

    def row(self, section, quantity, name, value, formula, sample=None, **update):
        self.rows.append(TraceRow(section, quantity, name, float(value), formula, sample, **update))

    def forward(self, s):
        """z = Σ o·w + b and o = f(z) of every unit, level by level (m after a dropout)."""
        self.mask_rows(0, s)
        for li, layer in enumerate(self.net.layers):
            for q, uq in enumerate(self.names[li + 1]):
                self.row("forward", "z", uq, layer.z[s, q], self.z_formula(li, s, q), s)
                self.row("forward", "o", uq, layer.a[s, q], self.o_formula(layer, s, q), s)
            self.mask_rows(li + 1, s)

    def mask_rows(self, level, s):
        """m of each unit of `level` when a dropout mask follows it: 0 or 1/(1 - p)."""
        if level not in self.masks:
            return
        p_drop = self.net.dropouts[level].p
        for p, up in enumerate(self.names[level]):
            m = self.masks[level][s, p]
            how = (TEXT("dropped", lang=self.lang) if m == 0
                   else TEXT("kept", lang=self.lang) + f": 1/(1 - {p_drop:g})")
            self.row("forward", "m", up, m, f"m = {how}", s)

    def z_formula(self, li, s, q):
        """z = Σ o·w + b with the numbers (o·m: the inputs passed a dropout mask)."""
        layer, f = self.net.layers[li], self.number
        terms = " + ".join(f"{f(layer.x[s, p])}·{f(layer.W[p, q])}" for p in range(layer.n_in))
        bias = f" + {f(layer.b[q])}" if layer.use_bias else ""
        sum_text = "Σ (o·m)·w + b" if li in self.masks else "Σ o·w + b"
        return f"z = {sum_text} = {terms}{bias}"

    def o_formula(self, layer, s, q):
        """o = f(z) with the number."""
        act, z = layer.activation.name, f"{layer.z[s, q]:.{self.d}f}"
        if act == "identity":
            return TEXT("identity", lang=self.lang, z=z)
        return f"o = {act}(z) = {act}({z})"

    def loss(self, loss, y, L):
        """L = loss(y, t), the whole batch."""
        y_text = np.array2string(y, precision=self.d, floatmode="fixed").replace("\n", "")
        key = f"loss_{loss.name}"
        loss_text = TEXT(key, lang=self.lang) if key in TEXT else type(loss).__name__
        self.row("loss", "L", loss.name, L, TEXT("loss_of", lang=self.lang, loss=loss_text, y=y_text))

    def backward(self, s):
        """δ = ∂L/∂z of every unit, from the output level back."""
        for li in reversed(range(len(self.net.layers))):
            layer = self.net.layers[li]
            for q, uq in enumerate(self.names[li + 1]):
                self.row("backward", "δ", uq, layer.delta[s, q], self.delta_formula(li, s, q), s)

    def delta_formula(self, li, s, q):
        """δ_q = ∂L/∂o·f'(z_q) at the output, δ_q = f'(z_q)·Σ w_qi·δ_i below (·m after a
        dropout), with the numbers."""
        layers, f = self.net.layers, self.number
        layer = layers[li]
        fprime = self.fprime(layer, s, q)
        if li == len(layers) - 1:
            return f"δ = ∂L/∂o · f'(z) = {f(layer.dL_da[s, q])}·{fprime}"
        nxt = layers[li + 1]
        terms = " + ".join(f"{f(nxt.W[q, i])}·{f(nxt.delta[s, i])}" for i in range(nxt.n_out))
        if li + 1 in self.masks:            # dropout after this layer: δ = f'(z)·m·Σ w·δ_next
            return f"δ = f'(z)·m·Σ w·δ_next = {fprime}·{f(self.masks[li + 1][s, q])}·({terms})"
        return f"δ = f'(z)·Σ w·δ_next = {fprime}·({terms})"

    def fprime(self, layer, s, q):
        """f'(z) of unit q for sample s, as written in a δ formula."""
        if layer.activation.name == "softmax":
            return TEXT("jacobian", lang=self.lang)
        return self.number(layer.activation.deriv(layer.z[s:s + 1, q:q + 1],
                                                  layer.a[s:s + 1, q:q + 1])[0, 0])

    def update(self, optimizer):
        """∂L/∂w, Δw and w new of every weight and bias: the optimiser's step, taken on copies
        (the caller's net and optimizer are untouched)."""
        opt = copy.deepcopy(optimizer)
        before = [p.copy() for p in self.net.parameters()]
        lr = opt.current_lr()
        after = [p.copy() for p in before]
        opt.update(after, [g.copy() for g in self.net.gradients()], trainable=self.net.trainable)
        pairs = iter(zip(before, after))
        for li, layer in enumerate(self.net.layers):
            for on, g in zip(layer.trainable, layer.gradients()):
                old, new = next(pairs)
                frozen = None if on else TEXT("frozen", lang=self.lang)
                for kind, name, at, how in self.parameters(li, old.ndim):
                    self.parameter_rows(kind, name, old[at], g[at], new[at], lr, how, frozen)

    def parameters(self, li, ndim):
        """(kind, name, index, ∂L/∂w formula) of each entry of layer li's W (ndim 2) or b."""
        layer, names, f, one = self.net.layers[li], self.names, self.number, self.batch == 1
        if ndim == 2:
            return [("w", f"{names[li][p]}→{names[li + 1][q]}", (p, q),
                     f"o_p·δ_q = {f(layer.x[0, p])}·{f(layer.delta[0, q])}" if one
                     else "Σ_batch o_p·δ_q")
                    for p in range(layer.n_in) for q in range(layer.n_out)]
        return [("b", names[li + 1][q], (q,), "δ_q" if one else "Σ_batch δ_q")
                for q in range(layer.n_out)]

    def parameter_rows(self, kind, name, old, g, new, lr, how, frozen=None):
        """∂L/∂w, Δw = -lr·∂L/∂w (or the optimiser's own step) and w new = w + Δw."""
        f = self.number
        self.row("update", f"∂L/∂{kind}", name, g, f"∂L/∂{kind} = {how}", parameter=kind,
                 role="gradient")
        plain = bool(np.isclose(new - old, -lr * g)) and frozen is None
        if frozen is not None:
            formula = frozen
        elif plain:
            formula = f"-lr·∂L/∂{kind} = -{f(lr)}·{f(g)}"
        else:
            formula = TEXT("optimizer_step", lang=self.lang, plain=f(-lr * g))
        self.row("update", f"Δ{kind}", name, new - old, formula, parameter=kind, role="step",
                 plain=plain)
        self.row("update", f"{kind} new", name, new, f"{kind} + Δ{kind} = {f(old)} + {f(new - old)}",
                 parameter=kind, role="new")
