"""Controls whose values land where they are set.

`ValueSlider` is a slider over a list of round numbers (a log-like scale: 0.007, 0.07, 0.6,
0.62, 0.7 ...), the front end sends the position, so no value is re-snapped or rounded on
its way (a FloatLogSlider re-snaps 0.7 to 0.708); a value set from code that is not on the
list is added to it. `round_values` makes such lists; `labelled` a control's description;
`one_press_away` the values a key press on a slider leads to (what a widget draws ahead),
`pressed_again` the value the same key press once more leads to and `arrows_from` the values
one arrow press either way (what it trains ahead).
"""
import ipywidgets as widgets
from traitlets import validate

MANTISSAS = (1, 1.2, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 9)
PRESS_STEPS = (-1, 1, -5, 5)    # one key press on a slider: an arrow (a step) or a page (five)


def one_press_away(value, step, low, high):
    """The values one key press from `value` on a slider of `step` within [low, high], in
    PRESS_STEPS' order (rounded to 10 decimals: 1.0 + 0.1 is the 1.1 the front end sends)."""
    moved = [round(value + k * step, 10) for k in PRESS_STEPS]
    return [v for v in moved if low <= v <= high]


def pressed_again(control, old, new):
    """The value of a slider after the key press that took it from `old` to `new` is pressed
    once more (the same stride in positions: an arrow or a page), or None at its end.
    control: an IntSlider, a FloatSlider or a SelectionSlider (a ValueSlider)."""
    if isinstance(control, widgets.SelectionSlider):
        values = [v for _, v in control.options]
        if old not in values or new not in values:
            return None
        i = 2 * values.index(new) - values.index(old)
        return values[i] if 0 <= i < len(values) and i != values.index(new) else None
    value = round(2 * new - old, 10)        # 1.0 + 0.1 as the front end sends it: 1.1
    return value if control.min <= value <= control.max and value != new else None


def arrows_from(control, value):
    """The values one arrow press either way from `value` on `control` (an IntSlider, a
    FloatSlider or a SelectionSlider), within its range: down first."""
    if isinstance(control, widgets.SelectionSlider):
        values = [v for _, v in control.options]
        if value not in values:
            return []
        i = values.index(value)
        return [values[j] for j in (i - 1, i + 1) if 0 <= j < len(values)]
    moved = (round(value - control.step, 10), round(value + control.step, 10))
    return [v for v in moved if control.min <= v <= control.max]


def labelled(description, width="initial"):
    """A control's description and its width, as keyword arguments:
    widgets.IntSlider(..., **labelled(TEXT("steps")))."""
    return {"description": description, "style": {"description_width": width}}


def round_values(lo_exp, hi_exp, mantissas=MANTISSAS, extra=()):
    """Round numbers from 10**lo_exp to 10**hi_exp, sorted: every mantissa times every power
    of ten, as written (float("7e-2") is exactly the float 0.07), plus `extra`."""
    values = {float(f"{m}e{e}") for e in range(lo_exp, hi_exp) for m in mantissas}
    values |= {float(f"1e{hi_exp}")} | {float(v) for v in extra}
    low, high = float(f"1e{lo_exp}"), float(f"1e{hi_exp}")
    return sorted(v for v in values if low <= v <= high)


class ValueSlider(widgets.SelectionSlider):
    """A slider over a list of numbers (e.g. `round_values(-4, 1)`): each position is one of
    them, exactly; the readout shows it with `fmt` ("{:g}"). A value set from code that is
    not on the list is added to it (lab.lr.value = 0.123 stays 0.123). The front end sends
    the position (an index), so nothing is rounded or re-snapped on the way back.
    ValueSlider(values, value=None, fmt="{:g}", **kwargs) (description, style, layout ...)."""

    def __init__(self, values, value=None, fmt="{:g}", **kwargs):
        self._fmt = fmt
        values = sorted({float(v) for v in values} | ({float(value)} if value is not None else set()))
        options = [(fmt.format(v), v) for v in values]
        super().__init__(options=options, value=values[0] if value is None else float(value), **kwargs)

    @validate("value")
    def _validate_value(self, proposal):
        value = proposal.value
        if value is not None and not self._initializing_traits_:
            value = float(value)
            if value not in self._options_values:
                self._add_option(value)
            proposal.value = value
        return super()._validate_value(proposal)

    def _add_option(self, value):
        """Insert `value` in the list without moving the slider (no options observer: it
        would select the first option)."""
        label = self._fmt.format(value)
        if label in self._options_labels:
            label = repr(value)
        options = tuple(sorted(self._options_full + ((label, value),), key=lambda o: o[1]))
        self._options_full = options
        self._trait_values["options"] = options
        self._options_values = tuple(v for _, v in options)
        old = self.index
        self.set_trait("_options_labels", tuple(lab for lab, _ in options))
        if old is not None and self._options_values[old] != self.value:
            self.set_trait("index", self._options_values.index(self.value))   # the old value, moved
