"""Tests for the network picture, the Stepper widget and the exercise checker."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Circle, FancyBboxPatch  # noqa: E402

import backprop_core as bp  # noqa: E402
from backprop_core.plotting.network import draw_network  # noqa: E402
from backprop_core.widgets.stepper import Stepper  # noqa: E402


def texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def e5_after_backward():
    e = bp.examples.e5_network()
    y = e.net.forward(e.X)
    e.net.backward(e.loss.grad(y, e.t))
    return e


def unit_patch(fig, name):
    for p in fig.axes[0].patches:
        if p.get_gid() == f"unit {name}":
            return p
    raise AssertionError(f"no unit {name}")


def edge_line(fig, name):
    for line in fig.axes[0].lines:
        if line.get_gid() == f"edge {name}":
            return line
    raise AssertionError(f"no edge {name}")


# ---------------------------------------------------------------- draw_network

@pytest.mark.parametrize("sizes", [[1, 1], [1, 1, 1], [2, 2, 1], [3, 2, 1], [1, 2, 1], [4, 8, 8, 3]])
def test_every_unit_and_edge_is_drawn(sizes):
    layers = [bp.Dense(a, b, "sigmoid", seed=i) for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]))]
    net = bp.Sequential(*layers)
    fig = draw_network(net)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    inputs = [p for p in ax.patches if isinstance(p, FancyBboxPatch) and (p.get_gid() or "").startswith("unit")]
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    assert len(inputs) == sizes[0]
    assert len(circles) == sum(sizes[1:])
    edges = [line for line in ax.lines if (line.get_gid() or "").startswith("edge")]
    assert len(edges) == sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    names = set(texts(fig))
    for level in net.unit_names:
        assert set(level) <= names


def test_weights_are_written_on_the_edges():
    e = bp.examples.e5_network()
    labels = texts(draw_network(e.net, decimals=2))
    for w in e.net.layers[0].W.ravel().tolist() + e.net.layers[1].W.ravel().tolist():
        assert f"{w:.2f}" in labels
    assert "b = -0.40" in labels and "b = 0.10" in labels


def test_forward_shows_z_and_o_of_the_last_forward_pass():
    e = bp.examples.e5_network()
    e.net.forward(e.X)
    labels = texts(draw_network(e.net, show="forward", decimals=3))
    z4, o4 = e.net.layers[0].z[0, 0], e.net.layers[0].a[0, 0]
    assert f"z = {z4:.3f}\no = {o4:.3f}" in labels
    assert "x = 1.000" in labels


def test_backward_shows_deltas_and_gradients():
    e = e5_after_backward()
    labels = texts(draw_network(e.net, show="backward", decimals=4))
    delta6 = e.net.layers[1].delta[0, 0]
    assert f"δ = {delta6:.4f}" in labels
    assert f"{e.net.layers[1].dW[0, 0]:.4f}" in labels          # ∂L/∂w46 on its edge
    assert f"{e.net.layers[1].W[0, 0]:.4f}" not in labels       # not the weight


def test_forward_and_backward_need_the_pass_first():
    net = bp.examples.e5_network().net
    with pytest.raises(ValueError, match="forward pass first"):
        draw_network(net, show="forward")
    with pytest.raises(ValueError, match="backward pass first"):
        draw_network(net, show="backward")


def test_bad_arguments_raise_clear_errors():
    net = bp.examples.e5_network().net
    with pytest.raises(ValueError, match="show must be one of"):
        draw_network(net, show="gradients")
    with pytest.raises(ValueError, match="no unit named"):
        draw_network(net, highlight="7")
    with pytest.raises(ValueError, match="outside"):
        draw_network(net, highlight=(3, 0))
    with pytest.raises(TypeError, match="Sequential"):
        draw_network("not a net")
    with pytest.raises(ValueError, match="edge_values"):
        draw_network(net, edge_values="deltas")


def test_highlight_changes_the_unit_and_its_incoming_edges():
    net = bp.examples.e5_network().net
    plain, marked = draw_network(net), draw_network(net, highlight="5")
    assert unit_patch(marked, "5").get_linewidth() > unit_patch(plain, "5").get_linewidth()
    assert unit_patch(marked, "4").get_linewidth() == unit_patch(plain, "4").get_linewidth()
    assert edge_line(marked, "1→5").get_linewidth() > edge_line(plain, "1→5").get_linewidth()
    assert edge_line(marked, "1→4").get_linewidth() == edge_line(plain, "1→4").get_linewidth()
    # by (level, index) and by edge name
    same = draw_network(net, highlight=(1, 1))
    assert unit_patch(same, "5").get_linewidth() == unit_patch(marked, "5").get_linewidth()
    edge = draw_network(net, highlight="4→6")
    assert edge_line(edge, "4→6").get_linewidth() > edge_line(plain, "4→6").get_linewidth()
    assert unit_patch(edge, "6").get_linewidth() == unit_patch(plain, "6").get_linewidth()


def test_annotate_limits_the_values_written():
    e = bp.examples.e5_network()
    e.net.forward(e.X)
    labels = texts(draw_network(e.net, show="forward", annotate={"4": ["z"]}))
    assert any(t.startswith("z = ") for t in labels)
    assert not any(t.startswith("o = ") or "\no = " in t for t in labels)


def test_draws_into_a_given_axes_without_pyplot():
    import matplotlib.pyplot as plt
    before = plt.get_fignums()
    fig = Figure()
    ax = fig.add_subplot()
    assert draw_network(bp.examples.e3_network().net, ax=ax) is fig
    assert plt.get_fignums() == before


def test_own_figure_is_closed_so_jupyter_shows_it_once():
    import matplotlib.pyplot as plt
    before = plt.get_fignums()
    draw_network(bp.examples.e5_network().net)
    assert plt.get_fignums() == before


def test_projector_mode_makes_bigger_text():
    net = bp.examples.e5_network().net
    normal = draw_network(net)
    bp.plotting.style.presentation(True)
    try:
        big = draw_network(net)
    finally:
        bp.plotting.style.presentation(False)
    size = lambda fig: max(t.get_fontsize() for t in fig.axes[0].texts)  # noqa: E731
    assert size(big) > size(normal)
    assert big.get_size_inches()[0] > normal.get_size_inches()[0]


# ---------------------------------------------------------------- Stepper

@pytest.fixture
def stepper():
    e = bp.examples.e5_network()
    return Stepper(e.net, e.loss, e.X, e.t, optimizer=bp.SGD(lr=e.lr))


def test_stepper_steps_cover_forward_loss_backward_update(stepper):
    sections = [s.section for s in stepper.steps]
    # start, z and o for 3 units, the loss, δ for 3 units, 6 + 2 weights and 3 biases
    assert sections == (["start"] + ["forward"] * 6 + ["loss"] + ["backward"] * 3 + ["update"] * 11)


def test_stepper_walks_all_steps_and_back(stepper):
    n = len(stepper.steps)
    assert stepper.index == 0 and stepper.back_button.disabled and not stepper.next_button.disabled
    renders = stepper.figure.renders
    for k in range(1, n):
        stepper.next()
        assert stepper.index == k
        assert stepper.label.value.endswith(f"step {k + 1} of {n}")
    assert stepper.figure.renders == renders + n - 1
    assert stepper.next_button.disabled and not stepper.back_button.disabled
    stepper.next()                                   # no-op at the end
    assert stepper.index == n - 1
    for k in range(n - 2, -1, -1):
        stepper.back()
        assert stepper.index == k
    stepper.back()                                   # no-op at the start
    assert stepper.index == 0 and stepper.back_button.disabled


def test_stepper_buttons_call_next_and_back(stepper):
    stepper.next_button.click()
    stepper.next_button.click()
    assert stepper.index == 2
    stepper.back_button.click()
    assert stepper.index == 1
    stepper.start_button.click()
    assert stepper.index == 0


def test_stepper_go_checks_its_index(stepper):
    stepper.go(5)
    assert stepper.index == 5
    stepper.go(np.int64(3))
    assert stepper.index == 3
    with pytest.raises(ValueError, match="step index"):
        stepper.go(len(stepper.steps))
    with pytest.raises(ValueError, match="step index"):
        stepper.go(-1)
    with pytest.raises(TypeError, match="integer"):
        stepper.go(1.5)


def test_stepper_formulas_carry_the_trace_numbers(stepper):
    e = bp.examples.e5_network()
    table = bp.trace(e.net, e.loss, e.X, e.t, optimizer=bp.SGD(lr=e.lr))
    z4 = stepper.go(1)
    assert z4.title == "forward: z of unit 4"
    assert stepper.formula_text().endswith(f"= {table.value('z', '4'):.4f}")
    assert "1.0000·0.2000" in stepper.formula.value
    titles = [s.title for s in stepper.steps]
    i = titles.index("backward: δ of unit 5")
    stepper.go(i)
    assert stepper.formula_text().endswith(f"= {table.value('δ', '5'):.4f}")
    assert f"{table.value('δ', '5'):.4f}" in stepper.formula.value
    i = titles.index("update: weight 4→6")
    stepper.go(i)
    text = stepper.formula_text()
    assert f"{table.value('∂L/∂w', '4→6'):.4f}" in text
    assert f"{table.value('w new', '4→6'):.4f}" in text
    assert stepper.steps[i].highlight == "4→6"


def test_stepper_does_not_change_the_callers_network():
    e = bp.examples.e5_network()
    before = e.net.get_flat().copy()
    s = Stepper(e.net, e.loss, e.X, e.t, optimizer=bp.SGD(lr=e.lr))
    s.go(len(s.steps) - 1)
    np.testing.assert_array_equal(e.net.get_flat(), before)
    assert e.net.layers[0].z is None


@pytest.mark.parametrize("example", ["e1_chain", "e2_linear", "e3_network", "e2_nonlinear"])
def test_stepper_works_for_every_worked_example(example):
    e = getattr(bp.examples, example)()
    s = Stepper(e.net, e.loss, e.X, e.t, optimizer=bp.SGD(lr=e.lr))
    for i in range(len(s.steps)):
        s.go(i)
        assert "nan" not in s.formula.value.lower()
    assert s.figure.renders == len(s.steps) + 1          # the first picture is drawn on creation


def test_stepper_is_a_widget_with_picture_formula_and_buttons(stepper):
    import ipywidgets as widgets
    assert isinstance(stepper.widget, widgets.VBox)
    assert stepper.figure.image in stepper.widget.children
    assert stepper.formula is stepper.caption and stepper.formula in stepper.widget.children
    assert stepper.next_button.description and stepper.back_button.description


def test_stepper_steps_are_typed_records(stepper):
    import dataclasses

    from backprop_core.widgets.stepper import NetworkStep
    assert all(isinstance(s, NetworkStep) for s in stepper.steps)
    loss_step = next(s for s in stepper.steps if s.section == "loss")
    assert loss_step.highlight == ["6"] and loss_step.show == "forward"
    assert loss_step.lines[-1] == f"L = {stepper.table.value('L', 'half_squared_error'):.4f}"
    with pytest.raises(dataclasses.FrozenInstanceError):
        loss_step.title = "x"
    assert stepper.formula_html(loss_step) == loss_step.caption.html()


def test_stepper_keeps_the_language_it_was_made_in():
    e = bp.examples.e5_network()
    stepper = Stepper(e.net, e.loss, e.X, e.t, optimizer=bp.SGD(lr=e.lr), lang="zh",
                      prefetch=False)
    assert bp.language() == "en" and stepper.lang == "zh"
    assert stepper.next_button.description == "下一步 ▶"
    stepper.go(len(stepper.steps) - 1)                 # drawn now, while English is in force
    assert "新的 b" in stepper.formula_text() and stepper.label.value.endswith("共 22 步")
    texts = [t.get_text() for t in stepper.figure.fig.findobj(matplotlib.text.Text)]
    assert any("连线" in t for t in texts)                # the legend, in Chinese
    assert repr(stepper).startswith("Stepper：")
    with pytest.raises(ValueError, match="lang must be one of"):
        Stepper(e.net, e.loss, e.X, e.t, lang="fr")


# ---------------------------------------------------------------- check

def test_check_right_within_tolerance(capsys):
    assert bool(bp.exercises.check("δ5", 0.0065, 0.006537)) is True
    out = capsys.readouterr().out
    assert out.startswith("δ5: right (within 0.001)")
    assert "0.006537" not in out and "6537" not in out


def test_check_wrong_sign(capsys):
    assert bool(bp.exercises.check("δ6", 0.1312, -0.131169)) is False
    out = capsys.readouterr().out
    assert "check the sign" in out and "131169" not in out


def test_check_off_by_more_than_tolerance(capsys):
    assert bool(bp.exercises.check("w", 0.35, 0.191234)) is False
    out = capsys.readouterr().out
    assert "off by more than the tolerance 0.001" in out
    assert "191234" not in out and "0.191" not in out


def test_check_close_but_not_close_enough(capsys):
    assert bool(bp.exercises.check("o4", 0.335, 0.331812)) is False
    out = capsys.readouterr().out
    assert "close" in out and "331812" not in out and "0.3318" not in out


def test_check_tolerance_is_used():
    assert bool(bp.exercises.check("o4", 0.33, 0.331812, tol=0.01)) is True
    assert bool(bp.exercises.check("o4", 0.33, 0.331812, tol=1e-4)) is False


def test_check_accepts_numpy_numbers():
    assert bool(bp.exercises.check("z", np.float32(-0.7), np.array([[-0.7]]))) is True
    assert bool(bp.exercises.check("z", 3, 3.0004)) is True


def test_check_without_an_answer_is_a_reminder_not_an_error(capsys):
    assert bool(bp.exercises.check("δ5", ..., 0.0065)) is False
    assert "no answer yet" in capsys.readouterr().out


@pytest.mark.parametrize("answer", ["0.5", [0.1, 0.2], True, {"a": 1}])
def test_check_rejects_non_numbers(answer):
    with pytest.raises(TypeError, match="must be a number"):
        bp.exercises.check("δ5", answer, 0.0065)


def test_check_rejects_a_bad_tolerance_or_expected():
    with pytest.raises(ValueError, match="tol"):
        bp.exercises.check("x", 1.0, 1.0, tol=0)
    with pytest.raises(ValueError, match="finite"):
        bp.exercises.check("x", 1.0, float("nan"))


def test_check_nan_answer_is_not_right(capsys):
    assert bool(bp.exercises.check("x", float("nan"), 1.0)) is False
    assert "not a finite number" in capsys.readouterr().out


def test_stepper_shows_a_png_for_viewers_without_widgets(stepper):
    import base64
    data = stepper._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")
    assert data["text/plain"].startswith("Stepper: step 1 of 22")


def test_importing_the_core_loads_no_pictures():
    import subprocess
    import sys
    code = ("import sys, backprop_core as bp; bp.exercises.check; "
            "print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_legend_shows_each_edge_colour_beside_its_sign_in_readable_text(lang):
    """Issue 13 item 6: the legend said "blue +, red −" in small light grey, but negative edges are
    vermillion. Now a sample line of each edge colour stands beside its sign, in black text of
    the notes' size, in both languages."""
    fig = draw_network(bp.examples.e5_network().net)
    legend = fig.axes[0].get_legend()
    assert legend is not None and legend.get_gid() == "edge legend"
    handles = legend.legend_handles
    colors = [matplotlib.colors.to_hex(h.get_color()) for h in handles]
    assert colors == [bp.plotting.COLORS["blue"].lower(), bp.plotting.COLORS["red"].lower()]
    negative = [line for line in fig.axes[0].lines if (line.get_gid() or "").startswith("edge")
                and matplotlib.colors.to_hex(line.get_color()) == bp.plotting.COLORS["red"].lower()]
    assert negative, "the example has negative weights drawn in the legend's colour"
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels[0].startswith("+") and labels[1].startswith("−")
    for text in legend.get_texts() + [legend.get_title()]:
        assert matplotlib.colors.to_hex(text.get_color()) == "#000000"
        assert text.get_fontsize() >= 8
    words = " ".join(labels + [legend.get_title().get_text()])
    assert "red" not in words and "红" not in words        # no colour word that could be wrong


def test_frozen_parameters_are_named_under_their_layer():
    net = bp.Sequential(bp.Dense(2, 2, "sigmoid", seed=0, freeze=("b",)), bp.Dense(2, 1, seed=1))
    assert any("frozen: b" in t for t in texts(draw_network(net)))
