"""Chinese in every picture: the bundled font renders it (no missing glyph), the package's
style is applied per figure (global rcParams untouched), and in Chinese mode every picture,
the Stepper, the trace table and the exercise checker speak 简体中文."""
import contextlib
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import backprop_core as bp  # noqa: E402
from backprop_core.plotting import style  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_bundled_font_has_every_gb2312_hanzi():
    from matplotlib.ft2font import FT2Font
    chars = set(FT2Font(str(style.FONT_FILE)).get_charmap())
    hanzi = []
    for row in range(0xB0, 0xF8):
        for cell in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                hanzi.append(bytes([row, cell]).decode("gb2312"))
    assert len(hanzi) == 6763
    assert all(ord(c) in chars for c in hanzi)
    assert all(ord(c) in chars for c in "，。：；（）、“”《》—…·αβγδηλμσ∂∑√≈≤≥±×÷→←¹²³")
    assert style.FONT_FILE.stat().st_size < 4e6
    assert (style.FONT_FILE.parent / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE Version 1.1") == 1


def test_chinese_text_renders_without_missing_glyphs(caplog, png):
    fig, ax = style.new_figure((4, 2))
    with style.context():
        ax.set_title("反向传播 η δ ∂L/∂w ≈ −0.5 ²")
        ax.set_xlabel("学习率，（步数）")
        ax.text(0.5, 0.5, "链式法则：δ = f′(z)·Σ w·δ，0.25ⁿ，a₁，‖∂L/∂W‖，µs")
        ax.text(0.5, 0.2, "加粗：输出单元 y1", fontweight="bold")
    with caplog.at_level("WARNING", logger="matplotlib.font_manager"):
        assert png(fig).startswith(b"\x89PNG")
    assert not caplog.records            # e.g. "findfont: Failed to find font weight bold" in a notebook


def test_both_weights_of_the_chinese_font_are_registered():
    from matplotlib import font_manager
    entries = [f for f in font_manager.fontManager.ttflist if f.name == style.CJK_FAMILY]
    assert sorted(f.weight for f in entries) == [400, 700]


def test_plain_matplotlib_without_the_fallback_font_warns(png):
    # the check above is meaningful: DejaVu Sans alone has no 汉字
    from matplotlib.figure import Figure
    fig = Figure()
    fig.add_subplot().set_title("反向传播")
    with mpl.rc_context({"font.family": ["DejaVu Sans"]}), pytest.raises(UserWarning, match="missing from font"):
        png(fig)


def test_pictures_leave_global_rcparams_alone():
    before = {k: mpl.rcParams[k] for k in ("font.size", "font.family", "lines.linewidth", "axes.prop_cycle")}
    style.presentation(True)
    try:
        bp.plotting.draw_network(bp.examples.e5_network().net)
        bp.plotting.plot_loss(None, [(np.linspace(1, 0.1, 5), "run")])
    finally:
        style.presentation(False)
    assert {k: mpl.rcParams[k] for k in before} == before


def test_context_applies_the_style_and_restores():
    size = mpl.rcParams["font.size"]
    with style.context():
        assert mpl.rcParams["font.family"] == list(style.FONT_FAMILIES)
        assert mpl.rcParams["font.size"] == 10
    assert mpl.rcParams["font.size"] == size


# ---------------------------------------------------------------- every picture in Chinese

def all_text(fig):
    from matplotlib.text import Text
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def e5_after_backward():
    e = bp.examples.e5_network()
    e.net.backward(e.loss.grad(e.net.forward(e.X), e.t))
    return e


def every_picture():
    """(name, Figure) for every figure-producing function of bp.plotting."""
    from backprop_core.plotting import functions as F
    from backprop_core.plotting import speed
    e = e5_after_backward()
    P1, P2 = np.meshgrid(np.linspace(-2, 2, 21), np.linspace(-1, 3, 21))
    L = (P1 - 0.5) ** 2 + (P2 - 1) ** 2
    away = np.array([[0.0, 0.0], [1.0, 1.0], [5.0, 5.0]])
    loss = np.array([1.0, 0.5, 0.3, 0.2])
    X = np.linspace(-1, 1, 8).reshape(-1, 1)
    net = bp.Sequential(bp.Dense(1, 3, "tanh", seed=0), bp.Dense(3, 1, "identity", seed=1))
    yield "draw_network weights", bp.plotting.draw_network(e.net, title="网络")
    yield "draw_network forward", bp.plotting.draw_network(e.net, show="forward")
    yield "draw_network backward", bp.plotting.draw_network(e.net, show="backward", highlight="5")
    yield "plot_loss", bp.plotting.plot_loss(None, [(loss, "梯度下降"), (np.r_[loss, np.inf], "η = 2", 4)],
                                             epochs=[([0, 2], [1.0, 0.3]), ((), ())], log=True)
    yield "plot_contour", bp.plotting.plot_contour(None, P1, P2, L, paths=[(away, "梯度下降")], minimum=(0.5, 1),
                                                   names=("权重 w", "偏置 b"), title="损失曲面")
    yield "plot_activations", F.plot_activations()
    yield "plot_power", F.plot_power(0.25, 10, threshold=1e-3)
    yield "plot_losses", F.plot_losses(t=1.0)
    yield "plot_gradient_profiles", F.plot_gradient_profiles({"sigmoid": [1e-4, 1e-2, 1.0], "relu": [1, 1, 1]},
                                                             title="深度 3", highlight="sigmoid")
    yield "plot_width_sweep", F.plot_width_sweep([1, 4, 16], [0.3, 0.1, 0.01], [0.3, 0.2, 0.4])
    yield "plot_fits", F.plot_fits(X[:5], X[:5] ** 2, X[5:], X[5:] ** 2, [net], X)
    yield "plot_epoch_time", speed.plot_epoch_time([1, 2, 4], [1.0, 0.6, 0.5], n_samples=100)
    yield "plot_flop_rate", speed.plot_flop_rate([32, 64], [1.0, 2.0], peak=3.0, label="float64")
    G = bp.graph.e3_network()
    G.out.backward()
    yield "draw_graph", bp.plotting.draw_graph(G.out, highlight="a1")
    yield "plot_cake", bp.plotting.plot_cake([("y", bp.graph.credit([G.nodes["a1''"]]))])


# drawing functions that draw into a given Axes, shown through the pictures above
DRAWN_BY_OTHERS = {"draw_activation": "plot_activations", "draw_regression_losses": "plot_losses",
                   "draw_classification_losses": "plot_losses", "draw_surface": "plot_contour"}


def test_every_picture_renders_in_chinese(chinese, png):
    names = []
    for name, fig in every_picture():
        png(fig)
        texts = all_text(fig)
        assert any(CJK.search(t) for t in texts), (name, texts)
        assert not any(re.search(r"\b(loss|step|weights|inputs|training|layer|prediction|batch|hidden)\b", t)
                       for t in texts), (name, texts)
        names.append(name.split()[0])
    # every public plot_* / draw_* function of bp.plotting is among them
    import inspect

    from backprop_core.plotting import curves, functions, graph, landscape, network, speed
    public = {name for module in (curves, functions, landscape, network, speed, graph)
              for name, f in vars(module).items()
              if inspect.isfunction(f) and f.__module__ == module.__name__ and name.startswith(("plot_", "draw_"))}
    assert public - set(DRAWN_BY_OTHERS) == set(names)


def test_chinese_axis_titles_and_labels(chinese):
    from backprop_core.plotting import functions as F
    fig = F.plot_losses()
    assert [ax.get_title() for ax in fig.axes] == ["回归，目标值 t = 1", "分类"]
    assert fig.axes[0].get_xlabel() == "预测值 y"
    fig = bp.plotting.plot_loss(None, [(np.ones(3), "a", 2)])
    assert fig.axes[0].get_title() == "每一步的损失" and fig.axes[0].get_xlabel() == "步数"
    assert fig.axes[0].get_legend().get_texts()[0].get_text() == "a：在第 2 步发散"


def test_language_is_looked_up_when_the_picture_is_made(use_language):
    from backprop_core.plotting import functions as F
    use_language("en")
    assert F.plot_power().axes[0].get_xlabel() == "number of layers n"
    use_language("zh")
    assert F.plot_power().axes[0].get_xlabel() == "层数 n"
    use_language("en")
    assert F.plot_power().axes[0].get_xlabel() == "number of layers n"


def test_chinese_into_your_own_pyplot_axes(chinese, png):
    # axes made outside the package's style (plain plt.subplots): titles and labels still render
    import matplotlib.pyplot as plt

    from backprop_core.plotting import functions as F
    fig, (ax1, ax2) = plt.subplots(1, 2)
    plt.close(fig)
    P1, P2 = np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-1, 1, 5))
    bp.plotting.plot_contour(ax1, P1, P2, P1 ** 2 + P2 ** 2, names=("权重", "偏置"), title="两条路径")
    bp.plotting.plot_loss(ax2, [(np.ones(3), "梯度下降")], title="每个 epoch 之后的损失")
    F.draw_classification_losses(ax2)
    png(fig)


def test_projector_mode_in_chinese(chinese, png):
    style.presentation(True)
    try:
        fig = bp.plotting.draw_network(bp.examples.e5_network().net)
    finally:
        style.presentation(False)
    png(fig)
    assert "输入" in all_text(fig)


def test_stepper_in_chinese_walks_every_step_without_missing_glyphs(chinese, strict, use_language):
    from backprop_core.widgets.stepper import Stepper
    e = bp.examples.e5_network()
    stepper = Stepper(e.net, e.loss, e.X, e.t, optimizer=bp.SGD(lr=e.lr), prefetch=False)
    for _ in range(1, len(stepper.steps)):
        stepper.next()
    assert stepper.next_button.description == "下一步 ▶" and stepper.back_button.description == "◀ 上一步"
    assert stepper.label.value.endswith("第 22 步，共 22 步")
    assert stepper.steps[1].title == "前向传播：单元 4 的 z"
    assert all(CJK.search(s.title) and CJK.search(s.explain) for s in stepper.steps)
    assert "更新：权重 4→6" in stepper.formula_html(stepper.steps[-3])
    assert repr(stepper).startswith("Stepper：一步训练中的第 22 步")
    assert "新的 w = " in stepper.formula_text(len(stepper.steps) - 3)
    # the same numbers as in English
    use_language("en")
    english = Stepper(e.net, e.loss, e.X, e.t, optimizer=bp.SGD(lr=e.lr), prefetch=False)
    assert [s.value for s in english.steps] == [s.value for s in stepper.steps]
    number = re.compile(r"-?\d+\.\d+")
    for a, b in zip(english.steps, stepper.steps):
        assert number.findall(" ".join(a.lines)) == number.findall(" ".join(b.lines))


def test_stepper_with_adam_in_chinese(chinese):
    from backprop_core.widgets.stepper import Stepper
    e = bp.examples.e5_network()
    stepper = Stepper(e.net, e.loss, e.X, e.t, optimizer=bp.Adam(lr=0.1), prefetch=False)
    text = stepper.formula_text(len(stepper.steps) - 1)
    assert "优化器给出的步长" in text and "optimizer" not in text


@pytest.mark.parametrize("answer, expected, words", [
    (0.0065, 0.006537, "δ5：正确（误差在 0.001 以内）"),
    (-0.0065, 0.006537, "还不对——检查一下正负号"),
    (0.335, 0.331812, "很接近"),
    (0.35, 0.191234, "误差超过了容许值 0.001"),
    (float("nan"), 1.0, "不是一个有限的数"),
    (..., 1.0, "还没有答案"),
])
def test_check_feedback_in_chinese(chinese, capsys, answer, expected, words):
    bp.exercises.check("δ5", answer, expected)
    out = capsys.readouterr().out
    assert words in out and CJK.search(out)
    assert f"{expected}" not in out


def test_trace_table_in_chinese_html(chinese):
    e = bp.examples.e5_network()
    table = bp.trace(e.net, e.loss, e.X, e.t)
    html = table._repr_html_()
    assert "<caption>一步训练</caption>" in html and "<th>公式</th>" in html
    assert "新的 w[4→6]" in str(table)
    assert table.section("update").title == "一步训练：更新"


def test_stepper_stays_in_the_language_it_was_made_in(use_language):
    from backprop_core.widgets.stepper import Stepper
    e = bp.examples.e5_network()
    use_language("zh")
    stepper = Stepper(e.net, e.loss, e.X, e.t, prefetch=False)
    use_language("en")
    stepper.next()                                   # drawn after the switch back to English
    assert "输入" in [t.get_text() for t in stepper.ax.texts]
    assert stepper.label.value.endswith("第 2 步，共 22 步")
    assert bp.language() == "en"


def test_nested_style_contexts_share_one_rc_context():
    from unittest import mock
    with mock.patch.object(mpl, "rc_context", wraps=mpl.rc_context) as rc:
        with style.context():
            bp.plotting.draw_network(bp.examples.e5_network().net)
            bp.plotting.plot_loss(None, [(np.ones(3), "a")])
        assert rc.call_count == 1
        with style.context():
            style.presentation(True)
            try:
                with style.context():                # another style: its own rc_context
                    assert mpl.rcParams["font.size"] == 16
            finally:
                style.presentation(False)
        assert rc.call_count == 3


def test_identity_is_named_in_the_edition_language(use_language):
    """The Chinese lessons call the identity activation 恒等 (恒等函数): the network picture's
    level caption and the activation menus say so; the English ones keep 'identity'."""
    net = bp.Sequential(bp.Dense(2, 3, "tanh"), bp.Dense(3, 1, "identity"))
    for lang, word, other in (("zh", "恒等", "identity"), ("en", "identity", "恒等")):
        use_language(lang)
        fig = bp.plotting.draw_network(net).figure
        texts = [t.get_text() for t in fig.findobj(mpl.text.Text)]
        assert word in texts and not any(other in t for t in texts), (lang, texts)
        for explorer in (bp.widgets.ActivationExplorer(activation="identity", lang=lang),):
            labels = [label for label, _ in explorer.activation.options]
            assert word in labels and other not in labels, (lang, labels)
        matplotlib.pyplot.close("all")
