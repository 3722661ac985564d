"""Numbers as the pictures write them: fixed decimals, no "-0.000", superscript exponents.

    fixed(-0.0001, 3) == "0.000"      fixed(-1.5, 2) == "-1.50"      superscript("-1") == "⁻¹"
"""


def fixed(value, decimals):
    """`value` with `decimals` digits after the point; a value that rounds to zero is written
    "0.000", never "-0.000"."""
    text = f"{float(value):.{decimals}f}"
    return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text


def superscript(text):
    """The digits, minus sign and point of `text` as superscripts: "2" -> "²", "-1" -> "⁻¹"."""
    return text.translate(str.maketrans("0123456789-.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻·"))
