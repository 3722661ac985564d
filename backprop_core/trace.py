"""A trace of one training step: every intermediate value, as a table for teaching.

Rows like the hand computation of seed 004: per unit z, o = f(z), δ = ∂L/∂z; per weight
∂L/∂w, the update Δw and the new value; each with its formula and the numbers put in.
"""
import copy
import html

import numpy as np

from .losses import get_loss
from .optimizers import SGD


class TraceTable:
    """The rows of one step. `rows`: list of dicts with keys
    section ('forward' | 'loss' | 'backward' | 'update'), name, quantity, value, formula,
    and sample (index into the batch, or None). str() is a plain fixed-decimal table
    (stable text for nbval); in Jupyter it renders as HTML."""

    def __init__(self, rows, decimals=4, title="one training step"):
        self.rows = rows
        self.decimals = decimals
        self.title = title

    def value(self, quantity, name, sample=0):
        """The number recorded for (quantity, name), e.g. table.value('o', '6')."""
        for r in self.rows:
            if r["quantity"] == quantity and r["name"] == name and r["sample"] in (None, sample):
                return r["value"]
        raise KeyError(f"no row for quantity {quantity!r}, name {name!r}; quantities: "
                       f"{sorted({r['quantity'] for r in self.rows})}")

    def section(self, section):
        """A TraceTable with only the rows of one section ('forward', 'backward', ...)."""
        known = [s for s in ("forward", "loss", "backward", "update")]
        if section not in known:
            raise ValueError(f"unknown section {section!r}; known: {', '.join(known)}")
        return TraceTable([r for r in self.rows if r["section"] == section], self.decimals,
                          f"{self.title}: {section}")

    def _fmt(self, v):
        return f"{v:.{self.decimals}f}"

    def _lines(self):
        multi = any(r["sample"] not in (None, 0) for r in self.rows)
        out = []
        for r in self.rows:
            label = f"{r['quantity']}[{r['name']}]"
            if multi and r["sample"] is not None:
                label += f" (sample {r['sample']})"
            out.append((r["section"], label, self._fmt(r["value"]), r["formula"]))
        return out

    def __str__(self):
        lines = self._lines()
        w1 = max(len(l[1]) for l in lines)
        w2 = max(len(l[2]) for l in lines)
        text, current = [], None
        for section, label, val, formula in lines:
            if section != current:
                text.append(f"-- {section} --")
                current = section
            text.append(f"{label:<{w1}}  {val:>{w2}}   {formula}".rstrip())
        return "\n".join(text)

    def __repr__(self):
        return str(self)

    def _repr_html_(self):
        parts = [f"<table><caption>{html.escape(self.title)}</caption>",
                 "<tr><th>step</th><th>quantity</th><th>value</th><th>formula</th></tr>"]
        for section, label, val, formula in self._lines():
            parts.append(f"<tr><td>{section}</td><td>{html.escape(label)}</td>"
                         f"<td style='text-align:right'>{val}</td>"
                         f"<td style='text-align:left'><code>{html.escape(formula)}</code></td></tr>")
        parts.append("</table>")
        return "".join(parts)


def trace(net, loss, X, t, optimizer=None, apply=False, decimals=4):
    """Record one step of training `net` on (X, t): forward, loss, backward, update.

    optimizer: the update rule (default SGD(lr=0.1)); its state is copied, so the trace
    shows the step it would take without changing it unless apply=True (then net and
    optimizer take the step). Works for a batch; rows then carry the sample index.
    """
    loss = get_loss(loss)
    optimizer = SGD(lr=0.1) if optimizer is None else optimizer
    y = net.forward(X)
    L = loss(y, t)
    net.backward(loss.grad(y, t))
    names = net.unit_names
    d = decimals

    def f(v):                       # fixed decimals, negatives in brackets: 1.0000·(-0.5000)
        text = f"{v:.{d}f}"
        return f"({text})" if text.startswith("-") else text
    rows = []

    def row(section, quantity, name, value, formula, sample=None):
        rows.append(dict(section=section, quantity=quantity, name=name, value=float(value),
                         formula=formula, sample=sample))

    batch = y.shape[0]
    for s in range(batch):
        for li, layer in enumerate(net.layers):
            act = layer.activation.name
            for q, uq in enumerate(names[li + 1]):
                terms = " + ".join(f"{f(layer.x[s, p])}·{f(layer.W[p, q])}" for p in range(layer.n_in))
                bias = f" + {f(layer.b[q])}" if layer.use_bias else ""
                row("forward", "z", uq, layer.z[s, q], f"z = Σ o·w + b = {terms}{bias}", s)
                row("forward", "o", uq, layer.a[s, q], f"o = {act}(z) = {act}({layer.z[s, q]:.{d}f})", s)
    row("loss", "L", loss.name, L, f"{type(loss).__name__} of y = "
        + np.array2string(y, precision=d, floatmode="fixed").replace("\n", ""))
    for s in range(batch):
        for li in reversed(range(len(net.layers))):
            layer = net.layers[li]
            last = li == len(net.layers) - 1
            for q, uq in enumerate(names[li + 1]):
                fprime = _fprime(layer, s, q, f)
                if last:
                    how = f"δ = ∂L/∂o · f'(z) = {f(layer.dL_da[s, q])}·{fprime}"
                else:
                    nxt = net.layers[li + 1]
                    terms = " + ".join(f"{f(nxt.W[q, i])}·{f(nxt.delta[s, i])}" for i in range(nxt.n_out))
                    how = f"δ = f'(z)·Σ w·δ_next = {fprime}·({terms})"
                row("backward", "δ", uq, layer.delta[s, q], how, s)
    # the update, on copies so the caller's net and optimizer are untouched
    opt = copy.deepcopy(optimizer)
    before = [p.copy() for p in net.parameters()]
    lr = opt.current_lr()
    params = [p.copy() for p in before]
    opt.update(params, [g.copy() for g in net.gradients()])
    k = 0
    for li, layer in enumerate(net.layers):
        grads = layer.gradients()
        for pi, _ in enumerate(layer.parameters()):
            old, new, g = before[k], params[k], grads[pi]
            k += 1
            if old.ndim == 2:
                for p in range(old.shape[0]):
                    for q in range(old.shape[1]):
                        name = f"{names[li][p]}→{names[li + 1][q]}"
                        how = (f"o_p·δ_q = {f(layer.x[0, p])}·{f(layer.delta[0, q])}" if batch == 1
                               else "Σ_batch o_p·δ_q")
                        _update_rows(row, "w", name, old[p, q], g[p, q], new[p, q], lr, f, how)
            else:
                for q in range(old.shape[0]):
                    how = "δ_q" if batch == 1 else "Σ_batch δ_q"
                    _update_rows(row, "b", names[li + 1][q], old[q], g[q], new[q], lr, f, how)
    if apply:
        optimizer.step(net)
    return TraceTable(rows, decimals)


def _fprime(layer, s, q, f):
    if layer.activation.name == "softmax":
        return "(softmax Jacobian)"
    return f(layer.activation.deriv(layer.z[s:s + 1, q:q + 1], layer.a[s:s + 1, q:q + 1])[0, 0])


def _update_rows(row, kind, name, old, g, new, lr, f, how):
    row("update", f"∂L/∂{kind}", name, g, f"∂L/∂{kind} = {how}")
    plain = f"-lr·∂L/∂{kind} = -{f(lr)}·{f(g)}"
    row("update", f"Δ{kind}", name, new - old, plain if np.isclose(new - old, -lr * g) else
        f"optimizer's step (plain gradient step would be {f(-lr * g)})")
    row("update", f"{kind} new", name, new, f"{kind} + Δ{kind} = {f(old)} + {f(new - old)}")
