"""Chinese trace tables (issue 20 items 11, 12): no English loss class or identity(z) in them,
and their columns line up in a fixed-width font, where a 汉字 takes two columns."""
import re

import numpy as np

import backprop_core as bp
from backprop_core.trace import display_width, pad


def _net():
    return bp.Sequential(bp.Dense(2, 2, "tanh", seed=0), bp.Dense(2, 1, "identity", seed=1))


def _table(use_language, lang, loss="mse"):
    use_language(lang)
    return str(bp.trace(_net(), loss, np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0], [0.0]])))


def _value_end(line):
    """The display column where the value (4 decimals, then three spaces) ends."""
    m = re.match(r"^(.*?)\s+(-?\d+\.\d{4})   ", line)
    assert m, line
    return display_width(line[:m.end(2)])


def test_display_width_and_pad():
    assert display_width("w[4→6]") == 6
    assert display_width("新的 w") == 6
    assert display_width("（样本 0）") == 10
    assert pad("新的", 6) == "新的  " and pad("1.5", 5, ">") == "  1.5"


def test_chinese_table_has_no_english_words(use_language):
    zh = _table(use_language, "zh")
    for word in ("identity", "MSE", "HalfSquaredError", "sample", "forward", "mse"):
        assert word not in zh, word
    assert "o = z = " in zh and "均方误差" in zh
    e5 = bp.examples.e5_network()
    text = str(bp.trace(e5.net, e5.loss, e5.X, e5.t))
    assert "HalfSquaredError" not in text and "half_squared_error" not in text
    assert "半平方误差" in text


def test_english_table_unchanged_words(use_language):
    en = _table(use_language, "en")
    assert "o = identity(z) = identity(" in en and "MSE of y" in en and "L[mse]" in en


def test_chinese_columns_line_up(use_language):
    for lang in ("en", "zh"):
        lines = [line for line in _table(use_language, lang).splitlines() if not line.startswith("--")]
        # the value column ends at the same display column on every line
        ends = {_value_end(line) for line in lines}
        assert len(ends) == 1, (lang, ends)
    e5 = bp.examples.e5_network()
    text = str(bp.trace(e5.net, e5.loss, e5.X, e5.t))     # zh: 新的 w[...] rows among w[...] rows
    ends = {_value_end(line) for line in text.splitlines() if not line.startswith("--")}
    assert len(ends) == 1, ends
