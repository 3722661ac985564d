"""The tree of unit formulas (seed 000's 重磅结论): a scalar computation graph, by hand.

    w = Value(5.0, "w"); x = Value(2.0, "x")
    y = (w * x + 0.0) * 250.0 - 2440.0        # E1's chain: y = 60
    y.backward()                                # fills .grad on every node
    w.grad                                      # 500.0 = 2 · 250: product of local derivatives
    zero_grad([w, x])                           # before the next backward(): leaves accumulate

Every operation makes a new `Value` that remembers its parents and, beside its forward
result, the local derivative of itself with respect to each parent (`local`, one number per
parent: the numbers a picture writes on the edges). `backward()` walks the nodes from the
output back to the leaves (reverse topological order) and applies the chain rule once per
edge: parent.grad += local · node.grad. Gradients accumulate as in PyTorch: each
backward() adds its gradient to what the leaves (weights, inputs) already hold, while every
node computed from others starts from zero on each pass; `zero_grad(params)` (or
`node.zero_grad()`) resets the leaves before the next pass.

This is micrograd's idea (a scalar autograd engine), kept small on purpose: one number per
node, no batches. The vectorised core (`Dense`, `Sequential`) does the same computation for
whole matrices at once; the builders below make the posts' networks as graphs, so the two
can be compared gradient for gradient.
"""
import math
import numbers
from dataclasses import dataclass

import numpy as np

from . import datasets, examples
from .losses import MSE


def _number(value, what):
    """A finite float from an int/float/numpy scalar; TypeError/ValueError otherwise."""
    if isinstance(value, Value):
        raise TypeError(f"{what} must be a plain number here, got the Value {value!r}")
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{what} must be a number, got a boolean ({value!r})")
    if isinstance(value, np.ndarray):
        raise TypeError(f"{what} must be one number; got an array of shape {value.shape} "
                        "(a Value holds a scalar: use the vectorised core for arrays)")
    if not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a number (like 2.5), got {type(value).__name__} "
                        f"{value!r:.40}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value}")
    return value


def _sigmoid(a):
    if a >= 0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


class Value:
    """One number in a computation graph: Value(data, label="").

    Attributes (plain, so pictures and steppers can read them):
    data: the forward value (float); grad: ∂(output)/∂(this node), filled by backward()
    (a leaf adds each pass's share to what it holds: zero_grad() first; a computed node
    holds the last pass's);
    label: a name for pictures (the posts' names: "w", "w11", "o4"); op: the operation that
    made it ("" for a leaf: a weight, an input or a constant); parents: the nodes it was
    computed from; local: one number per parent, ∂(this node)/∂(parent), computed in the
    forward pass; constant: True for a number that entered an operation (2 in `w * 2`).

    Operations: + - * / with numbers on either side, ** with a number exponent, and the
    methods exp, log, sigmoid, tanh, relu, softplus, maximum. A result (or a local
    derivative) that is not a finite float is a ValueError naming the operation.
    """

    __array_ufunc__ = None      # numpy defers: np.array([1.]) + Value(2.) is a clear TypeError

    def __init__(self, data, label="", _parents=(), _op="", _local=()):
        self.data = _number(data, "Value(data)")
        if not isinstance(label, str):
            raise TypeError(f"label must be a string, got {type(label).__name__} {label!r}")
        self.label = label
        self.grad = 0.0
        self.parents = tuple(_parents)
        self.op = _op
        self.local = tuple(float(d) for d in _local)   # ∂self/∂parent, beside the forward
        self.constant = False

    # --- building blocks -------------------------------------------------------------
    @staticmethod
    def _wrap(other, op):
        if isinstance(other, Value):
            return other
        data = _number(other, f"the other operand of {op}")
        node = Value(data, label=f"{data:g}")
        node.constant = True
        return node

    def _new(self, data, parents, op, local):
        _finite_result(data, parents, op, local)
        return Value(data, "", parents, op, local)

    # --- arithmetic: each forward result next to its local derivatives -------------------
    def __add__(self, other):
        other = self._wrap(other, "+")
        return self._new(self.data + other.data, (self, other), "+", (1.0, 1.0))  # passes on

    def __radd__(self, other):
        return self._wrap(other, "+") + self

    def __sub__(self, other):
        other = self._wrap(other, "-")
        return self._new(self.data - other.data, (self, other), "-", (1.0, -1.0))

    def __rsub__(self, other):
        return self._wrap(other, "-") - self

    def __mul__(self, other):
        other = self._wrap(other, "*")
        # ∂(a·b)/∂a = b, ∂(a·b)/∂b = a: each input gets the *other* one
        return self._new(self.data * other.data, (self, other), "*", (other.data, self.data))

    def __rmul__(self, other):
        return self._wrap(other, "*") * self

    def __truediv__(self, other):
        other = self._wrap(other, "/")
        if other.data == 0:
            raise ZeroDivisionError(f"division of {self!r} by zero ({other!r})")
        a, b = self.data, other.data
        # -a/b² written as -(a/b)/b: b * b underflows to 0 for |b| < 1e-162
        return self._new(a / b, (self, other), "/", (1.0 / b, -(a / b) / b))

    def __rtruediv__(self, other):
        return self._wrap(other, "/") / self

    def __neg__(self):
        return self._new(-self.data, (self,), "neg", (-1.0,))

    def __pow__(self, exponent):
        if isinstance(exponent, Value):
            raise TypeError("** takes a number exponent (like x ** 2), not a Value; "
                            "for a variable exponent write (k * x.log()).exp()")
        k = _number(exponent, "the exponent of **")
        a = self.data
        if a < 0 and k != int(k):
            raise ValueError(f"** of a negative number {a} by the non-integer {k} is not real")
        if a == 0 and k < 1 and k != 0:
            raise ValueError(f"{a} ** {k}: the derivative k·x^(k-1) is not finite at x = 0")
        try:
            local = 0.0 if k == 0 else k * a ** (k - 1)
            value = a ** k
        except (OverflowError, ZeroDivisionError):
            value, local = math.inf, math.inf
        return self._new(value, (self,), f"**{k:g}", (local,))

    def __rpow__(self, base):
        raise TypeError("a number ** Value is not supported: the exponent must be a number; "
                        "write (x * math.log(base)).exp() for base ** x")

    # --- unit functions ----------------------------------------------------------------
    def exp(self):
        """e^x; local derivative e^x."""
        try:
            e = math.exp(self.data)
        except OverflowError:
            e = math.inf
        return self._new(e, (self,), "exp", (e,))

    def log(self):
        """ln x for x > 0; local derivative 1/x."""
        if self.data <= 0:
            raise ValueError(f"log needs a positive number, got {self.data} (in {self!r})")
        return self._new(math.log(self.data), (self,), "log", (1.0 / self.data,))

    def sigmoid(self):
        """σ(x) = 1 / (1 + e^-x); local derivative σ(x)(1 - σ(x))."""
        s = _sigmoid(self.data)
        return self._new(s, (self,), "sigmoid", (s * (1.0 - s),))

    def tanh(self):
        """tanh x; local derivative 1 - tanh² x."""
        t = math.tanh(self.data)
        return self._new(t, (self,), "tanh", (1.0 - t * t,))

    def relu(self):
        """max(0, x); local derivative 1 for x > 0, else 0 (0 at x = 0, as the core)."""
        return self._new(max(0.0, self.data), (self,), "relu", (1.0 if self.data > 0 else 0.0,))

    def softplus(self):
        """log(1 + e^x) (seed 001's activation); local derivative σ(x)."""
        a = self.data
        value = max(a, 0.0) + math.log1p(math.exp(-abs(a)))      # no overflow for large a
        return self._new(value, (self,), "softplus", (_sigmoid(a),))

    def maximum(self, other):
        """max(self, other): routes the gradient to the larger input (ties: to self)."""
        other = self._wrap(other, "max")
        first = self.data >= other.data
        return self._new(max(self.data, other.data), (self, other), "max",
                         (1.0, 0.0) if first else (0.0, 1.0))

    # --- the backward pass -------------------------------------------------------------
    def backward(self):
        """Add ∂self/∂node to .grad on every node of the graph below self (PyTorch's way).

        The nodes computed from others (self included) start from 0 on every pass; the
        output then gets 1, and from the output back to the leaves each edge adds its share:
        parent.grad += local · node.grad. The leaves (weights, inputs, constants) are not
        reset: a second backward() adds the same gradient again (2× after two passes, as
        PyTorch's .grad). Call zero_grad(params) before each pass to start from zero.

        Why `+=`: a node used twice (x in x * x) reaches the output along two paths, and a
        small change of x changes the output along both. Its gradient is the sum of the two
        contributions: for y = x · x, ∂y/∂x = x + x = 2x. Writing `=` would keep only the
        last path's share and give x instead of 2x.
        """
        _backward_pass(self)
        return self

    def zero_grad(self):
        """Set this node's .grad to 0 (before the next backward()); returns the node."""
        self.grad = 0.0
        return self

    def __repr__(self):
        name = f"{self.label!r}, " if self.label else ""
        op = f", op={self.op!r}" if self.op else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g}{op})"


def backward(out):
    """out.backward() with a check that `out` is a Value (one number), not an array or a float."""
    if not isinstance(out, Value):
        shape = f" of shape {np.shape(out)}" if isinstance(out, np.ndarray) else ""
        raise TypeError(f"backward needs the output Value of a graph (one number), got "
                        f"{type(out).__name__}{shape}")
    return out.backward()


def topological_order(out):
    """Every node of the graph below `out`, each after all of its parents (leaves first,
    `out` last). ValueError if the graph has a cycle (a node that is its own ancestor)."""
    if not isinstance(out, Value):
        raise TypeError(f"topological_order needs a Value, got {type(out).__name__}")
    order, state = [], {}              # state: 1 = on the current path, 2 = done
    stack = [(out, iter(out.parents))]
    state[id(out)] = 1
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            mark = state.get(id(parent))
            if mark == 1:
                raise ValueError(f"the graph has a cycle: {parent!r} is its own ancestor "
                                 "(a node's parents must be made before it)")
            if mark is None:
                state[id(parent)] = 1
                stack.append((parent, iter(parent.parents)))
                break
        else:
            stack.pop()
            state[id(node)] = 2
            order.append(node)
    return order


def zero_grad(params):
    """Set .grad = 0 on every Value of `params` (a list of leaves, e.g. mlp.parameters(),
    or a dict of them); do this before each backward(), which adds to the leaves' grads."""
    values = list(params.values()) if isinstance(params, dict) else params
    if isinstance(values, Value):
        values = [values]
    try:
        values = list(values)
    except TypeError:
        raise TypeError(f"zero_grad(params) takes a list of Values, got "
                        f"{type(params).__name__}") from None
    for i, v in enumerate(values):
        if not isinstance(v, Value):
            raise TypeError(f"zero_grad(params): params[{i}] must be a Value, got "
                            f"{type(v).__name__} {v!r:.40}")
    for v in values:
        v.grad = 0.0


def _finite_result(data, parents, op, local):
    """ValueError naming the operation and its operands when its result or a local
    derivative is not a finite float (overflow: e^1000, 10 ** 400, 1e200 · 1e200)."""
    bad = [("result", data)] + [(f"local derivative {i + 1}", d) for i, d in enumerate(local)]
    for what, number in bad:
        if not math.isfinite(number):
            operands = ", ".join(f"{p.data:.6g}" for p in parents)
            raise ValueError(f"{op} of ({operands}) is not a finite float: its {what} is "
                             f"{number} (beyond ±1.8e308); keep the numbers smaller")


def _backward_pass(out, record=None):
    """The chain rule, edge by edge; `record` (a list) receives one tuple per edge:
    (node, parent index, local, node.grad, parent.grad before, parent.grad after).
    Computed nodes start from 0; leaves keep (accumulate) what they hold."""
    order = topological_order(out)
    for node in order:
        if node.parents:
            node.grad = 0.0
    out.grad += 1.0
    for node in reversed(order):
        for i, (parent, local) in enumerate(zip(node.parents, node.local)):
            before = parent.grad
            parent.grad += local * node.grad          # the one multiplication of this edge
            if record is not None:
                record.append((node, i, local, node.grad, before, parent.grad))
    return order


def micrograd_backward(out):
    """micrograd's backward pass, for comparison (a pitfall, not this package's way): out's
    grad is set to 1 and every edge adds, but no node is reset, so the intermediate nodes
    also keep what an earlier pass left. A second pass then gives neither 1x nor 2x: on a
    chain w → h → y the leaf ends at 3x (its own 1x plus 2x from the doubled h.grad)."""
    if not isinstance(out, Value):
        raise TypeError(f"micrograd_backward needs a Value, got {type(out).__name__}")
    order = topological_order(out)
    out.grad = 1.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local):
            parent.grad += local * node.grad
    return out


def total(values, label=""):
    """The sum of several Values as ONE node with many parents (a unit's weighted sum Σ),
    so a picture shows one + per unit. Local derivative 1 for every input."""
    values = [Value._wrap(v, "total") for v in values]
    if not values:
        raise ValueError("total needs at least one value")
    try:
        data = math.fsum(v.data for v in values)
    except OverflowError:
        data = math.inf
    _finite_result(data, values, "+", ())
    return Value(data, label, values, "+", [1.0] * len(values))


def leaves(out):
    """The leaves of the graph (weights, inputs and constants), in topological order."""
    return [n for n in topological_order(out) if not n.parents]


def names(out):
    """{node: display name}: its label, or its operation numbered in order ("mul1", "add2")."""
    words = {"+": "add", "-": "sub", "*": "mul", "/": "div"}
    result, count = {}, {}
    for node in topological_order(out):
        if node.label:
            result[node] = node.label
        else:
            op = "pow" if node.op.startswith("**") else words.get(node.op, node.op or "v")
            count[op] = count.get(op, 0) + 1
            result[node] = f"{op}{count[op]}"
    return result


def paths(leaf, out):
    """Every path from `leaf` up to `out`: a list of paths, each a list of (child, parent
    index) edges from the leaf upwards. ∂out/∂leaf = Σ over paths of Π of the edges' local."""
    if not isinstance(leaf, Value) or not isinstance(out, Value):
        raise TypeError("paths(leaf, out) takes two Values")
    order = topological_order(out)               # raises on a cycle
    above = {id(leaf)}                           # nodes with a path down to leaf
    for node in order:
        if any(id(p) in above for p in node.parents):
            above.add(id(node))
    result = []
    stack = [(out, None)]                        # (node, trail: linked (edge, rest) pairs)
    while stack:                                 # no recursion: a chain of any length
        node, trail = stack.pop()
        if node is leaf:
            path = []
            while trail is not None:
                edge, trail = trail
                path.append(edge)
            result.append(path)
            continue
        for i in reversed(range(len(node.parents))):
            if id(node.parents[i]) in above:
                stack.append((node.parents[i], ((node, i), trail)))
    return result


def path_product(path):
    """The product of the local derivatives along one path (a list from paths())."""
    product = 1.0
    for node, i in path:
        product *= node.local[i]
    return product


def credit(nodes):
    """{display label: data · grad} for some nodes after backward: each node's share of the
    output's "cake". Scaling a node by (1 + ε) changes the output by ε · data · grad, so in a
    network without biases or bends (seed 002's E3) every layer's shares add up to the same
    total, out.data · out.grad: the cake is cut finer at each layer, nothing lost or made."""
    return {(n.label or n.op): n.data * n.grad for n in nodes}


# --- the forward and backward steps, for a stepper -------------------------------------
@dataclass
class Step:
    """One step of running a graph: section "start", "forward" (one node computed),
    "seed" (the output's grad set to 1) or "backward" (one edge, node.parents[index]:
    parent.grad += local · upstream, from `before` to `after`).
    `known`: nodes whose value is known; `grads`: {node: its grad so far}."""
    section: str
    node: object = None
    parent: object = None
    index: int = None                # which of node.parents the parent is (an edge)
    local: float = None
    upstream: float = None
    before: float = None
    after: float = None
    known: frozenset = frozenset()
    grads: dict = None


def steps(out):
    """The steps of one forward and one backward pass through the graph of `out`, from
    zero: zero_grad on every leaf first, then out.backward() (every node's .grad is filled
    when this returns)."""
    zero_grad(leaves(out))
    record = []
    order = _backward_pass(out, record)
    known = frozenset(n for n in order if not n.parents)
    result = [Step("start", known=known, grads={})]
    for node in order:
        if node.parents:
            known = known | {node}
            result.append(Step("forward", node=node, known=known, grads={}))
    grads = {out: 1.0}
    result.append(Step("seed", node=out, after=1.0, known=known, grads=dict(grads)))
    for node, i, local, upstream, before, after in record:
        parent = node.parents[i]
        grads[parent] = after
        result.append(Step("backward", node=node, parent=parent, index=i, local=local,
                           upstream=upstream, before=before, after=after, known=known,
                           grads=dict(grads)))
    return result


# --- the posts' networks as graphs ----------------------------------------------------
@dataclass
class GraphExample:
    """out: the loss Value (or the output y); params: {"W1[p,q]" / "b1[q]": leaf Value},
    keyed like the core's arrays (layer 1 = net.layers[0]); example: the bp.examples
    Example with the same weights and data; nodes: named Values ("y", "h1", "L", ...)."""
    out: Value
    params: dict
    example: object
    nodes: dict

    def __iter__(self):                          # out, params, example = e3_network()
        return iter((self.out, self.params, self.example))

    def gradients(self):
        """The graph's gradients as arrays in the order of example.net.gradients()."""
        return gradient_arrays(self.example.net, self.params)


_ACTIVATIONS = {"sigmoid": Value.sigmoid, "tanh": Value.tanh, "relu": Value.relu,
                "softplus": Value.softplus}


def from_network(net, X, t=None, loss=None, labels=None, input_label="{}", z_label="z_{}",
                 a_label="{}", loss_label="L"):
    """The graph of a Sequential of Dense layers on a batch X (batch, n_in): each weight
    and bias a leaf Value, each unit's weighted sum one + node (`total`), its activation one
    node. With targets t and loss (MSE or HalfSquaredError) the output is the loss Value.

    labels: {"W1[p,q]": "w11", ...} names for the weights in pictures (default the key).
    Returns (out, params, nodes): params keyed "W{l}[p,q]", "b{l}[q]" (l from 1).
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != net.sizes[0]:
        raise ValueError(f"X must have shape (batch, {net.sizes[0]}), got {X.shape}")
    labels = labels or {}
    params, nodes = {}, {}
    for li, layer in enumerate(net.layers, start=1):
        if layer.activation.name not in _ACTIVATIONS and layer.activation.name != "identity":
            raise ValueError(f"from_network: activation {layer.activation.name!r} has no "
                             f"graph form (use identity, {', '.join(_ACTIVATIONS)})")
        for p in range(layer.n_in):
            for q in range(layer.n_out):
                key = f"W{li}[{p},{q}]"
                params[key] = Value(layer.W[p, q], labels.get(key, key))
        if layer.use_bias:
            for q in range(layer.n_out):
                key = f"b{li}[{q}]"
                params[key] = Value(layer.b[q], labels.get(key, key))
    batch = X.shape[0]
    outputs = []
    for n in range(batch):
        tag = f"[{n}]" if batch > 1 else ""
        acts = [Value(X[n, p], input_label.format(name) + tag)
                for p, name in enumerate(net.unit_names[0])]
        for li, layer in enumerate(net.layers, start=1):
            unit_names = net.unit_names[li]
            new = []
            for q in range(layer.n_out):
                terms = [params[f"W{li}[{p},{q}]"] * acts[p] for p in range(layer.n_in)]
                if layer.use_bias:
                    terms.append(params[f"b{li}[{q}]"])
                identity = layer.activation.name == "identity"
                name = (a_label if identity else z_label).format(unit_names[q]) + tag
                z = total(terms, name)
                a = z if identity else _ACTIVATIONS[layer.activation.name](z)
                if not identity:
                    a.label = a_label.format(unit_names[q]) + tag
                nodes[z.label] = z
                nodes[a.label] = a
                new.append(a)
            acts = new
        outputs.append(acts)
    if t is None or loss is None:
        if batch != 1 or len(outputs[0]) != 1:
            raise ValueError("without a loss the graph needs one sample and one output")
        return outputs[0][0], params, nodes
    t = np.asarray(t, dtype=float).reshape(batch, -1)
    squares = [(y - t[n, q]) ** 2 for n, row in enumerate(outputs) for q, y in enumerate(row)]
    kind = type(loss).__name__
    if kind == "MSE":                               # mean over every element
        out = total(squares) if len(squares) > 1 else squares[0]
        if len(squares) > 1:
            out = out / len(squares)
    elif kind == "HalfSquaredError":                # ½ Σ_q (t - o)², mean over the batch
        out = 0.5 * (total(squares) if len(squares) > 1 else squares[0])
        if batch > 1:
            out = out / batch
    else:
        raise ValueError(f"from_network: loss {kind} has no graph form (use MSE or "
                         "HalfSquaredError)")
    out.label = loss_label
    nodes[loss_label] = out
    return out, params, nodes


def gradient_arrays(net, params):
    """The .grad of the graph's weight leaves as arrays, in the order of net.gradients():
    [dW1, db1, dW2, ...] (no db for a layer with use_bias=False)."""
    arrays = []
    for li, layer in enumerate(net.layers, start=1):
        dW = np.array([[params[f"W{li}[{p},{q}]"].grad for q in range(layer.n_out)]
                       for p in range(layer.n_in)])
        arrays.append(dW)
        if layer.use_bias:
            arrays.append(np.array([params[f"b{li}[{q}]"].grad for q in range(layer.n_out)]))
    return arrays


def _build(ex, labels, with_loss, **formats):
    t, loss = (ex.t, ex.loss) if with_loss else (None, None)
    out, params, nodes = from_network(ex.net, ex.X, t, loss, labels, **formats)
    return GraphExample(out, params, ex, nodes)


def e1_chain(with_loss=True):
    """E1 (seed 000): h = w·x + b1 with w = 5, x = 2, then y = v·h + c (v = 250,
    c = -2440): y = 60; loss (y - 90)² (MSE). with_loss=False: the output is y, and
    w.grad is the post's 500."""
    labels = {"W1[0,0]": "w", "b1[0]": "b1", "W2[0,0]": "v", "b2[0]": "c"}
    return _build(examples.e1_chain(), labels, with_loss)


def e2_linear(with_loss=True):
    """E2 (seed 001): y = w·x + b (w = 1, b = 0, x = 2.1), loss (y - 4)² = 3.61 (MSE)."""
    return _build(examples.e2_linear(), {"W1[0,0]": "w", "b1[0]": "b"}, with_loss)


def e3_network(with_loss=True):
    """E3 (seed 002): 3-2-1, no bias, no activation; weights named as the post (w_ij from
    input i to hidden j, w'_j1 to the output); y = 2.98, loss (y - 3.2)² (MSE)."""
    labels = {f"W1[{i},{j}]": f"w{i + 1}{j + 1}" for i in range(3) for j in range(2)}
    labels.update({"W2[0,0]": "w'11", "W2[1,0]": "w'21"})
    return _build(examples.e3_network(), labels, with_loss)


def e5_network(with_loss=True):
    """E5 (seed 004): inputs x1..x3, sigmoid units 4, 5, 6 (z4, o4, ...), weights w14 ...
    w56, biases b4, b5, b6; loss ½(t6 - o6)² (HalfSquaredError)."""
    labels = {f"W1[{i},{j}]": f"w{i + 1}{j + 4}" for i in range(3) for j in range(2)}
    labels.update({"W2[0,0]": "w46", "W2[1,0]": "w56", "b1[0]": "b4", "b1[1]": "b5",
                   "b2[0]": "b6"})
    return _build(examples.e5_network(), labels, with_loss, input_label="x{}",
                  z_label="z{}", a_label="o{}")


def e2_nonlinear(seed=0, n=None, with_loss=True):
    """Seed 001's softplus 1-2-1 formula y = softplus(w11 x + b11) w21 + softplus(w12 x +
    b12) w22 + b2 on its data (bp.examples.e2_nonlinear(seed)); the first n samples (all by
    default; the example's X, t are cut to the same samples). Loss MSE."""
    ex = examples.e2_nonlinear(seed)
    if n is not None:
        ex.X, ex.t = ex.X[:n], ex.t[:n]
    labels = {"W1[0,0]": "w11", "W1[0,1]": "w12", "b1[0]": "b11", "b1[1]": "b12",
              "W2[0,0]": "w21", "W2[1,0]": "w22", "b2[0]": "b2"}
    return _build(ex, labels, with_loss)


E0_KEYS = {"w1": "W1[0,0]", "w2": "W1[1,0]", "w3": "W1[0,1]", "w4": "W1[1,1]",
           "w5": "W2[0,0]", "w6": "W2[1,0]", "b1": "b1[0]", "b2": "b1[1]", "b3": "b2[0]"}


def e0_network(seed=0, sample=0, with_loss=True):
    """Seed 000's 2-2-1 sigmoid network (weights of bp.examples.e0_scalar_weights(seed))
    on one person of bp.datasets.people() (row `sample`); loss (y_true - y_pred)², which
    for one sample is MSE. Names as the post's code: w1..w6, b1..b3, sum_h1, h1, o1."""
    weights, net = examples.e0_scalar_weights(seed)
    X, t = datasets.people()
    ex = examples.Example("seed 000's 2-2-1 network", "000", net, X[sample:sample + 1],
                          t[sample:sample + 1], MSE(), 0.1)
    labels = {key: name for name, key in E0_KEYS.items()}
    return _build(ex, labels, with_loss, z_label="sum_{}")
