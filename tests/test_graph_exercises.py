"""Notebook 01c's pieces: the engine checkers accept correct code and reject planted bugs
(each with its hint), the MLP of Values equals the graph and the core to 1e-12, the
finite-difference helpers, the registered predictions."""
import json
import math
import pathlib
import re

import numpy as np
import pytest

import backprop_core as bp
from backprop_core import finite_differences as fdiff
from backprop_core import graph_exercises as gx
from backprop_core import graph_mlp
from backprop_core.graph import Value


@pytest.fixture(autouse=True)
def in_english(english):
    """Every test of this file in English (conftest's english restores the language after)."""


def _said(capsys, *words):
    out = capsys.readouterr().out
    assert all(w in out for w in words), out
    return out


# --- topological order -----------------------------------------------------------------

def topo_right(out):
    order, seen = [], set()

    def visit(node):
        if id(node) not in seen:
            seen.add(id(node))
            for p in node.parents:
                visit(p)
            order.append(node)

    visit(out)
    return order


def topo_no_visited_set(out):
    order = []

    def visit(node):
        for p in node.parents:
            visit(p)
        order.append(node)

    visit(out)
    return order


def topo_reversed(out):
    return topo_right(out)[::-1]


def topo_before(out):                  # appends a node before its inputs, then the rest
    order = topo_right(out)
    return [order[-2]] + order[:-2] + [order[-1]]


def topo_leaves_only(out):
    return [v for v in topo_right(out) if not v.parents] + [out]


def test_topological_order_right_and_the_package_own(capsys):
    assert gx.check_topological_order(topo_right)
    assert gx.check_topological_order(bp.graph.topological_order)
    _said(capsys, "right ✓", f"{gx.N_GRAPHS} random graphs")


@pytest.mark.parametrize("fn, hint", [
    (topo_no_visited_set, "more than once"), (topo_reversed, "reversed"),
    (topo_before, "before one of its inputs"), (topo_leaves_only, "missing"),
    (lambda out: None, "not answered yet"), (..., "not answered yet"),
    (lambda out: [v.data for v in topo_right(out)], "list of the graph's nodes"),
    (lambda out: 1 / 0, "ZeroDivisionError"),
])
def test_topological_order_rejects_planted_bugs(fn, hint, capsys):
    assert not gx.check_topological_order(fn)
    _said(capsys, "not", hint)


# --- backward pass ---------------------------------------------------------------------

def backward_right(out):
    order = bp.graph.topological_order(out)
    for node in order:
        if node.parents:
            node.grad = 0.0
    out.grad += 1.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local):
            parent.grad += local * node.grad


def _variant(**kw):
    def fn(out):
        order = bp.graph.topological_order(out)
        for node in order:
            if (node.parents or kw.get("reset_leaves")) and not kw.get("stale"):
                node.grad = 0.0
        out.grad = 1.0 if kw.get("stale") else out.grad + 1.0
        for node in (order if kw.get("forward") else reversed(order)):
            for parent, local in zip(node.parents, node.local):
                share = local if kw.get("no_upstream") else local * node.grad
                if kw.get("assign"):
                    parent.grad = share
                else:
                    parent.grad += share
    return fn


def test_backward_pass_right_and_the_package_own(capsys):
    assert gx.check_backward_pass(backward_right)
    assert gx.check_backward_pass(lambda out: out.backward())
    _said(capsys, "right ✓")


@pytest.mark.parametrize("fn, hint", [
    (_variant(assign=True), "adds up (+=)"),
    (_variant(forward=True), "from the output back"),
    (_variant(no_upstream=True), "node's own gradient is missing"),
    (_variant(reset_leaves=True), "ADD to the leaves"),
    (_variant(stale=True), "set their grad to 0"),
    (lambda out: None, "no gradient reached the leaves"),
    (lambda out: [setattr(v, "grad", v.grad + 1.0) for v in topo_right(out)], "differ"),
    (..., "not answered yet"),
])
def test_backward_pass_rejects_planted_bugs(fn, hint, capsys):
    assert not gx.check_backward_pass(fn)
    _said(capsys, "not", hint)


# --- the neuron ------------------------------------------------------------------------

def _neuron_class(call, params=None):
    class Neuron:
        def __init__(self, n_in, rng):
            self.w = [Value(float(v)) for v in rng.uniform(-1, 1, n_in)]
            self.b = Value(0.0)

        def __call__(self, x):
            return call(self, x)

        def parameters(self):
            return (params or (lambda n: n.w + [n.b]))(self)
    return Neuron


def _z(n, x):
    return sum((wi * xi for wi, xi in zip(n.w, x)), n.b)


def test_neuron_right(capsys):
    assert gx.check_neuron(_neuron_class(lambda n, x: _z(n, x).tanh()))
    _said(capsys, "Neuron: right ✓")


@pytest.mark.parametrize("cls, hint", [
    (_neuron_class(lambda n, x: _z(n, x)), "apply tanh"),
    (_neuron_class(lambda n, x: sum(wi * xi for wi, xi in zip(n.w, x)).tanh()), "bias b"),
    (_neuron_class(lambda n, x: Value(math.tanh(_z(n, x).data))), "not with .data"),
    (_neuron_class(lambda n, x: math.tanh(_z(n, x).data)), "return a Value"),
    (_neuron_class(lambda n, x: _z(n, x).sigmoid()), "random test input"),
    (_neuron_class(lambda n, x: _z(n, x).tanh(), lambda n: n.w), "every weight and the bias"),
    (_neuron_class(lambda n, x: _z(n, x).tanh(), lambda n: [w.data for w in n.w] + [n.b.data]),
     "own Values"),
    (_neuron_class(lambda n, x: _z(n, x).tanh(), lambda n: [Value(1.0) for _ in n.w + [n.b]]),
     "own Values"),
    (_neuron_class(lambda n, x: ...), "not answered yet"),
    (_neuron_class(lambda n, x: _z(n, x).tanh(), lambda n: None), "not answered yet"),
])
def test_neuron_rejects_planted_bugs(cls, hint, capsys):
    assert not gx.check_neuron(cls)
    _said(capsys, "not", hint)


# --- numerical gradient and relative error ------------------------------------------------

def numgrad_right(f, x, h):
    grad = np.zeros_like(x)
    for i in range(x.size):
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / (2 * h)
    return grad


def numgrad_one_sided(f, x, h):
    return np.array([(f(x + h * e) - f(x)) / h for e in np.eye(x.size)])


def numgrad_no_half(f, x, h):
    return np.array([(f(x + h * e) - f(x - h * e)) / h for e in np.eye(x.size)])


def numgrad_no_restore(f, x, h):
    grad = np.zeros_like(x)
    for i in range(x.size):
        x[i] += h
        fp = f(x)
        x[i] -= 2 * h
        grad[i] = (fp - f(x)) / (2 * h)
    return grad


def test_numerical_gradient_right(capsys):
    assert gx.check_numerical_gradient(numgrad_right)
    assert gx.check_numerical_gradient(fdiff.central_difference)
    _said(capsys, "right ✓")


@pytest.mark.parametrize("fn, hint", [
    (numgrad_one_sided, "one-sided"), (numgrad_no_half, "factor of 2"),
    (numgrad_no_restore, "changed x"), (lambda f, x, h: -numgrad_right(f, x, h), "sign"),
    (lambda f, x, h: numgrad_right(f, x, h)[:1], "shape"),
    (lambda f, x, h: numgrad_right(f, x, h) + 1e-3, "random test input"),
    (lambda f, x, h: ..., "not answered yet"),
])
def test_numerical_gradient_rejects_planted_bugs(fn, hint, capsys):
    assert not gx.check_numerical_gradient(fn)
    _said(capsys, "not", hint)


def rel_right(a, b, tiny=1e-12):
    return abs(a - b) / max(abs(a), abs(b), tiny)


def test_relative_error_right(capsys):
    assert gx.check_relative_error(rel_right)
    assert gx.check_relative_error(fdiff.relative_error)
    _said(capsys, "right ✓")


@pytest.mark.parametrize("fn, hint", [
    (lambda a, b: abs(a - b) / max(abs(a), abs(b)), "two zeros"),
    (lambda a, b: np.abs(a - b) / np.maximum(np.abs(a), np.abs(b)), "two zeros"),
    (lambda a, b: abs(a - b) / max(abs(a), 1e-12), "max(|a|, |b|, tiny)"),
    (lambda a, b: (a - b) / max(a, b, 1e-12), "absolute values"),
    (lambda a, b: ..., "not answered yet"),
])
def test_relative_error_rejects_planted_bugs(fn, hint, capsys):
    assert not gx.check_relative_error(fn)
    _said(capsys, "not", hint)


# --- the planted bug, the h sweep ------------------------------------------------------------

def test_exactly_one_suspect_is_buggy_and_it_is_found_by_the_students_check(capsys):
    x = np.array([0.3, -0.8, 0.2])
    failing = [name for name, (f, grad) in fdiff.suspects().items()
               if rel_right(0, 0) or max(rel_right(a, b) for a, b in
                                         zip(numgrad_right(f, x.copy(), 1e-5), grad(x))) > 1e-6]
    assert failing == [fdiff.buggy_suspect()] == ["swish"]
    for name, (f, grad) in fdiff.suspects().items():   # the correct ones pass everywhere
        if name != "swish":
            for w in np.random.default_rng(0).uniform(-2, 2, (20, 3)):
                assert fdiff.relative_error(fdiff.central_difference(f, w), grad(w)) < 1e-7
    assert gx.check_planted_bug("swish") and gx.check_planted_bug(" Swish ")
    _said(capsys, "right ✓")
    assert not gx.check_planted_bug("tanh")
    assert "swish" not in _said(capsys, "tanh passes the check")   # no name given away
    assert not gx.check_planted_bug("relu")
    _said(capsys, "one of the names softplus, square, swish, tanh")
    assert not gx.check_planted_bug(...)


def test_h_sweep_shows_both_failures():
    hs = [1e-1, 1e-4, 1e-12]
    e64 = fdiff.h_sweep(hs, dtype=np.float64)
    e32 = fdiff.h_sweep(hs, dtype=np.float32)
    assert e64[0] > 1e-3 and e64[1] < 1e-8 and e64[2] > 1e-6       # too large, good, too small
    assert e32[1] > 1e-4                                              # float32: 1e-4 too small
    assert fdiff.h_sweep([1e-2], dtype=np.float32)[0] < 1e-3


def test_relu_kink_fools_the_check():
    f = lambda w: max(0.0, float(w[0]))                  # noqa: E731
    numeric = fdiff.central_difference(f, [0.0], 1e-5)[0]
    assert numeric == 0.5
    x = Value(0.0)
    x.relu().backward()
    assert fdiff.relative_error(numeric, x.grad) == 1.0   # the engine's 0 vs 0.5: "100 %"


def test_central_difference_keeps_float32_and_x():
    x = np.array([0.5, 1.0], dtype=np.float32)
    g = fdiff.central_difference(lambda v: float(np.sum(v * v)), x, 1e-2)
    assert g.dtype == np.float32 and x.tolist() == [0.5, 1.0]
    assert fdiff.relative_error(0.0, 0.0) == 0.0


# --- the MLP of Values ---------------------------------------------------------------------

def test_mlp_gradients_equal_the_graph_and_the_core():
    X, t = graph_mlp.dataset()
    net = bp.Sequential(bp.Dense(3, 4, "tanh"), bp.Dense(4, 4, "tanh"),
                        bp.Dense(4, 1, "identity"), seed=0)
    rng = np.random.default_rng(1)
    for layer in net.layers:
        layer.b[...] = rng.uniform(-0.5, 0.5, layer.b.shape)
    mlp = graph_mlp.MLP.from_network(net)
    loss = graph_mlp.mse([mlp(x)[0] for x in X], t)
    loss.backward()
    y = net.forward(X)
    assert loss.data == pytest.approx(bp.MSE()(y, t.reshape(-1, 1)), abs=1e-14)
    net.backward(bp.MSE().grad(y, t.reshape(-1, 1)))
    out, params, _ = bp.graph.from_network(net, X, t.reshape(-1, 1), bp.MSE())
    out.backward()
    graph = bp.graph.gradient_arrays(net, params)
    for a, b, c in zip(mlp.gradients(), net.gradients(), graph):
        assert a.shape == b.shape == c.shape
        assert np.max(np.abs(a - b)) <= 1e-12 and np.max(np.abs(a - c)) <= 1e-12


def test_mlp_parameters_and_training():
    mlp = graph_mlp.MLP(3, [4, 4, 1], seed=0)
    assert len(mlp.parameters()) == 4 * 4 + 4 * 5 + 1 * 5
    X, t = graph_mlp.dataset()
    losses = graph_mlp.train(mlp, X, t, lr=0.1, steps=30)
    assert losses[-1] < 0.05 * losses[0]
    again = graph_mlp.train(graph_mlp.MLP(3, [4, 4, 1], seed=0), X, t, lr=0.1, steps=30)
    assert again == losses                                   # seeded: the same numbers
    piled = graph_mlp.train(graph_mlp.MLP(3, [4, 4, 1], seed=0), X, t, lr=0.1, steps=30,
                            zero_grads=False)
    assert piled[:1] == losses[:1] and piled[-1] > 10 * losses[-1]
    assert any(b > a for a, b in zip(piled, piled[1:]))       # without zero_grad: it climbs


def test_mlp_rejects_bad_arguments():
    with pytest.raises(ValueError, match="sizes"):
        graph_mlp.MLP(3, [4, 0])
    with pytest.raises(ValueError, match="n_in"):
        graph_mlp.MLP(0, [1])
    with pytest.raises(ValueError, match="takes 3 inputs"):
        graph_mlp.MLP(3, [1])([1.0, 2.0])
    with pytest.raises(ValueError, match="as many targets"):
        graph_mlp.mse([Value(1.0)], [1.0, 2.0])
    with pytest.raises(ValueError, match="must be Dense"):
        graph_mlp.MLP.from_network(bp.Sequential(bp.Dense(2, 1, "sigmoid")))


# --- the registered predictions ------------------------------------------------------------

def test_registered_predictions_follow_the_accumulation(capsys):
    assert bp.exercises.check("01c.twice_w", 48.0)       # 2 × (2·h·x = 24)
    assert bp.exercises.check("01c.twice_h", 12.0)       # computed node: 1×, 2h
    assert not bp.exercises.check("01c.twice_w", 24.0)
    assert not bp.exercises.check("01c.twice_h", 24.0)
    out = capsys.readouterr().out
    assert "48" not in out and "12" not in out.replace("1e-06", "")


# --- the lesson's page: no answer before the appendix ---------------------------------------

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_answer_on_the_page_before_the_appendix(lang):
    nb = json.loads((ROOT / f"notebooks/{lang}/01c_build_the_engine.ipynb").read_text())
    head = "## Appendix" if lang == "en" else "## 附录"
    cells = nb["cells"]
    cut = next(i for i, c in enumerate(cells) if "".join(c["source"]).startswith(head))
    code = "\n".join("".join(c["source"]) for c in cells[:cut] if c["cell_type"] == "code")
    shown = "\n".join("".join(o.get("text", "")) for c in cells[:cut] if c["cell_type"] == "code"
                      for o in c["outputs"])
    for solution in ["visited.add", "visit(", "parent.grad +=", "return self.w + [self.b]",
                     "f_plus", "/ (2 * h)", "/ max(abs(a)", '"swish"']:
        assert solution not in code, solution
    for placeholder in ["answer_w = ...", "answer_h = ...", "answer_bug = ..."]:
        assert placeholder in code
    assert "✓" not in shown and "swish" not in shown           # nothing solved before the appendix
    w_twice = bp.exercises.exercise("01c.twice_w").compute()
    h_twice = bp.exercises.exercise("01c.twice_h").compute()
    numbers = {float(n) for n in re.findall(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?", shown)}
    assert w_twice not in numbers and h_twice not in numbers    # the prediction's answers


def test_backward_pass_left_as_given_is_not_answered_yet(capsys):
    def backward_pass(out):
        out.grad += 1.0
        ...                                      # your code

    assert not gx.check_backward_pass(backward_pass)
    _said(capsys, "not answered yet")
