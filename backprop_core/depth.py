"""How the size of a network (depth, width) and its initialisation shape its gradients.

Seed 004: through many sigmoid layers the gradient vanishes; too many hidden units
overfit, too few underfit. Seed 003: a ReLU unit whose z <= 0 for every sample is dead.
Every number here comes from the core's own forward and backward passes (numpy only).
Shapes: X: (batch, n_in), t: (batch, n_out).
"""
import numpy as np

from .activations import Softmax
from .checks import as_batch, positive_int, seed_value
from .layers import Dense
from .losses import MSE, get_loss
from .network import Sequential, as_network
from .optimizers import Adam, Optimizer
from .training import fit


def deep_network(depth, width=32, activation="sigmoid", init="xavier", seed=0, n_in=None, n_out=1):
    """`depth` hidden Dense(width, width) layers with `activation`, then Dense(width, n_out)
    with the identity. n_in defaults to width. Layer l draws its weights with seed
    `seed * 1000 + l`, so one seed fixes the whole network."""
    depth = positive_int(depth, "depth")
    width = positive_int(width, "width")
    n_in = width if n_in is None else positive_int(n_in, "n_in")
    n_out = positive_int(n_out, "n_out")
    seed = seed_value(seed)
    sizes = [n_in] + [width] * depth
    layers = [Dense(sizes[l], sizes[l + 1], activation, init=init, seed=seed * 1000 + l)
              for l in range(depth)]
    layers.append(Dense(width, n_out, "identity", init=init, seed=seed * 1000 + depth))
    return Sequential(*layers)


def probe_batch(n_in, n_out=1, batch=64, seed=0):
    """A random batch to measure gradients with: X ~ N(0, 1) (batch, n_in), t ~ N(0, 1) (batch, n_out)."""
    rng = np.random.default_rng(seed_value(seed))
    X = rng.normal(size=(positive_int(batch, "batch"), positive_int(n_in, "n_in")))
    return X, rng.normal(size=(batch, positive_int(n_out, "n_out")))


def gradient_norms(net, X, t, loss="mse", quantity="dW"):
    """One forward and backward pass (no update); per layer, the size of the gradient:
    quantity="dW": ||dL/dW_l|| (Frobenius norm), or "delta": ||δ_l|| = ||dL/dz_l||.
    Returns an array of shape (n_layers,), input layer first."""
    if quantity not in ("dW", "delta"):
        raise ValueError(f"quantity must be 'dW' or 'delta', got {quantity!r}")
    net = as_network(net)
    loss = get_loss(loss)
    with np.errstate(over="ignore", invalid="ignore"):
        y = net.forward(X)
        net.backward(loss.grad(y, t))
    return np.array([np.linalg.norm(getattr(layer, quantity)) for layer in net.layers])


def activation_stds(net, X):
    """The forward signal: the standard deviation of every layer's output a over the batch
    and the units, after one forward pass. Returns (n_layers,). Exploding / dying signals
    show here before they show in the gradients."""
    net = as_network(net)
    with np.errstate(over="ignore", invalid="ignore"):
        net.forward(X)
    return np.array([float(np.std(layer.a)) for layer in net.layers])


def gradient_profile(depth, activation="sigmoid", init="xavier", width=32, seed=0, batch=64,
                     quantity="dW"):
    """gradient_norms of a fresh deep_network on a fresh probe_batch (both from `seed`):
    shape (depth + 1,), the first hidden layer first, the output layer last."""
    net = deep_network(depth, width, activation, init, seed)
    X, t = probe_batch(width, 1, batch, seed)
    return gradient_norms(net, X, t, MSE(), quantity)


def first_to_last_ratio(norms):
    """||dW_1|| / ||dW_output||: how much of the gradient reaches the first layer
    (1 = all of it, 1e-6 = it has vanished). norms: (n_layers,). 0 if the output's is 0."""
    norms = np.asarray(norms, dtype=float)
    if norms.ndim != 1 or norms.size < 2:
        raise ValueError(f"norms must be a 1-D array of at least 2 layers, got shape {norms.shape}")
    return float(norms[0] / norms[-1]) if norms[-1] > 0 else 0.0


def shrink_per_layer(norms):
    """Geometric-mean factor by which the gradient changes from one hidden layer to the
    one before it: (||dW_1|| / ||dW_H||)^(1 / (H - 1)) over the H hidden layers (the
    output layer excluded). < 1: vanishing, > 1: exploding. nan if fewer than 2 hidden layers."""
    norms = np.asarray(norms, dtype=float)
    hidden = norms[:-1]
    if hidden.size < 2 or hidden[-1] <= 0 or hidden[0] <= 0:
        return float("nan")
    return float((hidden[0] / hidden[-1]) ** (1.0 / (hidden.size - 1)))


def ratio_table(activations, depths, init="xavier", width=32, seed=0, batch=64):
    """first_to_last_ratio for every (activation, depth): array (len(activations), len(depths))."""
    return np.array([[first_to_last_ratio(gradient_profile(d, a, init, width, seed, batch))
                      for d in depths] for a in activations])


def dead_units(net, X):
    """Units whose derivative f'(z) is 0 for every sample of X (a dead ReLU: z <= 0 always),
    so no gradient ever reaches their incoming weights. Runs a forward pass.
    Returns a list of (layer index, unit index). Softmax layers are skipped."""
    net = as_network(net)
    net.forward_checked(net.check_input(X))
    dead = []
    for l, layer in enumerate(net.layers):
        if isinstance(layer.activation, Softmax):
            continue
        zero = np.all(layer.activation.deriv(layer.z, layer.a) == 0, axis=0)   # (n_out,)
        dead.extend((l, int(j)) for j in np.flatnonzero(zero))
    return dead


class WidthSweep:
    """What width_sweep measured. widths, train_loss, test_loss, diverged: arrays of shape
    (len(widths),); nets: the trained networks, in the same order."""

    def __init__(self, widths, train_loss, test_loss, diverged, nets):
        self.widths = np.asarray(widths)
        self.train_loss = np.asarray(train_loss, dtype=float)
        self.test_loss = np.asarray(test_loss, dtype=float)
        self.diverged = np.asarray(diverged, dtype=bool)
        self.nets = list(nets)

    @property
    def best_width(self):
        """The width with the smallest held-out loss."""
        return int(self.widths[int(np.argmin(self.test_loss))])

    def __repr__(self):
        return f"WidthSweep(widths={self.widths.tolist()}, best_width={self.best_width})"


def train_width(X_train, t_train, width, activation="tanh", init="he", epochs=1500,
                optimizer=None, seed=0):
    """Train Dense(n_in, width, activation) -> Dense(width, n_out, identity) on (X_train,
    t_train), full batch, MSE. Weights from `seed` (hidden) and `seed + 1` (output);
    optimizer: an Optimizer (default Adam(lr=0.02)). Returns (net, history)."""
    width = positive_int(width, "width")
    X_train = as_batch(X_train, "X_train")
    n_out = np.asarray(t_train).reshape(len(X_train), -1).shape[1]
    opt = Adam(lr=0.02) if optimizer is None else optimizer
    if not isinstance(opt, Optimizer):
        raise TypeError(f"optimizer must be an optimiser such as bp.Adam(lr=0.02), got {opt!r}")
    net = Sequential(Dense(X_train.shape[1], width, activation, init=init, seed=seed),
                     Dense(width, n_out, "identity", init="xavier", seed=seed + 1))
    hist = fit(net, X_train, t_train, MSE(), opt, epochs=epochs, batch_size=len(X_train),
               shuffle=False)
    return net, hist


def width_sweep(X_train, t_train, X_test, t_test, widths, activation="tanh", init="he",
                epochs=1500, optimizer=None, seed=0):
    """train_width for every width, then the MSE on the training and the held-out split.

    optimizer: a function returning a fresh optimiser (default lambda: Adam(lr=0.02)), so
    every width starts from fresh optimiser state. Returns a WidthSweep."""
    X_train = as_batch(X_train, "X_train")
    X_test = as_batch(X_test, "X_test", X_train.shape[1])
    make_opt = optimizer if optimizer is not None else (lambda: Adam(lr=0.02))
    if not callable(make_opt):
        raise TypeError("optimizer must be a function returning an optimiser, e.g. lambda: bp.Adam(lr=0.02)")
    train, test, diverged, nets = [], [], [], []
    for width in widths:
        net, hist = train_width(X_train, t_train, width, activation, init, epochs, make_opt(), seed)
        train.append(MSE()(net.forward(X_train), t_train))
        test.append(MSE()(net.forward(X_test), t_test))
        diverged.append(hist.diverged)
        nets.append(net)
    return WidthSweep(widths, train, test, diverged, nets)
