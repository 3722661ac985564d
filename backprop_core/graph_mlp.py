"""A tiny multi-layer perceptron of scalar Values (micrograd's nn.py, on bp.graph).

    mlp = MLP(3, [4, 4, 1], seed=0)             # 3 inputs, two tanh layers of 4, 1 linear output
    loss = mse([mlp(x)[0] for x in X], t)       # X: (batch, 3) numbers, t: (batch,)
    zero_grad(mlp.parameters()); loss.backward()
    for p in mlp.parameters(): p.data -= 0.05 * p.grad

A Neuron is tanh(Σ_i w_i x_i + b) (linear in the output layer), a Layer a list of neurons
fed the same inputs, an MLP a list of layers; parameters() lists every weight and bias leaf.
Each neuron's weighted sum is one `total` node, as in bp.graph.from_network, so the graph
is the same one the core's Dense layers compute: `MLP.from_network(net)` copies a
Sequential's weights (neuron q of layer l: w = W_l[:, q], b = b_l[q]).
"""
import numpy as np

from .graph import Value, total, zero_grad

ACTIVATIONS = ("tanh", "identity")


class Neuron:
    """One unit: out = f(Σ_i w_i x_i + b), f = tanh or identity.
    w: n_in leaf Values, b: one leaf Value, drawn uniform in [-1, 1] from `rng`."""

    def __init__(self, n_in, activation="tanh", rng=None):
        if activation not in ACTIVATIONS:
            raise ValueError(f"Neuron(activation=...) must be one of {ACTIVATIONS}, got "
                             f"{activation!r}")
        rng = np.random.default_rng(0) if rng is None else rng
        self.w = [Value(float(v)) for v in rng.uniform(-1.0, 1.0, n_in)]
        self.b = Value(0.0)
        self.activation = activation

    def __call__(self, x):
        """x: n_in numbers or Values -> one Value."""
        if len(x) != len(self.w):
            raise ValueError(f"this neuron takes {len(self.w)} inputs, got {len(x)}")
        z = total([wi * xi for wi, xi in zip(self.w, x)] + [self.b])
        return z.tanh() if self.activation == "tanh" else z

    def parameters(self):
        return self.w + [self.b]


class Layer:
    """n_out neurons, each fed the same n_in inputs: x (n_in) -> a list of n_out Values."""

    def __init__(self, n_in, n_out, activation="tanh", rng=None):
        rng = np.random.default_rng(0) if rng is None else rng
        self.neurons = [Neuron(n_in, activation, rng) for _ in range(n_out)]

    def __call__(self, x):
        return [neuron(x) for neuron in self.neurons]

    def parameters(self):
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP:
    """MLP(n_in, sizes, seed): layers of sizes[0], sizes[1], ... units; tanh in every
    layer but the last, which is linear. mlp(x) -> a list of sizes[-1] Values."""

    def __init__(self, n_in, sizes, seed=0):
        if not isinstance(n_in, int) or n_in < 1:
            raise ValueError(f"MLP(n_in, ...) must be a positive int, got {n_in!r}")
        sizes = list(sizes)
        if not sizes or any(not isinstance(n, int) or n < 1 for n in sizes):
            raise ValueError(f"MLP(..., sizes) must be a list of positive ints, got {sizes!r}")
        rng = np.random.default_rng(seed)
        widths = [n_in] + sizes
        last = len(sizes) - 1
        self.layers = [Layer(widths[i], widths[i + 1], "identity" if i == last else "tanh", rng)
                       for i in range(len(sizes))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def zero_grad(self):
        """Every parameter's grad to 0 (bp.graph.zero_grad(self.parameters()))."""
        zero_grad(self.parameters())

    @classmethod
    def from_network(cls, net):
        """The MLP with the weights of a core Sequential of Dense layers (tanh hidden
        layers, identity output, with biases): the same function, as a graph of Values."""
        sizes = [layer.n_out for layer in net.layers]
        mlp = cls(net.sizes[0], sizes)
        for li, (layer, mine) in enumerate(zip(net.layers, mlp.layers)):
            want = "identity" if li == len(net.layers) - 1 else "tanh"
            if layer.activation.name != want or not layer.use_bias:
                raise ValueError(f"MLP.from_network: layer {li + 1} must be Dense(..., "
                                 f"{want!r}) with a bias, got {layer.activation.name!r}")
            for q, neuron in enumerate(mine.neurons):
                for p, w in enumerate(neuron.w):
                    w.data = float(layer.W[p, q])
                neuron.b.data = float(layer.b[q])
        return mlp

    def gradients(self):
        """The parameters' grads as arrays in the order of the core's net.gradients():
        [dW1 (n_in, n_out), db1 (n_out,), dW2, db2, ...]."""
        arrays = []
        for layer in self.layers:
            arrays.append(np.array([[n.w[p].grad for n in layer.neurons]
                                    for p in range(len(layer.neurons[0].w))]))
            arrays.append(np.array([n.b.grad for n in layer.neurons]))
        return arrays


def mse(predictions, targets):
    """(1/N) Σ_n (y_n - t_n)² as one Value: predictions N Values, targets N numbers
    (the core's MSE for one output)."""
    predictions, targets = list(predictions), [float(t) for t in np.ravel(targets)]
    if len(predictions) != len(targets) or not predictions:
        raise ValueError(f"mse needs as many targets as predictions (at least one), got "
                         f"{len(predictions)} predictions and {len(targets)} targets")
    return total([(y - t) ** 2 for y, t in zip(predictions, targets)]) / len(targets)


def train(mlp, X, t, lr=0.05, steps=20, zero_grads=True):
    """Plain gradient descent on mse: per step forward, loss, zero_grad (unless
    zero_grads=False), backward, p.data -= lr · p.grad. Returns the losses before each
    step (a list of `steps` floats). X: (batch, n_in) numbers, t: (batch,)."""
    losses = []
    for _ in range(steps):
        loss = mse([mlp(x)[0] for x in X], t)
        if zero_grads:
            mlp.zero_grad()
        loss.backward()
        for p in mlp.parameters():
            p.data -= lr * p.grad
        losses.append(loss.data)
    return losses


def dataset():
    """A tiny made-up dataset (micrograd's demo): 4 samples of 3 inputs, targets ±1.
    Returns X (4, 3), t (4,)."""
    X = np.array([[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]])
    t = np.array([1.0, -1.0, -1.0, 1.0])
    return X, t
