"""bp.trace: one training step as a table. Its numbers are the layers' own attributes and the
optimiser's own update; its text has fixed decimals; it changes nothing unless apply=True."""
import copy
import re

import numpy as np
import pytest

import backprop_core as bp
from backprop_core.trace import TraceRow


def e5_trace(optimizer=None, apply=False, decimals=4):
    ex = bp.examples.e5_network()
    table = bp.trace(ex.net, ex.loss, ex.X, ex.t, optimizer=optimizer, apply=apply, decimals=decimals)
    return ex, table


def test_forward_and_backward_rows_are_the_layer_attributes():
    ex, table = e5_trace(bp.SGD(lr=0.9))
    hidden, out = ex.net.layers                  # trace ran forward/backward on this net
    for q, name in enumerate(["4", "5"]):
        assert table.value("z", name) == hidden.z[0, q]
        assert table.value("o", name) == hidden.a[0, q]
        assert table.value("δ", name) == hidden.delta[0, q]
    assert table.value("z", "6") == out.z[0, 0]
    assert table.value("o", "6") == out.a[0, 0]
    assert table.value("δ", "6") == out.delta[0, 0]
    assert table.value("L", "half_squared_error") == pytest.approx(0.5 * (1 - out.a[0, 0]) ** 2, rel=1e-14)
    # gradients: ∂L/∂w_pq = o_p δ_q
    assert table.value("∂L/∂w", "4→6") == out.dW[0, 0]
    assert table.value("∂L/∂w", "1→5") == hidden.dW[0, 1]
    assert table.value("∂L/∂b", "6") == out.db[0]


@pytest.mark.parametrize("make", [lambda: bp.SGD(lr=0.9), lambda: bp.SGD(lr=0.5, momentum=0.9),
                                  lambda: bp.Adam(lr=0.1), lambda: bp.RMSProp(lr=0.05)],
                         ids=["sgd", "momentum", "adam", "rmsprop"])
def test_update_rows_equal_the_optimizers_step(make):
    ex, table = e5_trace(make())
    # the same step, taken for real on a copy
    net = bp.examples.e5_network().net
    net.backward(ex.loss.grad(net.forward(ex.X), ex.t))
    before = [p.copy() for p in net.parameters()]
    make().step(net)
    (W1, b1, W2, b2), (_, b1_0, W2_0, _) = net.parameters(), before
    assert table.value("w new", "4→6") == pytest.approx(W2[0, 0], rel=1e-15)
    assert table.value("Δw", "4→6") == pytest.approx(W2[0, 0] - W2_0[0, 0], rel=1e-12)
    assert table.value("w new", "3→5") == pytest.approx(W1[2, 1], rel=1e-15)
    assert table.value("b new", "6") == pytest.approx(b2[0], rel=1e-15)
    assert table.value("Δb", "4") == pytest.approx(b1[0] - b1_0[0], rel=1e-12)


def test_sgd_update_is_minus_lr_times_gradient():
    _, table = e5_trace(bp.SGD(lr=0.9))
    g = table.value("∂L/∂w", "5→6")
    assert table.value("Δw", "5→6") == pytest.approx(-0.9 * g, rel=1e-14)
    row = next(r for r in table.rows if r.quantity == "Δw" and r.name == "5→6")
    assert row.formula.startswith("-lr·∂L/∂w = -0.9000·")
    assert row.plain and row.role == "step" and row.parameter == "w"


def test_trace_changes_nothing_without_apply():
    ex = bp.examples.e5_network()
    opt = bp.SGD(lr=0.5, momentum=0.9)
    before = ex.net.get_flat().copy()
    bp.trace(ex.net, ex.loss, ex.X, ex.t, optimizer=opt)
    np.testing.assert_array_equal(ex.net.get_flat(), before)
    assert opt.t == 0 and opt.velocity is None
    # an optimiser with state: its state is not touched either
    opt.update([np.zeros(1)], [np.ones(1)])            # now t = 1 (state for another shape)
    state = copy.deepcopy(opt.velocity)
    bp.trace(ex.net, ex.loss, ex.X, ex.t, optimizer=opt)
    assert opt.t == 1
    np.testing.assert_array_equal(opt.velocity[0], state[0])


def test_trace_apply_takes_the_step():
    ex = bp.examples.e5_network()
    opt = bp.Adam(lr=0.1)
    table = bp.trace(ex.net, ex.loss, ex.X, ex.t, optimizer=opt, apply=True)
    assert opt.t == 1
    assert ex.net.layers[1].W[0, 0] == pytest.approx(table.value("w new", "4→6"), rel=1e-15)
    assert ex.net.layers[0].b[1] == pytest.approx(table.value("b new", "5"), rel=1e-15)


def test_default_optimizer_is_sgd_lr_01():
    _, table = e5_trace()
    assert table.value("Δb", "6") == pytest.approx(-0.1 * table.value("∂L/∂b", "6"), rel=1e-14)


def test_str_has_fixed_decimals_and_sections():
    _, table = e5_trace(bp.SGD(lr=0.9), decimals=4)
    text = str(table)
    assert repr(table) == text
    for section in ("forward", "loss", "backward", "update"):
        assert f"-- {section} --" in text
    # each row: label, two or more spaces, the value, three spaces, the formula
    values = [re.match(r"^.+?\s{2,}(\S+)   ", line).group(1)
              for line in text.splitlines() if not line.startswith("--")]
    assert values and all(re.fullmatch(r"-?\d+\.\d{4}", v) for v in values), values
    assert "z[4]" in text and "-0.7000" in text
    three = str(e5_trace(bp.SGD(lr=0.9), decimals=3)[1])
    assert "-0.700 " in three
    # the same step twice gives the same text (stable for nbval)
    assert str(e5_trace(bp.SGD(lr=0.9))[1]) == text


def test_repr_html_is_a_table():
    _, table = e5_trace(bp.SGD(lr=0.9))
    html = table._repr_html_()
    assert html.startswith("<table>") and html.endswith("</table>")
    assert html.count("<tr>") == len(table.rows) + 1                  # header + one row each
    assert "<th>value</th>" in html and "-0.7000" in html
    assert "<script" not in html


def test_section_and_value_errors():
    _, table = e5_trace()
    fwd = table.section("forward")
    assert {r.section for r in fwd.rows} == {"forward"}
    assert len(fwd.rows) == 6                                          # z and o of units 4, 5, 6
    with pytest.raises(ValueError, match="unknown section 'sideways'; known: forward, loss, backward, update"):
        table.section("sideways")
    with pytest.raises(KeyError, match="no row for quantity 'q'"):
        table.value("q", "4")


def test_trace_on_a_batch_labels_samples():
    net = bp.Sequential(bp.Dense(2, 2, "tanh", seed=0), bp.Dense(2, 1, "identity", seed=1))
    X, t = np.array([[0.5, 1.0], [-1.0, 2.0]]), np.array([[1.0], [0.0]])
    table = bp.trace(net, bp.MSE(), X, t, optimizer=bp.SGD(lr=0.1))
    assert table.value("z", "h1", sample=1) == net.layers[0].z[1, 0]
    assert table.value("δ", "y1", sample=1) == net.layers[1].delta[1, 0]
    assert "(sample 1)" in str(table)
    assert table.value("∂L/∂w", "h2→y1") == net.layers[1].dW[1, 0]       # summed over the batch


def independent_step(net, X, t, lr):
    """One plain SGD step of a sigmoid network on (X, t) under ½ Σ (t - o)², computed here
    from the weights alone (no layer attributes): z, o, δ per layer, new W and b."""
    W = [layer.W.copy() for layer in net.layers]
    b = [layer.b.copy() for layer in net.layers]
    o, zs, os_ = np.asarray(X, dtype=float), [], [np.asarray(X, dtype=float)]
    for Wl, bl in zip(W, b):
        z = o @ Wl + bl
        o = 1.0 / (1.0 + np.exp(-z))
        zs.append(z)
        os_.append(o)
    delta = (o - t) * o * (1 - o)                                    # output: ∂L/∂o · f'(z)
    deltas = [delta]
    for li in range(len(W) - 1, 0, -1):
        delta = (delta @ W[li].T) * os_[li] * (1 - os_[li])           # hidden: f'(z) Σ w δ
        deltas.insert(0, delta)
    new_W = [Wl - lr * os_[li].T @ deltas[li] for li, Wl in enumerate(W)]
    new_b = [bl - lr * deltas[li].sum(axis=0) for li, bl in enumerate(b)]
    return zs, os_[1:], deltas, new_W, new_b


@pytest.mark.parametrize("stale_X", [np.array([[0.0, 0.0, 0.0]]), np.array([[5.0, -3.0, 2.0], [1.0, 1.0, 1.0]])])
def test_trace_runs_its_own_forward_pass_not_a_stale_one(stale_X):
    # a stale pass left in the layers (another input, even another batch size) must not leak
    # into the table: every row equals an independent computation from the weights alone
    ex = bp.examples.e5_network()
    stale = ex.net.forward(stale_X)
    ex.net.backward(ex.loss.grad(stale, np.zeros_like(stale)))
    table = bp.trace(ex.net, ex.loss, ex.X, ex.t, optimizer=bp.SGD(lr=0.9))
    zs, os_, deltas, new_W, new_b = independent_step(bp.examples.e5_network().net, ex.X, ex.t, 0.9)
    for li, names in enumerate([["4", "5"], ["6"]]):
        for q, name in enumerate(names):
            assert table.value("z", name) == pytest.approx(zs[li][0, q], abs=1e-14)
            assert table.value("o", name) == pytest.approx(os_[li][0, q], abs=1e-14)
            assert table.value("δ", name) == pytest.approx(deltas[li][0, q], abs=1e-14)
            assert table.value("b new", name) == pytest.approx(new_b[li][q], abs=1e-14)
    assert table.value("L", "half_squared_error") == pytest.approx(0.5 * (1 - os_[1][0, 0]) ** 2, abs=1e-14)
    assert table.value("w new", "4→6") == pytest.approx(new_W[1][0, 0], abs=1e-14)
    assert table.value("w new", "3→5") == pytest.approx(new_W[0][2, 1], abs=1e-14)
    y_text = next(r.formula for r in table.rows if r.section == "loss")
    assert y_text.endswith(f"[[{os_[1][0, 0]:.4f}]]")                    # y of X, not of stale_X


def test_rows_are_typed_and_updates_come_grouped_per_parameter():
    ex, table = e5_trace(bp.SGD(lr=0.9))
    assert all(isinstance(r, TraceRow) for r in table.rows)
    updates = table.parameter_updates()
    # 6 + 2 weights and 2 + 1 biases, in the order of net.parameters()
    assert [(u.parameter, u.name) for u in updates] == (
        [("w", f"{p}→{q}") for p in "123" for q in "45"] + [("b", "4"), ("b", "5"), ("w", "4→6"),
                                                          ("w", "5→6"), ("b", "6")])
    u = updates[-3]
    assert (u.gradient.quantity, u.step.quantity, u.new.quantity) == ("∂L/∂w", "Δw", "w new")
    assert u.gradient.value == ex.net.layers[1].dW[0, 0]
    assert u.plain and u.old == pytest.approx(ex.net.layers[1].W[0, 0], abs=1e-15)
    assert u.new.value == pytest.approx(u.old - 0.9 * u.gradient.value, abs=1e-15)
    assert table.section("update").parameter_updates() == updates
    assert table.section("forward").parameter_updates() == []


def test_an_optimizer_with_its_own_rule_is_marked_not_plain():
    _, table = e5_trace(bp.Adam(lr=0.1))
    updates = table.parameter_updates()
    assert not any(u.plain for u in updates if u.gradient.value != 0)     # x2 = 0: a zero step is plain
    assert updates[0].step.formula.startswith("optimizer's step (plain gradient step would be ")
    assert updates[2].plain and updates[2].step.value == 0.0


def test_trace_rejects_bad_arguments_by_name():
    ex = bp.examples.e5_network()
    with pytest.raises(TypeError, match="optimizer must be an optimiser object.*bp.SGD"):
        bp.trace(ex.net, ex.loss, ex.X, ex.t, optimizer=bp.SGD)
    with pytest.raises(TypeError, match="optimizer must be an optimiser object"):
        bp.trace(ex.net, ex.loss, ex.X, ex.t, optimizer="sgd")
    with pytest.raises(ValueError, match="decimals"):
        bp.trace(ex.net, ex.loss, ex.X, ex.t, decimals=-1)
    with pytest.raises(TypeError, match="net must be a network"):
        bp.trace(ex.net.layers[0], ex.loss, ex.X, ex.t)
    with pytest.raises(TypeError, match="net must be a network"):
        bp.trace(None, ex.loss, ex.X, ex.t)


def test_chinese_table_has_the_same_numbers_and_chinese_words(use_language):
    ex, english = e5_trace(bp.SGD(lr=0.9))
    use_language("zh")
    chinese = bp.trace(bp.examples.e5_network().net, ex.loss, ex.X, ex.t, optimizer=bp.SGD(lr=0.9))
    use_language("en")                              # shown while English is in force
    text = str(chinese)
    assert "-- 前向传播 --" in text and "-- 反向传播 --" in text and "-- 更新 --" in text
    assert "<th>数值</th>" in chinese._repr_html_() and chinese.title == "一步训练"
    assert [r.value for r in chinese.rows] == [r.value for r in english.rows]
    number = re.compile(r"-?\d+\.\d+")
    assert number.findall(text) == number.findall(str(english))
    assert str(chinese) == text                     # made in Chinese, stays Chinese
    assert "-- forward --" in str(english)           # and the English one stays English
