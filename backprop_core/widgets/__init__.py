"""Widgets (layer 3): ipywidgets controls that call the core and redraw the pictures.

Every widget is made in the language `lang=` ("en" or "zh"; default the current one,
bp.set_language) and keeps it as `.lang`; displayed, it carries a PNG of its picture for
viewers without a kernel. Its picture is drawn by `drawing` from the `Scene` it declares."""
from . import explorers
from .drawing import BlitFigureImage, FigureImage
from .explorers import LearningRateExplorer, TrialAndErrorExplorer
from .function_explorers import ActivationExplorer, GradientDepthExplorer, LossExplorer, WidthExplorer
from .graph_stepper import GraphStepper
from .lab import TrainingLab
from .picture import PictureWidget
from .stepper import Stepper

__all__ = ["explorers", "LearningRateExplorer", "TrialAndErrorExplorer", "FigureImage", "BlitFigureImage",
           "PictureWidget", "ActivationExplorer", "LossExplorer", "GradientDepthExplorer", "WidthExplorer",
           "TrainingLab", "Stepper", "GraphStepper"]
