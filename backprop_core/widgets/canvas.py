"""Kept for the modules that still import from here (the steppers): the names now live in
`drawing` (the figure, its PNG and its blitting), `picture` (the widget base, coalescing
and language) and `controls` (ValueSlider, labelled, round_values). Import from those."""
from .controls import MANTISSAS, ValueSlider, labelled, round_values
from .drawing import (
    BlitFigureImage,
    FigureImage,
    Scene,
    StaleBackground,
    check_backgrounds,
    in_style,
    package_style,
    png_bytes,
    small_png_bytes,
)
from .picture import PictureWidget, bundle_with_png, made_in_language, running_loop, speaking

__all__ = ["MANTISSAS", "ValueSlider", "labelled", "round_values", "BlitFigureImage", "FigureImage", "Scene",
           "StaleBackground", "check_backgrounds", "in_style", "package_style", "png_bytes", "small_png_bytes",
           "PictureWidget", "bundle_with_png", "made_in_language", "running_loop", "speaking"]
