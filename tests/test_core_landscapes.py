"""landscapes: NetProblem.descend and QuadraticBowl.descend reset the optimiser before each
run (velocity, moments, step count and so the schedule's step), as their docstrings say:
the same call twice with one optimiser object gives the same path (issue 10, mutation gap)."""
import numpy as np
import pytest

import backprop_core as bp
from backprop_core import landscapes


def optimisers():
    return [bp.SGD(lr=0.05, momentum=0.9), bp.SGD(lr=bp.StepDecay(0.05, drop=0.5, every=3)),
            bp.RMSProp(lr=0.05), bp.Adam(lr=0.1), bp.SGD(lr=0.05, momentum=0.5, nesterov=True)]


@pytest.mark.parametrize("problem", [landscapes.linear_problem(), landscapes.noisy_linear_problem(),
                                     landscapes.nonlinear_problem(), landscapes.QuadraticBowl()],
                         ids=lambda p: p.name)
@pytest.mark.parametrize("k", range(5))
def test_descend_twice_with_one_optimizer_gives_the_same_path(problem, k):
    opt = optimisers()[k]
    first = problem.descend(opt, steps=12, batch_size=None, seed=0)
    assert opt.t > 0                               # the run really used (and changed) the optimiser
    second = problem.descend(opt, steps=12, batch_size=None, seed=0)
    np.testing.assert_array_equal(first.params, second.params)
    np.testing.assert_array_equal(first.loss, second.loss)
    fresh = problem.descend(optimisers()[k], steps=12, batch_size=None, seed=0)
    np.testing.assert_array_equal(first.params, fresh.params)


def test_descend_leaves_the_start_untouched():
    problem = landscapes.linear_problem()
    start = problem.start.copy()
    problem.descend(bp.SGD(lr=0.1), steps=5)
    np.testing.assert_array_equal(problem.start, start)
    np.testing.assert_array_equal(problem.descend(bp.SGD(lr=0.1), steps=5).params[0], start)


def test_descend_checks_its_seed():
    with pytest.raises(TypeError, match="seed"):
        landscapes.linear_problem().descend(bp.SGD(lr=0.1), steps=5, seed="a")
