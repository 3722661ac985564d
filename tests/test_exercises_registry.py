"""Registered exercises (backprop_core/answers/nbNN.py): every one computes a finite answer
with the core, `check` accepts it and rejects a wrong one, and the feedback never prints it."""
import contextlib
import importlib
import io
import pathlib
import re

import pytest

import backprop_core as bp
from backprop_core.exercises import Exercise, exercise

ANSWERS = pathlib.Path(bp.__file__).parent / "answers"
KEYS = [f"{m.stem[2:]}.{name}" for m in sorted(ANSWERS.glob("nb*.py"))
        for name in importlib.import_module(f"backprop_core.answers.{m.stem}").EXERCISES]
NUMBER = re.compile(r"[-−]?\d+\.\d+")


def _feedback(key, answer):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        ok = bp.exercises.check(key, answer)
    return ok, out.getvalue()


@pytest.mark.parametrize("key", KEYS)
def test_registered_exercise_accepts_the_answer_and_keeps_it_hidden(key):
    ex = exercise(key)
    assert isinstance(ex, Exercise)
    value = float(ex.compute())
    assert value == value and abs(value) != float("inf"), f"{key}: expected value not finite"
    ok, text = _feedback(key, value)
    assert ok and ex.label in text
    wrong = value + 50 * ex.tol + 1.0
    ok, text = _feedback(key, wrong)
    assert not ok
    shown = {round(float(n.replace("−", "-")), 3) for n in NUMBER.findall(text)}
    assert round(value, 3) not in shown or round(value, 3) == round(ex.tol, 3), f"{key}: feedback shows the answer"
    ok, text = _feedback(key, ...)
    assert not ok and text


def test_unknown_keys_give_clear_errors():
    with pytest.raises(ValueError, match="looks like '04.delta5'"):
        exercise("delta5")
    with pytest.raises(ValueError, match="no exercises are registered for notebook 99"):
        exercise("99.delta5")


def test_check_with_an_explicit_expected_value_still_works(capsys):
    assert bp.exercises.check("δ5", 0.25, 0.25)
    assert "0.25" not in capsys.readouterr().out.replace("0.001", "")
