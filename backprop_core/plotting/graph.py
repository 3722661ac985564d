"""The tree of unit formulas as a picture: every node of a `bp.graph` with its operation,
value and gradient, every edge with its local derivative.

    loss, params, ex = bp.graph.e3_network(); loss.backward()
    draw_graph(loss)                                   # the whole tree
    draw_graph(loss, highlight=params["W1[2,0]"])      # one leaf's paths, bold, product in the title

Leaves (weights, inputs, constants) on the left, the output on the right; a node's column is
its distance from the leaves. matplotlib only (no graphviz). As draw_network: with ax=None the
picture gets its own figure (returned, shown once in Jupyter); with ax it draws into it.
"""
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .. import graph as _graph
from ..i18n import Catalogue
from . import style
from .numbers import fixed, superscript
from .style import COLORS

TEXT = Catalogue(
    en={"grad": "grad", "unknown": "?",
        "path": "∂{out}/∂{leaf} = {product} = {value}",
        "paths": "∂{out}/∂{leaf} = sum over {n} paths:\n{product}\n= {value}",
        "title": "the tree of unit formulas: value (black), gradient (red), local derivative "
                 "on each edge",
        "cake_title": "the cake: each level's shares (value × gradient) add up to the same total",
        "cake_total": "total {value}"},
    zh={"grad": "梯度", "unknown": "?",
        "path": "∂{out}/∂{leaf} = {product} = {value}",
        "paths": "∂{out}/∂{leaf} = {n} 条路径之和：\n{product}\n= {value}",
        "title": "单元公式组成的树：数值（黑）、梯度（红）、每条边上的局部导数",
        "cake_title": "分蛋糕：每一层的份额（数值 × 梯度）加起来都是同一个总数",
        "cake_total": "总数 {value}"},
)

SYMBOLS = {"+": "+", "-": "−", "*": "×", "/": "÷", "neg": "−x", "exp": "exp", "log": "log",
           "sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "softplus": "softplus", "max": "max"}


def graph_layout(out):
    """{node: (column, row)}: columns from the leaves (0) to `out`; rows so that every leaf
    has its own row (in the order a walk from the output meets them) and every other node
    sits level with the mean of its parents, nudged apart to at least 1 row."""
    order = _graph.topological_order(out)
    col = {}
    for node in order:
        col[node] = 1 + max(col[p] for p in node.parents) if node.parents else 0
    children = {node: [] for node in order}
    for node in order:
        for p in node.parents:
            children[p].append(node)
    for node in order:                           # a leaf sits just left of its first user
        if not node.parents and children[node]:
            col[node] = min(col[c] for c in children[node]) - 1
    seen, leaf_rows = {}, {}
    stack = [out]
    while stack:                                 # depth first from the output, parents in order
        node = stack.pop()
        if node in seen:
            continue
        seen[node] = len(seen)
        if not node.parents:
            leaf_rows[node] = len(leaf_rows)
        stack.extend(reversed(node.parents))
    row = dict(leaf_rows)
    for c in sorted(set(col.values())):          # column by column, left to right
        members = sorted((n for n in order if col[n] == c), key=seen.get)   # walk's order
        for node in members:
            if node.parents:
                row[node] = float(np.mean([row[p] for p in node.parents]))
        for a, b in zip(members, members[1:]):   # push apart, keeping the walk's order
            if row[b] - row[a] < 1.0:
                row[b] = row[a] + 1.0
    return {n: (col[n], row[n]) for n in order}


DX, DY = 2.0, 1.0                                    # drawing units between columns, rows


def figure_size(out, title="", pos=None):
    """((width, height), title height) in inches for draw_graph's picture of `out`."""
    pos = pos or graph_layout(out)
    s = style.scale()
    inch = 0.62 * s
    n_cols = 1 + max(c for c, _ in pos.values())
    n_rows = 1 + max(r for _, r in pos.values())
    top = (0.3 + 0.22 * title.count("\n")) * s if title else 0.0
    return ((n_cols * DX) * inch, (n_rows * DY + 0.3) * inch + top), top


def _as_leaf(out, highlight, nodes):
    """The Value (or path) to highlight: a Value, a label, or a list of (node, i) edges."""
    if highlight is None or isinstance(highlight, _graph.Value):
        return highlight
    if isinstance(highlight, str):
        found = [n for n in nodes if n.label == highlight]
        if not found:
            known = sorted({n.label for n in nodes if n.label and not n.constant})
            raise ValueError(f"highlight: no node labelled {highlight!r}; labels are {known}")
        return found[0]
    if isinstance(highlight, list):
        return highlight
    raise TypeError(f"highlight must be a Value, a label or a path, got {type(highlight).__name__}")


def draw_graph(out, highlight=None, ax=None, title=None, decimals=3, known=None, grads=None,
               active=None, show_grads=True, figsize=None):
    """Draw the graph below `out` (a bp.graph.Value) and return the matplotlib Figure.

    highlight: a leaf Value (or its label, or one path from bp.graph.paths): its paths to
    `out` are drawn bold and the title shows ∂out/∂leaf as the product of the local
    derivatives along them (summed over paths). Run out.backward() first to see gradients.
    known: nodes whose value is shown (default all; others show "?", and so does the local
    derivative of an edge into a node whose inputs are not all known, + and −'s ±1 apart);
    grads: {node: grad} to show (default every node's .grad; show_grads=False shows none);
    active: a node or an edge (node, parent index) to mark, as the graph stepper does.
    """
    nodes = _graph.topological_order(out)
    pos = graph_layout(out)
    names = _graph.names(out)
    target = _as_leaf(out, highlight, nodes)
    if isinstance(target, list):
        path_list = [target]
        leaf = target[0][0].parents[target[0][1]] if target else None
    elif target is not None:
        path_list, leaf = _graph.paths(target, out), target
    else:
        path_list, leaf = [], None
    bold = {(child, i) for path in path_list for child, i in path}
    on_path = {child.parents[i] for child, i in bold} | {child for child, _ in bold}
    active_edge = active if isinstance(active, tuple) else None
    active_node = active if isinstance(active, _graph.Value) else None
    if grads is None:
        grads = {n: n.grad for n in nodes} if show_grads else {}
    known = set(nodes) if known is None else set(known)

    s = style.scale()
    n_cols = 1 + max(c for c, _ in pos.values())
    n_rows = 1 + max(r for _, r in pos.values())
    dx, dy = DX, DY
    w, h = 1.25, 0.78                                # node box (constants: smaller)
    if title is None and path_list:
        title = _path_title(out, leaf, path_list, names, decimals)
    with style.context():
        if ax is None:
            size, top = figure_size(out, title, pos)
            size = figsize or size
            fig, ax = style.new_figure(size, rect=(0.0, 0.0, 1.0, 1.0 - top / size[1]))
        else:
            fig = ax.figure
        ax.set_axis_off()
        ax.set_xlim(-0.5 * w - 0.3, (n_cols - 1) * dx + 0.5 * w + 0.3)
        ax.set_ylim(-(n_rows - 1) * dy - 0.5 * h - 0.15, 0.5 * h + 0.15)
        xy = {n: (c * dx, -r * dy) for n, (c, r) in pos.items()}
        for node in nodes:
            for i, parent in enumerate(node.parents):
                # a local derivative needs the node's inputs (+ and −: always ±1)
                ready = known.issuperset(node.parents) or node.op in ("+", "-")
                local = node.local[i] if ready else None
                _edge(ax, xy[parent], xy[node], w, local, decimals, s,
                      strong=(node, i) in bold, active=active_edge == (node, i))
        for node in nodes:
            _node(ax, node, xy[node], w, h, names[node], decimals, s, known, grads,
                  marked=node in on_path or node is active_node
                  or (active_edge is not None and node in (active_edge[0],
                                                            active_edge[0].parents[active_edge[1]])))
        if title:
            fig.suptitle(title, fontsize=11 * s, y=0.995, va="top")
    return fig


def _path_title(out, leaf, path_list, names, decimals):
    products = [[fixed(child.local[i], decimals) for child, i in path] for path in path_list]
    value = sum(_graph.path_product(p) for p in path_list)
    out_name = names.get(out, "out")
    leaf_name = names.get(leaf, "x") if leaf is not None else "x"
    if len(path_list) == 1:
        return TEXT("path", out=out_name, leaf=leaf_name, product=" × ".join(products[0]),
                    value=fixed(value, decimals))
    shown = [f"({' × '.join(p)})" for p in products[:3]]
    if len(products) > 3:
        shown.append("…")
    return TEXT("paths", out=out_name, leaf=leaf_name, n=len(path_list),
                product="\n+ ".join(shown), value=fixed(value, decimals))


def _edge(ax, a, b, w, local, decimals, s, strong=False, active=False):
    colour = COLORS["orange"] if (strong or active) else COLORS["grey"]
    width = (3.2 if strong or active else 1.0) * s
    start, end = (a[0] + 0.5 * w, a[1]), (b[0] - 0.5 * w, b[1])
    # add_artist, not add_patch: the limits are set (draw_graph), so no data limits to update
    ax.add_artist(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=9 * s,
                                  color=colour, linewidth=width, zorder=1,
                                  shrinkA=0, shrinkB=2))
    f = 0.55                                           # past the middle: fans from a leaf spread
    x, y = start[0] + f * (end[0] - start[0]), start[1] + f * (end[1] - start[1])
    label = TEXT("unknown") if local is None else fixed(local, decimals)
    ax.text(x, y, label, ha="center", va="center", fontsize=7.5 * s,
            color=COLORS["black"] if strong or active else COLORS["blue"], zorder=6,
            bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.9))


def _node(ax, node, centre, w, h, name, decimals, s, known, grads, marked=False):
    x, y = centre
    if node.constant:
        face, edge = "#f2f2f2", COLORS["grey"]
    elif not node.parents:
        face, edge = "#e8f4fb", COLORS["blue"]
    else:
        face, edge = "white", COLORS["black"]
    if marked:
        edge = COLORS["orange"]
    ax.add_artist(FancyBboxPatch((x - 0.5 * w, y - 0.5 * h), w, h,          # (see _edge)
                                 boxstyle="round,pad=0.02,rounding_size=0.12", fc=face, ec=edge,
                                 lw=(2.8 if marked else 1.1) * s, zorder=4))
    if node.constant:                            # a number in a formula: just the number
        ax.text(x, y, name, ha="center", va="center", fontsize=8.5 * s, zorder=5,
                color=COLORS["black"])
        return
    head = name
    if node.parents:
        symbol = SYMBOLS.get(node.op, node.op)
        if node.op.startswith("**"):
            symbol = f"( ){superscript(node.op[2:])}"
        head = f"{symbol}  {name}"
    value = fixed(node.data, decimals) if node in known else TEXT("unknown")
    ax.text(x, y + 0.22 * h, head, ha="center", va="center", fontsize=9.5 * s, zorder=5,
            color=COLORS["black"])
    ax.text(x, y - 0.03 * h, value, ha="center", va="center", fontsize=8.5 * s, zorder=5)
    if node in grads and not node.constant:
        ax.text(x, y - 0.29 * h, f"{TEXT('grad')} {fixed(grads[node], decimals)}", ha="center",
                va="center", fontsize=7.5 * s, color=COLORS["red"], zorder=5)


def plot_cake(levels, title=None, decimals=3):
    """Seed 002's "cake": one horizontal bar per level, cut into that level's shares.

    levels: list of (level name, {share name: amount}); every level should add up to the
    same total (see bp.graph.credit). Negative shares are drawn to the left of 0.
    Returns the Figure."""
    s = style.scale()
    with style.context():
        fig, ax = style.new_figure((9.0 * s, (0.75 * len(levels) + 1.2) * s))
        colours = [COLORS[c] for c in ("blue", "orange", "green", "purple", "sky", "red",
                                       "yellow", "grey")]
        for row, (_level, shares) in enumerate(levels):
            y = len(levels) - 1 - row
            left_pos, left_neg = 0.0, 0.0
            for k, (name, amount) in enumerate(shares.items()):
                if amount >= 0:
                    left, left_pos = left_pos, left_pos + amount
                else:
                    left_neg += amount
                    left = left_neg
                ax.barh(y, abs(amount), left=left, height=0.6, color=colours[k % len(colours)],
                        edgecolor="white", linewidth=1.5 * s)
                if abs(amount) > 0.06 * max(abs(v) for v in shares.values()) * len(shares) / 3:
                    ax.text(left + abs(amount) / 2, y, f"{name}\n{fixed(amount, 2)}",
                            ha="center", va="center", fontsize=8.5 * s, color="white")
            total_value = sum(shares.values())
            ax.text(1.01, y, TEXT("cake_total", value=fixed(total_value, decimals)),
                    transform=ax.get_yaxis_transform(), va="center", fontsize=9 * s)
        ax.set_yticks(range(len(levels)))
        ax.set_yticklabels([level for level, _ in reversed(levels)])
        ax.axvline(0, color=COLORS["black"], linewidth=0.8)
        ax.set_title(title or TEXT("cake_title"))
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.subplots_adjust(left=0.16, right=0.84)
    return fig
