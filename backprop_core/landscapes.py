"""Loss landscapes: the loss as a function of two chosen parameters, on a grid.

Used for contour plots with the descent path drawn on top (seed 001's weight/bias
contour), and the training lab's problems in two parameters (seed 001's linear
regression, the same with noisy data, an ill-conditioned quadratic bowl, a non-convex
2-weight tanh network), each with `surface(n)` for the contour, `loss_at(theta)` and
`descend(optimizer, steps, batch_size, seed)` for the path (a `Descent`); `hessian` and
`curvatures` give the second derivatives that set the largest stable learning rate.
Numeric only (numpy): the pictures are in backprop_core.plotting. Each problem's title and
axis names in both languages: `title(problem)`, `axis_labels(problem)`.
"""
import numpy as np

from . import datasets, examples
from .batches import updates_per_epoch
from .checks import finite_number, loss_limit, positive_int, positive_number, real_array, seed_value
from .i18n import Catalogue
from .layers import Dense
from .losses import MSE, get_loss
from .network import Sequential, as_network
from .optimizers import get_optimizer
from .training import as_targets, fit

TEXT = Catalogue(
    en={"title.linear": "linear regression (seed 001)", "title.noisy": "linear regression, noisy data",
        "title.bowl": "ill-conditioned bowl", "title.nonlinear": "1-1-1 tanh network (non-convex)",
        "axis.weight w": "weight w", "axis.bias b": "bias b", "axis.weight w1": "weight w1",
        "axis.weight w2": "weight w2"},
    zh={"title.linear": "线性回归（文章 001）", "title.noisy": "线性回归，带噪声的数据",
        "title.bowl": "病态的碗形曲面", "title.nonlinear": "1-1-1 tanh 网络（非凸）",
        "axis.weight w": "权重 w", "axis.bias b": "偏置 b", "axis.weight w1": "权重 w1",
        "axis.weight w2": "权重 w2"},
)


def title(problem, lang=None):
    """The problem's title in `lang` (None: the current language); a problem made elsewhere,
    whose name the catalogue does not know, keeps its own `problem.title`."""
    key = f"title.{problem.name}"
    return TEXT(key, lang) if key in TEXT else problem.title


def axis_labels(problem, lang=None):
    """The names of the problem's two parameters (θ1, θ2) in `lang`, e.g. ("weight w",
    "bias b"); a name the catalogue does not know is kept as it is."""
    return tuple(TEXT(f"axis.{name}", lang) if f"axis.{name}" in TEXT else name
                 for name in problem.param_names)


def loss_surface(net, loss, X, t, params=(0, 1), ranges=((-3.0, 3.0), (-3.0, 3.0)), n=61):
    """L over a grid of two parameters of `net`, all others held at their current values.

    params: two indices into net.get_flat() (for a Dense(1, 1) net: 0 = weight, 1 = bias).
    ranges: ((lo_i, hi_i), (lo_j, hi_j)). Returns (P_i, P_j, L), each of shape (n, n),
    with P_i varying along axis 1 (x) and P_j along axis 0 (y), as plt.contour expects.
    The net's parameters are restored afterwards.
    """
    net = as_network(net)
    loss = get_loss(loss)
    n = positive_int(n, "n")
    if n < 2:
        raise ValueError(f"n must be an integer >= 2 (grid points per axis), got {n}")
    theta0 = net.get_flat()
    if len(params) != 2 or any(isinstance(k, bool) or not isinstance(k, (int, np.integer))
                               or not 0 <= k < theta0.size for k in params):
        raise ValueError(f"params must be two indices in 0..{theta0.size - 1}, got {params}")
    i, j = params
    box = real_array(ranges, "ranges")
    if box.shape != (2, 2) or not np.all(np.isfinite(box)) or np.any(box[:, 0] >= box[:, 1]):
        raise ValueError(f"ranges must be ((lo_i, hi_i), (lo_j, hi_j)) with finite lo < hi, got {ranges}")
    X = net.check_input(X)
    t = as_targets(t, X.shape[0], net.sizes[-1], loss)
    pi = np.linspace(*box[0], n)
    pj = np.linspace(*box[1], n)
    Pi, Pj = np.meshgrid(pi, pj)
    L = np.empty_like(Pi)
    theta = theta0.copy()
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            for r in range(n):                     # one forward pass of the whole batch per grid point
                for c in range(n):
                    theta[i], theta[j] = Pi[r, c], Pj[r, c]
                    net.set_flat(theta)
                    L[r, c] = loss.value_checked(net.forward_checked(X), t)
    finally:
        net.set_flat(theta0)
    return Pi, Pj, L


# --- Descent problems in two parameters (the training lab's problems) -----------------------

class Descent:
    """One descent: the path and the losses along it.

    params: (k + 1, 2) the two parameters at the start and after each step;
    loss: (k,) loss before each step (the mini-batch loss for mini-batches);
    epoch_loss: (e,) loss on the whole data after each complete epoch, at steps `epoch_steps`;
    diverged_at: the step at which the loss became inf/NaN or exceeded max_loss, else None;
    final_loss: the loss (whole data) at the last point of the path (inf if diverged there).
    """

    def __init__(self, params, loss, epoch_loss, epoch_steps, diverged_at, steps_per_epoch, final_loss):
        self.params = params
        self.loss = loss
        self.epoch_loss = epoch_loss
        self.epoch_steps = epoch_steps
        self.diverged_at = diverged_at
        self.steps_per_epoch = steps_per_epoch
        self.final_loss = final_loss

    @property
    def diverged(self):
        return self.diverged_at is not None

    @property
    def steps(self):
        """Steps taken (fewer than asked when the descent diverged)."""
        return len(self.params) - 1

    def first(self, steps, problem):
        """The Descent of this run's first `steps` steps on `problem` (the problem it ran on),
        as problem.descend(..., steps=steps) with the same settings returns it: a run's
        first steps do not depend on how many follow (the mini-batch order, the schedule and
        the divergence test are all step by step)."""
        if self.diverged and self.diverged_at <= steps:
            return self                              # it ends at its divergence either way
        params = self.params[:steps + 1]
        n_epochs = steps // self.steps_per_epoch
        return Descent(params, self.loss[:steps], self.epoch_loss[:n_epochs], self.epoch_steps[:n_epochs],
                       None, self.steps_per_epoch, problem.loss_at(params[-1]))

    def __repr__(self):
        state = f"diverged at step {self.diverged_at}" if self.diverged else f"final loss {self.final_loss:.6g}"
        return f"Descent(steps={self.steps}, {state})"


class NetProblem:
    """Gradient descent on a network whose parameters are exactly two numbers (θ1, θ2).

    The descent is the core's `fit` (mini-batches, shuffling, divergence detection) with
    record_params=True, so the path is what training really does; the contour is the
    loss of the same net over a grid of (θ1, θ2) (`loss_surface`).
    X: (n, n_in), t: (n, n_out); start: (2,) the parameters before the first step.
    """

    def __init__(self, name, title, net, X, t, loss, start, ranges, param_names, minima=()):
        if net.get_flat().size != 2:
            raise ValueError(f"NetProblem needs a network with exactly 2 parameters, "
                             f"got {net.get_flat().size}")
        self.name, self.title = name, title
        self.net = net.copy()
        self.X = np.asarray(X, dtype=float)
        self.t = np.asarray(t, dtype=float)
        self.loss = get_loss(loss)
        self.start = np.asarray(start, dtype=float)
        self.ranges = tuple(tuple(float(v) for v in r) for r in ranges)
        self.param_names = tuple(param_names)
        self.minima = np.asarray(minima, dtype=float).reshape(-1, 2)
        self.n_samples = self.X.shape[0]

    def surface(self, n=61):
        """(P1, P2, L): the loss over an n × n grid of `ranges` (see loss_surface)."""
        return loss_surface(self.net, self.loss, self.X, self.t, params=(0, 1), ranges=self.ranges, n=n)

    def loss_at(self, theta):
        """The loss on the whole data at parameters theta (2,); inf when it overflows."""
        self.net.set_flat(theta)
        with np.errstate(over="ignore", invalid="ignore"):
            L = float(self.loss.value_checked(self.net.forward(self.X), self.t))
        return L if np.isfinite(L) else np.inf

    def descend(self, optimizer, steps=200, batch_size=None, seed=0, max_loss=1e12):
        """`steps` updates from `start` with `optimizer` (reset first) on mini-batches of
        `batch_size` samples (None: the full batch) drawn in an order shuffled by `seed`."""
        steps = positive_int(steps, "steps")
        seed = seed_value(seed)
        n = self.n_samples
        batch_size = n if batch_size is None else positive_int(batch_size, "batch_size")
        if batch_size > n:
            raise ValueError(f"batch_size must be in 1..{n} (the data has {n} samples), got {batch_size}")
        per_epoch = updates_per_epoch(n, batch_size)     # ceil(n / batch_size) steps per epoch
        epochs = -(-steps // per_epoch)
        optimizer = get_optimizer(optimizer)
        optimizer.reset()
        self.net.set_flat(self.start)
        hist = fit(self.net, self.X, self.t, self.loss, optimizer, epochs=epochs, batch_size=batch_size,
                   shuffle=True, seed=seed, record_params=True, max_loss=max_loss)
        diverged_at = hist.diverged_at if hist.diverged and hist.diverged_at <= steps else None
        params = hist.params[:steps + 1]
        epoch_loss = hist.epoch_loss[:steps // per_epoch]
        epoch_steps = per_epoch * np.arange(1, len(epoch_loss) + 1)
        final = self.loss_at(params[-1])
        if diverged_at is not None and diverged_at == len(params) - 1:
            final = np.inf                               # the last point is where the loss blew up
        return Descent(params, hist.loss[:steps], epoch_loss, epoch_steps, diverged_at, per_epoch, final)


class QuadraticBowl:
    """L(θ) = ½ θᵀ A θ with A = R diag(λ1, λ2) Rᵀ (R: rotation by `angle` degrees).

    An ill-conditioned bowl: a long narrow valley when λ1 >> λ2 (condition number λ1/λ2).
    Gradient ∇L = A θ; the minimum is L = 0 at θ = 0. Plain gradient descent is stable
    only for lr < 2/λ1, and then crawls along the valley at the rate (1 - lr·λ2) per step:
    this is where momentum shines. No data: every step uses the exact gradient.
    """

    def __init__(self, name="bowl", title=None, curvatures=(1.0, 0.01), angle=-60.0,
                 start=(-3.0, -0.6), ranges=((-3.6, 3.6), (-2.4, 2.4))):
        lam1, lam2 = (positive_number(c, "curvatures") for c in curvatures)
        a = np.deg2rad(finite_number(angle, "angle"))
        R = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
        self.A = R @ np.diag([lam1, lam2]) @ R.T
        self.curvatures = (lam1, lam2)
        self.name = name
        self.title = TEXT("title.bowl", "en") if title is None else title
        self.start = np.asarray(start, dtype=float)
        self.ranges = tuple(tuple(float(v) for v in r) for r in ranges)
        self.param_names = ("θ1", "θ2")
        self.minima = np.zeros((1, 2))
        self.n_samples = None

    def value(self, theta):
        """L = ½ θᵀ A θ. theta: (..., 2) -> (...)."""
        theta = np.asarray(theta, dtype=float)
        return 0.5 * np.einsum("...i,ij,...j->...", theta, self.A, theta)

    def gradient(self, theta):
        """∇L = A θ. theta: (2,) -> (2,)."""
        return self.A @ theta

    def loss_at(self, theta):
        with np.errstate(over="ignore", invalid="ignore"):
            L = float(self.value(theta))
        return L if np.isfinite(L) else np.inf

    def surface(self, n=61):
        """(P1, P2, L) on an n × n grid of `ranges`, P1 along axis 1."""
        P1, P2 = np.meshgrid(np.linspace(*self.ranges[0], n), np.linspace(*self.ranges[1], n))
        return P1, P2, self.value(np.stack([P1, P2], axis=-1))

    def descend(self, optimizer, steps=200, batch_size=None, seed=0, max_loss=1e12):
        """`steps` updates θ <- θ + Δθ by `optimizer.update([θ], [A θ])` (reset first).
        batch_size and seed are accepted for a common signature and ignored (no data)."""
        steps = positive_int(steps, "steps")
        max_loss = loss_limit(max_loss)
        optimizer = get_optimizer(optimizer)
        optimizer.reset()
        A = self.A
        theta = self.start.copy()
        params, losses, diverged_at = [theta.copy()], [], None
        with np.errstate(over="ignore", invalid="ignore"):
            for k in range(steps):
                g = A @ theta                                  # ∇L = A θ
                L = 0.5 * float(theta @ g)                     # L = ½ θᵀ A θ
                if not L <= max_loss:  # noqa: SIM300 - L is the loss, not a constant; inf, NaN or too large
                    diverged_at = k
                    break
                optimizer.update([theta], [g])
                losses.append(L)
                if not (np.isfinite(theta[0]) and np.isfinite(theta[1])):
                    diverged_at = k + 1
                    break
                params.append(theta.copy())
        params = np.asarray(params)
        final = np.inf if diverged_at is not None else self.loss_at(params[-1])
        return Descent(params, np.asarray(losses), np.zeros(0), np.zeros(0, dtype=int), diverged_at, 1, final)


def hessian(problem, theta, h=1e-4):
    """The 2 × 2 matrix of second derivatives ∂²L/∂θi∂θj at theta, by central differences
    of problem.loss_at (exact up to rounding for a quadratic loss). Its largest eigenvalue
    λmax is the steepest curvature: plain gradient descent near theta is stable only for
    lr < 2/λmax."""
    theta = real_array(theta, "theta")
    if theta.shape != (2,):
        raise ValueError(f"theta must be the two parameters (θ1, θ2), got shape {theta.shape}")
    H = np.empty((2, 2))
    e = np.eye(2) * h
    for i in range(2):
        for j in range(2):
            H[i, j] = (problem.loss_at(theta + e[i] + e[j]) - problem.loss_at(theta + e[i] - e[j])
                       - problem.loss_at(theta - e[i] + e[j]) + problem.loss_at(theta - e[i] - e[j])) / (4 * h * h)
    return 0.5 * (H + H.T)


def curvatures(problem, theta=None):
    """The two curvatures of the loss at theta (default: the problem's start): the
    eigenvalues of `hessian`, largest first. λmax/λmin is the condition number."""
    theta = problem.start if theta is None else theta
    return np.linalg.eigvalsh(hessian(problem, theta))[::-1]


def linear_problem():
    """Seed 001's linear regression y = w·x + b on data whose MSE minimum is 0 at
    (w, b) = (-1, 5); the descent starts at E2's w = 1, b = 0."""
    X, t = examples.e2_contour_data()
    net = Sequential(Dense(1, 1, "identity", weights=[[1.0]], bias=[0.0]))
    return NetProblem("linear", TEXT("title.linear", "en"), net, X, t, MSE(), start=(1.0, 0.0),
                      ranges=((-4.0, 3.0), (-1.5, 8.5)), param_names=("weight w", "bias b"),
                      minima=[(-1.0, 5.0)])


def noisy_linear_problem(noise=1.0, n=20, seed=0):
    """The same line t = -x + 5 with Gaussian noise (std `noise`, drawn from `seed`): now no
    (w, b) fits every sample, so a mini-batch's gradient points away from the full data's
    minimum. That minimum is where the normal equation puts it (seed 001): θ = (AᵀA)⁻¹ Aᵀ t
    with A = [x, 1]."""
    X, t = datasets.linear(n=n, weight=-1.0, bias=5.0, noise=noise, seed=seed)
    A = np.column_stack([X[:, 0], np.ones(n)])
    best = np.linalg.solve(A.T @ A, A.T @ t[:, 0])              # the normal equation
    net = Sequential(Dense(1, 1, "identity", weights=[[1.0]], bias=[0.0]))
    return NetProblem("noisy", TEXT("title.noisy", "en"), net, X, t, MSE(), start=(1.0, 0.0),
                      ranges=((-4.0, 3.0), (-1.5, 8.5)), param_names=("weight w", "bias b"),
                      minima=[best])


def nonlinear_problem(n=20):
    """y = w2·tanh(w1·x), a 1-1-1 tanh network with its biases held at 0 (a 2-weight
    slice of the 1-1-1 network), on t = 1.5·tanh(2x): two minima, loss 0 at
    (w1, w2) = (2, 1.5) and (-2, -1.5), a flat ridge along w1 = 0 and plateaus."""
    X = np.linspace(-2.0, 2.0, n).reshape(n, 1)
    t = 1.5 * np.tanh(2.0 * X)
    net = Sequential(Dense(1, 1, "tanh", weights=[[0.1]], use_bias=False),
                     Dense(1, 1, "identity", weights=[[1.0]], use_bias=False))
    return NetProblem("nonlinear", TEXT("title.nonlinear", "en"), net, X, t, MSE(),
                      start=(1.0, -2.5), ranges=((-4.0, 4.0), (-3.0, 3.0)),
                      param_names=("weight w1", "weight w2"), minima=[(2.0, 1.5), (-2.0, -1.5)])


def problems():
    """The training lab's problems by name: linear, noisy, bowl, nonlinear."""
    return {"linear": linear_problem(), "noisy": noisy_linear_problem(), "bowl": QuadraticBowl(),
            "nonlinear": nonlinear_problem()}
