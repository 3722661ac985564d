"""The drawing engine: a matplotlib figure inside a widget, its PNG, and its blitting.

The figure is made once (Agg, no pyplot, so nothing is captured into a cell's output),
updated in place by the widget, and `refresh()` renders it to PNG bytes in a
`widgets.Image`. When refresh() returns, the pixels are final. This works the same in
JupyterLab, in Voila and under nbval (no Output-widget messages).

Speed (a slider must feel live): the pixels are encoded by `png_bytes` (no row filter,
light zlib; ~3x faster than Pillow's writer), and `BlitFigureImage` draws the static part
of a picture once per key and then only the artists that move. A widget says which is
which in one `Scene` (what moves, an optional layer, strips, the key of the static part)
and hands it to `declare()`; this module is the only one that marks artists for blitting.

Checked: with `check_backgrounds(True)` (the tests switch it on) every picture that
restores cached pixels also draws its static part afresh and raises `StaleBackground` when
the two differ: a static part changed without a change of the Scene's key.

Style and fonts: the package's matplotlib style (plotting.style.context(): sizes, colours,
DejaVu Sans with the bundled Chinese font as fallback) applies per figure, never through the
global rcParams. A FigureImage makes its figure and draws its background inside it (the
moving artists need no style to be drawn: they were made in it); a widget wraps the methods
that make artists or set titles in `in_style` (re-entrant: one rc_context however many
methods it passes through).
"""
import io
import struct
import zlib
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from PIL import Image

from ..lru import LRU
from ..plotting import style

# The package's matplotlib style and fonts for the figures, artists and texts a widget makes and
# draws: plotting.style's own context (re-entrant: one rc_context per redraw, however many methods
# it passes through) and its decorator, under the names the widgets use.
package_style = style.context
in_style = style.styled


def _chunk(tag, data):
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def png_bytes(rgba, level=1, rows=None):
    """The PNG file of an RGBA image (height, width, 4) uint8: no row filter, zlib at `level`.

    For flat-coloured plots this is ~3x faster than Pillow's PNG writer (which tries a
    filter per row) at the same size: about 3 ms for 900 x 360 pixels. rows: None, or the
    scratch array (height, 1 + 4 * width) uint8 of an earlier call (`png_rows`), reused:
    a new one costs ~1 ms for such a picture (fresh memory is slow on its first write)."""
    height, width, _ = rgba.shape
    rows = png_rows(rgba, rows)
    rows[:, 1:] = rgba.reshape(height, -1)      # each row: its filter byte (0, never written), pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)     # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(rows, level)) + _chunk(b"IEND", b""))


def png_rows(rgba, rows=None):
    """The scratch array png_bytes fills for pictures of rgba's size: (height, 1 + 4 * width)
    uint8, its first column (each row's filter byte) 0. rows: one made before, returned
    when it fits."""
    height, width, _ = rgba.shape
    if rows is not None and rows.shape == (height, 1 + 4 * width):
        return rows
    return np.zeros((height, 1 + 4 * width), dtype=np.uint8)


def small_png_bytes(rgba):
    """A compact PNG (256-colour palette, ~40 % of png_bytes' size, ~10x slower): for the
    first picture of a widget, the one a notebook stores with its widget state."""
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgba[:, :, :3])).quantize(256).save(buf, format="PNG", compress_level=9)
    return buf.getvalue()


class FigureImage:
    """fig_image = FigureImage(figsize=(8, 3.5)); draw on fig_image.fig; fig_image.refresh().

    `image` is the widgets.Image to put in a layout; `renders` counts refreshes (tests use it).
    The first picture is encoded small (`small_png_bytes`: it is the one a notebook saves),
    every later one fast (`png_bytes` at zlib level `compress_level`).
    """

    def __init__(self, figsize=(6.4, 4.0), dpi=100, nrows=None, ncols=None, compress_level=1, **subplot_kw):
        with package_style():
            self.fig = Figure(figsize=figsize, dpi=dpi)
            self.canvas = FigureCanvasAgg(self.fig)
            self.axes = self.fig.subplots(nrows, ncols, **subplot_kw) if nrows else None
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="auto", max_width="100%"))
        self.renders = 0
        self.compress_level = compress_level
        self.small_next = True                        # the first picture: small (saved in notebooks)
        self.png_rows = None                          # png_bytes' scratch array, made once

    def draw(self):
        """Draw the figure into the canvas' pixel buffer."""
        with package_style():
            self.canvas.draw()

    def encode(self):
        """The PNG bytes of the canvas' pixel buffer as it is now."""
        rgba = np.asarray(self.canvas.buffer_rgba())
        if self.small_next:
            self.small_next = False
            return small_png_bytes(rgba)
        self.png_rows = png_rows(rgba, self.png_rows)
        return png_bytes(rgba, self.compress_level, self.png_rows)

    def render(self):
        """Draw the figure and return the PNG bytes."""
        self.draw()
        return self.encode()

    def render_print_png(self):
        """The PNG bytes by matplotlib's own print_png (the slow reference; benchmarks use it)."""
        buf = io.BytesIO()
        self.canvas.print_png(buf)      # print_png draws the figure itself (no separate draw())
        return buf.getvalue()

    def show(self, png):
        """Send PNG bytes made earlier (e.g. cached) to the Image widget; counts as a refresh."""
        self.image.value = png
        self.renders += 1
        return self.image

    def refresh(self):
        """Render and send the new pixels to the Image widget."""
        return self.show(self.render())

    def _repr_mimebundle_(self, **kwargs):
        return self.image._repr_mimebundle_(**kwargs)


def no_key():
    """The key of a picture whose static part never changes."""
    return None


@dataclass(frozen=True)
class Scene:
    """What a picture's engine must know: what moves, and what keys the static part.

    moving: artists drawn on every render, in this order, over the background;
    layer: artists that change less often (e.g. curves that follow one control), drawn over
    the base picture (everything else, drawn once) once per key; strips: groups of axes side
    by side whose static parts change independently (then key() is one key per strip);
    key: a function of no arguments, the key of the static part as it is now: equal keys
    mean equal static pixels (check_backgrounds(True) verifies it)."""
    moving: Sequence = ()
    layer: Sequence = ()
    strips: Sequence | None = None
    key: Callable[[], Hashable] = field(default=no_key)


class StaleBackground(RuntimeError):
    """A cached background differs from a fresh drawing of the same key's static part."""


def check_backgrounds(on=True):
    """Compare every restored background with a fresh drawing (slow: for tests); returns the
    previous setting."""
    previous = BlitFigureImage.check
    BlitFigureImage.check = bool(on)
    return previous


class BlitFigureImage(FigureImage):
    """A FigureImage that draws the static part once per key and then only what moves.

    The widget declares a `Scene` (declare(scene)); each render restores the background of
    scene.key() (drawn once and kept) and draws the moving artists on top, in order. Kept:
    the backgrounds of the last `backgrounds` keys shown, and apart from them those of the
    last `ahead` keys drawn in idle time and not shown yet (`prepare`): what idle time draws
    for the next key press never pushes out a picture the reader has seen, such as the one a
    typed value goes back to; a key drawn ahead joins the shown ones when it is shown. With
    a layer, the layer artists go over a base picture (drawn once) once per key. With strips
    (the lab: the contour changes with the problem, the loss axes with the step count), each
    strip's pixels are cached per its part of the key, cut at the right edge of its axes
    (plus 3 px); when one part changes only its axes are drawn again (on the figure's face
    colour), the others are restored.
    """
    check = False                   # check_backgrounds(True): compare restored pixels with fresh ones

    def __init__(self, *args, backgrounds=12, ahead=12, **kwargs):
        super().__init__(*args, **kwargs)
        self.scene = Scene()
        self.backgrounds = LRU(backgrounds)             # keys shown
        self.ahead = LRU(ahead)                         # keys drawn in idle time, not shown yet
        self.base = None
        self.strip_cache = LRU(32)
        self.full_draws = 0
        self.strip_draws = 0

    def declare(self, scene):
        """The picture's Scene from now on: its moving and layer artists leave the static part."""
        for artist in (*scene.moving, *scene.layer):
            artist.set_animated(True)
        self.scene = scene
        if scene.strips:
            self.strip_cache.size = 16 * len(scene.strips)

    @property
    def animated(self):
        """The moving artists, in drawing order (read-only: declare a Scene to change them)."""
        return list(self.scene.moving)

    def has_background(self, key):
        """True when the background of `key` is drawn and kept."""
        return key in self.backgrounds or key in self.ahead

    def invalidate(self):
        """Forget every cached background (the next render draws everything)."""
        self.backgrounds.clear()
        self.ahead.clear()
        self.base = None
        self.strip_cache.clear()

    def draw(self):
        """Restore the background (drawing it first if needed, in the package's style), then
        draw the moving artists (made in that style: drawing them reads no style settings)."""
        key = self.scene.key()
        if key in self.ahead:                          # drawn in idle time, shown now
            self.backgrounds[key] = self.ahead.pop(key)
        if key in self.backgrounds:
            self.canvas.restore_region(self.backgrounds[key])
            reused = True
        else:
            with package_style():                      # ticks and their labels are made here
                reused = self._draw_background(key, self.backgrounds)
        if reused and self.check:
            self._check_background(key)
        for artist in self.scene.moving:
            if artist.get_visible():
                self.fig.draw_artist(artist)

    def prepare(self, key):
        """Draw and cache the background of `key` now (idle time), without moving or
        encoding anything: a later render with that key only restores it. The figure must
        already be set up for `key`; the canvas' pixels are left changed (every render
        restores a background first)."""
        if not self.has_background(key):
            with package_style():
                self._draw_background(key, self.ahead)

    def _check_background(self, key):
        """Draw the static part afresh (no cache) and compare it with the restored pixels."""
        restored = np.array(self.canvas.buffer_rgba())
        kept = self.base, self.strip_cache, self.full_draws, self.strip_draws
        self.base, self.strip_cache = None, LRU(self.strip_cache.size)
        try:
            with package_style():
                self._draw_background(key, LRU(1))
        finally:
            self.base, self.strip_cache, self.full_draws, self.strip_draws = kept
        fresh = np.asarray(self.canvas.buffer_rgba())
        if not np.array_equal(restored, fresh):
            changed = int(np.any(restored != fresh, axis=2).sum())
            raise StaleBackground(
                f"the cached background of key {key!r} differs from a fresh drawing of the static "
                f"part in {changed} pixels: a static artist changed but the Scene's key did not")

    def _draw_background(self, key, kept):
        """Draw (or partly restore) the background of `key` and keep it in `kept` (an LRU:
        the shown keys' or the keys drawn ahead); True when some of it came from a cache."""
        if self.scene.strips and not self.scene.layer:
            reused = self._draw_strips(key)
        elif self.scene.layer and self.base is not None:
            self.canvas.restore_region(self.base)
            reused = True
        else:
            self.canvas.draw()                    # moving and layer artists are left out
            self.full_draws += 1
            if self.scene.layer:
                self.base = self.canvas.copy_from_bbox(self.fig.bbox)
            reused = False
        for artist in self.scene.layer:
            if artist.get_visible():
                self.fig.draw_artist(artist)
        kept[key] = self.canvas.copy_from_bbox(self.fig.bbox)
        return reused

    def _draw_strips(self, key):
        """Restore the strips whose key is cached, draw the others' axes (see the class doc)."""
        fig, canvas, strips = self.fig, self.canvas, self.scene.strips
        edges = _strip_edges(fig, strips)
        height = int(fig.bbox.height)
        cached = [(k, part) in self.strip_cache for k, part in enumerate(key)]
        if not any(cached):
            canvas.draw()                                   # moving artists are left out
            self.full_draws += 1
        else:
            face = (np.array(fig.get_facecolor()) * 255).round().astype(np.uint8)
            pixels = np.asarray(canvas.buffer_rgba())
            for k, part in enumerate(key):
                if cached[k]:
                    canvas.restore_region(self.strip_cache[(k, part)])
                else:
                    pixels[:, edges[k]:edges[k + 1]] = face  # the strip on the figure's face colour
                    for ax in strips[k]:
                        if ax.get_visible():
                            fig.draw_artist(ax)             # its moving children are left out
                    self.strip_draws += 1
        for k, part in enumerate(key):
            if not cached[k]:
                box = Bbox([[edges[k], 0], [edges[k + 1], height]])
                self.strip_cache[(k, part)] = canvas.copy_from_bbox(box)
        return any(cached)


_SCRATCH = LRU(2)           # (width, height, dpi) -> the transparent canvas SpriteTexts are drawn on


class SpriteText(Text):
    """A Text that keeps its pixels: matplotlib 3.11 renders a text glyph by glyph on every
    draw (about 80 µs a glyph: 2.8 ms for a note of 33 characters in a box, on every key
    press of a lab), so each look of it (its string, place, colour, size and the canvas) is
    drawn once on a transparent canvas of the figure's size, kept (the last 16), and then
    copied onto the picture (draw_image: 0.1 ms), the same pixels to within 1 in a colour
    channel. For a moving text whose look is set only through set_text (a widget's note);
    SpriteText(x, y, s, **Text keywords), then ax.add_artist(it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sprites = LRU(16)

    def draw(self, renderer):
        if not self.get_visible() or self.get_text() == "":
            return
        x, y, pixels = self._kept_sprite(renderer)
        gc = renderer.new_gc()
        renderer.draw_image(gc, x, y, pixels)
        gc.restore()

    def prepare(self, text, renderer):
        """Draw and keep the sprite of `text` now (idle time: the string a next key press
        shows), leaving the text shown as it is. True when it was drawn (not kept yet)."""
        shown = self.get_text()
        self.set_text(text)
        try:
            if not text or self._look(renderer) in self.sprites:
                return False
            self._kept_sprite(renderer)
            return True
        finally:
            self.set_text(shown)

    def _look(self, renderer):
        """What the pixels depend on: string, place, colour, size and the canvas."""
        place = tuple(np.round(self.get_transform().transform(self.get_position()), 3))
        return (self.get_text(), place, self.get_color(), self.get_fontsize(),
                int(renderer.width), int(renderer.height), renderer.dpi)

    def _kept_sprite(self, renderer):
        """The sprite of the text as it is now on `renderer`'s canvas: kept, or drawn and kept."""
        look = self._look(renderer)
        sprite = self.sprites.get(look)
        if sprite is None:
            sprite = self.sprites[look] = self._sprite(renderer)
        return sprite

    def _sprite(self, renderer):
        """(x, y, pixels): the text (and its box) drawn alone on a transparent canvas, cut out
        with a margin; (x, y) the lower left corner in display pixels."""
        width, height = int(renderer.width), int(renderer.height)
        size = (width, height, renderer.dpi)
        scratch = _SCRATCH.get(size)
        if scratch is None:
            scratch = _SCRATCH[size] = RendererAgg(width, height, renderer.dpi)
        scratch.clear()                                # transparent
        super().draw(scratch)
        box = self.get_window_extent(scratch)
        if self.get_bbox_patch() is not None:
            box = Bbox.union([box, self.get_bbox_patch().get_window_extent(scratch)])
        box = box.padded(4)                           # antialiased edges and the box's line
        x0, y0 = max(int(np.floor(box.x0)), 0), max(int(np.floor(box.y0)), 0)
        x1, y1 = min(int(np.ceil(box.x1)), width), min(int(np.ceil(box.y1)), height)
        pixels = np.asarray(scratch.buffer_rgba())[height - y1:height - y0, x0:x1]
        self._renderer = renderer                     # Text.draw kept the scratch canvas as its own
        return x0, y0, np.ascontiguousarray(pixels[::-1])   # draw_image's rows: bottom first


def _strip_edges(fig, strips):
    """Pixel columns where the strips begin and end: [0, x1, x2, ..., width]."""
    width = int(fig.bbox.width)
    edges = [0]
    for axes in strips[:-1]:
        right = max(ax.get_position().x1 for ax in axes) * fig.bbox.width
        edges.append(min(width, int(np.ceil(right)) + 3))
    return edges + [width]
