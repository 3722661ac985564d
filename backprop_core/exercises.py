"""Exercises: check a student's answer without giving the answer away.

    answer = ...                                  # the student writes a number here
    bp.exercises.check("04.delta5", answer)       # prints: δ5: right (within 0.001)

A registered exercise ("<notebook>.<name>") keeps its expected value inside the package: the
value is computed by the core when the answer is checked, from the notebook's module in
`backprop_core/answers/` (e.g. answers/nb04.py holds EXERCISES = {"delta5": Exercise(...)}),
so the exercise cell has nothing a student could print. `check(name, answer, expected)` with
an explicit expected value still works for values the notebook itself has just computed.

`check` prints whether the answer is right within an absolute tolerance, a hint if not
(wrong sign, close but not close enough), and never the expected value. The feedback is in
the current language (bp.set_language); errors for bad arguments stay English.
"""
import dataclasses
import importlib
import numbers
import re
from collections.abc import Callable

import numpy as np

from .i18n import Catalogue

TEXT = Catalogue(
    en={"no_answer": "{name}: no answer yet — replace ... with your number and run the cell again",
        "result": "{name}: {message}",
        "not_finite": "not yet — your answer is not a finite number",
        "right": "right (within {tol})",
        "sign": "not yet — check the sign",
        "close": "not yet — close, but off by more than the tolerance {tol}: keep more decimals",
        "off": "not yet — off by more than the tolerance {tol}"},
    zh={"no_answer": "{name}：还没有答案——把 ... 换成你算出的数，再运行这个单元格",
        "result": "{name}：{message}",
        "not_finite": "还不对——你的答案不是一个有限的数",
        "right": "正确（误差在 {tol} 以内）",
        "sign": "还不对——检查一下正负号",
        "close": "还不对——很接近，但误差超过了容许值 {tol}：多保留几位小数",
        "off": "还不对——误差超过了容许值 {tol}"},
)


def _as_number(value, what, name):
    """A float from an int/float/numpy scalar or a size-1 array; TypeError otherwise."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{what} for {name} must be a number, got a boolean ({value!r})")
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, np.ndarray) and value.size == 1 and np.issubdtype(value.dtype, np.number):
        return float(value.reshape(-1)[0])
    raise TypeError(f"{what} for {name} must be a number (like 0.25), got "
                    f"{type(value).__name__} {value!r:.40}")


class Verdict:
    """What a checker returns: true when the answer is right. Shows nothing in a notebook
    (the checker has printed its message), so a check can be a cell's last line."""

    def __init__(self, ok):
        self.ok = bool(ok)

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return f"Verdict({self.ok})"

    def _ipython_display_(self):
        pass


@dataclasses.dataclass(frozen=True)
class Exercise:
    """A registered exercise: the label shown in the feedback (a symbol such as "δ5"), a
    function computing the expected number with the core, and the absolute tolerance."""
    label: str
    compute: Callable[[], float]
    tol: float = 1e-3


_KEY = re.compile(r"^(\d\d[a-z]?)\.(\w+)$")


def exercise(key):
    """The registered Exercise for a key "<notebook>.<name>" such as "04.delta5"
    (looked up in backprop_core/answers/nb<notebook>.py)."""
    m = _KEY.match(str(key))
    if not m:
        raise ValueError(f"an exercise key looks like '04.delta5' (notebook.name), got {key!r}")
    try:
        module = importlib.import_module(f".answers.nb{m.group(1)}", __package__)
    except ModuleNotFoundError:
        raise ValueError(f"no exercises are registered for notebook {m.group(1)} (key {key!r})") from None
    exercises = getattr(module, "EXERCISES", {})
    if m.group(2) not in exercises:
        raise ValueError(f"notebook {m.group(1)} has no exercise {m.group(2)!r}; "
                         f"it has {sorted(exercises)}")
    return exercises[m.group(2)]


def check(name, answer, expected=None, tol=None):
    """Print "<name>: right (within tol)" or "<name>: not yet — <hint>"; return a Verdict
    (true when right; it shows nothing, so a check can end a cell).

    name: a registered exercise key such as "04.delta5" (then expected and tol come from the
    package, computed by the core now), or a label when `expected` is given.
    answer: the student's number (`...` or None means not answered yet: prints a reminder,
    returns False). expected: the value computed by the core. tol: absolute tolerance
    (default 1e-3), right means |answer - expected| <= tol. The expected value is never printed.
    """
    if expected is None:
        registered = exercise(name)
        name, expected = registered.label, registered.compute()
        tol = registered.tol if tol is None else tol
    tol = 1e-3 if tol is None else tol
    name = str(name)
    tol = _as_number(tol, "the tolerance tol", name)
    if not np.isfinite(tol) or tol <= 0:
        raise ValueError(f"tol must be a positive number, got {tol}")
    expected = _as_number(expected, "the expected value", name)
    if not np.isfinite(expected):
        raise ValueError(f"the expected value for {name} must be finite, got {expected}")
    if answer is None or answer is Ellipsis:
        print(TEXT("no_answer", name=name))
        return Verdict(False)
    answer = _as_number(answer, "your answer", name)
    tol_text = f"{tol:g}"
    if not np.isfinite(answer):
        key = "not_finite"
    elif abs(answer - expected) <= tol:
        key = "right"
    elif abs(expected) > tol and abs(answer + expected) <= tol:
        key = "sign"
    elif abs(answer - expected) <= 10 * tol:
        key = "close"
    else:
        key = "off"
    print(TEXT("result", name=name, message=TEXT(key, tol=tol_text)))
    return Verdict(key == "right")
