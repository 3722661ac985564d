"""Loss functions L(y, t) and their gradients dL/dy.

y: predictions (batch, n_out); t: targets, same shape (CrossEntropy also takes integer
labels (batch,)). Every loss is a mean over the batch unless its name says otherwise,
so the learning rate does not depend on the batch size.
"""
import numpy as np

from ._checks import check_finite, lookup


def _as_float(a):
    """a as a float32 or float64 array (anything else becomes float64)."""
    a = np.asarray(a)
    return a if a.dtype in (np.float32, np.float64) else a.astype(float)


class Loss:
    """Base class: `loss(y, t)` -> float, `loss.grad(y, t)` -> dL/dy, shape of y."""

    name = "loss"

    def __call__(self, y, t):
        y, t = self._check(y, t)
        return float(self.value(y, t))

    def grad(self, y, t):
        y, t = self._check(y, t)
        return self.gradient(y, t)

    def _check(self, y, t):
        y = _as_float(y)                          # float32 stays float32 (no copy)
        t = np.asarray(t, dtype=y.dtype)
        if y.ndim == 1:
            y = y.reshape(1, -1)
        if t.shape != y.shape and t.ndim == 1 and t.size == y.size:
            t = t.reshape(y.shape)
        if t.shape != y.shape:
            raise ValueError(f"{type(self).__name__}: targets t must have the shape of the "
                             f"predictions {y.shape}, got {t.shape}")
        check_finite(y, "predictions y")
        check_finite(t, "targets t")
        return y, t

    def __repr__(self):
        return f"{type(self).__name__}()"


class MSE(Loss):
    """L = mean((y - t)^2) over all elements; for one sample, the posts' (y - ŷ)^2.
    dL/dy = 2 (y - t) / N, N = number of elements."""
    name = "mse"

    def value(self, y, t):
        return np.sum((y - t) ** 2) / y.size      # = np.mean, without its Python-level overhead

    def gradient(self, y, t):
        return 2.0 * (y - t) / y.size


class HalfSquaredError(Loss):
    """L = ½ Σ_q (t_q - o_q)^2, summed over outputs, mean over the batch (seed 004's
    delta rule). dL/do = (o - t) / batch, so -dL/dz = (t - o) f'(z) = δ of the post."""
    name = "half_squared_error"

    def value(self, y, t):
        return 0.5 * np.sum((t - y) ** 2) / y.shape[0]

    def gradient(self, y, t):
        return (y - t) / y.shape[0]


class MAE(Loss):
    """L = mean(|y - t|) (L1). dL/dy = sign(y - t) / N (0 where y = t)."""
    name = "mae"

    def value(self, y, t):
        return np.mean(np.abs(y - t))

    def gradient(self, y, t):
        return np.sign(y - t) / y.size


class BinaryCrossEntropy(Loss):
    """L = -mean(t log p + (1 - t) log(1 - p)), p in [0, 1] (e.g. a sigmoid output).

    p is clipped to [eps, 1 - eps] so p = 0 or 1 gives a large finite loss, not inf.
    With from_logits=True, y is the logit z and L = mean(softplus(z) - t z), exact and
    stable for any z; dL/dz = (sigmoid(z) - t) / N."""
    name = "binary_cross_entropy"

    def __init__(self, from_logits=False, eps=1e-12):
        self.from_logits = bool(from_logits)
        self.eps = float(eps)

    def _check(self, y, t):
        y, t = super()._check(np.asarray(y, dtype=float), t)   # float64: eps = 1e-12 < float32's
        if not self.from_logits and (y.min() < 0 or y.max() > 1):
            raise ValueError("BinaryCrossEntropy: predictions must be probabilities in [0, 1] "
                             "(use from_logits=True for raw scores)")
        if t.min() < 0 or t.max() > 1:
            raise ValueError("BinaryCrossEntropy: targets t must be in [0, 1]")
        return y, t

    def value(self, y, t):
        if self.from_logits:
            return np.mean(np.logaddexp(0.0, y) - t * y)
        p = np.clip(y, self.eps, 1.0 - self.eps)
        return -np.mean(t * np.log(p) + (1.0 - t) * np.log1p(-p))

    def gradient(self, y, t):
        if self.from_logits:
            e = np.exp(-np.abs(y))
            sig = np.where(y >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
            return (sig - t) / y.size
        p = np.clip(y, self.eps, 1.0 - self.eps)
        return (p - t) / (p * (1.0 - p)) / y.size

    def __repr__(self):
        return f"BinaryCrossEntropy(from_logits={self.from_logits})"


class CrossEntropy(Loss):
    """Softmax fused with multi-class cross-entropy. y: logits (batch, k); t: integer
    labels (batch,) or one-hot / probability rows (batch, k).
    L = mean_b( logsumexp(y_b) - Σ_k t_bk y_bk ),  dL/dy = (softmax(y) - t) / batch.
    The network's last layer should then be 'identity': the softmax lives here."""
    name = "cross_entropy"

    def _check(self, y, t):
        y = np.asarray(y, dtype=float)
        if y.ndim == 1:
            y = y.reshape(1, -1)
        if y.ndim != 2:
            raise ValueError(f"CrossEntropy: logits y must have shape (batch, classes), got {y.shape}")
        check_finite(y, "predictions y")
        t = np.asarray(t)
        batch, k = y.shape
        if t.ndim == 1 and t.shape[0] == batch and y.shape != (1, t.shape[0]):
            if not np.issubdtype(t.dtype, np.integer):
                if not np.all(np.isfinite(t)) or np.any(t != np.round(t)):
                    raise ValueError("CrossEntropy: integer labels t must be whole numbers")
            labels = t.astype(int)
            if labels.min() < 0 or labels.max() >= k:
                raise ValueError(f"CrossEntropy: labels t must be in 0..{k - 1}, "
                                 f"got {labels.min()}..{labels.max()}")
            onehot = np.zeros_like(y)
            onehot[np.arange(batch), labels] = 1.0
            return y, onehot
        t = np.asarray(t, dtype=float)
        if t.ndim == 1:
            t = t.reshape(1, -1)
        if t.shape != y.shape:
            raise ValueError(f"CrossEntropy: targets t must be labels of shape ({batch},) or "
                             f"one-hot rows of shape {y.shape}, got {np.shape(t)}")
        check_finite(t, "targets t")
        return y, t

    def value(self, y, t):
        m = y.max(axis=1, keepdims=True)
        logsumexp = m[:, 0] + np.log(np.sum(np.exp(y - m), axis=1))
        return np.mean(logsumexp * t.sum(axis=1) - np.sum(t * y, axis=1))

    def gradient(self, y, t):
        e = np.exp(y - y.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        return (p * t.sum(axis=1, keepdims=True) - t) / y.shape[0]

    def probabilities(self, y):
        """softmax(y) row-wise, the class probabilities behind the logits."""
        y = np.asarray(y, dtype=float)
        e = np.exp(y - y.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)


LOSSES = {
    "mse": MSE, "half_squared_error": HalfSquaredError, "mae": MAE,
    "binary_cross_entropy": BinaryCrossEntropy, "bce": BinaryCrossEntropy,
    "cross_entropy": CrossEntropy,
}


def get_loss(loss):
    """A Loss from a name ('mse', 'cross_entropy', ...) or a Loss object."""
    if isinstance(loss, Loss):
        return loss
    return lookup(loss, LOSSES, "loss")()
