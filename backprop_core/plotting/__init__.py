"""Pictures (layer 2): matplotlib drawings of networks, loss curves and landscapes.

Imports the numeric core, never ipywidgets.
"""
from . import functions, style
from .style import COLORS, presentation
from .network import draw_network
from .landscape import plot_contour
from .curves import plot_loss
from .graph import draw_graph, plot_cake

__all__ = ["style", "functions", "COLORS", "presentation", "draw_network", "plot_contour", "plot_loss"]
