"""draw_graph, plot_cake and the GraphStepper render in both languages, warnings as errors."""
import base64
import re

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

import backprop_core as bp  # noqa: E402
from backprop_core.plotting.graph import graph_layout  # noqa: E402
from backprop_core.widgets.graph_stepper import GraphStepper  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")


def texts(fig):
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text)]


def test_draw_graph_e1_shows_the_500(lang, png, strict):
    y, params, _ = bp.graph.e1_chain(with_loss=False)
    y.backward()
    fig = bp.plotting.draw_graph(y, highlight="w")
    assert png(fig).startswith(b"\x89PNG")
    title = fig._suptitle.get_text()
    assert "2.000 × 1.000 × 250.000 × 1.000 = 500.000" in title
    words = " ".join(texts(fig))
    assert ("梯度" in words) == (lang == "zh")
    assert "500.000" in words and "60.000" in words


@pytest.mark.parametrize("build", [bp.graph.e3_network, bp.graph.e5_network,
                                   bp.graph.e0_network, bp.graph.e2_linear])
def test_draw_graph_every_example(build, lang, png, strict):
    G = build()
    G.out.backward()
    leaf = next(iter(G.params.values()))
    fig = bp.plotting.draw_graph(G.out, highlight=leaf)
    assert png(fig).startswith(b"\x89PNG")
    fig = bp.plotting.draw_graph(G.out, show_grads=False)
    assert png(fig).startswith(b"\x89PNG")


def test_a_leaf_on_two_paths_sums_them(lang):
    G = bp.graph.e3_network()
    G.out.backward()
    fig = bp.plotting.draw_graph(G.out, highlight="a1")
    title = fig._suptitle.get_text()
    assert "2" in title and title.count("×") >= 10
    a1 = [v for v in bp.graph.leaves(G.out) if v.label == "a1"][0]
    assert title.endswith(f"{a1.grad:.3f}")


def test_layout_leaves_left_output_right():
    G = bp.graph.e3_network()
    pos = graph_layout(G.out)
    columns = {n: c for n, (c, _) in pos.items()}
    assert columns[G.out] == max(columns.values())
    for node, c in columns.items():
        for parent in node.parents:
            assert columns[parent] < c
    rows = {}
    for c, r in pos.values():
        rows.setdefault(c, []).append(r)
    for rs in rows.values():                   # no two nodes on one spot
        rs = sorted(rs)
        assert all(b - a >= 1.0 - 1e-9 for a, b in zip(rs, rs[1:]))


def test_highlight_errors():
    y, _, _ = bp.graph.e1_chain(with_loss=False)
    with pytest.raises(ValueError, match="no node labelled"):
        bp.plotting.draw_graph(y, highlight="nope")
    with pytest.raises(TypeError, match="highlight"):
        bp.plotting.draw_graph(y, highlight=3)


def test_plot_cake(lang, png):
    G = bp.graph.e3_network()
    G.out.backward()
    levels = [("y", bp.graph.credit([G.nodes["a1''"]])),
              ("h", bp.graph.credit([G.nodes["a1'"], G.nodes["a2'"]]))]
    fig = bp.plotting.plot_cake(levels)
    assert png(fig).startswith(b"\x89PNG")
    assert bool(CJK.search(fig.axes[0].get_title())) == (lang == "zh")


def test_graph_stepper_walks_every_step(lang, strict):
    x = bp.graph.Value(3.0, "x")
    y = x * x + x
    y.label = "y"
    stepper = GraphStepper(y)
    n = len(stepper.steps)
    for _ in range(n + 1):
        stepper.next()
    assert stepper.index == n - 1 and stepper.next_button.disabled
    text = stepper.caption_text()
    assert "3.000 × 1.000 = 3.000" in text and "4.000 + 3.000 = 7.000" in text
    assert bool(CJK.search(text)) == (lang == "zh")
    assert bool(CJK.search(stepper.next_button.description)) == (lang == "zh")
    stepper.back()
    assert stepper.index == n - 2
    stepper.go(0)
    assert stepper.back_button.disabled
    with pytest.raises(ValueError):
        stepper.go(n)
    with pytest.raises(TypeError):
        stepper.go("1")


def test_graph_stepper_carries_a_png_fallback():
    loss, _, _ = bp.graph.e1_chain()
    stepper = GraphStepper(loss)
    stepper.go(3)
    data = stepper._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")
    assert stepper.figure.image.value == stepper.picture(3)
    forward = [s for s in stepper.steps if s.section == "forward"]
    assert len(forward) == 6                    # ×, +, ×, +, −, ( )²


def test_graph_stepper_keeps_the_language_it_was_made_in():
    x = bp.graph.Value(3.0, "x")
    stepper = GraphStepper(x * x + x, lang="zh")
    assert bp.language() == "en" and stepper.lang == "zh"
    stepper.go(len(stepper.steps) - 1)                 # drawn now, while English is in force
    assert CJK.search(stepper.caption_text()) and CJK.search(stepper.caption.value)
    assert any(CJK.search(t) for t in texts(stepper.figure.fig))
    assert stepper.label.value.endswith(f"第 {len(stepper.steps)} 步，共 {len(stepper.steps)} 步")
    assert repr(stepper).startswith("计算图逐步演示器")
    assert stepper._repr_mimebundle_()["text/plain"] == repr(stepper)
    with pytest.raises(ValueError, match="lang must be one of"):
        GraphStepper(x * x, lang="de")


def test_both_steppers_share_their_navigation(lang):
    from backprop_core.widgets import graph_stepper, stepper, stepping
    e = bp.examples.e5_network()
    network = bp.widgets.Stepper(e.net, e.loss, e.X, e.t, prefetch=False)
    x = bp.graph.Value(3.0, "x")
    graph = GraphStepper(x * x + x)

    def navigation(s):
        return [(b.description, b.tooltip, b.layout.width, b.button_style)
                for b in (s.back_button, s.next_button, s.start_button)]
    assert navigation(network) == navigation(graph)
    for s in (network, graph):
        assert s.position(3) == stepping.NAVIGATION("position", lang, i=4, n=len(s.steps))
    for key in stepping.NAVIGATION.texts["en"]:               # said once, in stepping.NAVIGATION
        assert key not in stepper.TEXT and key not in graph_stepper.TEXT


def test_highlight_one_path(png):
    G = bp.graph.e3_network()
    G.out.backward()
    a1 = [v for v in bp.graph.leaves(G.out) if v.label == "a1"][0]
    first, second = bp.graph.paths(a1, G.out)
    fig = bp.plotting.draw_graph(G.out, highlight=second)
    value = bp.graph.path_product(second)
    assert fig._suptitle.get_text().endswith(f"= {value:.3f}")
    assert png(fig).startswith(b"\x89PNG")


def test_graph_stepper_draws_the_next_step_ahead():
    """Next shows a picture drawn while the reader looked at the last one (prefetch): the
    new PNG is sent first, then the step after it is drawn; and it is the picture that a
    stepper drawing on demand makes for that step."""
    loss = bp.graph.e1_chain().out
    stepper = GraphStepper(loss)
    log = []
    draw, show = stepper.draw_step, stepper.figure.show
    stepper.draw_step = lambda i: (log.append(("draw", i)), draw(i))[1]
    stepper.figure.show = lambda png: (log.append(("show", png)), show(png))[1]
    stepper.next()
    assert [entry[0] for entry in log] == ["show", "draw"] and log[1][1] == 2
    on_demand = GraphStepper(bp.graph.e1_chain().out)
    on_demand.prefetch = False
    for i in (1, 2):
        assert on_demand.draw_step(i) == stepper.picture(i)


def test_in_a_kernel_the_step_ahead_is_drawn_after_the_callback():
    """In a kernel (an event loop runs) Next returns as soon as its picture is sent, so the
    front end gets it and a Back pressed at once is not held up; the step after it is drawn
    in the next turn of the loop."""
    import asyncio

    async def press_next():
        stepper = GraphStepper(bp.graph.e1_chain().out)
        await asyncio.sleep(0.05)                       # step 2 (index 1) drawn ahead meanwhile
        drawn = []
        draw = stepper.draw_step
        stepper.draw_step = lambda i: (drawn.append(i), draw(i))[1]
        stepper.next()
        after_next = list(drawn)
        await asyncio.sleep(0.05)
        return after_next, drawn

    after_next, drawn = asyncio.run(press_next())
    assert after_next == [] and drawn == [2]
