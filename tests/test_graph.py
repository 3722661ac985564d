"""bp.graph: every operation against central differences, every builder against the
vectorised core (1e-12), accumulation (+=), backward twice, the errors, the exercise checkers."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import backprop_core as bp
from backprop_core import graph_exercises as gx
from backprop_core.graph import Value

real = st.floats(-3.0, 3.0, allow_nan=False)
nonzero = real.filter(lambda v: abs(v) > 0.2)
positive = st.floats(0.2, 5.0)

UNARY = {
    "exp": (Value.exp, real),
    "log": (Value.log, positive),
    "sigmoid": (Value.sigmoid, real),
    "tanh": (Value.tanh, real),
    "relu": (Value.relu, real.filter(lambda v: abs(v) > 1e-2)),
    "softplus": (Value.softplus, real),
    "neg": (Value.__neg__, real),
    "square": (lambda v: v ** 2, real),
    "cube": (lambda v: v ** 3, real),
    "sqrt": (lambda v: v ** 0.5, positive),
    "inverse": (lambda v: v ** -1, positive),
}
BINARY = {
    "add": (lambda a, b: a + b, real),
    "sub": (lambda a, b: a - b, real),
    "mul": (lambda a, b: a * b, real),
    "div": (lambda a, b: a / b, nonzero),
    "max": (lambda a, b: a.maximum(b), real),
}


def _scalar_fd(fd, f, x):
    return float(fd(lambda arr: f(float(arr[0])), np.array([x]))[0])


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_operations_match_central_differences(name, fd):
    op, values = UNARY[name]

    @given(values)
    def check(x):
        v = Value(x, "x")
        out = op(v)
        out.backward()
        want = _scalar_fd(fd, lambda s: op(Value(s)).data, x)
        assert v.grad == pytest.approx(want, rel=1e-6, abs=1e-8)
        assert out.local[0] == v.grad          # one edge: grad = local derivative

    check()


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_operations_match_central_differences(name, fd):
    op, values = BINARY[name]

    @given(values, values)
    def check(a, b):
        if name == "max" and abs(a - b) < 1e-2:
            return                            # not differentiable where a = b
        va, vb = Value(a, "a"), Value(b, "b")
        op(va, vb).backward()
        assert va.grad == pytest.approx(_scalar_fd(fd, lambda s: op(Value(s), Value(b)).data, a),
                                        rel=1e-6, abs=1e-8)
        assert vb.grad == pytest.approx(_scalar_fd(fd, lambda s: op(Value(a), Value(s)).data, b),
                                        rel=1e-6, abs=1e-8)

    check()


@given(real, nonzero)
def test_numbers_on_either_side(x, k):
    v = Value(x)
    for out, want_value, want_grad in [(k + v, k + x, 1.0), (v + k, x + k, 1.0),
                                       (k - v, k - x, -1.0), (v - k, x - k, 1.0),
                                       (k * v, k * x, k), (v * k, x * k, k)]:
        v.zero_grad()                          # v is a leaf: its grad accumulates
        out.backward()
        assert out.data == pytest.approx(want_value)
        assert v.grad == pytest.approx(want_grad)
    if abs(x) > 0.2:
        out = k / v
        v.zero_grad()
        out.backward()
        assert v.grad == pytest.approx(-k / x ** 2)


@given(a=real, b=real, c=real)
def test_a_composite_formula_matches_central_differences(a, b, c, fd):
    def f(x, y, z):
        return ((x * y + z).sigmoid() * (y - 1.5) + (z * z).softplus() / (1 + x.tanh() ** 2))

    va, vb, vc = Value(a), Value(b), Value(c)
    f(va, vb, vc).backward()
    want = fd(lambda v: f(Value(v[0]), Value(v[1]), Value(v[2])).data, np.array([a, b, c]))
    assert [va.grad, vb.grad, vc.grad] == pytest.approx(list(want), rel=1e-6, abs=1e-8)


BUILDERS = {
    "e1_chain": bp.graph.e1_chain,
    "e2_linear": bp.graph.e2_linear,
    "e3_network": bp.graph.e3_network,
    "e5_network": bp.graph.e5_network,
    "e2_nonlinear": bp.graph.e2_nonlinear,
    "e2_nonlinear_3": lambda: bp.graph.e2_nonlinear(seed=3, n=5),
    "e0_network": bp.graph.e0_network,
    "e0_network_bob": lambda: bp.graph.e0_network(seed=1, sample=1),
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_builders_equal_the_vectorised_core(name):
    G = BUILDERS[name]()
    loss, params, ex = G
    loss.backward()
    net = ex.net
    y = net.forward(ex.X)
    assert loss.data == pytest.approx(ex.loss(y, ex.t), rel=1e-12, abs=1e-12)
    net.backward(ex.loss.grad(y, ex.t))
    graph_grads = G.gradients()
    core_grads = net.gradients()
    assert [g.shape for g in graph_grads] == [g.shape for g in core_grads]
    for a, b in zip(graph_grads, core_grads):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    for key, leaf in params.items():           # the leaves hold the core's weights
        layer = net.layers[int(key[1]) - 1]
        index = tuple(int(i) for i in key[key.index("[") + 1:-1].split(","))
        assert leaf.data == (layer.W if key[0] == "W" else layer.b)[index]


def test_posts_numbers():
    y, params, _ = bp.graph.e1_chain(with_loss=False)
    y.backward()
    assert y.data == 60.0 and params["W1[0,0]"].grad == 500.0     # seed 000's 500
    loss, _, _ = bp.graph.e2_linear()
    assert loss.data == pytest.approx(3.61)
    G = bp.graph.e3_network()
    assert G.nodes["a1''"].data == pytest.approx(2.98)
    G = bp.graph.e5_network()
    assert G.nodes["o6"].data == pytest.approx(0.474, abs=5e-4)
    G.out.backward()
    assert -G.nodes["z6"].grad == pytest.approx(0.1311, abs=5e-4)  # the post's δ6


def test_seed_000_scalar_code_agrees():
    G = bp.graph.e0_network(seed=0, sample=0)
    G.out.backward()
    weights, _ = bp.examples.e0_scalar_weights(0)
    X, t = bp.datasets.people()
    want = bp.scalar.ScalarNetwork221(weights).gradients(X[0], t[0, 0])
    for name, key in bp.graph.E0_KEYS.items():
        assert G.params[key].grad == pytest.approx(want[name], rel=0, abs=1e-12)
        assert G.params[key].label == name


def test_a_node_used_twice_accumulates():
    x = Value(3.0, "x")
    y = x * x
    y.backward()
    assert x.grad == 6.0                       # 3 + 3: both paths, not just the last
    z = x * x * x + x
    x.zero_grad()
    z.backward()
    assert x.grad == 28.0                      # 3x² + 1
    assert len(bp.graph.paths(x, z)) == 4


def test_backward_accumulates_into_leaves_as_pytorch():
    # by hand: h = w·x, y = h·h = w²x², at w = 3, x = 2: ∂y/∂w = 2wx² = 24, ∂y/∂h = 2h = 12
    w, x = Value(3.0, "w"), Value(2.0, "x")
    h = w * x
    y = h * h
    y.backward()
    assert (w.grad, x.grad, h.grad, y.grad) == (24.0, 36.0, 12.0, 1.0)
    y.backward()                                  # leaves add: 2x; computed nodes: 1x
    assert (w.grad, x.grad) == (48.0, 72.0)
    assert (h.grad, y.grad) == (12.0, 1.0)
    bp.graph.zero_grad([w, x])
    assert (w.grad, x.grad) == (0.0, 0.0)
    y.backward()
    assert (w.grad, x.grad, h.grad) == (24.0, 36.0, 12.0)
    assert w.zero_grad() is w and w.grad == 0.0 and x.grad == 36.0


def test_backward_twice_doubles_every_parameter_of_a_network():
    loss, params, _ = bp.graph.e5_network()
    loss.backward()
    first = {k: v.grad for k, v in params.items()}
    loss.backward()
    assert {k: v.grad for k, v in params.items()} == {k: 2 * g for k, g in first.items()}
    bp.graph.zero_grad(params)                    # a dict of parameters works too
    loss.backward()
    assert {k: v.grad for k, v in params.items()} == first


def test_zero_grad_rejects_what_is_not_a_list_of_values():
    with pytest.raises(TypeError, match="list of Values"):
        bp.graph.zero_grad(3.0)
    with pytest.raises(TypeError, match=r"params\[1\] must be a Value"):
        bp.graph.zero_grad([Value(1.0), 2.0])
    v = Value(1.0)
    v.grad = 5.0
    bp.graph.zero_grad(v)                         # one Value is accepted as a list of one
    assert v.grad == 0.0


def test_micrograd_backward_gives_neither_one_nor_two_times():
    w, x = Value(3.0, "w"), Value(2.0, "x")
    y = (w * x).tanh()
    bp.graph.micrograd_backward(y)
    once = w.grad
    bp.graph.micrograd_backward(y)               # intermediates accumulate too
    assert w.grad == pytest.approx(3 * once)      # 1 (leaf) + 2 (doubled h.grad)
    assert w.grad != pytest.approx(2 * once)


def test_path_products_sum_to_the_gradient():
    loss, params, _ = bp.graph.e3_network()
    loss.backward()
    for leaf in bp.graph.leaves(loss):
        paths = bp.graph.paths(leaf, loss)
        assert sum(bp.graph.path_product(p) for p in paths) == pytest.approx(leaf.grad, abs=1e-12)


def test_credit_is_conserved_layer_by_layer_in_e3():
    G = bp.graph.e3_network()
    G.out.backward()
    y = G.nodes["a1''"]
    cake = y.data * y.grad
    levels = [[G.nodes["a1'"], G.nodes["a2'"]], [G.params["W2[0,0]"], G.params["W2[1,0]"]],
              [G.params[f"W1[{i},{j}]"] for i in range(3) for j in range(2)],
              [v for v in bp.graph.leaves(G.out) if v.label in ("a1", "a2", "a3")]]
    for nodes in levels:
        assert sum(bp.graph.credit(nodes).values()) == pytest.approx(cake, abs=1e-12)


def test_steps_do_one_multiplication_each():
    x = Value(3.0, "x")
    y = x * x + x
    steps = bp.graph.steps(y)
    sections = [s.section for s in steps]
    assert sections == ["start", "forward", "forward", "seed"] + ["backward"] * 4
    for s in steps[4:]:
        assert s.after == pytest.approx(s.before + s.local * s.upstream)
        assert s.parent is s.node.parents[s.index]
    assert steps[-1].grads[x] == x.grad == 7.0


def test_repr_and_names():
    w = Value(5.0, "w")
    y = w * 2.0
    assert repr(w) == "Value('w', data=5, grad=0)"
    assert "op='*'" in repr(y)
    assert bp.graph.names(y)[y] == "mul1"


@pytest.mark.parametrize("bad", ["2", None, [1.0], np.ones(3), True])
def test_non_number_operands_are_rejected(bad):
    v = Value(1.0)
    with pytest.raises(TypeError, match="number"):
        v + bad
    with pytest.raises(TypeError, match="number"):
        v * bad
    with pytest.raises(TypeError):
        Value(bad)


def test_other_errors():
    with pytest.raises(ValueError, match="log needs a positive number"):
        Value(0.0).log()
    with pytest.raises(ValueError, match="log needs a positive number"):
        Value(-2.0).log()
    with pytest.raises(ValueError, match="finite"):
        Value(float("nan"))
    with pytest.raises(ZeroDivisionError):
        Value(1.0) / 0
    with pytest.raises(TypeError, match="number exponent"):
        Value(2.0) ** Value(2.0)
    with pytest.raises(TypeError, match="exponent must be a number"):
        2.0 ** Value(2.0)
    with pytest.raises(ValueError, match="not real"):
        Value(-2.0) ** 0.5
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=3)
    with pytest.raises(TypeError, match="output Value"):
        bp.graph.backward(np.ones((2, 2)))
    with pytest.raises(TypeError, match="output Value"):
        bp.graph.backward(3.0)


def test_a_cycle_is_reported():
    a = Value(1.0, "a")
    b = a * 2.0
    a.parents, a.local = (b,), (2.0,)          # only by editing the attributes by hand
    with pytest.raises(ValueError, match="cycle"):
        b.backward()


def test_deep_graphs_need_no_recursion():
    x = Value(0.5, "x")
    y = x
    for _ in range(5000):
        y = y * 1.0
    y.backward()
    assert x.grad == 1.0


def test_paths_on_a_long_chain_need_no_recursion():
    x = Value(0.5, "x")
    y = x
    for _ in range(1500):
        y = y * 1.0
    (path,) = bp.graph.paths(x, y)
    assert len(path) == 1500 and path[0][0].parents[0] is x and path[-1][0] is y


def test_paths_in_a_diamond_are_all_found_leaf_first():
    x = Value(3.0, "x")
    a, b = x * 2.0, x * x
    z = a + b
    found = bp.graph.paths(x, z)
    assert len(found) == 3                        # via a, and twice via b (x · x)
    for path in found:
        assert path[0][0].parents[path[0][1]] is x and path[-1][0] is z
    z.backward()
    assert sum(bp.graph.path_product(p) for p in found) == x.grad == 2.0 + 6.0


def test_numpy_defers_to_value():
    with pytest.raises(TypeError, match="other operand of \\+ must be one number.*shape \\(2,\\)"):
        np.array([1.0, 2.0]) + Value(2.0)
    with pytest.raises(TypeError, match="other operand of \\*"):
        np.ones(3) * Value(2.0)
    y = np.float64(2.0) + Value(1.0)               # a numpy scalar is a number
    assert isinstance(y, Value) and y.data == 3.0


@pytest.mark.parametrize("make, op, operands", [
    (lambda: Value(1000.0).exp(), "exp", "1000"),
    (lambda: Value(10.0) ** 400, "**400", "10"),
    (lambda: Value(1e200) * 1e200, "*", "1e+200, 1e+200"),
    (lambda: Value(1.0) / 1e-320, "/", "1, 9.99989e-321"),
    (lambda: Value(1e308) + 1e308, "+", "1e+308, 1e+308"),
    (lambda: bp.graph.total([Value(1e308), Value(1e308)]), "+", "1e+308, 1e+308"),
    (lambda: Value(1e-200) ** -2, "**-2", "1e-200"),
])
def test_overflow_names_the_operation_and_its_operands(make, op, operands):
    with pytest.raises(ValueError) as info:
        make()
    message = str(info.value)
    assert message.startswith(f"{op} of ({operands}) is not a finite float")
    assert "Value(data)" not in message


def test_tiny_divisor_keeps_a_finite_derivative():
    a, b = Value(1e-300), Value(1e-10)
    q = a / b
    q.backward()
    assert b.grad == pytest.approx(-1e-300 / 1e-20)   # b·b alone would be 1e-20, fine here
    c = Value(1e-170) / Value(1e-160)                   # b·b underflows to 0; -(a/b)/b does not
    c.backward()
    assert c.parents[1].grad == pytest.approx(-1e-10 / 1e-160)


def test_from_network_rejects_what_it_cannot_draw():
    net = bp.Sequential(bp.Dense(2, 2, "softmax"))
    with pytest.raises(ValueError, match="no graph form"):
        bp.graph.from_network(net, np.ones((1, 2)))
    net = bp.Sequential(bp.Dense(2, 1, "sigmoid"))
    with pytest.raises(ValueError, match="no graph form"):
        bp.graph.from_network(net, np.ones((1, 2)), np.ones((1, 1)), bp.MAE())
    with pytest.raises(ValueError, match="shape"):
        bp.graph.from_network(net, np.ones((1, 3)))


# --- the exercise checkers ----------------------------------------------------------

def _sig(z):
    return 1.0 / (1.0 + math.exp(-z))


def test_mul_checker(capsys):
    assert gx.check_mul_backward(lambda a, b, g: (b * g, a * g))
    wrong = [..., None, lambda a, b, g: (..., ...), lambda a, b, g: (a * g, b * g),
             lambda a, b, g: (b, a), lambda a, b, g: 1 / 0, lambda a, b, g: 3.0,
             lambda a, b, g: (-b * g, -a * g), lambda a, b, g: (1.0, 2.0)]
    for fn in wrong:
        assert not gx.check_mul_backward(fn)
    out = capsys.readouterr().out
    for hint in ("not answered yet", "OTHER input", "grad_out", "ZeroDivisionError",
                 "two numbers", "sign", "wrong on"):
        assert hint in out


def test_sigmoid_checker(capsys):
    assert gx.check_sigmoid_backward(lambda z, g: g * _sig(z) * (1 - _sig(z)))
    assert gx.check_sigmoid_backward(lambda z, g: np.float64(g * _sig(z) * (1 - _sig(z))))
    wrong = [..., lambda z, g: ..., lambda z, g: _sig(z) * (1 - _sig(z)),
             lambda z, g: g * z * (1 - z), lambda z, g: g * _sig(z), lambda z, g: "x"]
    for fn in wrong:
        assert not gx.check_sigmoid_backward(fn)
    out = capsys.readouterr().out
    for hint in ("not answered yet", "grad_out", "σ(z), the output", "missing", "return a number"):
        assert hint in out


def test_e3_and_e5_checkers(capsys):
    ex = bp.examples.e3_network()
    W1, W2 = ex.net.layers[0].W, ex.net.layers[1].W
    h = ex.X @ W1
    dy = 2 * (h @ W2 - ex.t)
    dW2 = h.T @ dy
    dW1 = ex.X.T @ (dy @ W2.T)
    assert gx.check_e3_backward(dW1, dW2)
    assert not gx.check_e3_backward(..., ...)
    assert not gx.check_e3_backward(dW1.T, dW2 / 2)
    assert not gx.check_e3_backward(dW1 + 1, -dW2)
    out = capsys.readouterr().out
    for hint in ("right", "transposed", "factor of 2", "sign", "6 of 6"):
        assert hint in out
    ex = bp.examples.e5_network()
    net = ex.net
    net.backward(ex.loss.grad(net.forward(ex.X), ex.t))
    d4, d5 = -net.layers[0].delta[0]
    d6 = -net.layers[1].delta[0, 0]
    assert gx.check_e5_deltas(d4, d5, d6)
    assert not gx.check_e5_deltas(..., None, d6)
    assert not gx.check_e5_deltas(-d4, d5 + 1, d6)


def test_checkers_never_print_the_answer(capsys):
    ex = bp.examples.e3_network()
    net = ex.net
    net.backward(ex.loss.grad(net.forward(ex.X), ex.t))
    gx.check_e3_backward(np.zeros((3, 2)), np.zeros((2, 1)))
    gx.check_e5_deltas(0.0, 0.0, 0.0)
    out = capsys.readouterr().out
    for value in list(net.layers[0].dW.ravel()) + list(net.layers[1].dW.ravel()):
        assert f"{abs(value):.3f}" not in out


def test_a_verdict_is_true_when_right_and_shows_nothing():
    right = gx.check_mul_backward(lambda a, b, g: (b * g, a * g))
    wrong = gx.check_mul_backward(...)
    assert right and not wrong and isinstance(right, gx.Verdict)
    assert right._ipython_display_() is None and repr(wrong) == "Verdict(False)"


def test_checkers_speak_chinese(capsys, chinese):
    gx.check_mul_backward(...)
    gx.check_sigmoid_backward(lambda z, g: _sig(z) * (1 - _sig(z)))
    out = capsys.readouterr().out
    assert "还没有作答" in out and "grad_out" in out and "还不对" in out
