"""The practitioner's recipe for training a classifier, as numbers: counts of right answers,
the confusion matrix, a learning-rate sweep, and a recorded run (accuracy per epoch, the
update-to-weight ratio per layer and step). numpy only; the pictures are in plotting.digits.

    run = recipe.train(net, X_train, y_train, bp.Adam(lr=0.01), epochs=20,
                       validation=(X_test, y_test))
    run.train_correct[-1], run.test_correct[-1]      # counts, after the last epoch
    recipe.confusion_matrix(y_test, recipe.predict(net, X_test), 10)

X: (n, n_in) rows are samples; labels y: (n,) integers 0..k-1; the network's last layer
gives k logits (activation 'identity', CrossEntropy applies the softmax).
"""
import dataclasses

import numpy as np

from .batches import updates_per_epoch
from .checks import positive_int, real_array, seed_value
from .layers import Dense
from .losses import CrossEntropy
from .network import Sequential, as_network
from .optimizers import Adam, get_optimizer
from .training import History, fit


def labels_array(labels, name="labels", n_classes=None):
    """labels as an int64 array (n,) of whole numbers in 0..n_classes-1 (ValueError otherwise)."""
    y = real_array(labels, name)
    if y.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of class indices (n,), got shape {y.shape}")
    if not np.all(np.isfinite(y)) or np.any(y != np.round(y)) or np.any(y < 0):
        raise ValueError(f"{name} must be whole numbers >= 0 (class indices)")
    if n_classes is not None and y.size and y.max() >= n_classes:
        raise ValueError(f"{name} must be in 0..{n_classes - 1}, got the label {int(y.max())}")
    return y.astype(np.int64)


def predict(net, X):
    """The predicted class of each row of X: argmax of the network's outputs, (n,) int64."""
    net = as_network(net)
    return np.argmax(net.forward_checked(net.check_input(X)), axis=1).astype(np.int64)


def count_correct(net, X, labels):
    """How many rows of X the network classifies right: #{i: predict(net, X)_i = labels_i}."""
    y = labels_array(labels)
    guess = predict(net, X)
    if guess.shape != y.shape:
        raise ValueError(f"labels must have one entry per row of X: X has {guess.size} rows, "
                         f"labels has shape {y.shape}")
    return int(np.sum(guess == y))


def confusion_matrix(labels, predicted, n_classes):
    """C (k, k) int64: C[i, j] = how many samples of true class i were predicted as class j.
    The diagonal holds the right answers; row i sums to the number of samples of class i."""
    k = positive_int(n_classes, "n_classes")
    y = labels_array(labels, "labels", k)
    p = labels_array(predicted, "predicted", k)
    if y.shape != p.shape:
        raise ValueError(f"labels and predicted must have the same shape, got {y.shape} and {p.shape}")
    C = np.zeros((k, k), dtype=np.int64)
    np.add.at(C, (y, p), 1)
    return C


def most_confused(C):
    """The largest off-diagonal cell of a confusion matrix: (true class, predicted class,
    count), the first in row order on a tie; count 0 when nothing is confused."""
    C = np.asarray(C)
    if C.ndim != 2 or C.shape[0] != C.shape[1]:
        raise ValueError(f"C must be a square confusion matrix (k, k), got shape {C.shape}")
    off = np.where(np.eye(len(C), dtype=bool), -1, C)
    i, j = np.unravel_index(int(np.argmax(off)), C.shape)
    return int(i), int(j), max(int(off[i, j]), 0)


def first_of_each_class(labels, k=1):
    """Indices of the first k samples of each class, taken round by round: the first sample
    of classes 0, 1, 2, ..., then the second of each, ... (k · n_classes,)."""
    y = labels_array(labels)
    k = positive_int(k, "k")
    rounds = []
    for c in range(int(y.max()) + 1):
        members = np.flatnonzero(y == c)
        if len(members) < k:
            raise ValueError(f"class {c} has {len(members)} samples, fewer than k={k}")
        rounds.append(members[:k])
    return np.array(rounds).T.ravel()


def chance_loss(n_classes):
    """The cross-entropy of a network that cannot tell the classes apart (all k logits equal,
    softmax 1/k each): -ln(1/k) = ln k. For 10 digits, ln 10 ≈ 2.303."""
    k = positive_int(n_classes, "n_classes")
    return float(CrossEntropy()(np.zeros((1, k)), np.zeros(1)))


def mlp(n_in, hidden, n_out, seed=0):
    """The recipe's network: n_in -> hidden ReLU units (He init) -> n_out logits (identity,
    Xavier init), weights drawn from `seed` and seed + 1."""
    return Sequential(Dense(n_in, hidden, "relu", init="he", seed=seed),
                      Dense(hidden, n_out, "identity", seed=seed + 1))


def update_ratios(net, params):
    """The update-to-weight ratio of each layer's weights W at each step of a recorded run:
    r[s, l] = ||W_l(s+1) - W_l(s)|| / ||W_l(s)|| (Frobenius norms). params: (steps + 1,
    n_params) rows of net.get_flat() (fit's record_params=True). Returns (steps, n_layers).
    A rule of thumb: about 1e-3; far below, the layer hardly learns; near 1e-1, it jumps."""
    net = as_network(net)
    params = real_array(params, "params")
    sizes = [p.size for p in net.parameters()]
    if params.ndim != 2 or params.shape[1] != sum(sizes) or params.shape[0] < 2:
        raise ValueError(f"params must be a trajectory of shape (steps + 1, {sum(sizes)}) with at least "
                         f"one step, got {params.shape}")
    starts = np.cumsum([0] + sizes)
    ratios = []
    for k, name in enumerate(net.parameter_names()):
        if name.startswith("W"):
            W = params[:, starts[k]:starts[k + 1]]
            step = np.linalg.norm(np.diff(W, axis=0), axis=1)
            ratios.append(step / np.maximum(np.linalg.norm(W[:-1], axis=1), np.finfo(float).tiny))
    return np.stack(ratios, axis=1)


@dataclasses.dataclass
class Run:
    """A recorded training run. history: fit's History; train_correct, test_correct:
    (epochs + 1,) counts of right answers before training and after each epoch; n_train,
    n_test: the set sizes; ratios: (steps, n_layers) update_ratios; steps_per_epoch."""
    history: History
    train_correct: np.ndarray
    test_correct: np.ndarray
    n_train: int
    n_test: int
    ratios: np.ndarray
    steps_per_epoch: int

    @property
    def train_accuracy(self):
        """(epochs + 1,) fraction of the training set classified right."""
        return self.train_correct / self.n_train

    @property
    def test_accuracy(self):
        """(epochs + 1,) fraction of the held-out set classified right."""
        return self.test_correct / self.n_test


def train(net, X, labels, optimizer=None, epochs=20, batch_size=32, seed=0, validation=None):
    """Train `net` with fit (CrossEntropy, mini-batches shuffled from `seed`) and record the
    recipe's measurements; returns a Run. The weights after every step are recorded
    (record_params), so the accuracy after each epoch is measured on the weights of that
    moment without touching the training loop; the net ends with its trained weights.
    validation: (X_test, labels_test), counted per epoch too (test_correct; zeros without).
    optimizer: default Adam(lr=0.01)."""
    net = as_network(net)
    y = labels_array(labels, "labels", net.layers[-1].n_out)
    optimizer = Adam(lr=0.01) if optimizer is None else get_optimizer(optimizer)
    epochs, batch_size = positive_int(epochs, "epochs"), positive_int(batch_size, "batch_size")
    seed = seed_value(seed)
    if validation is not None:
        if not isinstance(validation, (tuple, list)) or len(validation) != 2:
            raise TypeError(f"validation must be a pair (X_test, labels_test), got {type(validation).__name__}")
        X_test, y_test = validation[0], labels_array(validation[1], "labels_test", net.layers[-1].n_out)
    hist = fit(net, X, y, loss=CrossEntropy(), optimizer=optimizer, epochs=epochs,
               batch_size=batch_size, seed=seed, record_params=True,
               validation=None if validation is None else (X_test, y_test))
    per_epoch = updates_per_epoch(len(y), batch_size)
    final = net.get_flat()
    train_correct, test_correct = [], []
    for row in range(0, len(hist.params), per_epoch):
        net.set_flat(hist.params[row])
        train_correct.append(count_correct(net, X, y))
        test_correct.append(0 if validation is None else count_correct(net, X_test, y_test))
    net.set_flat(final)
    return Run(hist, np.array(train_correct), np.array(test_correct), len(y),
               0 if validation is None else len(y_test), update_ratios(net, hist.params), per_epoch)


@dataclasses.dataclass
class LrSweep:
    """lrs: (m,) the learning rates tried; loss: (m,) each run's training loss after its
    last epoch (inf where it diverged); best_lr: the rate with the lowest loss;
    below_best(): the rate one place lower."""
    lrs: np.ndarray
    loss: np.ndarray

    @property
    def best_lr(self):
        return float(self.lrs[int(np.argmin(self.loss))])

    def below_best(self, steps=1):
        """The rate `steps` places below best_lr in the sorted list (the smallest if there is
        none): a short sweep favours bold rates, a long run a somewhat smaller one."""
        order = np.sort(self.lrs)
        k = int(np.searchsorted(order, self.best_lr)) - int(steps)
        return float(order[max(k, 0)])


def lr_sweep(X, labels, lrs, hidden=32, epochs=2, batch_size=32, seed=0, optimizer="adam"):
    """Train a fresh mlp(hidden, seed) for `epochs` at each learning rate of `lrs` (try
    them on a log scale, e.g. 10 ** np.arange(-4, 0.5, 0.5)) and keep its final training loss.
    optimizer: "adam" or "sgd" (SGD with momentum 0.9)."""
    y = labels_array(labels)
    lrs = real_array(lrs, "lrs")
    if lrs.ndim != 1 or lrs.size == 0 or np.any(~np.isfinite(lrs)) or np.any(lrs <= 0):
        raise ValueError(f"lrs must be a 1-D list of positive learning rates, got {lrs!r:.60}")
    if optimizer not in ("adam", "sgd"):
        raise ValueError(f"optimizer must be 'adam' or 'sgd', got {optimizer!r}")
    X = real_array(X, "X")
    n_classes = int(y.max()) + 1
    losses = []
    for lr in lrs:
        net = mlp(X.shape[1], positive_int(hidden, "hidden"), n_classes, seed)
        opt = Adam(lr=float(lr)) if optimizer == "adam" else get_optimizer("sgd", lr=float(lr), momentum=0.9)
        hist = fit(net, X, y, loss=CrossEntropy(), optimizer=opt, epochs=epochs, batch_size=batch_size,
                   seed=seed)
        losses.append(np.inf if hist.diverged else float(hist.epoch_loss[-1]))
    return LrSweep(lrs, np.array(losses))


def width_sweep(X, labels, widths, validation, lr=0.01, epochs=20, batch_size=32, seed=0, done=None):
    """One recorded Run per hidden width (a fresh mlp(width, seed), Adam(lr)): {width: Run}.
    For the live width control: every position is computed here, once. done: {width: Run}
    already trained with these same settings (e.g. the lesson's main run), used as they are."""
    y = labels_array(labels)
    X = real_array(X, "X")
    n_classes = int(y.max()) + 1
    runs = {}
    for width in widths:
        width = positive_int(width, "width")
        if done and width in done:
            runs[width] = done[width]
            continue
        net = mlp(X.shape[1], width, n_classes, seed)
        runs[width] = train(net, X, y, Adam(lr=lr), epochs, batch_size, seed, validation)
    return runs
