"""The network picture: inputs, units and weighted edges, optionally with the values of
the last forward pass (z, o) or backward pass (δ, ∂L/∂w). It replaces the posts' lost figures.

    fig = draw_network(net)                       # weights on the edges
    net.forward(X); draw_network(net, show="forward")
    draw_network(net, show="backward", highlight="5")

Levels are drawn left to right (inputs first), units top to bottom in the order of
`net.unit_names`. Edge labels sit at a fraction along the edge that depends on the target
unit, so labels of edges into the same unit line up in one column and never overlap.

When `ax` is None the picture gets its own figure, made with pyplot and closed at once:
as the last expression of a cell it shows exactly once (Jupyter's inline formatter draws
the returned Figure; a closed figure is not drawn a second time). When `ax` is given the
drawing goes into it and pyplot is not touched (this is what the widgets use).
Captions and the legend are in the current language (bp.set_language); the values keep
their symbols (w, b, x, z, o, δ, ∂L/∂w) and their number format in both. The legend shows a
sample of each edge colour (blue for +, vermillion for −) next to its sign, in black text.

A network with Dropout: the level it follows is captioned "dropout p = ..."; after a
training-mode forward pass (net.train()), each unit of that level shows its mask m and o·m,
the value the next level sees (0 for a dropped unit); units dropped in `sample` are drawn grey and
dashed with a cross, their outgoing edges faint and dotted, and show="forward" writes each
unit's mask m under it. Frozen parameters are named under their layer's caption.
"""
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyBboxPatch

from ..i18n import Catalogue
from . import style
from .functions import activation_name
from .numbers import fixed

TEXT = Catalogue(
    en={"inputs": "inputs", "weights": "weights w", "gradients": "∂L/∂w",
        "legend": "edges: {what}, width ∝ size", "positive": "+ positive", "negative": "− negative",
        "dropout": "dropout p = {p}", "frozen": "frozen: {names}"},
    zh={"inputs": "输入", "weights": "权重 w", "gradients": "∂L/∂w",
        "legend": "连线：{what}，粗细 ∝ 大小", "positive": "+ 正", "negative": "− 负",
        "dropout": "dropout p = {p}", "frozen": "冻结：{names}"},
)

SHOWS = ("weights", "forward", "backward")


def layout(sizes, dx=2.6, dy=1.0):
    """Centres of the units: list (one per level) of (n_units, 2) arrays of (x, y).
    Level l is at x = l·dx; its units are dy apart, centred on y = 0, first unit on top."""
    pos = []
    for level, n in enumerate(sizes):
        y = (np.arange(n)[::-1] - (n - 1) / 2.0) * dy
        pos.append(np.column_stack([np.full(n, level * dx), y]))
    return pos


def _unit_key(net, item):
    """(level, index) for a unit given by name or by (level, index); None if not a unit."""
    if isinstance(item, str):
        if "→" in item:
            return None
        for level, names in enumerate(net.unit_names):
            if item in names:
                return (level, names.index(item))
        known = [n for names in net.unit_names for n in names]
        raise ValueError(f"highlight: no unit named {item!r}; units are {known}")
    if isinstance(item, tuple) and len(item) == 2:
        level, index = int(item[0]), int(item[1])
        if not (0 <= level < len(net.sizes) and 0 <= index < net.sizes[level]):
            raise ValueError(f"highlight: unit {item} is outside the network of sizes {net.sizes}")
        return (level, index)
    return None


def _edge_key(net, item):
    """(layer, p, q) for an edge 'p→q' (unit names) or (layer, p, q); None if not an edge."""
    if isinstance(item, str) and "→" in item:
        src, dst = item.split("→", 1)
        for li in range(len(net.layers)):
            if src in net.unit_names[li] and dst in net.unit_names[li + 1]:
                return (li, net.unit_names[li].index(src), net.unit_names[li + 1].index(dst))
        raise ValueError(f"highlight: no edge {item!r} between consecutive levels")
    if isinstance(item, tuple) and len(item) == 3:
        li, p, q = (int(v) for v in item)
        inside = 0 <= li < len(net.layers) and 0 <= p < net.sizes[li] and 0 <= q < net.sizes[li + 1]
        if not inside:
            raise ValueError(f"highlight: edge {item} is outside the network of sizes {net.sizes}")
        return (li, p, q)
    return None


def _parse_highlight(net, highlight, highlight_edges):
    """Sets of highlighted units {(level, index)} and edges {(layer, p, q)}."""
    if highlight is None:
        items = []
    elif isinstance(highlight, (str, tuple)):
        items = [highlight]
    elif isinstance(highlight, (list, set, frozenset)):
        items = list(highlight)
    else:
        raise TypeError("highlight must be a unit name, a (level, index) pair, an edge 'p→q' "
                        f"or (layer, p, q), or a list of these; got {type(highlight).__name__}")
    units, edges = set(), set()
    for item in items:
        unit = _unit_key(net, item)
        if unit is not None:
            units.add(unit)
            continue
        edge = _edge_key(net, item)
        if edge is None:
            raise ValueError(f"highlight: cannot read {item!r} as a unit or an edge")
        edges.add(edge)
    if highlight_edges not in (None, "in", "out", "both"):
        raise ValueError("highlight_edges must be None, 'in', 'out' or 'both', "
                         f"got {highlight_edges!r}")
    for level, index in units:
        if highlight_edges in ("in", "both") and level > 0:
            edges |= {(level - 1, p, index) for p in range(net.sizes[level - 1])}
        if highlight_edges in ("out", "both") and level < len(net.layers):
            edges |= {(level, index, q) for q in range(net.sizes[level + 1])}
    return units, edges


def _unit_notes(net, show, sample, decimals, annotate):
    """Text under each unit: {(level, index): str}. annotate: None (everything), a list of
    units (all their values), or a dict {unit: [quantities]} e.g. {"5": ["z"]}."""
    notes = {}                                   # (level, index) -> [(quantity, text)]
    first, last = net.layers[0], net.layers[-1]

    def add(key, quantity, value):
        notes.setdefault(key, []).append((quantity, f"{quantity} = {fixed(value, decimals)}"))
    dropouts = getattr(net, "dropouts", {})
    if show == "weights":
        for li, layer in enumerate(net.layers):
            if layer.use_bias:
                for q in range(layer.n_out):
                    add((li + 1, q), "b", layer.b[q])
    elif show == "forward":
        if first.x is None or last.a is None:
            raise ValueError('show="forward" needs a forward pass first: call net.forward(X)')
        if not 0 <= sample < first.x.shape[0]:
            raise ValueError(f"sample must be in 0..{first.x.shape[0] - 1}, got {sample}")
        for p in range(first.n_in):
            add((0, p), "x", first.x[sample, p])
        for li, layer in enumerate(net.layers):
            for q in range(layer.n_out):
                add((li + 1, q), "z", layer.z[sample, q])
                add((li + 1, q), "o", layer.a[sample, q])
        for level, drop in dropouts.items():
            if drop.mask is not None and drop.mask.shape[0] > sample:
                o = net.layers[level - 1].a[sample]
                for p in range(drop.mask.shape[1]):     # m, and o·m: what the next level sees
                    add((level, p), "m", drop.mask[sample, p])
                    add((level, p), "o·m", o[p] * drop.mask[sample, p])
    else:
        if last.delta is None:
            raise ValueError('show="backward" needs a backward pass first: '
                             'call net.backward(dL_dy)')
        if not 0 <= sample < last.delta.shape[0]:
            raise ValueError(f"sample must be in 0..{last.delta.shape[0] - 1}, got {sample}")
        for li, layer in enumerate(net.layers):
            for q in range(layer.n_out):
                add((li + 1, q), "δ", layer.delta[sample, q])
    if annotate is not None:
        if isinstance(annotate, dict):
            keep = {_unit_key(net, k): set(v) for k, v in annotate.items()}
        else:
            keep = {_unit_key(net, k): None for k in annotate}
        notes = {k: [(qty, text) for qty, text in v if keep[k] is None or qty in keep[k]]
                 for k, v in notes.items() if k in keep}
    return {k: "\n".join(text for _, text in v) for k, v in notes.items() if v}


@style.styled
def draw_network(net, ax=None, show="weights", highlight=None, decimals=2, title=None,
                 highlight_edges="in", sample=0, annotate=None, edge_labels="auto",
                 edge_values=None):
    """Draw `net` (a Sequential) and return the matplotlib Figure.

    show: "weights" (w on the edges, b under the units), "forward" (w on the edges; x, z, o
    of the last forward pass for sample `sample`), "backward" (δ of the last backward pass
    under the units, ∂L/∂w on the edges: summed over the batch, as the update uses them).
    highlight: a unit name ("5"), a (level, index) pair (level 0 = inputs), an edge "4→6"
    or (layer, p, q), or a list of these; highlighted units are thick and green, and with
    highlight_edges="in" | "out" | "both" so are their incoming/outgoing edges.
    annotate: the units whose values are written (None: all), e.g. the units computed so
    far, or a dict {unit: [quantities]} such as {"5": ["z"]}. edge_values: "weights" or
    "gradients" (∂L/∂w) on the edges; None picks by `show`.
    decimals: digits after the point of every number shown.
    edge_labels: True, False, or "auto" (label the edges of layers with at most 12 edges;
    bigger layers show sign by colour and size by width only).
    """
    decimals, edge_values = _check_arguments(net, show, decimals, edge_values, edge_labels)
    units_hl, edges_hl = _parse_highlight(net, highlight, highlight_edges)
    notes = _unit_notes(net, show, sample, decimals, annotate)
    dropped = set() if show == "weights" else _dropped_units(net, sample)
    lines = max([0] + [note.count("\n") + 1 for note in notes.values()])
    dy = 1.0 if lines <= 3 else 0.62 + 0.14 * lines              # room for long notes
    pos = layout(net.sizes, DX, dy)
    fig, ax, half = _network_axes(net, ax, pos, dy, title)
    dim = bool(units_hl or edges_hl)   # with a highlight, the rest steps back
    for li in range(len(net.layers)):
        _draw_edges(ax, net, li, pos, edge_values, edges_hl, dropped, dim, decimals, edge_labels)
    for level in range(len(net.sizes)):
        _draw_units(ax, net, level, pos, units_hl, dropped, notes)
        _draw_level_caption(ax, net, level, pos[level][0][0], half + R + 0.12)
    _draw_legend(ax, edge_values)
    if title:
        ax.set_title(title, fontsize=12 * style.scale())
    return fig


DX, R = 2.6, 0.24                      # drawing units between levels; a unit's radius
CAPTION_GREY = "#555555"               # captions: darker than the palette's grey, readable
HIGHLIGHT_FACE = "#d9f2ea"


def _check_arguments(net, show, decimals, edge_values, edge_labels):
    """(decimals, edge_values) checked; edge_values None picked by `show`."""
    if show not in SHOWS:
        raise ValueError(f"show must be one of {', '.join(repr(s) for s in SHOWS)}, got {show!r}")
    if not hasattr(net, "layers") or not hasattr(net, "unit_names"):
        raise TypeError(f"draw_network expects a Sequential network, got {type(net).__name__}")
    decimals = int(decimals)
    if not 0 <= decimals <= 8:
        raise ValueError(f"decimals must be in 0..8, got {decimals}")
    if edge_values is None:
        edge_values = "gradients" if show == "backward" else "weights"
    if edge_values not in ("weights", "gradients"):
        raise ValueError(f"edge_values must be 'weights' or 'gradients', got {edge_values!r}")
    if edge_values == "gradients" and net.layers[-1].delta is None:
        raise ValueError('edge_values="gradients" needs a backward pass first: '
                         'call net.backward(dL_dy)')
    if edge_labels not in (True, False, "auto"):
        raise ValueError(f"edge_labels must be True, False or 'auto', got {edge_labels!r}")
    return decimals, edge_values


def _dropped_units(net, sample):
    """{(level, index)} of the units a Dropout dropped in `sample` (after net.train())."""
    dropped = set()
    for level, drop in getattr(net, "dropouts", {}).items():
        if drop.keep is not None and drop.mask is not None and drop.mask.shape[0] > sample:
            dropped |= {(level, p) for p in np.flatnonzero(drop.mask[sample] == 0)}
    return dropped


def _network_axes(net, ax, pos, dy, title):
    """(fig, ax, half height of the units) with the limits around the units at `pos`: a new
    figure sized to them when ax is None, else `ax` with the package's fonts."""
    sizes = net.sizes
    extra = max([0] + [bool(layer.frozen) for layer in net.layers]) + bool(getattr(net, "dropouts", {}))
    pad_x, pad_top, pad_bottom = 0.75, 0.75 + 0.28 * extra, 0.95
    half = (max(sizes) - 1) / 2.0 * dy
    x_lo, x_hi = -pad_x, (len(sizes) - 1) * DX + pad_x
    y_lo, y_hi = -half - pad_bottom, half + pad_top
    if ax is None:
        s = style.scale()
        inch = 0.95 * s                   # inches per unit of the drawing
        top = 0.4 * s if title else 0.0
        fig, ax = style.new_figure(((x_hi - x_lo) * inch, (y_hi - y_lo) * inch + top),
                                   rect=(0.0, 0.0, 1.0, 1.0 - top / ((y_hi - y_lo) * inch + top)))
    else:
        fig = ax.figure
        style.use_fonts(ax)
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    return fig, ax, half


def _draw_edges(ax, net, li, pos, edge_values, edges_hl, dropped, dim, decimals, edge_labels):
    """The edges of layer li: colour = sign, width ∝ |value|; labels (when shown) at a
    fraction along the edge that depends on the target unit, so they never overlap."""
    s = style.scale()
    layer = net.layers[li]
    n_in, n_out = layer.n_in, layer.n_out
    values = layer.dW if edge_values == "gradients" else layer.W
    biggest = float(np.max(np.abs(values))) or 1.0
    label_edges = edge_labels is True or (edge_labels == "auto" and n_in * n_out <= 12)
    fs_edge = 8 * s if max(net.sizes) <= 4 else 7 * s
    hl = style.COLORS["green"]
    for p in range(n_in):
        for q in range(n_out):
            (x0, y0), (x1, y1) = pos[li][p], pos[li + 1][q]
            on = (li, p, q) in edges_hl
            off = (li, p) in dropped            # leaves a dropped unit: carries 0
            v = values[p, q]
            width = (0.8 + 2.2 * abs(v) / biggest) * s
            color = hl if on else (style.COLORS["blue"] if v >= 0 else style.COLORS["red"])
            ax.plot([x0, x1], [y0, y1], color=color, lw=width * (1.6 if on else 1.0),
                    alpha=1.0 if on else (0.25 if dim or off else 0.8), zorder=2 if on else 1,
                    solid_capstyle="butt", linestyle=":" if off else "-",
                    gid=f"edge {net.unit_names[li][p]}→{net.unit_names[li + 1][q]}")
            if label_edges:
                f = 0.62 if n_out == 1 else 0.3 + 0.45 * q / (n_out - 1)
                ax.text(x0 + f * (x1 - x0), y0 + f * (y1 - y0), fixed(v, decimals), ha="center",
                        va="center", fontsize=fs_edge, color="black", zorder=5,
                        fontweight="bold" if on else "normal",
                        bbox=dict(boxstyle="round,pad=0.15", fc=HIGHLIGHT_FACE if on else "white",
                                  ec=hl if on else "none", lw=1.0 * s, alpha=0.92))


def _draw_units(ax, net, level, pos, units_hl, dropped, notes):
    """The units of `level`: inputs as rounded squares, the others as circles; highlighted
    ones thick and green, dropped ones grey, dashed and crossed; the notes under them."""
    s = style.scale()
    grey, hl = style.COLORS["grey"], style.COLORS["green"]
    for index, name in enumerate(net.unit_names[level]):
        x, y = pos[level][index]
        on, off = (level, index) in units_hl, (level, index) in dropped
        edge = hl if on else (grey if off else "black")
        lw, ls = (3.0 if on else 1.2) * s, "--" if off else "-"
        if level == 0:
            patch = FancyBboxPatch((x - R, y - R), 2 * R, 2 * R,
                                   boxstyle="round,pad=0.0,rounding_size=0.06", fc="#e8e8e8",
                                   ec=edge, lw=lw, zorder=3, gid=f"unit {name}", linestyle=ls)
        else:
            fc = HIGHLIGHT_FACE if on else ("#eeeeee" if off else "white")
            patch = Circle((x, y), R, fc=fc, ec=edge, lw=lw, zorder=3, gid=f"unit {name}",
                           linestyle=ls)
        ax.add_patch(patch)
        if off:                                 # a cross over the dropped unit
            k = 0.7 * R
            for sx in (-1, 1):
                ax.plot([x - k, x + k], [y - sx * k, y + sx * k], color=grey, lw=1.0 * s,
                        zorder=3.5, gid=f"dropped {name}")
        ax.text(x, y, name, ha="center", va="center", zorder=4,
                fontsize=11 * s * (0.85 if len(name) > 3 else 1.0),
                fontweight="bold" if on else "normal")
        note = notes.get((level, index))
        if note:
            ax.text(x, y - R - 0.06, note, ha="center", va="top", fontsize=8.5 * s, zorder=4,
                    color="black", linespacing=1.1,
                    bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.85))


def _draw_level_caption(ax, net, level, x, y):
    """Above a level: "inputs" or its layer's activation, its frozen parameters, a dropout."""
    if level == 0:
        caption = TEXT("inputs")
    else:
        layer = net.layers[level - 1]
        caption = activation_name(layer.activation.name)        # 恒等 for identity in Chinese
        if layer.frozen:
            caption += "\n" + TEXT("frozen", names=", ".join(sorted(layer.frozen)))
    dropouts = getattr(net, "dropouts", {})
    if level in dropouts:
        caption += "\n" + TEXT("dropout", p=f"{dropouts[level].p:g}")
    ax.text(x, y, caption, ha="center", fontsize=8.5 * style.scale(), color=CAPTION_GREY,
            style="italic", va="bottom", linespacing=1.1)


def _draw_legend(ax, edge_values):
    """A sample of each edge colour next to its sign, in black, readable."""
    s = style.scale()
    handles = [Line2D([], [], color=style.COLORS["blue"], lw=2.5 * s, label=TEXT("positive")),
               Line2D([], [], color=style.COLORS["red"], lw=2.5 * s, label=TEXT("negative"))]
    legend = ax.legend(handles=handles, loc="lower left", ncol=2, frameon=False,
                       fontsize=8.5 * s, title=TEXT("legend", what=TEXT(edge_values)),
                       title_fontsize=8.5 * s, borderaxespad=0.4, borderpad=0.1,
                       handlelength=1.6, columnspacing=1.0, alignment="left")
    legend.set_gid("edge legend")
    for text in legend.get_texts():
        text.set_color("black")
    legend.get_title().set_color("black")
