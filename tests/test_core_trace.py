"""bp.trace: one training step as a table. Its numbers are the layers' own attributes and the
optimiser's own update; its text has fixed decimals; it changes nothing unless apply=True."""
import copy
import re

import numpy as np
import pytest

import backprop_core as bp


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
    (W1, b1, W2, b2), (W1_0, b1_0, W2_0, b2_0) = net.parameters(), before
    assert table.value("w new", "4→6") == pytest.approx(W2[0, 0], rel=1e-15)
    assert table.value("Δw", "4→6") == pytest.approx(W2[0, 0] - W2_0[0, 0], rel=1e-12)
    assert table.value("w new", "3→5") == pytest.approx(W1[2, 1], rel=1e-15)
    assert table.value("b new", "6") == pytest.approx(b2[0], rel=1e-15)
    assert table.value("Δb", "4") == pytest.approx(b1[0] - b1_0[0], rel=1e-12)


def test_sgd_update_is_minus_lr_times_gradient():
    _, table = e5_trace(bp.SGD(lr=0.9))
    g = table.value("∂L/∂w", "5→6")
    assert table.value("Δw", "5→6") == pytest.approx(-0.9 * g, rel=1e-14)
    row = next(r for r in table.rows if r["quantity"] == "Δw" and r["name"] == "5→6")
    assert row["formula"].startswith("-lr·∂L/∂w = -0.9000·")


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
    assert {r["section"] for r in fwd.rows} == {"forward"}
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
