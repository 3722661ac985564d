"""Notebook 11 (training in practice): the expected answers, computed by the core."""
import numpy as np

from .. import datasets, landscapes
from ..dropout import Dropout
from ..exercises import Exercise
from ..layers import Dense
from ..losses import MSE
from ..network import Sequential
from ..optimizers import SGD, Adam
from ..schedules import StepDecay
from ..training import fit, hard_probabilities


def sorted_blobs():
    """Section 1's data: three overlapping clusters, stored sorted by class."""
    X, labels = datasets.blobs(n=150, classes=3, spread=1.5, seed=0)
    order = np.argsort(labels, kind="stable")
    return X[order], labels[order]


def full_batch_ratio():
    """Final loss in stored (sorted) order / shuffled, with one batch of all 150 samples."""
    X, labels = sorted_blobs()
    final = []
    for shuffle in (True, False):
        net = Sequential(Dense(2, 8, "tanh", seed=0), Dense(8, 3, "identity", seed=1))
        hist = fit(net, X, labels, loss="cross_entropy", optimizer=SGD(lr=0.5), epochs=20,
                   batch_size=150, shuffle=shuffle, seed=0)
        final.append(hist.epoch_loss[-1])
    return final[1] / final[0]


def sum_lr():
    """The lr for reduction="sum" that takes the steps of "mean" at 0.4, batch of 16."""
    rng = np.random.default_rng(0)
    y, t = rng.normal(size=(16, 1)), rng.normal(size=(16, 1))
    ratio = np.linalg.norm(MSE().grad(y, t)) / np.linalg.norm(MSE(reduction="sum").grad(y, t))
    return 0.4 * ratio


def dropout_kept():
    """The value a kept unit with output 0.6 passes on under Dropout(0.2) while training."""
    out = Dropout(0.2, seed=0).train().forward(np.full((1, 64), 0.6))
    return float(out.max())


def adam_second_step():
    """Adam(lr=0.1)'s second step Δw for a weight whose gradients are 0.003, then 0.001
    (the first step is −η whatever the gradient, as the page shows: the second is not)."""
    w, adam = np.zeros(1), Adam(lr=0.1)
    adam.update([w], [np.array([0.003])])
    first = float(w[0])
    adam.update([w], [np.array([0.001])])
    return float(w[0]) - first


def two_minima_problem():
    """Section 8's surface: y = w2·sigmoid(w1·x), no biases, on t = sin(2x) - x + 0.5."""
    x = np.linspace(-2.0, 2.0, 20).reshape(-1, 1)
    t = np.sin(2 * x) - x + 0.5
    net = Sequential(Dense(1, 1, "sigmoid", weights=[[1.0]], use_bias=False),
                     Dense(1, 1, "identity", weights=[[1.0]], use_bias=False))
    return landscapes.NetProblem("two minima", "y = w2·sigmoid(w1·x)", net, x, t, MSE(),
                                 start=(0.0, 0.0), ranges=((-5.0, 5.0), (-3.0, 3.0)),
                                 param_names=("w1", "w2"))


def saddle_nudged_loss():
    """The loss after 300 steps of SGD(lr=0.1) started at the saddle point moved by 0.01 in w2
    (exactly at the saddle the gradient is 0 and nothing moves)."""
    problem = two_minima_problem()
    theta = np.array([1.0, 0.0])
    for _ in range(40):                                   # Newton's method on ∇L = 0
        problem.net.set_flat(theta)
        y = problem.net.forward(problem.X)
        problem.net.backward(problem.loss.grad(y, problem.t))
        g = np.concatenate([a.ravel() for a in problem.net.gradients()])
        theta = theta - np.linalg.solve(landscapes.hessian(problem, theta), g)
    problem.start = theta + np.array([0.0, 0.01])
    run = problem.descend(SGD(lr=0.1), steps=300)
    return float(problem.loss_at(run.params[-1]))


EXERCISES = {
    "full_batch_ratio": Exercise("r", full_batch_ratio, 1e-3),
    "hard_p": Exercise("p", lambda: float(hard_probabilities([0.0, 0.0, 1.0, 3.0], 0.1)[3]), 1e-3),
    "sum_lr": Exercise("η", sum_lr, 1e-4),
    "dropout_kept": Exercise("o·m", dropout_kept, 1e-3),
    "adam_second": Exercise("Δw₂", adam_second_step, 1e-3),
    "step_lr": Exercise("η", lambda: StepDecay(0.05, drop=0.5, every=100)(250), 1e-4),
    "saddle_nudged": Exercise("L", saddle_nudged_loss, 1e-3),
}
