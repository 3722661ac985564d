"""Widgets (layer 3): ipywidgets controls that call the core and redraw the pictures."""
from . import explorers
from .canvas import BlitFigureImage, FigureImage
from .explorers import LearningRateExplorer, TrialAndErrorExplorer
from .function_explorers import ActivationExplorer, GradientDepthExplorer, LossExplorer, WidthExplorer
from .lab import TrainingLab
from .stepper import Stepper

__all__ = ["explorers", "LearningRateExplorer", "TrialAndErrorExplorer", "FigureImage", "BlitFigureImage", "ActivationExplorer", "LossExplorer", "GradientDepthExplorer", "WidthExplorer", "TrainingLab", "Stepper"]
