"""backprop_core: a small, readable, vectorised numpy core for teaching backpropagation.

    import backprop_core as bp
    net = bp.Sequential(bp.Dense(3, 2, "sigmoid"), bp.Dense(2, 1, "sigmoid"))
    hist = bp.fit(net, X, t, loss=bp.MSE(), optimizer=bp.SGD(lr=0.5), epochs=100)

`import backprop_core` loads numpy only. The pictures (`bp.plotting`, matplotlib) and the
widgets (`bp.widgets`, ipywidgets) load on first use.
"""
import importlib

from . import batches, datasets, delta_rule, depth, examples, graph, i18n, landscapes, one_weight, runs, scalar, timing
from .activations import (
    ELU,
    Activation,
    Identity,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Softplus,
    Swish,
    Tanh,
    get_activation,
)
from .dropout import Dropout
from .gradcheck import analytic_gradients, gradcheck, numerical_gradients
from .i18n import language, set_language
from .initializers import initialize
from .layers import Dense
from .losses import MAE, MSE, BinaryCrossEntropy, CrossEntropy, HalfSquaredError, Loss, get_loss
from .network import Sequential, as_network
from .optimizers import SGD, Adam, Optimizer, RMSProp, get_optimizer, largest_stable_lr
from .schedules import Constant, ExponentialDecay, InverseTime, Schedule, StepDecay
from .trace import ParameterUpdate, TraceRow, TraceTable, trace
from .training import History, fit

__version__ = "0.1.0"

_LAZY = ("plotting", "widgets", "exercises")


def __getattr__(name):
    # PEP 562: the drawing and widget layers are imported only when first used
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'backprop_core' has no attribute {name!r}")


__all__ = [
    "Activation", "Identity", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "Softplus", "Swish",
    "Softmax", "get_activation",
    "Loss", "MSE", "HalfSquaredError", "MAE", "BinaryCrossEntropy", "CrossEntropy", "get_loss",
    "Dense", "Dropout", "Sequential", "as_network", "initialize",
    "Optimizer", "SGD", "RMSProp", "Adam", "get_optimizer", "largest_stable_lr",
    "Schedule", "Constant", "StepDecay", "ExponentialDecay", "InverseTime",
    "set_language", "language",
    "fit", "History", "gradcheck", "numerical_gradients", "analytic_gradients",
    "trace", "TraceTable", "TraceRow", "ParameterUpdate", "i18n", "examples", "datasets", "delta_rule",
    "scalar", "landscapes", "batches", "timing", "depth", "graph", "one_weight", "runs",
]
