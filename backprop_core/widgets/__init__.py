"""Widgets (layer 3): ipywidgets controls that call the core and redraw the pictures."""
from .canvas import FigureImage

__all__ = ["FigureImage"]
