"""Notebook 12 (handwritten digits, end to end): the expected answers, computed by the core
with the notebook's own settings (the split, the sweep, the network, the run)."""
import functools

import numpy as np

from .. import datasets, recipe
from ..exercises import Exercise
from ..optimizers import Adam

TEST_FRACTION, SEED, HIDDEN, EPOCHS, BATCH = 0.2, 0, 32, 20, 32
SWEEP_LRS = 10.0 ** np.arange(-4, 0.25, 0.5)      # 1e-4 ... 1, half a decade apart
SWEEP_EPOCHS = 2


def digits_split():
    """The notebook's split: (X_train, y_train, X_test, y_test)."""
    X, y = datasets.load_digits()
    return datasets.stratified_split(X, y, TEST_FRACTION, seed=SEED)


@functools.lru_cache(maxsize=1)
def chosen_lr():
    """The learning rate the notebook trains with: one place below the sweep's lowest loss."""
    X_train, y_train, _, _ = digits_split()
    return recipe.lr_sweep(X_train, y_train, SWEEP_LRS, HIDDEN, SWEEP_EPOCHS, BATCH, SEED).below_best()


@functools.lru_cache(maxsize=4)
def notebook_run(lr):
    """The notebook's training run at learning rate lr: (net, Run), kept for the next
    exercise (the same call gives the same run)."""
    X_train, y_train, X_test, y_test = digits_split()
    net = recipe.mlp(64, HIDDEN, 10, seed=SEED)
    run = recipe.train(net, X_train, y_train, Adam(lr=lr), EPOCHS, BATCH, SEED, (X_test, y_test))
    return net, run


def wrong_eights():
    """How many held-out 8s the trained network classifies as another digit."""
    net, _ = notebook_run(chosen_lr())
    _, _, X_test, y_test = digits_split()
    C = recipe.confusion_matrix(y_test, recipe.predict(net, X_test), 10)
    return float(C[8].sum() - C[8, 8])


def ratio_factor():
    """median layer-1 update ratio at the notebook's η / the same at η/10."""
    lr = chosen_lr()
    medians = [float(np.median(notebook_run(rate)[1].ratios[:, 0])) for rate in (lr, lr / 10)]
    return medians[0] / medians[1]


EXERCISES = {
    "chance26": Exercise("L₀", lambda: recipe.chance_loss(26), 1e-3),
    "wrong_eights": Exercise("N₈", wrong_eights, 0.5),
    "ratio_factor": Exercise("r(η) / r(η/10)", ratio_factor, 0.005),
}
