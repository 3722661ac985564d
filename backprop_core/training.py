"""The training loop: mini-batches, shuffling, divergence detection, a history.

X: (n_samples, n_in), t: (n_samples, n_out) (or labels for CrossEntropy).
"""
import math

import numpy as np

from .batches import updates_per_epoch
from .checks import (
    all_finite,
    check_finite,
    flag,
    is_finite,
    loss_limit,
    number_in,
    positive_int,
    real_array,
    seed_value,
)
from .i18n import Catalogue
from .losses import get_loss
from .network import as_network
from .optimizers import SGD, get_optimizer

# fit(record_params=True) refuses to preallocate a trajectory larger than this (bytes)
MAX_RECORD_BYTES = 2 ** 30


SAMPLINGS = ("uniform", "hard")

TEXT = Catalogue(en={"diverged": "diverged at step {step}"}, zh={"diverged": "在第 {step} 步发散"})


def divergence_text(step):
    """The words for a run that diverged at `step` (History.diverged_at): 'diverged at
    step k' (在第 k 步发散), in the current language."""
    return TEXT("diverged", step=step)


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

    def mark_diverged(self):
        """Training ended at step `steps`: the loss or the weights left the finite numbers."""
        self.diverged = True
        self.diverged_at = self.steps
        if self.params is not None:
            self.params = self.params[:self.steps + 1]

    def finish(self):
        """The recorded lists as arrays; returns the History."""
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
    net, loss = as_network(net), get_loss(loss)
    optimizer = SGD(lr=0.01) if optimizer is None else get_optimizer(optimizer)
    run = FitRun(net, loss, X, t, epochs, batch_size, shuffle, seed, record_params, max_loss,
                 sampling, hard_floor, validation)          # every argument checked, once
    hist = History(run.n, run.sampling)
    flat = net.flat_parameters()        # θ, ∇θ as vectors (None: frozen arrays, mixed dtypes)
    params, grads = (flat.params, flat.grads) if flat else (net.parameters(), net.gradients())
    trainable = None if all(net.trainable) else net.trainable
    update = optimizer.updater(params, grads, trainable, flat)      # w <- w + Δw, set up once
    guard = WeightGuard(net, hist, run.rows if run.record_params else 0, flat)
    was_training = net.training
    for drop in net.dropouts.values():
        drop.reset(run.seed)
    net.train(True)
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for epoch in range(run.epochs):
                for xb, tb in run.batches(hist):
                    y = net.forward_checked(xb)                     # forward
                    L, dL_dy = loss.value_and_grad_checked(y, tb)   # loss and dL/dy
                    run.record_step_loss(L, epoch, hist)
                    guard.save()
                    net.backward_checked(dL_dy, input_grad=False)   # backward (no dL/dX: X is data)
                    update()                                        # w <- w + Δw
                    hist.loss.append(float(L))
                    hist.steps += 1
                    guard.check()
                run.record_epoch(epoch, hist)
    except Diverged:
        run.count_unfinished_epoch(hist)
        hist.mark_diverged()
    finally:
        net.train(was_training)
    return hist.finish()


class Diverged(Exception):
    """Raised inside fit's loop when the loss or the weights leave the finite numbers (or
    the loss exceeds max_loss); fit ends the history there."""


class FitRun:
    """fit's arguments, checked once, and what a run does with them between the steps:
    the mini-batches of an epoch (`batches`), the divergence test of a step's loss and the
    losses recorded per epoch (`record_step_loss`, `record_epoch`)."""

    def __init__(self, net, loss, X, t, epochs, batch_size, shuffle, seed, record_params,
                 max_loss, sampling, hard_floor, validation):
        self.net, self.loss = net, loss
        self.epochs = positive_int(epochs, "epochs")
        self.batch_size = positive_int(batch_size, "batch_size")
        self.seed = seed_value(seed)
        self.max_loss = loss_limit(max_loss)
        self.shuffle = flag(shuffle, "shuffle")
        self.record_params = flag(record_params, "record_params")
        self.sampling, self.hard_floor = check_sampling(sampling, hard_floor, self.shuffle)
        loss.check_network(net)
        self.X = net.check_input(X)
        self.n = self.X.shape[0]
        self.t = as_targets(t, self.n, net.layers[-1].n_out, loss)
        self.validation = check_validation(validation, net, loss)
        self.rows = self.epochs * updates_per_epoch(self.n, self.batch_size) + 1
        if self.record_params:
            check_record_size(self.rows, net)
        self.hard = self.sampling == "hard"
        # one batch of all samples: its order changes only the rounding of the mean gradient
        self.full_batch = self.batch_size >= self.n and not self.hard
        # the step's loss is then the previous epoch's loss (no dropout to change it)
        self.reuse = self.full_batch and not any(d.p > 0 for d in net.dropouts.values())
        self.rng = np.random.default_rng(self.seed)
        self.val = None                             # the validation loss after the last epoch
        self.drawn, self.order = 0, None            # this epoch's samples drawn so far, its order

    def batches(self, hist):
        """The (x, t) mini-batches of one epoch; counts each sample's draws in hist.draws
        (an epoch that ends early: see count_unfinished_epoch)."""
        n, size, X, t = self.n, self.batch_size, self.X, self.t
        if self.hard:
            for start in range(0, n, size):
                idx = self.hard_draw(min(size, n - start))
                np.add.at(hist.draws, idx, 1)
                yield X[idx], t[idx]
            return
        order = self.rng.permutation(n) if self.shuffle and not self.full_batch else None
        self.order = order
        for start in range(0, n, size):
            self.drawn = start + size                       # the samples drawn so far
            if order is None:                               # stored order: views, no copies
                yield X[start:start + size], t[start:start + size]
            else:
                idx = order[start:start + size]
                yield X[idx], t[idx]
        hist.draws += 1                                     # every sample once per epoch
        self.drawn = 0

    def count_unfinished_epoch(self, hist):
        """Count the draws of an epoch that a divergence ended (uniform sampling)."""
        if not self.hard and self.drawn:
            hist.draws[slice(self.drawn) if self.order is None else self.order[:self.drawn]] += 1

    def hard_draw(self, size):
        """`size` sample indices drawn with replacement by hard_probabilities of the
        per-sample losses, measured now in evaluation mode (seed 004's hard examples)."""
        per_sample = self.evaluate(self.X, self.t, self.loss.per_sample_checked)
        if not np.all(np.isfinite(per_sample)) or per_sample.sum() > self.max_loss * self.n:
            raise Diverged
        p = hard_probabilities(per_sample, self.hard_floor)
        return self.rng.choice(self.n, size=size, replace=True, p=p)

    def evaluate(self, X, t, measure=None):
        """The loss (or measure(y, t)) of the network as a function: dropout off."""
        self.net.train(False)
        try:
            return (measure or self.loss.value_checked)(self.net.forward_checked(X), t)
        finally:
            self.net.train(True)

    def check(self, L):
        """Raise Diverged for a loss that is not finite or exceeds max_loss."""
        if not math.isfinite(L) or L > self.max_loss:
            raise Diverged

    def record_step_loss(self, L, epoch, hist):
        """Check a step's loss; with `reuse`, it is also the loss after the previous epoch."""
        self.check(L)
        if self.reuse and epoch > 0:
            hist.epoch_loss.append(float(L))
            if self.validation is not None:
                hist.val_loss.append(float(self.val))

    def record_epoch(self, epoch, hist):
        """After an epoch: the validation loss, and the training loss (unless the next
        step's loss gives it: `reuse`)."""
        if self.validation is not None:
            self.val = self.evaluate(*self.validation)
            self.check(self.val)
        if self.reuse and epoch + 1 < self.epochs:
            return
        L_epoch = self.evaluate(self.X, self.t)
        self.check(L_epoch)
        hist.epoch_loss.append(float(L_epoch))
        if self.validation is not None:
            hist.val_loss.append(float(self.val))


class WeightGuard:
    """Keeps the last finite weights so that an update which makes one non-finite is undone:
    save() before the update, check() after it (raises Diverged after the undo). With a
    trajectory (rows > 0: record_params) the history's previous row is the backup, and
    check() writes the new row. flat: the net's FlatParameters or None (then array by array)."""

    def __init__(self, net, hist, rows, flat=None):
        self.net, self.hist = net, hist
        self.params = [flat.theta] if flat is not None else net.parameters()
        self.theta = None if flat is None else flat.theta     # (fit's loop keeps the views intact)
        self.backup = None if rows else [np.empty_like(p) for p in self.params]
        if rows:                                    # preallocated trajectory: (steps + 1, n_params)
            hist.params = np.empty((rows, sum(p.size for p in self.params)))
            hist.params[0] = net.get_flat()

    def save(self):
        if self.backup is not None:
            for p, b in zip(self.params, self.backup):
                np.copyto(b, p)

    def check(self):
        hist, step = self.hist, self.hist.steps
        if self.backup is None:                     # the new row of the trajectory: one array
            row = hist.params[step]
            if self.theta is None:
                self.net.get_flat(out=row)
            else:
                np.copyto(row, self.theta)          # = net.get_flat(out=row), its look-ups done
            if is_finite(row):
                return
            hist.params[step] = hist.params[step - 1]   # the weights the net keeps
            self.net.set_flat(hist.params[step])
        else:
            if all_finite(self.params):
                return
            for p, b in zip(self.params, self.backup):
                np.copyto(p, b)
        raise Diverged


def check_sampling(sampling, hard_floor, shuffle):
    """(sampling, hard_floor) checked against each other and shuffle (see fit)."""
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
    return sampling, number_in(0.1 if hard_floor is None else hard_floor, "hard_floor", 0.0, 1.0,
                               low_open=True, high_open=False)


def check_validation(validation, net, loss):
    """fit's validation=(X_val, t_val), checked as X and t are; None stays None."""
    if validation is None:
        return None
    if not isinstance(validation, (tuple, list)) or len(validation) != 2:
        raise TypeError("validation must be a pair (X_val, t_val), got "
                        f"{type(validation).__name__}")
    X_val = net.check_input(validation[0], "X_val (validation[0])")
    t_val = as_targets(validation[1], X_val.shape[0], net.layers[-1].n_out, loss,
                       "t_val", "X_val")
    return X_val, t_val


def check_record_size(rows, net):
    """Refuse a record_params trajectory of more than MAX_RECORD_BYTES."""
    size = rows * sum(p.size for p in net.parameters()) * 8
    if size > MAX_RECORD_BYTES:
        raise ValueError(f"record_params=True would store {rows} x {size // (8 * rows)} parameters "
                         f"({size / 2 ** 30:.1f} GiB, more than {MAX_RECORD_BYTES / 2 ** 30:.0f} GiB): "
                         "lower epochs, raise batch_size, or use record_params=False")


def as_targets(t, n, n_out, loss, name="t", inputs="X"):
    """Targets t for n samples of a network with n_out outputs, as float rows (n, n_out)
    (CrossEntropy's integer labels (n,) become one-hot rows), checked by the loss itself
    (e.g. BinaryCrossEntropy: in [0, 1]). Raises ValueError/TypeError naming t (`name`)
    and its inputs (`inputs`). A flat t (n * n_out,) is taken as rows only when n_out or n
    is 1; for a wider output its layout would be a guess, so it is refused."""
    arr = loss.targets_as_rows(loss.targets_array(t, name), n, n_out)   # e.g. labels -> rows
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
