"""The explorer widgets of notebooks 01 and 03: callbacks over a grid of slider values
(no exception, no warning, divergence labelled, picture re-rendered), and the numbers
they show checked against hand-derived values of the reconstructed chain."""
import numpy as np
import pytest
from checked_drawing import checked_backgrounds  # noqa: F401 (autouse: every restored background checked)

import backprop_core as bp
from backprop_core.widgets.explorers import LearningRateExplorer, TrialAndErrorExplorer, one_weight_run

LRS = np.logspace(-7, -1, 25)

# For the chain y = 250·(w·2) - 2440 with MSE L = (y - 90)^2, one loss-gradient step maps
# the error e = y - 90 to e·(1 - η·2·500²): stable iff η < 2 / (2·500²) = 4e-6.
STABLE_LIMIT = 2.0 / (2.0 * 500.0 ** 2)


def test_one_step_matches_the_chain_rule_by_hand():
    lr = 1e-6
    run = one_weight_run(lr, 1, "loss")
    dL_dw = 2.0 * (60.0 - 90.0) * 250.0 * 2.0          # dL/dy · dy/dh · dh/dw
    assert run.w[1] == pytest.approx(5.0 - lr * dL_dw)
    assert run.y[1] == pytest.approx(250.0 * 2.0 * run.w[1] - 2440.0)
    assert run.L[1] == pytest.approx((run.y[1] - 90.0) ** 2)


def test_post_rule_steps_along_the_output_derivative():
    run = one_weight_run(0.01, 3, "post")
    # w += 0.01 · 500 each step: 5, 10, 15, 20; y = 500 w - 2440
    assert np.allclose(run.w, [5.0, 10.0, 15.0, 20.0])
    assert np.allclose(run.y, 500.0 * run.w - 2440.0)
    assert run.y[1] != pytest.approx(1060.0)            # the post's 1060 is an erratum


@pytest.mark.parametrize("rule", ["loss", "post"])
@pytest.mark.parametrize("steps", [1, 2, 7, 30])
def test_run_is_finite_and_labels_divergence(rule, steps, strict):
    for lr in LRS:
        run = one_weight_run(float(lr), steps, rule)
        for arr in (run.w, run.y, run.L):
            assert np.all(np.isfinite(arr))
            assert len(arr) == (run.diverged_at if run.diverged else steps + 1)
        if rule == "post":
            assert not run.diverged                    # y grows linearly: 60 + k·η·250000
        elif lr < STABLE_LIMIT * 0.99:
            assert not run.diverged
            assert abs(run.y[-1] - 90.0) <= 30.0        # contracts towards the target


def test_large_learning_rate_diverges_within_a_few_steps():
    run = one_weight_run(0.01, 30, "loss")
    assert run.diverged and 1 <= run.diverged_at <= 5


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="rule"):
        one_weight_run(0.01, 1, "newton")
    with pytest.raises(ValueError, match="steps"):
        one_weight_run(0.01, -1, "loss")


@pytest.mark.parametrize("rule", ["loss", "post"])
def test_explorer_callbacks_over_a_grid(rule, strict):
    ex = LearningRateExplorer(rule=rule)
    for steps in (1, 30):
        ex.steps_slider.value = steps
        for exponent in range(-7, 0):                       # the slider's whole range
            before = ex.figure.renders
            png_before = ex.figure.image.value
            ex.lr_slider.value = float(f"1e{exponent}")     # the observer calls update()
            assert ex.lr_slider.value == float(f"1e{exponent}") and ex.run.lr == ex.lr_slider.value
            assert ex.figure.renders == before + 1
            assert ex.figure.image.value[:8] == b"\x89PNG\r\n\x1a\n"
            assert ex.figure.image.value != png_before or exponent == -7 and steps == 1
            text = ex.summary.value
            assert "nan" not in text.lower() and "inf" not in text.lower()
            run = ex.run
            if run.diverged:
                assert f"diverged at step {run.diverged_at}" in text
                assert f"diverged at step {run.diverged_at}" in ex.figure.fig._suptitle.get_text()
            else:
                assert "diverged" not in text
                assert (f"after {steps} steps" in text) == (steps > 1)


def test_explorer_controls_are_labelled():
    ex = LearningRateExplorer()
    assert ex.lr_slider.description == "learning rate η"
    assert ex.steps_slider.description == "steps k"
    assert ex.rule.description == "update rule"
    values = ex.lr_slider.options                                 # (label, value) pairs
    assert values[0][1] == 1e-7 and values[-1][1] == 0.1          # 1e-7 ... 0.1
    # the values the notebook's text uses are positions of the slider, exactly
    for lr in (1e-6, 2e-6, 3.9e-6, 4e-6, 1e-5, 1e-2):
        assert lr in [v for _, v in values]


def test_trial_and_error_reproduces_the_forward_pass(strict):
    ex = TrialAndErrorExplorer()
    assert ex.output() == pytest.approx(2.98)
    ex.sliders["w31"].value = 0.35
    ex.sliders["w'11"].value = 0.78
    ex.sliders["w'21"].value = 0.83
    # by hand: (1·0.5 + 2·0.4 + 3·0.35)·0.78 + (1·0.6 + 2·0.3 + 3·0.2)·0.83
    assert ex.output() == pytest.approx(2.35 * 0.78 + 1.8 * 0.83)
    assert "3.3270" in ex.summary.value


def test_trial_and_error_callbacks_over_a_grid(strict):
    ex = TrialAndErrorExplorer()
    for value in np.linspace(0.0, 1.0, 4):
        for slider in ex.sliders.values():
            before = ex.figure.renders
            slider.value = float(value)
            assert ex.figure.renders == before + 1
            assert "nan" not in ex.summary.value.lower()
    net = bp.examples.e3_network().net
    net.layers[0].W[2, 0] = 1.0
    net.layers[1].W[:, 0] = 1.0
    assert ex.output() == pytest.approx(float(net.forward([[1.0, 2.0, 3.0]])[0, 0]))


def test_static_viewers_get_the_current_picture():
    import base64
    for ex in (LearningRateExplorer(), TrialAndErrorExplorer()):
        bundle = ex._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in bundle
        assert base64.b64decode(bundle["image/png"]) == ex.figure.image.value


async def idle_work_done(widget):
    """Wait (in a running loop) until the widget's idle-time drawing has stopped for 0.5 s,
    at most 10 s (a busy machine)."""
    import asyncio
    counts = []
    for _ in range(100):
        await asyncio.sleep(0.1)
        counts.append((widget.prefetched, widget.figure.full_draws))
        if len(counts) > 5 and counts[-1] == counts[-6] and counts[-1][0] > 0:
            return


def test_learning_rate_explorer_draws_the_next_key_presses_axes_in_idle_time(strict):
    """In a kernel, after a move the explorer draws in idle time the axes of the settings one
    key press away (η and k one step or a page either way, the other rule), so
    those moves only restore their background; the picture shown keeps its axes meanwhile."""
    import asyncio

    async def idle():
        ex = LearningRateExplorer(lr=1e-6, steps=10)
        rates = [v for _, v in ex.lr_slider.options]
        ex.lr_slider.set_state({"index": rates.index(1e-6) + 1})    # as the front end sends it
        await idle_work_done(ex)
        return ex, rates

    ex, rates = asyncio.run(idle())
    assert ex.prefetched >= 1
    left = ex.figure.scene.key()                # idle time left the shown setting's axes
    ex.update()
    assert ex.figure.scene.key() == left
    full = ex.figure.full_draws
    here = rates.index(float(ex.lr_slider.value))
    for lr, steps, rule in ex.neighbours():
        ex.lr_slider.value, ex.steps_slider.value, ex.rule.value = lr, steps, rule
        assert ex.figure.full_draws == full, (lr, steps, rule)
        ex.lr_slider.value, ex.steps_slider.value, ex.rule.value = rates[here], 10, "loss"
        assert ex.figure.full_draws == full


def test_activation_explorer_draws_the_next_input_ranges_in_idle_time(strict):
    """In a kernel, after a move of the input range the ActivationExplorer draws in idle time
    the pictures of the ranges one key press away (either end one step or a page), so those
    moves only restore their background (every one checked against a fresh drawing)."""
    import asyncio

    from backprop_core.widgets.function_explorers import ActivationExplorer

    async def idle():
        ex = ActivationExplorer(z_range=(-6.0, 6.0))
        ex.z_range.set_state({"value": (-5.5, 6.0)})              # as the front end sends it
        await idle_work_done(ex)
        return ex

    ex = asyncio.run(idle())
    assert len(ex.neighbours()) == 8
    assert ex.prefetched == 7                                      # (-6, 6) was drawn at the start
    full = ex.figure.full_draws
    for z_range in ex.neighbours():
        ex.z_range.value = z_range
        assert ex.figure.full_draws == full, z_range
        ex.z_range.value = (-5.5, 6.0)
        assert ex.figure.full_draws == full


def test_gradient_depth_explorer_prepares_the_next_key_presses_in_idle_time(strict, monkeypatch):
    """In a kernel, after a move the GradientDepthExplorer computes in idle time the profiles
    of the settings one key press away, draws their y axes and their titles' pixels, so such
    a move computes and draws no background and no text (each restored background checked
    against a fresh drawing)."""
    import asyncio

    from backprop_core.widgets.function_explorers import GradientDepthExplorer

    async def idle():
        ex = GradientDepthExplorer(depth=10, width=8)
        ex.depth.set_state({"value": 11})                          # as the front end sends it
        await idle_work_done(ex)
        return ex

    ex = asyncio.run(idle())
    computed = []
    monkeypatch.setattr(bp.depth, "gradient_profile", lambda *args: computed.append(args))
    full = ex.figure.full_draws
    drawn = []
    monkeypatch.setattr(ex.title, "_sprite", lambda renderer: drawn.append(ex.title.get_text()))
    for d, init, seed in ex.neighbours():
        ex.depth.value, ex.init.value, ex.seed.value = d, init, seed
        assert ex.figure.full_draws == full and not computed and not drawn, (d, init, seed)
        assert len(ex.profiles["tanh"]) == d + 1
        assert ex.title.get_text() == ex.title_text(d, init, seed)
        ex.depth.value, ex.init.value, ex.seed.value = 11, "xavier", 0
        assert ex.figure.full_draws == full and not drawn


def test_loss_explorer_draws_the_next_targets_in_idle_time(strict):
    """In a kernel, after a move of the target the LossExplorer draws in idle time the curves
    of the targets one step or a page away and of the other label, so those moves only
    restore them (each restored picture checked against a fresh drawing)."""
    import asyncio

    from backprop_core.widgets.function_explorers import LossExplorer

    async def idle():
        ex = LossExplorer(target=1.0)
        ex.target.set_state({"value": 1.1})                       # as the front end sends it
        await idle_work_done(ex)
        return ex

    ex = asyncio.run(idle())
    assert ex.neighbours() == [(1.0, 1), (1.2, 1), (0.6, 1), (1.6, 1), (1.1, 0)]
    assert ex.prefetched == 4                                       # t = 1.0 was drawn at the start
    assert all(ex.figure.has_background(near) for near in ex.neighbours())
    assert ex.panels.shown == (1.1, 1)                              # the picture shown, as it was
    for t, label in ex.neighbours():                                # restored, and checked
        ex.target.value, ex.label.value = t, label
        assert ex.panels.shown == (t, label)
        ex.target.value, ex.label.value = 1.1, 1


def test_pressed_again_repeats_the_last_key_press():
    """controls.pressed_again: the value the same key press (an arrow or a page) gives once
    more, in positions for a ValueSlider, within the slider's ends (None past them)."""
    import ipywidgets as widgets

    from backprop_core.widgets.controls import ValueSlider, pressed_again
    rates = ValueSlider([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0], value=0.05)
    assert pressed_again(rates, 0.02, 0.05) == 0.1
    assert pressed_again(rates, 0.1, 0.05) == 0.02
    assert pressed_again(rates, 0.5, 1.0) is None                   # at the top
    assert pressed_again(rates, 0.3, 0.5) is None                   # not a position
    count = widgets.IntSlider(value=6, min=1, max=20)
    assert [pressed_again(count, 1, 6), pressed_again(count, 7, 6), pressed_again(count, 19, 20)] == [11, 5, None]
    mu = widgets.FloatSlider(value=0.9, min=0.0, max=0.99, step=0.01)
    assert pressed_again(mu, 0.89, 0.9) == 0.91                     # not 0.9100000000000001
    assert pressed_again(mu, 0.98, 0.99) is None


def test_arrows_from_gives_one_position_either_way():
    """controls.arrows_from: the values one arrow press down and up from a value, in
    positions for a ValueSlider, within the slider's ends (none past them)."""
    import ipywidgets as widgets

    from backprop_core.widgets.controls import ValueSlider, arrows_from
    rates = ValueSlider([0.01, 0.02, 0.05, 0.1], value=0.05)
    assert arrows_from(rates, 0.05) == [0.02, 0.1]
    assert arrows_from(rates, 0.1) == [0.05]                         # at the top
    assert arrows_from(rates, 0.3) == []                             # not a position
    count = widgets.IntSlider(value=6, min=1, max=20)
    assert [arrows_from(count, 1), arrows_from(count, 7), arrows_from(count, 20)] == [[2], [6, 8], [19]]
    mu = widgets.FloatSlider(value=0.9, min=0.0, max=0.99, step=0.01)
    assert arrows_from(mu, 0.9) == [0.89, 0.91]                      # not 0.9100000000000001
    assert arrows_from(mu, 0.99) == [0.98]
