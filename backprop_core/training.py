"""The training loop: mini-batches, shuffling, divergence detection, a history.

X: (n_samples, n_in), t: (n_samples, n_out) (or labels for CrossEntropy).
"""
import numpy as np

from ._checks import check_finite, flag, loss_limit, positive_int, real_array, seed_value
from .batches import updates_per_epoch
from .losses import CrossEntropy, get_loss
from .network import as_network
from .optimizers import SGD, get_optimizer

# fit(record_params=True) refuses to preallocate a trajectory larger than this (bytes)
MAX_RECORD_BYTES = 2 ** 30


class History:
    """What fit recorded.

    loss: (steps,) mini-batch loss before each update; epoch_loss: (epochs,) loss on the
    whole data set after each epoch; diverged: True when the loss became inf/NaN (or
    exceeded max_loss); diverged_at: the step at which that happened, else None;
    params: (steps + 1, n_params) trajectory of all parameters if record_params=True.
    """

    def __init__(self):
        self.loss = []
        self.epoch_loss = []
        self.params = None
        self.diverged = False
        self.diverged_at = None
        self.steps = 0

    def _finish(self):
        self.loss = np.asarray(self.loss, dtype=float)
        self.epoch_loss = np.asarray(self.epoch_loss, dtype=float)
        return self

    def __repr__(self):
        last = f"{self.loss[-1]:.6g}" if len(self.loss) else "none"
        state = f"diverged at step {self.diverged_at}" if self.diverged else "finite"
        return f"History(steps={self.steps}, last loss={last}, {state})"


def fit(net, X, t, loss="mse", optimizer=None, epochs=10, batch_size=32, shuffle=True,
        seed=0, record_params=False, max_loss=1e12):
    """Train `net` on (X, t) with mini-batch gradient descent; returns a History.

    Each epoch splits the data into batches of `batch_size` (the last may be smaller),
    in a random order drawn from `seed` when shuffle=True (seed 004: 'shuffled order each
    epoch'). Each step: forward, loss, backward, optimizer.step. A step whose loss is not
    finite or exceeds `max_loss`, or whose update makes a weight non-finite, ends training:
    history.diverged = True and history.diverged_at = that step; the net keeps its last
    finite weights and the history keeps only finite numbers.

    A full batch (batch_size >= n) is used in the stored order: shuffling it would change
    only the rounding of its mean gradient. Its loss before step k + 1 is the loss on the
    whole data after epoch k, so that loss is not computed twice.
    """
    net = as_network(net)
    loss = get_loss(loss)
    optimizer = SGD(lr=0.01) if optimizer is None else get_optimizer(optimizer)
    epochs = positive_int(epochs, "epochs")
    batch_size = positive_int(batch_size, "batch_size")
    seed = seed_value(seed)
    max_loss = loss_limit(max_loss)
    shuffle = flag(shuffle, "shuffle")
    record_params = flag(record_params, "record_params")
    loss.check_network(net)
    X = net.check_input(X)
    t = as_targets(t, X.shape[0], net.layers[-1].n_out, loss)
    n = X.shape[0]
    if record_params:
        rows = epochs * updates_per_epoch(n, batch_size) + 1
        size = rows * sum(p.size for p in net.parameters()) * 8
        if size > MAX_RECORD_BYTES:
            raise ValueError(f"record_params=True would store {rows} x {size // (8 * rows)} parameters "
                             f"({size / 2 ** 30:.1f} GiB, more than {MAX_RECORD_BYTES / 2 ** 30:.0f} GiB): "
                             "lower epochs, raise batch_size, or use record_params=False")
    full_batch = batch_size >= n        # one batch of all samples: its order changes only the rounding
    rng = np.random.default_rng(seed)
    params = net.parameters()           # the arrays themselves: the optimiser updates them in place
    backup = [np.empty_like(p) for p in params]              # last finite weights, for a rollback
    hist = History()
    if record_params:                   # preallocated trajectory: (steps + 1, n_params)
        hist.params = np.empty((rows, sum(p.size for p in params)))
        hist.params[0] = net.get_flat()
    step = 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(epochs):
            order = rng.permutation(n) if shuffle and not full_batch else None
            for start in range(0, n, batch_size):
                if order is None:       # stored order: slices are views, nothing is copied
                    xb, tb = X[start:start + batch_size], t[start:start + batch_size]
                else:
                    idx = order[start:start + batch_size]
                    xb, tb = X[idx], t[idx]
                y = net.forward_checked(xb)
                L = loss.value(y, tb)
                if not np.isfinite(L) or L > max_loss:
                    return _diverged(hist, net, step)
                if full_batch and epoch > 0:
                    hist.epoch_loss.append(float(L))    # = the loss after the previous epoch
                for p, b in zip(params, backup):
                    np.copyto(b, p)
                net.backward(loss._gradient(y, tb), input_grad=False)   # training needs no dL/dX
                optimizer.step(net)
                hist.loss.append(float(L))
                step += 1
                hist.steps = step
                if record_params:       # check the new row of the trajectory: one array, not one each
                    hist.params[step] = net.get_flat()
                    finite = np.isfinite(hist.params[step]).all()
                else:
                    finite = all(np.isfinite(p).all() for p in params)
                if not finite:
                    for p, b in zip(params, backup):     # undo the non-finite update
                        np.copyto(p, b)
                    if record_params:
                        hist.params[step] = hist.params[step - 1]     # the weights the net keeps
                    return _diverged(hist, net, step)
            if full_batch and epoch + 1 < epochs:
                continue                # the next step's loss L is this epoch's loss: no extra forward pass
            L_epoch = loss.value(net.forward_checked(X), t)
            if not np.isfinite(L_epoch) or L_epoch > max_loss:
                return _diverged(hist, net, step)
            hist.epoch_loss.append(float(L_epoch))
    return hist._finish()


def _diverged(hist, net, step):
    hist.diverged = True
    hist.diverged_at = step
    hist.steps = len(hist.loss)
    if hist.params is not None:
        hist.params = hist.params[:hist.steps + 1]
    return hist._finish()


def as_targets(t, n, n_out, loss):
    """Targets t for n samples of a network with n_out outputs, as float rows (n, n_out)
    (CrossEntropy's integer labels (n,) become one-hot rows), checked by the loss itself
    (e.g. BinaryCrossEntropy: in [0, 1]). Raises ValueError/TypeError naming t."""
    arr = real_array(t, "t")
    if isinstance(loss, CrossEntropy) and arr.ndim == 1 and arr.shape[0] == n and n_out > 1:
        return loss.one_hot(arr, n_out)             # labels checked -> one-hot rows (n, n_out)
    if arr.ndim == 1 and arr.size == n * n_out:
        arr = arr.reshape(n, n_out)
    if arr.shape != (n, n_out):
        raise ValueError(f"targets t must have shape ({n}, {n_out}) (one row per sample of X, "
                         f"one column per output), got {np.shape(t)}")
    check_finite(arr, "t")
    return loss.check_targets(arr)
