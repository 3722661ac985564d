"""Loss functions L(y, t) and their gradients dL/dy.

y: predictions (batch, n_out); t: targets, same shape (CrossEntropy also takes integer
labels (batch,)); a flat t is read as one column (batch, 1) or one sample (1, n_out) only,
never guessed into a wider shape. Every loss is a mean over the batch unless its name says otherwise,
so the learning rate does not depend on the batch size: reduction="mean", the default.
reduction="sum" adds the errors up instead (seed 004: a mini-batch of N examples whose
errors are summed; StatQuest's SSR = MSE(reduction="sum")): its gradient is N times the
mean's, so the same step needs a learning rate N times smaller (η/N).
"""
import functools

import numpy as np

from .activations import Sigmoid, Softmax, softmax, softmax_parts
from .checks import check_finite, finite_number, flag, lookup, number_in, real_array


def _as_float(a, name):
    """a as a float32 or float64 array (anything else becomes float64); strings and
    complex numbers are refused."""
    dtype = np.float32 if isinstance(a, np.ndarray) and a.dtype == np.float32 else np.float64
    return real_array(a, name, dtype)              # float32 stays float32 (no copy)


def _not_empty(y):
    if y.size == 0:
        raise ValueError(f"predictions y is empty (shape {y.shape}): a loss needs at least one "
                         "sample and one output")


REDUCTIONS = ("mean", "sum")
UNIT_ROWS_MAX = 1024                # one-hot test by table up to this many classes (8 MB)


@functools.lru_cache(maxsize=8)
def unit_rows(k, dtype):
    """The k one-hot rows of length k (the identity matrix) of dtype, made once, read-only."""
    rows = np.eye(k, dtype=dtype)
    rows.flags.writeable = False
    return rows


def one_hot_rows(t):
    """True when every row of t (batch, k) is one-hot: a single 1, every other number 0.
    NaN or ±inf make it False, with no warning. A row is one-hot when it equals the unit
    row at its own argmax: four numpy calls (argmax, take, !=, count) whatever the batch."""
    batch, k = t.shape
    if k <= UNIT_ROWS_MAX:
        return not np.count_nonzero(t != unit_rows(k, t.dtype).take(t.argmax(1), axis=0))
    # many classes: `batch` numbers that are not 0 in all, and each row's largest is 1
    return bool(np.count_nonzero(t) == batch) and not np.count_nonzero(np.maximum.reduce(t, 1) != 1)


class Loss:
    """Base class: `loss(y, t)` -> float, `loss.grad(y, t)` -> dL/dy, shape of y;
    `loss.per_sample(y, t)` -> (batch,) the loss of each sample alone.

    reduction: "mean" (default) divides the summed error by the count the loss averages over
    (every element, or every sample: see each loss), "sum" does not divide.
    All check y and t first. Subclasses give `_rows(y, t)` (batch,), each sample's error
    summed over its outputs, `_sum_grad(y, t)`, the gradient of their sum, and `_count(y)`;
    The `*_checked` methods (`value_checked`, `grad_checked`, `value_and_grad_checked`,
    `per_sample_checked`) are the bare formulas for arrays already checked: fit checks X
    and t once per call, then calls them once per step.
    """

    name = "loss"
    reduction = "mean"              # for subclasses that do not call Loss.__init__

    def __init__(self, reduction="mean"):
        if not isinstance(reduction, str):
            raise TypeError(f"{type(self).__name__}: reduction must be 'mean' or 'sum' (a str), "
                            f"got {reduction!r}")
        if reduction not in REDUCTIONS:
            raise ValueError(f"reduction must be 'mean' or 'sum', got {reduction!r}")
        self.reduction = reduction

    def _count(self, y):
        """What "mean" divides by: the number of elements (overridden: of samples)."""
        return y.size

    def _divisor(self, y):
        return self._count(y) if self.reduction == "mean" else 1

    def value_checked(self, y, t):
        """L for y and t already checked (2-D, same shape, finite, in the loss's domain)."""
        return np.sum(self._rows(y, t)) / self._divisor(y)

    def grad_checked(self, y, t):
        """grad for y and t already checked (2-D, same shape, finite, in the loss's domain)."""
        return self._sum_grad(y, t) / self._divisor(y)

    def value_and_grad_checked(self, y, t):
        """(L, dL/dy) for y and t already checked: a training step needs both (a loss may
        share the work, e.g. CrossEntropy's exponentials), the same numbers as the two calls."""
        return self.value_checked(y, t), self.grad_checked(y, t)

    def per_sample(self, y, t):
        """(batch,): each sample's loss as a batch of one (same reduction), e.g. for MSE:
        the mean of its squared errors over the outputs ("mean") or their sum ("sum")."""
        y, t = self._check(y, t)
        return self.per_sample_checked(y, t)

    def per_sample_checked(self, y, t):
        """per_sample for arrays already checked."""
        rows = self._rows(y, t)
        if self.reduction == "sum":
            return rows
        return rows * (y.shape[0] / self._count(y))

    def _reduction_repr(self):
        return "" if self.reduction == "mean" else "reduction='sum'"

    def __call__(self, y, t):
        y, t = self._check(y, t)
        return float(self.value_checked(y, t))

    def grad(self, y, t):
        """dL/dy for predictions y (batch, n_out) and targets t."""
        y, t = self._check(y, t)
        return self.grad_checked(y, t)

    def check_targets(self, t):
        """Raise ValueError if targets t (batch, n_out), already float and finite, are
        outside the loss's domain (e.g. BinaryCrossEntropy: [0, 1]). Returns t."""
        return t

    def check_network(self, net):
        """Raise ValueError if `net`'s output layer does not suit this loss (e.g. a softmax
        output before CrossEntropy, which applies softmax itself)."""

    def targets_array(self, t, name="targets t", dtype=np.float64):
        """t as a float array (real_array), before any shape check; a loss may refuse a kind
        of target here (CrossEntropy: booleans)."""
        return real_array(t, name, dtype)

    def targets_as_rows(self, t, n, n_out):
        """Targets t (from targets_array) for n samples of n_out outputs, as rows (n, n_out)
        where this loss reads another form (CrossEntropy: labels (n,) -> one-hot rows); other
        shapes come back as they are, for the caller's shape check."""
        return t

    def _check(self, y, t):
        y = _as_float(y, "predictions y")
        t = self.targets_array(t, "targets t", y.dtype)
        if y.ndim == 1:
            y = y.reshape(1, -1)
        if y.ndim != 2:
            raise ValueError(f"{type(self).__name__}: predictions y must have shape (batch, n_out), got {y.shape}")
        _not_empty(y)
        if t.shape != y.shape and t.ndim == 1 and t.size == y.size and 1 in y.shape:
            t = t.reshape(y.shape)          # one column (n,) or one sample (n_out,): unambiguous
        if t.shape != y.shape:
            raise ValueError(f"{type(self).__name__}: targets t must have the shape of the "
                             f"predictions {y.shape}, got {t.shape}")
        check_finite(y, "predictions y")
        check_finite(t, "targets t")
        return y, self.check_targets(t)

    def __repr__(self):
        return f"{type(self).__name__}({self._reduction_repr()})"


class MSE(Loss):
    """L = mean((y - t)^2) over all elements; for one sample, the posts' (y - ŷ)^2.
    dL/dy = 2 (y - t) / N, N = number of elements.
    reduction="sum": L = Σ (y - t)^2, the sum of squared residuals (SSR), dL/dy = 2 (y - t)."""
    name = "mse"

    def _rows(self, y, t):
        return np.sum((y - t) ** 2, axis=1)

    def value_checked(self, y, t):
        return ((y - t) ** 2).sum() / self._divisor(y)   # one sum: the training loop's hot path

    def _sum_grad(self, y, t):
        return 2.0 * (y - t)

    def value_and_grad_checked(self, y, t):
        d, n = y - t, self._divisor(y)                   # the residual, once
        return (d ** 2).sum() / n, 2.0 * d / n


class HalfSquaredError(Loss):
    """L = ½ Σ_q (t_q - o_q)^2, summed over outputs, mean over the batch (seed 004's
    delta rule). dL/do = (o - t) / batch, so -dL/dz = (t - o) f'(z) = δ of the post.
    reduction="sum": L = ½ Σ_batch Σ_q (t_q - o_q)^2, dL/do = o - t (Mazur's E_total for one
    sample is the same in both).

    Because it sums over outputs but averages over samples, y must be 2-D (batch, n_out):
    a 1-D y is refused (4 samples of one output and 1 sample of 4 outputs differ here,
    unlike MSE, MAE and BinaryCrossEntropy, which average over every element)."""
    name = "half_squared_error"

    def _check(self, y, t):
        if np.ndim(y) != 2:
            raise ValueError(f"HalfSquaredError: predictions y must be 2-D (batch, n_out), got shape "
                             f"{np.shape(y)}; use y.reshape(-1, 1) for n samples of one output or "
                             "y.reshape(1, -1) for one sample of n outputs")
        return super()._check(y, t)

    def _count(self, y):
        return y.shape[0]

    def _rows(self, y, t):
        return 0.5 * np.sum((t - y) ** 2, axis=1)

    def _sum_grad(self, y, t):
        return y - t


class MAE(Loss):
    """L = mean(|y - t|) (L1). dL/dy = sign(y - t) / N (0 where y = t).
    reduction="sum": L = Σ |y - t|, dL/dy = sign(y - t)."""
    name = "mae"

    def _rows(self, y, t):
        return np.sum(np.abs(y - t), axis=1)

    def _sum_grad(self, y, t):
        return np.sign(y - t)


class BinaryCrossEntropy(Loss):
    """L = -mean(t log p + (1 - t) log(1 - p)), p in [0, 1] (e.g. a sigmoid output).

    p is clipped to [eps, 1 - eps] so p = 0 or 1 gives a large finite loss, not inf
    (0 < eps < 0.5). With from_logits=True, y is the logit z and L = mean(softplus(z) - t z),
    exact and stable for any z; dL/dz = (sigmoid(z) - t) / N. Targets t are in [0, 1].
    reduction="sum": the same without the division by N."""
    name = "binary_cross_entropy"

    def __init__(self, from_logits=False, eps=1e-12, reduction="mean"):
        super().__init__(reduction)
        for name, value in (("from_logits", from_logits), ("eps", eps)):
            if isinstance(value, str) and value in REDUCTIONS:
                raise TypeError(f"BinaryCrossEntropy: {name} got the word {value!r}; the reduction "
                                f"is a keyword: BinaryCrossEntropy(reduction={value!r})")
        self.from_logits = flag(from_logits, "BinaryCrossEntropy: from_logits")
        self.eps = number_in(eps, "eps", 0.0, 0.5, low_open=True)

    def _check(self, y, t):
        y, t = super()._check(real_array(y, "predictions y"), t)   # float64: eps = 1e-12 < float32's
        if not self.from_logits and (y.min() < 0 or y.max() > 1):
            raise ValueError("BinaryCrossEntropy: predictions must be probabilities in [0, 1] "
                             "(use from_logits=True for raw scores)")
        return y, t

    def check_targets(self, t):
        if t.min() < 0 or t.max() > 1:
            raise ValueError(f"BinaryCrossEntropy: targets t must be in [0, 1], got values in "
                             f"[{t.min():g}, {t.max():g}]")
        return t

    def check_network(self, net):
        last = net.layers[-1]
        if not self.from_logits and not isinstance(last.activation, (Sigmoid, Softmax)):
            raise ValueError(f"BinaryCrossEntropy() needs predictions in [0, 1], but the last layer "
                             f"{last.label} has activation {last.activation.name!r}: use a 'sigmoid' "
                             "output layer, or BinaryCrossEntropy(from_logits=True) for raw scores")

    def _rows(self, y, t):
        if self.from_logits:
            return np.sum(np.logaddexp(0.0, y) - t * y, axis=1)
        p = np.clip(y, self.eps, 1.0 - self.eps)
        return -np.sum(t * np.log(p) + (1.0 - t) * np.log1p(-p), axis=1)

    def _sum_grad(self, y, t):
        if self.from_logits:
            e = np.exp(-np.abs(y))
            sig = np.where(y >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
            return sig - t
        p = np.clip(y, self.eps, 1.0 - self.eps)
        return (p - t) / (p * (1.0 - p))

    def __repr__(self):
        extra = ", " + self._reduction_repr() if self.reduction != "mean" else ""
        return f"BinaryCrossEntropy(from_logits={self.from_logits}{extra})"


class CrossEntropy(Loss):
    """Softmax fused with multi-class cross-entropy. y: logits (batch, k), k >= 2; t: integer
    labels (batch,) or one-hot / probability rows (batch, k) (each row >= 0, summing to 1).
    L = mean_b( logsumexp(y_b) - Σ_k t_bk y_bk ),  dL/dy = (softmax(y) - t) / batch.
    The network's last layer should then be 'identity': the softmax lives here.
    reduction="sum": summed over the batch, dL/dy = softmax(y) - t."""
    name = "cross_entropy"

    @staticmethod
    def one_hot(labels, n_classes):
        """Integer labels (n,) in 0..n_classes-1 -> one-hot rows (n, n_classes) of float64.
        Whole floats (2.0) are accepted as labels; anything else is a ValueError; booleans
        are a TypeError (True is not a class number: say labels.astype(int))."""
        _not_booleans(labels, "labels t")
        t = real_array(labels, "labels t")
        if t.ndim != 1:
            raise ValueError(f"CrossEntropy: labels t must be a 1-D array (batch,), got shape {t.shape}")
        if not np.all(np.isfinite(t)) or np.any(t != np.round(t)):
            raise ValueError("CrossEntropy: integer labels t must be whole numbers")
        labels = t.astype(int)
        if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
            raise ValueError(f"CrossEntropy: labels t must be in 0..{n_classes - 1}, "
                             f"got {labels.min()}..{labels.max()}")
        onehot = np.zeros((labels.size, n_classes))
        onehot[np.arange(labels.size), labels] = 1.0
        return onehot

    def targets_array(self, t, name="targets t", dtype=np.float64):
        """t as a float array; booleans are refused (labels are class numbers 0..k-1)."""
        if type(t) is np.ndarray and t.dtype == dtype:      # already so: the step's path
            return t
        _not_booleans(t, name)
        return real_array(t, name, dtype)

    def targets_as_rows(self, t, n, n_out):
        """Integer labels (n,) become one-hot rows (n, n_out), checked (see one_hot)."""
        if t.ndim == 1 and t.shape[0] == n and n_out > 1:
            return self.one_hot(t, n_out)
        return t

    def check_targets(self, t):
        # |row sum - 1| <= 1e-6, as np.allclose(rtol=0, atol=1e-6) decides for a finite t, without its overhead
        if t.min() < 0 or not (np.abs(t.sum(axis=1) - 1.0) <= 1e-6).all():
            raise ValueError("CrossEntropy: one-hot / probability targets t must be rows of numbers "
                             ">= 0 that sum to 1 (a distribution over the classes), got rows summing to "
                             f"{np.round(t.sum(axis=1), 6).tolist()[:5]} with smallest value {t.min():g}")
        return t

    def check_network(self, net):
        last = net.layers[-1]
        if isinstance(last.activation, Softmax):
            raise ValueError(f"CrossEntropy applies softmax itself (it takes logits), but the last layer "
                             f"{last.label} already has activation 'softmax': softmax would be applied "
                             "twice. Give the last layer activation='identity'")
        _two_classes(last.n_out)

    def _check(self, y, t):
        return self._check_rows(y, t)[:2]

    def _check_rows(self, y, t):
        """(y, t, mass): y and t checked as rows (batch, k) of y's float type, and mass, the
        rows' sums Σt (batch, 1), or None when every row sums to exactly 1 (one-hot rows)."""
        y = _as_float(y, "predictions y")           # float32 stays float32, as in every loss
        if y.ndim == 1:
            y = y.reshape(1, -1)
        if y.ndim != 2:
            raise ValueError(f"CrossEntropy: logits y must have shape (batch, classes), got {y.shape}")
        _not_empty(y)
        _two_classes(y.shape[1])
        check_finite(y, "predictions y")
        t = self.targets_array(t, "targets t", y.dtype)
        batch, k = y.shape
        if t.ndim == 1 and t.shape[0] == batch and y.shape != (1, t.shape[0]):
            return y, self.one_hot(t, k).astype(y.dtype, copy=False), None
        if t.ndim == 1:
            t = t.reshape(1, -1)
        if t.shape != y.shape:
            raise ValueError(f"CrossEntropy: targets t must be labels of shape ({batch},) or "
                             f"one-hot rows of shape {y.shape}, got {np.shape(t)}")
        if one_hot_rows(t):
            return y, t, None
        check_finite(t, "targets t")    # (before any sum: +inf and -inf in one row would warn)
        return y, self.check_targets(t), np.add.reduce(t, 1)[:, None]   # probability rows, Σt

    def grad(self, y, t):
        """dL/dy = (softmax(y)·Σt - t) / batch for logits y (batch, k) and targets t."""
        y, t, mass = self._check_rows(y, t)
        g = self._sum_grad(y, t, mass)          # a new array: divided in place
        n = self._divisor(y)
        if n != 1:                              # (x / 1 is x: a batch of one, or reduction "sum")
            g /= n
        return g

    def _count(self, y):
        return y.shape[0]

    def _rows(self, y, t):
        m, _, s = softmax_parts(y, axis=1)
        return self._rows_of(y, t, m, s, t.sum(axis=1, keepdims=True))

    @staticmethod
    def _rows_of(y, t, m, s, mass):
        """Each row's loss logsumexp(y)·Σt - Σ t·y from softmax_parts (logsumexp = m + log s)
        and the rows' mass Σt (1 for one-hot / probability rows)."""
        return (m[:, 0] + np.log(s[:, 0])) * mass[:, 0] - (t * y).sum(axis=1)

    def _sum_grad(self, y, t, mass=False):
        """softmax(y)·Σt - t; mass: the rows' sums (batch, 1), None when all are exactly 1
        (then the product is skipped: the same numbers), False: compute them."""
        p = softmax(y, axis=1)
        if mass is False:
            mass = t.sum(axis=1, keepdims=True)
        if mass is not None:
            p = p * mass                    # (not in place: t may be wider than y's float32)
        return p - t

    def value_and_grad_checked(self, y, t):
        """L and dL/dy from one set of exponentials (softmax_parts): the same numbers as
        value_checked and grad_checked."""
        m, e, s = softmax_parts(y, axis=1)
        mass = t.sum(axis=1, keepdims=True)
        rows = self._rows_of(y, t, m, s, mass)
        e /= s                                       # softmax(y)
        n = self._divisor(y)
        return rows.sum() / n, (e * mass - t) / n

    def probabilities(self, y):
        """softmax(y) row-wise, the class probabilities behind the logits."""
        return softmax(real_array(y, "logits y"))


def _not_booleans(t, name):
    if (t if isinstance(t, np.ndarray) else np.asarray(t)).dtype == bool:
        raise TypeError(f"CrossEntropy: {name} must be class labels 0..k-1 (integers) or one-hot / "
                        f"probability rows of numbers, got booleans: say {name.split()[-1]}.astype(int) "
                        "(True is class 1, False class 0)")


def _two_classes(k):
    if k < 2:
        raise ValueError(f"CrossEntropy needs at least 2 classes (logits of shape (batch, k), k >= 2), "
                         f"got {k} column: a softmax over one column is always 1. For one output use "
                         "BinaryCrossEntropy(from_logits=True)")


LOSSES = {
    "mse": MSE, "half_squared_error": HalfSquaredError, "mae": MAE,
    "binary_cross_entropy": BinaryCrossEntropy, "bce": BinaryCrossEntropy,
    "cross_entropy": CrossEntropy,
}


def get_loss(loss, **kwargs):
    """A Loss from a name ('mse', 'cross_entropy', ...) and keyword arguments (e.g.
    reduction="sum"), or a Loss object as it is."""
    if isinstance(loss, Loss):
        if kwargs:
            raise TypeError(f"get_loss: keyword arguments {sorted(kwargs)} go with a loss name such as "
                            f"'mse'; {loss!r} is built already")
        return loss
    if isinstance(loss, type) and issubclass(loss, Loss):
        raise TypeError(f"loss must be a loss object such as bp.{loss.__name__}() (with brackets) "
                        f"or a name, got the class {loss.__name__}")
    return lookup(loss, LOSSES, "loss")(**kwargs)


def curve(loss, y, t):
    """L and dL/dy for one sample at every prediction in y (n,) with target t: two (n,) arrays,
    each value the loss of the one-element batch [[y_i]] (what a picture of the loss draws).
    Computed as one batch of n one-output samples: each row's loss as a batch of one
    (per_sample), and each row's gradient, whose divisor is 1 for a batch of one."""
    loss = get_loss(loss)
    y = real_array(y, "y").reshape(-1, 1)
    y, t = loss._check(y, np.full_like(y, finite_number(t, "t")))
    return loss.per_sample_checked(y, t), loss._sum_grad(y, t)[:, 0]
