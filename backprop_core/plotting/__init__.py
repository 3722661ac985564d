"""Pictures (layer 2): matplotlib drawings of networks, loss curves and landscapes.

Imports the numeric core, never ipywidgets. Every picture is made in the package's style
per figure (style.context(), never the global rcParams), with the bundled Chinese font as
fallback, and its words in the current language (bp.set_language).
"""
from . import functions, style
from .curves import plot_loss
from .graph import draw_graph, plot_cake
from .landscape import plot_contour
from .network import draw_network
from .style import COLORS, presentation

__all__ = ["style", "functions", "COLORS", "presentation", "draw_network", "plot_contour", "plot_loss",
           "draw_graph", "plot_cake"]
