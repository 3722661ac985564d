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

Values land where they are set: `ValueSlider` is a slider over a list of round numbers (a
log-like scale: 0.007, 0.07, 0.6, 0.62, 0.7 ...), the front end sends the position, so no
value is re-snapped or rounded on its way (a FloatLogSlider re-snaps 0.7 to 0.708); a value
set from code that is not on the list is added to it.

Live, not queued: a change that comes from the front end (a drag, a key on a handle) is
redrawn a moment later on the kernel's event loop (`PictureWidget.coalesce_s`), so changes
that arrive while a redraw runs are folded into one redraw of the latest values; a change
set from code is redrawn at once (the next line of a cell sees the new picture).
"""
import asyncio
import base64
import io
import struct
import sys
import traceback
import zlib
from collections import OrderedDict
from contextlib import contextmanager

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from PIL import Image
from traitlets import validate

from ..i18n import language, set_language
from ..plotting import style

# The package's matplotlib style and fonts for the figures, artists and texts a widget makes and
# draws: plotting.style's own context (re-entrant: one rc_context per redraw, however many methods
# it passes through) and its decorator, under the names the widgets use.
package_style = style.context
in_style = style.styled


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

    Strips, for pictures of side-by-side panels whose static parts change independently
    (the lab: the contour changes with the problem, the loss axes with the step count):
    `strips = [[axes of the left strip], [axes of the right strip]]` and `background_key` a
    tuple of one key per strip. A strip is cut at the right edge of its axes (plus 3 px);
    each strip's pixels are cached per its key, so when one strip's key changes only its
    axes are drawn again (on the figure's face colour), the others are restored.
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
        self.strip_draws = 0
        self.strips = None
        self._strip_cache = OrderedDict()

    def invalidate(self):
        """Forget every cached background (the next render draws everything)."""
        self.backgrounds.clear()
        self.bases.clear()
        self._strip_cache.clear()

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

    def prepare(self, key):
        """Draw and cache the background of `key` now (idle time), without moving or
        encoding anything: a later render with that key only restores it. The figure must
        already be set up for `key`; the canvas' pixels are left changed (every render
        restores a background first)."""
        if key not in self.backgrounds:
            with package_style():
                self._draw_background(key)

    def _draw_strips(self, key):
        """Restore the strips whose key is cached, draw the others' axes (see the class doc)."""
        fig, canvas = self.fig, self.canvas
        edges = _strip_edges(fig, self.strips)
        height = int(fig.bbox.height)
        for artist in self.animated:
            artist.set_animated(True)
        cached = [(k, part) in self._strip_cache for k, part in enumerate(key)]
        if not any(cached):
            canvas.draw()                                   # animated artists are left out
            self.full_draws += 1
        else:
            face = (np.array(fig.get_facecolor()) * 255).round().astype(np.uint8)
            pixels = np.asarray(canvas.buffer_rgba())
            for k, part in enumerate(key):
                if cached[k]:
                    self._strip_cache.move_to_end((k, part))
                    canvas.restore_region(self._strip_cache[(k, part)])
                else:
                    pixels[:, edges[k]:edges[k + 1]] = face  # the strip on the figure's face colour
                    for ax in self.strips[k]:
                        if ax.get_visible():
                            fig.draw_artist(ax)             # its animated children are left out
                    self.strip_draws += 1
        for k, part in enumerate(key):
            if not cached[k]:
                box = _pixel_box(edges[k], edges[k + 1], height)
                _keep(self._strip_cache, (k, part), canvas.copy_from_bbox(box), 16 * len(key))

    def _draw_background(self, key):
        if self.strips and not self.layer:
            self._draw_strips(key)
            _keep(self.backgrounds, key, self.canvas.copy_from_bbox(self.fig.bbox), self.max_backgrounds)
            return
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


def _strip_edges(fig, strips):
    """Pixel columns where the strips begin and end: [0, x1, x2, ..., width]."""
    width = int(fig.bbox.width)
    edges = [0]
    for axes in strips[:-1]:
        right = max(ax.get_position().x1 for ax in axes) * fig.bbox.width
        edges.append(min(width, int(np.ceil(right)) + 3))
    return edges + [width]


def _pixel_box(x0, x1, height):
    return Bbox([[x0, 0], [x1, height]])


def running_loop():
    """The running asyncio loop (a kernel's), or None (a script, a test, nbval's cell code)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


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


MANTISSAS = (1, 1.2, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 9)


def round_values(lo_exp, hi_exp, mantissas=MANTISSAS, extra=()):
    """Round numbers from 10**lo_exp to 10**hi_exp, sorted: every mantissa times every power
    of ten, as written (float("7e-2") is exactly the float 0.07), plus `extra`."""
    values = {float(f"{m}e{e}") for e in range(lo_exp, hi_exp) for m in mantissas}
    values |= {float(f"1e{hi_exp}")} | {float(v) for v in extra}
    low, high = float(f"1e{lo_exp}"), float(f"1e{hi_exp}")
    return sorted(v for v in values if low <= v <= high)


def _label(value, fmt):
    return fmt.format(value)


class ValueSlider(widgets.SelectionSlider):
    """A slider over a list of numbers (e.g. `round_values(-4, 1)`): each position is one of
    them, exactly; the readout shows it with `fmt` ("{:g}"). A value set from code that is
    not on the list is added to it (lab.lr.value = 0.123 stays 0.123). The front end sends
    the position (an index), so nothing is rounded or re-snapped on the way back.
    ValueSlider(values, value=None, fmt="{:g}", **kwargs) (description, style, layout ...)."""

    def __init__(self, values, value=None, fmt="{:g}", **kwargs):
        self._fmt = fmt
        values = sorted({float(v) for v in values} | ({float(value)} if value is not None else set()))
        options = [(_label(v, fmt), v) for v in values]
        super().__init__(options=options, value=values[0] if value is None else float(value), **kwargs)

    @validate("value")
    def _validate_value(self, proposal):
        value = proposal.value
        if value is not None and not self._initializing_traits_:
            value = float(value)
            if value not in self._options_values:
                self._add_option(value)
            proposal.value = value
        return super()._validate_value(proposal)

    def _add_option(self, value):
        """Insert `value` in the list without moving the slider (no options observer: it
        would select the first option)."""
        label = _label(value, self._fmt)
        if label in self._options_labels:
            label = repr(value)
        options = tuple(sorted(self._options_full + ((label, value),), key=lambda o: o[1]))
        self._options_full = options
        self._trait_values["options"] = options
        self._options_values = tuple(v for _, v in options)
        old = self.index
        self.set_trait("_options_labels", tuple(lab for lab, _ in options))
        if old is not None and self._options_values[old] != self.value:
            self.set_trait("index", self._options_values.index(self.value))   # the old value, moved


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
    coalesce_s = 0.004          # a front-end change is redrawn this long after the last one arrived
    _pending = None
    _timer = None

    def watch(self, *controls):
        """Redraw (changed() -> update()) whenever one of `controls` changes its value."""
        if self.language is None:
            self.language = language()
        for control in controls:
            control.observe(self._on_change, names="value")

    def _on_change(self, change):
        loop = running_loop()
        owner = change.get("owner")
        if loop is not None and getattr(owner, "_property_lock", None):    # from the front end
            if self._pending is None:
                self._pending = []
            self._pending.append(change)
            if self._timer is not None:
                self._timer.cancel()
            self._timer = loop.call_later(self.coalesce_s, self._flush)
            return
        self._pending, pending = None, self._pending or []    # from code: now, with what was pending
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        with speaking(self.language or language()):
            self.changes_arrived(pending + [change])

    def _flush(self):
        """The deferred redraw: every change that arrived meanwhile, folded into one."""
        self._timer = None
        changes, self._pending = self._pending or [], None
        if not changes:
            return
        try:
            with speaking(self.language or language()):
                self.changes_arrived(changes)
            self.after_flush()
        except Exception:                            # noqa: BLE001 - a loop callback must not raise
            traceback.print_exc(file=sys.stderr)

    def after_flush(self):
        """Called after a deferred (front-end) redraw, on the kernel's event loop: a widget
        may schedule idle work here (the lab draws the backgrounds a next move may need)."""

    @property
    def pending(self):
        """The front-end changes not redrawn yet (0 when the picture is up to date)."""
        return len(self._pending or ())

    def changes_arrived(self, changes):
        """One or more watched changes (oldest first) to redraw at once: changed(the last)."""
        self.changed(changes[-1])

    def changed(self, change):
        """A watched control changed: redraw."""
        self.update()

    def _repr_mimebundle_(self, **kwargs):
        return bundle_with_png(self.widget, self.figure.image.value, **kwargs)
