"""Stepper: Next / Back through one training step, one unit at a time.

The steps are the rows of `bp.trace` (nothing is recomputed here): the forward pass unit
by unit (z, then o), the loss, the backward pass unit by unit (δ, from the output back),
then the update of every weight and bias (∂L/∂w, Δw, new w). Each step highlights its
unit (or edge) on the network picture and shows its formula with the numbers put in.

    stepper = bp.widgets.Stepper(net, loss, X, t, optimizer=bp.SGD(lr=0.9))
    stepper            # in a notebook: the picture, the formula and the buttons
"""
import base64
import html

import ipywidgets as widgets
import numpy as np

from ..plotting import style
from ..plotting.network import draw_network
from ..trace import trace
from .canvas import FigureImage

_EXPLAIN = {
    ("forward", "z"): "weighted sum of the unit's inputs plus its bias",
    ("forward", "o"): "the activation function turns z into the unit's output o",
    ("loss", "L"): "the loss compares the network's output with the target",
    ("backward", "δ", True): "δ = ∂L/∂z of an output unit: how the loss changes with its z",
    ("backward", "δ", False): "δ of a hidden unit: the δs of the next level, sent back along "
                              "the weights, times f'(z)",
    ("update", "w"): "each weight moves against its gradient ∂L/∂w = o_p·δ_q",
    ("update", "b"): "each bias moves against its gradient ∂L/∂b = δ_q",
}


def _with_value(formula, value, decimals):
    """'z = ... = terms' -> 'z = ... = terms = value'."""
    return f"{formula} = {value:.{decimals}f}"


def build_steps(net, table, sample=0, t=None):
    """The steps of a TraceTable: a list of dicts with section, title, lines (formulas with
    numbers), explain, highlight (for draw_network), show, annotate, value."""
    d = table.decimals
    names = net.unit_names
    output_units = set(names[-1])
    rows = table.rows
    steps = [dict(section="start", title="the network before the step", value=None,
                  lines=["weights on the edges, biases under the units"],
                  explain="press Next to run the forward pass one unit at a time",
                  highlight=None, show="weights", annotate=None, highlight_edges=None,
                  edge_values="weights")]
    computed = {n: ["x"] for n in names[0]}      # inputs are known from the start
    for r in rows:
        if r["section"] != "forward" or r["sample"] != sample:
            continue
        computed.setdefault(r["name"], []).append(r["quantity"])
        steps.append(dict(section="forward", title=f"forward: {r['quantity']} of unit {r['name']}",
                          value=r["value"], lines=[_with_value(r["formula"], r["value"], d)],
                          explain=_EXPLAIN[("forward", r["quantity"])], highlight=r["name"],
                          show="forward", annotate={k: list(v) for k, v in computed.items()},
                          highlight_edges="in" if r["quantity"] == "z" else None,
                          edge_values="weights"))
    for r in rows:
        if r["section"] == "loss":
            target = "" if t is None else (" and target t = " + np.array2string(
                np.asarray(t, dtype=float), precision=d, floatmode="fixed").replace("\n", ""))
            steps.append(dict(section="loss", title=f"loss ({r['name']})", value=r["value"],
                              lines=[f"{r['formula']}{target}", f"L = {r['value']:.{d}f}"],
                              explain=_EXPLAIN[("loss", "L")], highlight=list(names[-1]),
                              show="forward", annotate=None, highlight_edges=None,
                              edge_values="weights"))
    done = []
    for r in rows:
        if r["section"] != "backward" or r["sample"] != sample:
            continue
        done.append(r["name"])
        is_out = r["name"] in output_units
        steps.append(dict(section="backward", title=f"backward: δ of unit {r['name']}",
                          value=r["value"], lines=[_with_value(r["formula"], r["value"], d)],
                          explain=_EXPLAIN[("backward", "δ", is_out)], highlight=r["name"],
                          show="backward", annotate=list(done),
                          highlight_edges=None if is_out else "out", edge_values="weights"))
    # update rows come in threes per parameter: ∂L/∂w, Δw, w new
    upd = [r for r in rows if r["section"] == "update"]
    for i in range(0, len(upd), 3):
        grad, change, new = upd[i:i + 3]
        kind = "w" if grad["quantity"].endswith("w") else "b"
        lines = [_with_value(grad["formula"], grad["value"], d)]
        if "=" in change["formula"]:
            lines.append(f"Δ{kind} = " + _with_value(change["formula"], change["value"], d))
        else:
            lines.append(f"Δ{kind} = {change['value']:.{d}f}   ({change['formula']})")
        lines.append(f"{kind} new = " + _with_value(new["formula"], new["value"], d))
        what = f"weight {grad['name']}" if kind == "w" else f"bias of unit {grad['name']}"
        steps.append(dict(section="update", title=f"update: {what}", value=new["value"],
                          lines=lines, explain=_EXPLAIN[("update", kind)], highlight=grad["name"],
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
        self.table = trace(self.net, loss, X, t, optimizer=optimizer, decimals=decimals)
        self.steps = build_steps(self.net, self.table, sample=sample, t=t)
        self.sample = sample
        self.picture_decimals = picture_decimals
        if figsize is None:
            n_max = max(self.net.sizes)
            k = style.scale()                       # bigger in projector mode
            figsize = ((1.9 * len(self.net.sizes) + 0.8) * k, (0.8 * n_max + 1.5) * k)
        self.figure = FigureImage(figsize=figsize)
        self.ax = self.figure.fig.add_axes((0.0, 0.0, 1.0, 0.9))
        self.title = self.figure.fig.text(0.5, 0.97, "", ha="center", va="top",
                                         fontsize=12 * style.scale())
        self.formula = widgets.HTML(layout=widgets.Layout(min_height="7em"))
        self.label = widgets.HTML()
        self.back_button = widgets.Button(description="◀ Back", tooltip="previous step",
                                          layout=widgets.Layout(width="8em"))
        self.next_button = widgets.Button(description="Next ▶", tooltip="next step",
                                          button_style="primary",
                                          layout=widgets.Layout(width="8em"))
        self.start_button = widgets.Button(description="⟲ Start over", tooltip="back to step 1",
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
        self.label.value = f"&nbsp;step {i + 1} of {len(self.steps)}"
        self.back_button.disabled = i == 0
        self.next_button.disabled = i == len(self.steps) - 1
        if self.prefetch and i + 1 < len(self.steps):
            self.picture(i + 1)                 # the pixels above are on their way already
        return step

    def picture(self, i):
        """The PNG bytes of step i's picture (drawn on the first call, then kept)."""
        if i not in self._pngs:
            step = self.steps[i]
            for artist in list(self.ax.lines) + list(self.ax.patches) + list(self.ax.texts):
                artist.remove()                 # faster than ax.clear(), which rebuilds the axes
            draw_network(self.net, ax=self.ax, show=step["show"], highlight=step["highlight"],
                         decimals=self.picture_decimals, annotate=step["annotate"],
                         highlight_edges=step["highlight_edges"], sample=self.sample,
                         edge_values=step["edge_values"])
            self.title.set_text(step["title"])
            self._pngs[i] = self.figure.render()
        return self._pngs[i]

    def __repr__(self):
        return (f"Stepper: step {self.index + 1} of {len(self.steps)} through one training step "
                f"of a {'-'.join(str(n) for n in self.net.sizes)} network")

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
