"""Pictures (layer 2): matplotlib drawings of networks, loss curves and landscapes.

Imports the numeric core, never ipywidgets.
"""
from . import style
from .style import COLORS, presentation

__all__ = ["style", "COLORS", "presentation"]
