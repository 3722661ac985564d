"""The training lab's run planner (backprop_core.runs), alone: no ipywidgets, no matplotlib.

Settings -> runs (labels, optimiser, η, μ, batch, schedule, steps, seed) -> cached descents,
checked against the problems' own `descend` called directly, and the cache against the
mutation issue 10 names: a cache key without the seed (moving the seed slider would show
another seed's path).
"""
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

import backprop_core as bp
from backprop_core import runs
from backprop_core.runs import RunPlanner, Settings, make_optimizer


@pytest.fixture(scope="module")
def planner():
    return RunPlanner()


def direct(planner, problem, run):
    """The same descent, without the planner: the problem's descend with a fresh optimiser."""
    optimizer = make_optimizer(run.optimizer, run.lr, run.momentum, run.schedule)
    return planner.problems[problem].descend(optimizer, steps=run.steps, batch_size=run.batch_size, seed=run.seed)


def test_planner_imports_neither_ipywidgets_nor_matplotlib():
    code = ("import sys, backprop_core.runs, backprop_core.one_weight; "
            "assert 'ipywidgets' not in sys.modules and 'matplotlib' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_cache_key_includes_the_seed(planner):
    """Mutation test (issue 10): a result cache that ignores the seed returns seed 0's path for seed 1."""
    s0 = Settings(problem="noisy", lr=0.05, batch_size=5, steps=30, seed=0)
    a = planner.runs(s0)[0].result                       # seed 0: trained and cached
    run1 = planner.runs(replace(s0, seed=1))[0]          # seed 1: must not come from seed 0's entry
    np.testing.assert_array_equal(run1.result.params, direct(planner, "noisy", run1).params)
    assert not np.allclose(a.params, run1.result.params)
    assert run1.key("noisy") != planner.plan(s0)[0].key("noisy")


def test_cache_returns_the_same_descent_for_the_same_settings(planner):
    s = Settings(problem="linear", lr=0.2, batch_size=4, steps=25, seed=3)
    first = planner.runs(s)[0].result
    trained = planner.trained
    assert planner.runs(s)[0].result is first and planner.trained == trained
    assert planner.runs(replace(s, lr=0.21))[0].result is not first and planner.trained == trained + 1


@pytest.mark.parametrize("field,value", [("lr", 0.05), ("momentum", 0.5), ("batch_size", 3), ("steps", 17),
                                         ("schedule", "exponential"), ("optimizer", "Adam"), ("seed", 7)])
def test_every_setting_that_changes_the_path_is_in_the_key(planner, field, value):
    base = Settings(problem="noisy", optimizer="SGD+momentum", lr=0.02, momentum=0.9, batch_size=5,
                    steps=40, seed=2)
    planner.runs(base)
    run = planner.runs(replace(base, **{field: value}))[0]
    np.testing.assert_array_equal(run.result.params, direct(planner, "noisy", run).params)


def test_momentum_is_left_out_of_the_key_where_no_optimiser_reads_it(planner):
    s = Settings(problem="linear", optimizer="SGD", momentum=0.1)
    assert planner.plan(s)[0].key("linear") == planner.plan(replace(s, momentum=0.8))[0].key("linear")


@pytest.mark.parametrize("problem", ["linear", "noisy", "bowl", "nonlinear"])
@pytest.mark.parametrize("compare", runs.COMPARES)
def test_every_planned_run_equals_a_direct_descent(planner, problem, compare):
    s = Settings(problem=problem, optimizer="Nesterov", lr=0.05, momentum=0.8, batch_size=4, steps=12,
                 seed=1, compare=compare)
    for run in planner.runs(s):
        d = direct(planner, problem, run)
        np.testing.assert_array_equal(run.result.params, d.params)
        assert run.result.diverged_at == d.diverged_at


def test_compare_modes_vary_one_thing(planner, english):
    s = Settings(problem="noisy", lr=0.1, momentum=0.7, batch_size=5)
    assert [r.lr for r in planner.plan(replace(s, compare="lr"))] == pytest.approx([0.01, 0.1, 1.0])
    assert [r.momentum for r in planner.plan(replace(s, compare="momentum"))] == [0.0, 0.5, 0.9]
    assert [r.batch_size for r in planner.plan(replace(s, compare="batch"))] == [1, 5, 20]
    assert [r.optimizer for r in planner.plan(replace(s, compare="optimizer"))] == ["SGD", "SGD+momentum", "Adam"]
    assert [r.schedule for r in planner.plan(replace(s, compare="schedule"))] == ["constant", "exponential", "1/t"]
    assert [r.label for r in planner.plan(replace(s, compare="batch"))] == ["batch 1", "batch 5", "batch 20 (full)"]
    assert len(planner.plan(replace(s, problem="bowl", compare="batch"))) == 1      # the bowl has no data


def test_epochs_use_the_batches_helper_and_the_cap(planner):
    s = Settings(problem="noisy", unit="epochs", steps=10, batch_size=3)
    assert planner.plan(s)[0].steps == 10 * bp.batches.updates_per_epoch(20, 3) == 70
    assert planner.plan(replace(s, steps=1000, batch_size=1))[0].steps == runs.MAX_STEPS
    assert planner.plan(replace(s, problem="bowl"))[0].steps == 10           # no data: one step an epoch


def test_status_lines_in_both_languages(planner, use_language):
    use_language("en")
    s = Settings(problem="linear", lr=1.9, compare="off")
    planned = planner.runs(s)
    k = planned[0].result.diverged_at
    assert planner.status_lines(s, planned) == [f"SGD, η = 1.9: diverged at step {k}"]
    use_language("zh")
    zh = planner.runs(s)
    assert planner.status_lines(s, zh) == [f"SGD, η = 1.9：在第 {k} 步发散"]
    ok = planner.runs(replace(s, lr=0.1, problem="noisy", batch_size=5))
    line = planner.status_lines(replace(s, lr=0.1, problem="noisy", batch_size=5), ok)[0]
    assert "步后最终损失" in line and "每轮 4 步" in line
    bowl = replace(s, problem="bowl", unit="epochs", lr=0.5)
    assert "碗形问题没有数据" in planner.status_lines(bowl, planner.runs(bowl))[-1]


def test_reads_momentum_and_seed(planner):
    s = Settings(problem="noisy", optimizer="SGD", batch_size=20)
    assert not runs.reads_momentum(s)
    assert runs.reads_momentum(replace(s, optimizer="Nesterov"))
    assert not runs.reads_momentum(replace(s, optimizer="Nesterov", compare="momentum"))
    assert runs.reads_momentum(replace(s, compare="optimizer"))
    assert not planner.reads_seed(s, planner.plan(s))                       # full batch
    assert planner.reads_seed(s, planner.plan(replace(s, compare="batch")))   # batch 1 among the runs


def test_bad_settings_are_refused(planner):
    with pytest.raises(ValueError, match="problem"):
        planner.plan(Settings(problem="banana"))
    with pytest.raises(ValueError, match="compare"):
        planner.plan(Settings(compare="banana"))
    with pytest.raises(ValueError, match="unit"):
        planner.plan(Settings(unit="banana"))
    with pytest.raises(ValueError, match="optimizer"):
        make_optimizer("banana", 0.1)
    with pytest.raises(ValueError, match="schedule"):
        runs.make_schedule("banana", 0.1)


def test_loss_axes_follow_the_start_loss_and_round_the_steps(planner):
    settings = Settings(problem="linear", lr=0.1, steps=201)
    runs_ = planner.runs(settings)
    L0 = planner.start_loss(settings)
    assert planner.loss_axes(settings, runs_, log=False) == runs.LossAxes(250, (0.0, 1.5 * L0))
    assert planner.loss_axes(settings, runs_, log=True) == runs.LossAxes(250, (1e-10 * L0, 10.0 * L0))
    blown = planner.runs(replace(settings, lr=5.0))           # above 10 L0: the top leaves room
    assert planner.loss_axes(settings, blown, log=True).ylim[1] == runs.LOSS_TOP


def test_nearby_loss_axes_are_the_next_moves_of_the_step_count(planner):
    settings = Settings(problem="linear", lr=0.1, steps=200)
    runs_ = planner.runs(settings)
    axes = planner.loss_axes(settings, runs_, log=True)
    near = planner.nearby_loss_axes(settings, runs_, axes, log=True, max_steps=1000)
    lo, top = axes.ylim
    # 195, 199 end at 200 (this axes), 201 and 205 at 250; the other top of a log axis for both;
    # then for a typed count two rungs of the ladder either way (250 is there already)
    assert near == [runs.LossAxes(250, (lo, top)), runs.LossAxes(200, (lo, runs.LOSS_TOP)),
                    runs.LossAxes(250, (lo, runs.LOSS_TOP)), runs.LossAxes(150, (lo, top)),
                    runs.LossAxes(300, (lo, top)), runs.LossAxes(100, (lo, top))]
    linear_axes = planner.loss_axes(settings, runs_, False)
    linear = planner.nearby_loss_axes(settings, runs_, linear_axes, False, 200)
    # 201, 205 and the rungs above are past the slider's end (200): the two rungs below only
    assert linear == [runs.LossAxes(150, linear_axes.ylim), runs.LossAxes(100, linear_axes.ylim)]
    epochs = replace(settings, problem="noisy", unit="epochs", steps=10, batch_size=5)
    runs_e = planner.runs(epochs)                              # 4 steps an epoch: 40 steps
    axes_e = planner.loss_axes(epochs, runs_e, True)
    assert axes_e.xmax == 40
    rungs = [a.xmax for a in planner.nearby_loss_axes(epochs, runs_e, axes_e, True, 20)
             if a.ylim == axes_e.ylim]
    # 9 and 11 epochs (36, 44 steps), 5 and 15 (20, 60); rungs from 4 steps (1 epoch) to 80 (20)
    assert rungs == [20, 50, 60, 30, 25]


def same_descent(a, b):
    """Every field of two Descents equal, bit for bit."""
    for name in ("params", "loss", "epoch_loss", "epoch_steps"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
        assert getattr(a, name).shape == getattr(b, name).shape
    assert (a.diverged_at, a.steps_per_epoch) == (b.diverged_at, b.steps_per_epoch)
    assert a.final_loss == b.final_loss or (np.isinf(a.final_loss) and np.isinf(b.final_loss))


def test_the_steps_are_where_the_key_says():
    run = RunPlanner().plan(Settings(problem="noisy", steps=37))[0]
    assert run.key("noisy")[runs.STEPS_AT] == 37


@pytest.mark.parametrize("problem", ["linear", "noisy", "bowl", "nonlinear"])
@pytest.mark.parametrize("optimizer,lr,schedule", [("SGD", 0.05, "constant"), ("SGD+momentum", 0.03, "step"),
                                                   ("Adam", 0.1, "1/t"), ("SGD", 3.0, "constant"),
                                                   ("SGD+momentum", 0.6, "exponential")])
def test_a_shorter_run_is_the_start_of_a_longer_one(problem, optimizer, lr, schedule):
    """A run of k steps is taken from a cached longer run (nothing trained), and equals the
    k-step descent trained on its own, divergence included (lr 3.0 and 0.6 diverge on
    some problems: before, at and after the shorter run's end)."""
    planner = RunPlanner()
    long = Settings(problem=problem, optimizer=optimizer, lr=lr, momentum=0.9, batch_size=3,
                    schedule=schedule, steps=60, seed=4)
    planner.runs(long)
    for steps in (59, 41, 13, 7, 1):
        trained = planner.trained
        run = planner.runs(replace(long, steps=steps))[0]
        assert planner.trained == trained                   # from the longer run
        same_descent(run.result, direct(planner, problem, run))


def test_epochs_of_a_shorter_run_come_from_the_longer_one():
    planner = RunPlanner()
    long = Settings(problem="noisy", lr=0.05, batch_size=6, unit="epochs", steps=12, seed=2)
    planner.runs(long)
    trained = planner.trained
    run = planner.runs(replace(long, steps=5))[0]
    assert planner.trained == trained
    same_descent(run.result, direct(planner, "noisy", run))
    assert len(run.result.epoch_loss) == 5
