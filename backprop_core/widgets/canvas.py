"""A matplotlib figure that lives inside a widget: the base of every live picture.

The figure is made once (Agg, no pyplot, so nothing is captured into a cell's output),
updated in place by the caller, and `refresh()` renders it to PNG bytes in a
`widgets.Image`. When refresh() returns, the pixels are final. This works the same in
JupyterLab, in Voila and under nbval (no Output-widget messages).
"""
import io

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..plotting import style


class FigureImage:
    """fig_image = FigureImage(figsize=(8, 3.5)); draw on fig_image.fig; fig_image.refresh().

    `image` is the widgets.Image to put in a layout; `renders` counts refreshes (tests use it).
    """

    def __init__(self, figsize=(6.4, 4.0), dpi=100, nrows=None, ncols=None, **subplot_kw):
        style.apply()
        self.fig = Figure(figsize=figsize, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.fig)
        self.axes = self.fig.subplots(nrows, ncols, **subplot_kw) if nrows else None
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="auto", max_width="100%"))
        self.renders = 0

    def render(self):
        """Draw the figure and return the PNG bytes."""
        buf = io.BytesIO()
        self.canvas.print_png(buf)      # print_png draws the figure itself (no separate draw())
        return buf.getvalue()

    def refresh(self):
        """Render and send the new pixels to the Image widget."""
        self.image.value = self.render()
        self.renders += 1
        return self.image

    def _repr_mimebundle_(self, **kwargs):
        return self.image._repr_mimebundle_(**kwargs)
