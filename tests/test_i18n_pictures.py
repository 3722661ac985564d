"""Chinese in every picture: the bundled font renders it (no missing glyph), the package's
style is applied per figure (global rcParams untouched), and in Chinese mode every picture,
the Stepper, the trace table and the exercise checker speak 简体中文."""
import io
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import backprop_core as bp  # noqa: E402
from backprop_core.plotting import style  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")


def png(fig):
    """Render fig to PNG with every warning an error (a missing glyph fails the test)."""
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(buf, format="png")
    return buf.getvalue()


def test_bundled_font_has_every_gb2312_hanzi():
    from matplotlib.ft2font import FT2Font
    chars = set(FT2Font(str(style.FONT_FILE)).get_charmap())
    hanzi = []
    for row in range(0xB0, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                hanzi.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    assert len(hanzi) == 6763
    assert all(ord(c) in chars for c in hanzi)
    assert all(ord(c) in chars for c in "，。：；（）、“”《》—…·αβγδηλμσ∂∑√≈≤≥±×÷→←¹²³")
    assert style.FONT_FILE.stat().st_size < 4e6
    assert (style.FONT_FILE.parent / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE Version 1.1") == 1


def test_chinese_text_renders_without_missing_glyphs():
    fig, ax = style.new_figure((4, 2))
    with style.context():
        ax.set_title("反向传播 η δ ∂L/∂w ≈ −0.5 ²")
        ax.set_xlabel("学习率，（步数）")
        ax.text(0.5, 0.5, "链式法则：δ = f′(z)·Σ w·δ，0.25ⁿ，a₁，‖∂L/∂W‖，µs")
    assert png(fig).startswith(b"\x89PNG")


def test_plain_matplotlib_without_the_fallback_font_warns():
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
