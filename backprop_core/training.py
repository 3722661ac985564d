"""The training loop: mini-batches, shuffling, divergence detection, a history.

X: (n_samples, n_in), t: (n_samples, n_out) (or labels for CrossEntropy).
"""
import math

import numpy as np

from ._checks import check_finite, flag, loss_limit, number_in, positive_int, real_array, seed_value
from .batches import updates_per_epoch
from .losses import CrossEntropy, get_loss
from .network import as_network
from .optimizers import SGD, get_optimizer

# fit(record_params=True) refuses to preallocate a trajectory larger than this (bytes)
MAX_RECORD_BYTES = 2 ** 30


SAMPLINGS = ("uniform", "hard")


class History:
    """What fit recorded.

    loss: (steps,) mini-batch loss before each update (in training mode: with dropout, if
    any); epoch_loss: (epochs,) loss on the whole training set after each epoch (evaluation
    mode: no dropout); val_loss: (epochs,) the same on fit's `validation` data (empty without);
    draws: (n_samples,) how many times each sample was in a mini-batch; diverged: True when
    the loss became inf/NaN (or exceeded max_loss); diverged_at: the step at which that
    happened, else None; params: (steps + 1, n_params) trajectory of all parameters if
    record_params=True; sampling: "uniform" or "hard".
    """

    def __init__(self, n_samples=0, sampling="uniform"):
        self.loss = []
        self.epoch_loss = []
        self.val_loss = []
        self.draws = np.zeros(n_samples, dtype=np.int64)
        self.sampling = sampling
        self.params = None
        self.diverged = False
        self.diverged_at = None
        self.steps = 0

    def _finish(self):
        self.loss = np.asarray(self.loss, dtype=float)
        self.epoch_loss = np.asarray(self.epoch_loss, dtype=float)
        self.val_loss = np.asarray(self.val_loss, dtype=float)
        return self

    def __repr__(self):
        last = f"{self.loss[-1]:.6g}" if len(self.loss) else "none"
        state = f"diverged at step {self.diverged_at}" if self.diverged else "finite"
        return f"History(steps={self.steps}, last loss={last}, {state})"


def hard_probabilities(per_sample, floor=0.1):
    """Seed 004's "show examples with large errors more often": the probability of drawing
    sample i, p_i = (1 - floor) · L_i / Σ_j L_j + floor / n, from the per-sample losses L_i
    (n,) >= 0. The floor (0 < floor <= 1) keeps every p_i >= floor / n, so no sample starves;
    floor = 1 is uniform. All losses 0: uniform."""
    L = real_array(per_sample, "per_sample")
    if L.ndim != 1 or L.size == 0:
        raise ValueError(f"per_sample must be a non-empty 1-D array of losses (n,), got shape {L.shape}")
    if not np.all(np.isfinite(L)) or np.any(L < 0):
        raise ValueError("per_sample losses must be finite numbers >= 0")
    floor = number_in(floor, "hard_floor", 0.0, 1.0, low_open=True, high_open=False)
    n = L.size
    total = L.sum()
    share = L / total if total > 0 else np.full(n, 1.0 / n)
    p = (1.0 - floor) * share + floor / n
    return p / p.sum()


def fit(net, X, t, loss="mse", optimizer=None, epochs=10, batch_size=32, shuffle=True,
        seed=0, record_params=False, max_loss=1e12, sampling="uniform", hard_floor=None,
        validation=None):
    """Train `net` on (X, t) with mini-batch gradient descent; returns a History.

    Each epoch splits the data into batches of `batch_size` (the last may be smaller).
    sampling="uniform" (default): every sample once per epoch, in a random order drawn from
    `seed` when shuffle=True (seed 004: 'shuffled order each epoch'), else in the stored order.
    sampling="hard" (seed 004: 'show examples with large errors more often'): before each
    mini-batch, the loss of every sample is measured (evaluation mode) and the batch is drawn
    with replacement, sample i with probability (1 - hard_floor)·L_i/Σ L + hard_floor/n (see
    hard_probabilities; hard_floor default 0.1), from `seed`; an epoch still has
    ceil(n / batch_size) batches and n draws. history.draws counts how often each sample was
    drawn (both samplings). hard_floor belongs to sampling="hard" only, and shuffle=False to
    sampling="uniform" only (hard sampling draws at random): the other pairing is refused.

    Each step: forward (training mode: Dropout active), loss, backward, optimizer.step (frozen
    parameters stay as they are). fit puts the network in training mode and back in its
    previous mode at the end; the epoch losses (and the validation losses, for
    validation=(X_val, t_val)) are measured in evaluation mode. Dropout masks come from each
    Dropout's own stream restarted with `seed` (Dropout.reset), so the same call gives the
    same run, and the shuffled order does not depend on whether the network has dropout.

    A step whose loss is not finite or exceeds `max_loss`, or whose update makes a weight
    non-finite, ends training: history.diverged = True and history.diverged_at = that step;
    the net keeps its last finite weights and the history keeps only finite numbers.

    A full batch (batch_size >= n, uniform sampling) is used in the stored order: shuffling
    it would change only the rounding of its mean gradient. Without dropout its loss before
    step k + 1 is the loss on the whole data after epoch k, so that loss is not computed twice.
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
    if not isinstance(sampling, str) or sampling not in SAMPLINGS:
        raise ValueError(f"sampling must be 'uniform' or 'hard', got {sampling!r}")
    hard = sampling == "hard"
    if hard and not shuffle:
        raise ValueError("shuffle=False keeps the stored order, but sampling='hard' draws every "
                         "mini-batch at random from the losses: drop shuffle=False, or use "
                         "sampling='uniform'")
    if hard_floor is not None and not hard:
        raise ValueError(f"hard_floor={hard_floor!r} applies to sampling='hard' only (the least "
                         "probability of a sample), got sampling='uniform': drop hard_floor, "
                         "or use sampling='hard'")
    hard_floor = number_in(0.1 if hard_floor is None else hard_floor, "hard_floor", 0.0, 1.0,
                           low_open=True, high_open=False)
    loss.check_network(net)
    X = net.check_input(X)
    t = as_targets(t, X.shape[0], net.layers[-1].n_out, loss)
    n = X.shape[0]
    if validation is not None:
        if not isinstance(validation, (tuple, list)) or len(validation) != 2:
            raise TypeError("validation must be a pair (X_val, t_val), got "
                            f"{type(validation).__name__}")
        X_val = net.check_input(validation[0], "X_val (validation[0])")
        t_val = as_targets(validation[1], X_val.shape[0], net.layers[-1].n_out, loss,
                           "t_val", "X_val")
    if record_params:
        rows = epochs * updates_per_epoch(n, batch_size) + 1
        size = rows * sum(p.size for p in net.parameters()) * 8
        if size > MAX_RECORD_BYTES:
            raise ValueError(f"record_params=True would store {rows} x {size // (8 * rows)} parameters "
                             f"({size / 2 ** 30:.1f} GiB, more than {MAX_RECORD_BYTES / 2 ** 30:.0f} GiB): "
                             "lower epochs, raise batch_size, or use record_params=False")
    full_batch = batch_size >= n and not hard   # one batch of all samples: its order changes only the rounding
    dropping = any(d.p > 0 for d in net.dropouts.values())
    reuse = full_batch and not dropping         # the step's loss is the previous epoch's loss
    rng = np.random.default_rng(seed)
    params = net.parameters()           # the arrays themselves: the optimiser updates them in place
    # the last finite weights, for a rollback: the trajectory's previous row, or a copy of its own
    backup = None if record_params else [np.empty_like(p) for p in params]
    hist = History(n, sampling)
    if record_params:                   # preallocated trajectory: (steps + 1, n_params)
        hist.params = np.empty((rows, sum(p.size for p in params)))
        hist.params[0] = net.get_flat()
    was_training = net.training
    for drop in net.dropouts.values():
        drop.reset(seed)

    def evaluate(Xe, te):               # the loss of the network as a function: dropout off
        net.train(False)
        try:
            return loss.value(net.forward_checked(Xe), te)
        finally:
            net.train(True)

    step = 0
    val = None                          # the validation loss after the last epoch
    net.train(True)
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for epoch in range(epochs):
                order = rng.permutation(n) if shuffle and not full_batch and not hard else None
                for start in range(0, n, batch_size):
                    size = min(batch_size, n - start)
                    if hard:
                        net.train(False)
                        per_sample = loss.per_sample_checked(net.forward_checked(X), t)
                        net.train(True)
                        if not np.all(np.isfinite(per_sample)) or per_sample.sum() > max_loss * n:
                            return _diverged(hist, net, step)
                        idx = rng.choice(n, size=size, replace=True,
                                         p=hard_probabilities(per_sample, hard_floor))
                        xb, tb = X[idx], t[idx]
                        np.add.at(hist.draws, idx, 1)
                    elif order is None:     # stored order: slices are views, nothing is copied
                        xb, tb = X[start:start + batch_size], t[start:start + batch_size]
                        hist.draws[start:start + batch_size] += 1
                    else:
                        idx = order[start:start + batch_size]
                        xb, tb = X[idx], t[idx]
                        hist.draws[idx] += 1
                    y = net.forward_checked(xb)
                    L = loss.value(y, tb)
                    if not math.isfinite(L) or L > max_loss:
                        return _diverged(hist, net, step)
                    if reuse and epoch > 0:
                        hist.epoch_loss.append(float(L))    # = the loss after the previous epoch
                        if validation is not None:
                            hist.val_loss.append(float(val))
                    if backup is not None:
                        for p, b in zip(params, backup):
                            np.copyto(b, p)
                    net.backward_checked(loss.grad_checked(y, tb), input_grad=False)   # no dL/dX: X is data
                    optimizer.step(net)
                    hist.loss.append(float(L))
                    step += 1
                    hist.steps = step
                    if record_params:       # check the new row of the trajectory: one array, not one each
                        hist.params[step] = net.get_flat()
                        finite = np.isfinite(hist.params[step]).all()
                    else:
                        finite = all(np.isfinite(p).all() for p in params)
                    if not finite:                  # undo the non-finite update
                        if record_params:
                            hist.params[step] = hist.params[step - 1]     # the weights the net keeps
                            net.set_flat(hist.params[step])
                        else:
                            for p, b in zip(params, backup):
                                np.copyto(p, b)
                        return _diverged(hist, net, step)
                if validation is not None:
                    val = evaluate(X_val, t_val)
                    if not np.isfinite(val) or val > max_loss:
                        return _diverged(hist, net, step)
                if reuse and epoch + 1 < epochs:
                    continue                # the next step's loss L is this epoch's loss: no extra forward pass
                L_epoch = evaluate(X, t)
                if not np.isfinite(L_epoch) or L_epoch > max_loss:
                    return _diverged(hist, net, step)
                hist.epoch_loss.append(float(L_epoch))
                if validation is not None:
                    hist.val_loss.append(float(val))
    finally:
        net.train(was_training)
    return hist._finish()


def _diverged(hist, net, step):
    hist.diverged = True
    hist.diverged_at = step
    hist.steps = len(hist.loss)
    if hist.params is not None:
        hist.params = hist.params[:hist.steps + 1]
    return hist._finish()


def as_targets(t, n, n_out, loss, name="t", inputs="X"):
    """Targets t for n samples of a network with n_out outputs, as float rows (n, n_out)
    (CrossEntropy's integer labels (n,) become one-hot rows), checked by the loss itself
    (e.g. BinaryCrossEntropy: in [0, 1]). Raises ValueError/TypeError naming t (`name`)
    and its inputs (`inputs`). A flat t (n * n_out,) is taken as rows only when n_out or n
    is 1; for a wider output its layout would be a guess, so it is refused."""
    arr = loss.targets_array(t, name)
    if isinstance(loss, CrossEntropy) and arr.ndim == 1 and arr.shape[0] == n and n_out > 1:
        return loss.one_hot(arr, n_out)             # labels checked -> one-hot rows (n, n_out)
    if arr.ndim == 1 and arr.size == n * n_out and (n_out == 1 or n == 1):
        arr = arr.reshape(n, n_out)                 # one column, or one sample: unambiguous
    if arr.shape != (n, n_out):
        hint = ""
        if arr.ndim == 1 and arr.size == n * n_out:
            hint = (f": a flat t is read as one column only for a network with one output; "
                    f"if its values are the rows one after the other, pass {name}.reshape({n}, {n_out})")
        raise ValueError(f"targets {name} must have shape ({n}, {n_out}) (one row per sample of {inputs}, "
                         f"one column per output), got {np.shape(t)}{hint}")
    check_finite(arr, name)
    return loss.check_targets(arr)
