"""A matplotlib figure that lives inside a widget: the base of every live picture.

The figure is made once (Agg, no pyplot, so nothing is captured into a cell's output),
updated in place by the caller, and `refresh()` renders it to PNG bytes in a
`widgets.Image`. When refresh() returns, the pixels are final. This works the same in
JupyterLab, in Voila and under nbval (no Output-widget messages).

Speed (a slider must feel live): the pixels are encoded by `png_bytes` (no row filter,
light zlib; ~3x faster than Pillow's writer), and `BlitFigureImage` draws the static part
of a picture once and then only the artists that move.

Style and fonts: the package's matplotlib style (plotting.style.context(): sizes, colours,
DejaVu Sans with the bundled Chinese font as fallback) applies per figure, never through the
global rcParams. A FigureImage makes its figure and draws its background inside it (a
BlitFigureImage's moving artists need no style to be drawn: they were made in it); a widget
wraps the methods that make artists or set titles in `in_style` (re-entrant: one rc_context
however many methods it passes through). The training lab enters it only when its static
part changes, so a slider drag pays nothing for it.
"""
import base64
import functools
import io
import struct
import zlib
from collections import OrderedDict
from contextlib import contextmanager

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from ..i18n import language, set_language
from ..plotting import style

_style = {"depth": 0}


@contextmanager
def package_style():
    """The package's matplotlib style and fonts (plotting.style.context()) for the figures,
    artists and texts made and drawn in here. Re-entrant: inside another package_style() it
    costs nothing (one rc_context per redraw, however many methods it passes through)."""
    if _style["depth"]:
        yield
        return
    _style["depth"] += 1
    try:
        with style.context():
            yield
    finally:
        _style["depth"] -= 1


def in_style(method):
    """Decorator: run `method` inside package_style() (a widget's __init__ and update)."""
    @functools.wraps(method)
    def styled(*args, **kwargs):
        with package_style():
            return method(*args, **kwargs)
    return styled


def _chunk(tag, data):
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def png_bytes(rgba, level=1):
    """The PNG file of an RGBA image (height, width, 4) uint8: no row filter, zlib at `level`.

    For flat-coloured plots this is ~3x faster than Pillow's PNG writer (which tries a
    filter per row) at the same size: about 4 ms for 900 x 360 pixels."""
    height, width, _ = rgba.shape
    rows = np.zeros((height, 1 + 4 * width), dtype=np.uint8)   # each row: filter byte 0, pixels
    rows[:, 1:] = rgba.reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)     # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(rows.tobytes(), level)) + _chunk(b"IEND", b""))


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
        return png_bytes(rgba, self.compress_level)

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


class BlitFigureImage(FigureImage):
    """A FigureImage that draws the static part once and then only the moving artists.

    The background (axes, ticks, labels, legend, the static lines) is rendered once per
    `background_key` and kept (`copy_from_bbox`, the last `backgrounds` keys are cached);
    each render restores it and draws only the `animated` artists (in list order) on top.
    Whoever changes the static part (limits, scale, titles, legend, visible axes, a static
    line's data) must change `background_key` or call `invalidate()`.

    Two layers, for pictures where some artists change less often than others: the `layer`
    artists (e.g. curves that change with one control) are drawn over a `base` picture
    (everything else; cached per `base_key`) once per `background_key`, and that result is
    the background the `animated` artists (e.g. a point that follows another control) go on.
    """

    def __init__(self, *args, backgrounds=24, **kwargs):
        super().__init__(*args, **kwargs)
        self.animated = []
        self.layer = []
        self.background_key = None
        self.base_key = None
        self.bases = OrderedDict()
        self.backgrounds = OrderedDict()
        self.max_backgrounds = backgrounds
        self.full_draws = 0

    def invalidate(self):
        """Forget every cached background (the next render draws everything)."""
        self.backgrounds.clear()
        self.bases.clear()

    def draw(self):
        """Restore the background (drawing it first if needed, in the package's style), then
        draw the moving artists (made in that style: drawing them reads no style settings)."""
        key = self.background_key
        if key in self.backgrounds:
            self.backgrounds.move_to_end(key)
            self.canvas.restore_region(self.backgrounds[key])
        else:
            with package_style():                      # ticks and their labels are made here
                self._draw_background(key)
        for artist in self.animated:
            if artist.get_visible():
                self.fig.draw_artist(artist)

    def _draw_background(self, key):
        if self.layer and self.base_key in self.bases:
            self.bases.move_to_end(self.base_key)
            self.canvas.restore_region(self.bases[self.base_key])
        else:
            for artist in self.animated + self.layer:
                artist.set_animated(True)
            self.canvas.draw()                    # animated and layer artists are left out
            self.full_draws += 1
            if self.layer:
                _keep(self.bases, self.base_key, self.canvas.copy_from_bbox(self.fig.bbox), 4)
        for artist in self.layer:
            if artist.get_visible():
                self.fig.draw_artist(artist)
        _keep(self.backgrounds, key, self.canvas.copy_from_bbox(self.fig.bbox), self.max_backgrounds)


def _keep(cache, key, value, size):
    """cache[key] = value in an OrderedDict of at most `size` entries (the oldest goes)."""
    cache[key] = value
    if len(cache) > size:
        cache.popitem(last=False)


def bundle_with_png(widget, png, **kwargs):
    """The live widget's display data plus `png` (bytes) as image/png, so viewers without a
    kernel or widget support (GitHub, nbviewer without state) still show the picture."""
    data = widget._repr_mimebundle_(**kwargs)
    if isinstance(data, tuple):                      # (data, metadata)
        data = data[0]
    data = dict(data or {})
    if png:
        data["image/png"] = base64.b64encode(png).decode("ascii")
    return data


def labelled(description, width="initial"):
    """A control's description and its width, as keyword arguments:
    widgets.IntSlider(..., **labelled(TEXT("steps")))."""
    return {"description": description, "style": {"description_width": width}}


@contextmanager
def speaking(lang):
    """Run the body with the package's language set to `lang`, then restore the previous one:
    a widget's callbacks write in the language it was made in."""
    previous = language()
    if lang == previous:
        yield
        return
    set_language(lang)
    try:
        yield
    finally:
        set_language(previous)


class PictureWidget:
    """Base of the widgets: controls that redraw one picture.

    A subclass sets `widget` (its layout) and `figure` (a FigureImage), defines `update()`,
    and calls `watch(*controls)`: any value change of those controls calls `changed(change)`,
    which calls update() (a subclass may override changed()). Callbacks run in the language
    the widget was made in (`language`, recorded by the first watch()), so a widget made in
    简体中文 stays Chinese when the language is switched later. Displayed, it shows the live
    widget plus its current picture as PNG (image/png, for viewers without a kernel).
    """

    language = None

    def watch(self, *controls):
        """Redraw (changed() -> update()) whenever one of `controls` changes its value."""
        if self.language is None:
            self.language = language()
        for control in controls:
            control.observe(self._on_change, names="value")

    def _on_change(self, change):
        with speaking(self.language or language()):
            self.changed(change)

    def changed(self, change):
        """A watched control changed: redraw."""
        self.update()

    def _repr_mimebundle_(self, **kwargs):
        return bundle_with_png(self.widget, self.figure.image.value, **kwargs)
