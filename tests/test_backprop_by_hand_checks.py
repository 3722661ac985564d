"""01b's checkers and pictures (issue 20 items 3, 4, 8): the numpy backward pass is tried on
random networks (E3's numbers alone do not pass), the δ checker names the sign it checked,
and the tree before the forward pass shows no local derivative that needs forward values."""
import numpy as np

import backprop_core as bp
from backprop_core import graph_exercises as gx
from backprop_core.widgets.graph_stepper import GraphStepper

E3 = (np.array([[1.0, 2.0, 3.0]]), np.array([[0.5, 0.6], [0.4, 0.3], [0.3, 0.2]]),
      np.array([[0.7], [0.8]]), np.array([[3.2]]))


def right(x, W1, W2, t):
    h = x @ W1
    dy = 2 * (h @ W2 - t)
    return x.T @ (dy @ W2.T), h.T @ dy


def test_linear_backward_right_and_wrong(capsys, english):
    assert gx.check_linear_backward(right)
    assert "6 random networks" in capsys.readouterr().out
    assert not gx.check_linear_backward(...)
    assert not gx.check_linear_backward(lambda x, W1, W2, t: (..., ...))
    assert "not answered yet" in capsys.readouterr().out
    assert not gx.check_linear_backward(lambda x, W1, W2, t: (-right(x, W1, W2, t)[0],
                                                             right(x, W1, W2, t)[1]))
    assert "sign" in capsys.readouterr().out
    assert not gx.check_linear_backward(lambda x, W1, W2, t: right(x, W1, W2, t)[0])
    assert not gx.check_linear_backward(lambda x, W1, W2, t: 1 / 0)


def test_linear_backward_refuses_e3_copied(capsys, english):
    """Code that returns E3's gradients whatever it is given passes E3, not the rest."""
    assert not gx.check_linear_backward(lambda x, W1, W2, t: right(*E3))
    out = capsys.readouterr().out
    assert "random network" in out
    for number in ("-0.44", "-1.32", "-0.968"):           # no expected value is printed
        assert number not in out


def test_random_cases_are_not_e3():
    cases = gx.linear_cases()
    assert len(cases) == gx.N_NETWORKS + 1
    for _, W1, _, _ in cases[1:]:
        assert not (W1.shape == (3, 2) and np.allclose(W1, E3[1]))


def test_e5_delta_message_names_the_sign(capsys, use_language):
    ex = bp.examples.e5_network()
    net = ex.net.copy()
    net.backward(ex.loss.grad(net.forward(ex.X), ex.t))
    d4, d5 = -net.layers[0].delta[0]
    d6 = -net.layers[1].delta[0, 0]
    for lang, word in (("en", "−∂L/∂z"), ("zh", "取负")):
        use_language(lang)
        assert gx.check_e5_deltas(d4, d5, d6)
        assert capsys.readouterr().out.count(word) == 3
    use_language("en")
    assert not gx.check_e5_deltas(-d4, d5, d6)
    assert "check the sign" in capsys.readouterr().out


def _edge_labels(fig):
    """The texts of the figure drawn on edges: local derivatives (small blue numbers)."""
    return [t.get_text() for t in fig.axes[0].texts if t.get_fontsize() < 8.5 * 0.99
            and not t.get_text().startswith(("grad", "梯度"))]


def test_tree_before_forward_pass_hides_locals_that_need_values():
    loss, _, _ = bp.graph.e1_chain()
    stepper = GraphStepper(loss)
    before = bp.graph.steps(loss)[0]
    assert before.section == "start"
    fig = bp.plotting.draw_graph(loss, known=before.known, grads=before.grads)
    labels = _edge_labels(fig)
    # v·h needs h = 10, (y − 90)² needs y − 90 = −30: neither is known before the forward pass
    assert "10.000" not in labels and "-60.000" not in labels
    assert labels.count("?") == 3                         # v·h (two edges) and ( )²
    assert "2.000" in labels and "5.000" in labels       # w·x: both inputs are leaves
    done = bp.plotting.draw_graph(loss)                   # everything known: every local
    assert "?" not in _edge_labels(done) and "10.000" in _edge_labels(done)
    assert stepper.steps[0].section == "start"


def test_dropout_picture_shows_what_passes(english):
    """Under each unit of a dropout level: m and o·m; a dropped unit passes 0 (issue 20 item 5)."""
    small = bp.Sequential(bp.Dense(2, 4, "tanh", seed=0), bp.Dropout(0.5, seed=1),
                          bp.Dense(4, 1, "identity", seed=2)).train()
    small.forward(np.array([[0.5, -1.0]]))
    mask = small.dropouts[1].mask[0]
    assert (mask == 0).any() and (mask > 0).any()
    texts = [t.get_text() for t in bp.plotting.draw_network(small, show="forward").axes[0].texts]
    notes = [t for t in texts if "o·m" in t]
    assert len(notes) == 4
    o = small.layers[0].a[0]
    for p, note in enumerate(notes):
        assert f"o·m = {o[p] * mask[p] + 0.0:.2f}" in note
        if mask[p] == 0:
            assert "o·m = 0.00" in note and f"o = {o[p]:.2f}" in note
