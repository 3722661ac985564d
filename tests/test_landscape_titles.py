"""Each landscape problem's title and axis names live in `landscapes`, in both languages, and
the training lab shows exactly those."""
import re

import pytest

import backprop_core as bp
from backprop_core import landscapes

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("name", ["linear", "noisy", "bowl", "nonlinear"])
def test_every_problem_has_a_title_and_axis_names_in_both_languages(name):
    problem = landscapes.problems()[name]
    assert landscapes.title(problem, "en") == problem.title
    assert CJK.search(landscapes.title(problem, "zh"))
    en, zh = landscapes.axis_labels(problem, "en"), landscapes.axis_labels(problem, "zh")
    assert en == problem.param_names and len(zh) == 2
    assert all(CJK.search(label) for label in zh) == (name != "bowl")   # θ1, θ2 are symbols


def test_a_problem_made_elsewhere_keeps_its_own_words():
    bowl = landscapes.QuadraticBowl(name="steep", title="a steep bowl")
    assert landscapes.title(bowl, "zh") == "a steep bowl"
    assert landscapes.axis_labels(bowl, "zh") == ("θ1", "θ2")


def test_the_lab_shows_the_landscapes_words():
    lab = bp.widgets.TrainingLab(lang="zh", problem="nonlinear")
    texts = [t.get_text() for ax in lab.figure.fig.axes for t in (ax.title, ax.xaxis.label)]
    problem = landscapes.problems()["nonlinear"]
    assert any(t.startswith(landscapes.title(problem, "zh") + "\n") for t in texts)
    assert landscapes.axis_labels(problem, "zh")[0] in texts
