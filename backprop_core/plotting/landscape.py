"""Loss landscapes: the loss over two parameters as an image with a few contour lines, and
descent paths on top (start, steps, end).

    P1, P2, L = bp.landscapes.loss_surface(net, "mse", X, t, ranges=((-4, 3), (-1.5, 8.5)))
    hist = bp.fit(net, X, t, "mse", bp.SGD(0.1), epochs=50, record_params=True)
    fig = plot_contour(None, P1, P2, L, paths=[(hist.params[:, :2], "SGD, η = 0.1")],
                       minimum=(-1, 5), names=("weight w", "bias b"))

The surface is drawn once as an image (imshow of log L) plus a few contour lines: cheap to
draw again, so a widget can keep it and only move the path artists (`PathArtist.set_path`).
A path that leaves the plotted box stops where it crosses the border (`clip_path`), so a
diverging descent never stretches the axes. When `ax` is None the picture gets its own
figure, made with pyplot and closed at once (as the last expression of a cell it shows once).
Labels are in the current language (bp.set_language).
"""
import numpy as np

from ..i18n import Catalogue
from . import style

PATH_COLORS = (style.COLORS["blue"], style.COLORS["orange"], style.COLORS["green"])  # as the loss curves

TEXT = Catalogue(
    en={"left": "{label}: left the plot at step {step}", "minimum": "minimum"},
    zh={"left": "{label}：第 {step} 步离开了画面", "minimum": "最小值"},
)


def contour_levels(L, n=8):
    """n contour levels between min L and max L, spaced geometrically above the minimum
    (dense near the bottom of the bowl, where the path ends). L: (n_j, n_i) grid."""
    finite = L[np.isfinite(L)]
    if finite.size == 0:
        return np.array([0.0, 1.0])
    lo, hi = float(finite.min()), float(finite.max())
    span = hi - lo if hi > lo else 1.0
    return lo + span * np.logspace(-3.0, -0.15, n)


@style.styled
def draw_surface(ax, P1, P2, L, levels=8, cmap="Greys"):
    """The loss grid as a light grey image of log L (bilinear, no filled contour paths;
    darker = higher) and `levels` grey contour lines. P1, P2, L: (n_j, n_i) as from loss_surface. Sets the axes limits
    to the grid. Returns (image, contour set)."""
    L = np.asarray(L, dtype=float)
    finite = np.isfinite(L)
    lo = float(L[finite].min()) if finite.any() else 0.0
    hi = float(L[finite].max()) if finite.any() else 1.0
    floor = 1e-3 * (hi - lo) if hi > lo else 1.0
    shade = np.log10(np.where(finite, L, hi) - lo + floor)  # log of the height above the minimum
    extent = (P1.min(), P1.max(), P2.min(), P2.max())
    image = ax.imshow(shade, origin="lower", extent=extent, aspect="auto", cmap=cmap,
                      interpolation="bilinear", alpha=0.55)
    lines = ax.contour(P1, P2, np.where(finite, L, hi), levels=contour_levels(L, levels),
                       colors="0.3", linewidths=0.6 * style.scale(), alpha=0.6)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    return image, lines


def clip_path(path, ranges):
    """The part of a path inside the box `ranges` = ((lo1, hi1), (lo2, hi2)).

    path: (k, 2). Returns (inside, left_at): the points up to the first one outside the
    box, plus the point where that last segment crosses the border; left_at is the index
    (step) of the first point outside, or None when the whole path stays inside.
    """
    path = np.asarray(path, dtype=float).reshape(-1, 2)
    lo = np.array([ranges[0][0], ranges[1][0]], dtype=float)
    hi = np.array([ranges[0][1], ranges[1][1]], dtype=float)
    with np.errstate(invalid="ignore"):
        outside = ~np.all((path >= lo) & (path <= hi), axis=1)
    if not outside.any():
        return path, None
    k = int(np.argmax(outside))
    if k == 0:
        return path[:0], 0
    p0, p1 = path[k - 1], path[k]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        d = p1 - p0
        t = 1.0
        for dim in range(2):                          # where the segment p0 -> p1 crosses a border
            if p1[dim] > hi[dim]:
                t = min(t, (hi[dim] - p0[dim]) / d[dim])
            elif p1[dim] < lo[dim]:
                t = min(t, (lo[dim] - p0[dim]) / d[dim])
        border = np.clip(p0 + t * d, lo, hi) if np.isfinite(t) and np.all(np.isfinite(d)) else p0
    return np.vstack([path[:k], border]), k


class PathArtist:
    """A descent path drawn on a contour: the steps (a line with small dots), the start
    (a white-edged circle) and the end (a filled circle, or a cross where the path left
    the plot). `set_path(path, ranges)` moves the existing artists (no new ones)."""

    @style.styled
    def __init__(self, ax, color, label=None, zorder=4):
        s = style.scale()
        self.line, = ax.plot([], [], "-", color=color, lw=1.6 * s, marker=".", ms=3.5 * s,
                             label=label, zorder=zorder)
        self.start, = ax.plot([], [], "o", color=color, mec="white", mew=1.2 * s, ms=8 * s,
                              zorder=zorder + 1)
        self.end, = ax.plot([], [], "o", color=color, mec="black", mew=1.0 * s, ms=7 * s,
                            zorder=zorder + 1)
        self.left_at = None

    def set_path(self, path, ranges, label=None):
        """Show `path` (k, 2) cut at the box `ranges`; returns the step at which it left
        the box (or None)."""
        inside, self.left_at = clip_path(path, ranges)
        self.line.set_data(inside[:, 0], inside[:, 1])
        if len(inside):
            self.start.set_data([inside[0, 0]], [inside[0, 1]])
            self.end.set_data([inside[-1, 0]], [inside[-1, 1]])
            self.end.set_marker("X" if self.left_at is not None else "o")
        else:
            self.start.set_data([], [])
            self.end.set_data([], [])
        if label is not None:
            self.line.set_label(label)
        self.set_visible(True)
        return self.left_at

    def set_visible(self, visible):
        for artist in (self.line, self.start, self.end):
            artist.set_visible(visible)

    def artists(self):
        return [self.line, self.start, self.end]


@style.styled
def plot_contour(ax, P1, P2, L, paths=(), minimum=None, names=("θ1", "θ2"), levels=8, title=None):
    """A static contour picture: the loss grid (image + contour lines), each path with its
    start, steps and end in its own colour (Okabe-Ito) with a legend, and the minimum (a star).

    ax: an Axes, or None for a new figure. P1, P2, L: (n_j, n_i) from loss_surface.
    paths: [(trajectory, label), ...] with trajectory (k, 2) = the two parameters per step
    (e.g. history.params[:, [0, 1]]). minimum: (2,) or (m, 2) points to mark, or None.
    names: the two parameters' axis labels. Returns the Figure.
    """
    if ax is None:
        _, ax = style.new_figure((5.0, 4.0))
    style.use_fonts(ax)
    draw_surface(ax, P1, P2, L, levels=levels)
    ranges = ((P1.min(), P1.max()), (P2.min(), P2.max()))
    notes = []
    for k, (path, label) in enumerate(paths):
        artist = PathArtist(ax, PATH_COLORS[k % len(PATH_COLORS)], label=label)
        left = artist.set_path(path, ranges)
        if left is not None:
            notes.append(TEXT("left", label=label, step=left))
    if minimum is not None:
        m = np.asarray(minimum, dtype=float).reshape(-1, 2)
        ax.plot(m[:, 0], m[:, 1], "*", color="white", mec="black", ms=13 * style.scale(),
                label=TEXT("minimum"), zorder=6)
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    if title:
        ax.set_title(title)
    if paths or minimum is not None:
        ax.legend(loc="upper right", framealpha=0.85)
    if notes:
        ax.text(0.02, 0.02, "\n".join(notes), transform=ax.transAxes, va="bottom", ha="left",
                bbox=dict(boxstyle="round", fc="white", alpha=0.85))
    return ax.figure
