"""Latency of the training lab: time from a control's value change to a finished redraw.

    .venv/bin/python benchmarks/widget_latency.py [--repeat 2] [--warm] [--naive]
    .venv/bin/python benchmarks/widget_latency.py --all        # the lab, then every other widget
    .venv/bin/python benchmarks/widget_latency.py --widgets    # only the other widgets

Each control of `bp.widgets.TrainingLab()` is driven programmatically (`control.value = v`,
exactly what a slider drag does) through a sweep of values; the time runs until the
callback returns, i.e. until the descent is trained (200 steps), the artists are moved
and the PNG is rendered into the Image widget. By default the lab's cache of descents is
cleared before every change (cold: every change trains again); --warm keeps it.
--naive measures the same lab without its rendering shortcuts (the whole figure drawn
and encoded by matplotlib's print_png on every change): the "before" of the optimisation.
Goal (issues 4, 14) on the 2-core machine: median <= 30 ms, p95 <= 60 ms per control, 07's
compare-mode labs included (rows "07.x"); switching problem or compare mode after the first
visit ("revisits", the descents cached): median <= 60 ms.

--all / --widgets: the same measurement for every other live picture of the package (the
explorers of notebooks 01, 03, 08, 09, the Stepper of notebooks 00-06 and 01b's GraphStepper), one row per
control; for the Stepper one row per button, first visit of each step and revisit. Goal
(issue 5, browser median <= 100 ms): server-side median <= 60 ms per control.

--presses: key presses (PRESSES: one step, a page of five) on the sliders of the explorers and
of two labs, as from the front end in a running event loop, with a reader's pause between them,
so that the widgets' idle-time work (drawing the next presses' backgrounds) counts as in a kernel.
--idle S sets the pause (default 1.0 s: idle time has finished its work; the browser tests press
again about 0.3 s after a picture, while it is at work).

--typed: 07's compare-mode labs in a running event loop, as in a kernel: after one move of the
step count (as from the front end) and idle time, counts typed into the readout a tenth of the
slider's range apart (200 -> 300 -> 400 -> 500 -> 400 -> 300), each timed from the change to the
new PNG; idle time lets the lab draw ahead (loss axes, runs ahead) as it does between key presses.
"""
import argparse
import asyncio
import os
import time
import warnings

import ipywidgets as widgets
import numpy as np

import backprop_core as bp
from backprop_core import runs as lab_runs
from backprop_core.widgets.lab import LR_VALUES

GOAL_MEDIAN, GOAL_P95 = 30.0, 60.0
WIDGET_GOAL_MEDIAN, WIDGET_GOAL_P95 = 60.0, 120.0


def lr_positions(lo=1e-3, hi=2.5):
    """The learning-rate slider's positions from lo to hi (what a drag visits)."""
    return [v for v in LR_VALUES if lo <= v <= hi]


# notebook 07's labs (its experiments 1-5), as made there
LABS_07 = [
    ("07.1 η compare", {"problem": "linear", "compare": "lr", "lr": 0.07}),
    ("07.2 bowl μ compare", {"problem": "bowl", "compare": "momentum", "lr": 0.5}),
    ("07.2 tanh μ compare", {"problem": "nonlinear", "compare": "momentum", "lr": 0.1}),
    ("07.3 batch compare", {"problem": "noisy", "compare": "batch", "batch_size": 5, "lr": 0.1}),
    ("07.3 batch compare, epochs", {"problem": "noisy", "compare": "batch", "batch_size": 5, "lr": 0.05,
                                    "unit": "epochs", "steps": 10}),
    ("07.4 schedule compare", {"problem": "noisy", "compare": "schedule", "batch_size": 1, "lr": 0.1}),
]


def sweeps(lab):
    """(row name, setup dict, control name, values, warm) for every control: the default lab,
    then each slider of 07's compare-mode labs; warm rows keep the cached descents (the
    revisits of a problem or a compare mode)."""
    n = lab.problems["linear"].n_samples
    rows = [
        ("lr (SGD)", {}, "lr", lr_positions(), False),
        ("momentum (SGD+momentum)", {"optimizer": "SGD+momentum"}, "momentum", list(np.linspace(0, 0.99, 30)),
         False),
        ("batch_size", {}, "batch_size", list(range(1, n + 1)) + list(range(n, 0, -2)), False),
        ("optimizer", {"momentum": 0.9}, "optimizer", list(lab_runs.OPTIMIZERS) * 5, False),
        ("schedule", {"lr": 0.3}, "schedule", list(lab_runs.SCHEDULES) * 6, False),
        ("steps", {}, "steps", list(range(150, 251, 5)), False),
        ("unit (steps/epochs, batch 5)", {"batch_size": 5}, "unit", ["epochs", "steps"] * 10, False),
        ("seed (batch 5)", {"batch_size": 5}, "seed", list(range(1, 21)), False),
        ("log_scale", {}, "log_scale", [False, True] * 10, False),
        ("compare (first visits)", {}, "compare", list(lab_runs.COMPARES[1:]) + ["off"], False),
        ("compare (revisits)", {}, "compare", list(lab_runs.COMPARES[1:]) * 3 + ["off"], True),
        ("problem (first visits)", {}, "problem", ["noisy", "bowl", "nonlinear", "linear"], False),
        ("problem (revisits)", {}, "problem", ["noisy", "bowl", "nonlinear", "linear"] * 4, True),
        ("lr (bowl, momentum)", {"problem": "bowl", "optimizer": "SGD+momentum"}, "lr", lr_positions(), False),
        ("lr (nonlinear, batch 4)", {"problem": "nonlinear", "batch_size": 4}, "lr", lr_positions(), False),
    ]
    for name, setup in LABS_07:
        p = lab.problems[setup["problem"]]
        rows.append((f"{name}: lr", setup, "lr", lr_positions(0.01, 0.6), False))
        if p.n_samples is not None:
            b = setup.get("batch_size", p.n_samples)
            sizes = list(range(b - 1, b - 10, -1)) + list(range(b - 8, b + 9))
            rows.append((f"{name}: batch_size", setup, "batch_size",
                         [v for v in sizes if 1 <= v <= p.n_samples], False))
            if setup.get("batch_size", p.n_samples) < p.n_samples:
                rows.append((f"{name}: seed", setup, "seed", list(range(1, 16)), False))
        counts = list(range(5, 26)) if setup.get("unit") == "epochs" else list(range(190, 231, 2))
        rows.append((f"{name}: steps", setup, "steps", counts, False))
    return rows


def measure(lab, control, values, warm=False):
    """(wall ms, cpu ms) per value change."""
    wall, cpu = [], []
    for v in values:
        if control.value == v or (control is lab.batch_size and not 1 <= v <= control.max):
            continue
        if not warm:
            lab.clear_cache()
        before = lab.renders
        start, start_cpu = time.perf_counter(), time.process_time()
        control.value = v
        wall.append((time.perf_counter() - start) * 1e3)
        cpu.append((time.process_time() - start_cpu) * 1e3)
        if lab.renders != before + 1 or lab.error is not None:
            raise RuntimeError(f"no clean redraw for {control.description} = {v!r}: {lab.error}")
    return np.asarray(wall), np.asarray(cpu)


def row(name, wall, cpu):
    """One row; the goal: median <= 30 ms, p95 <= 60 ms; switching problem or compare mode
    after its first visit ('revisits'): median <= 60 ms; a first visit has no goal."""
    median, p95 = np.median(wall), np.percentile(wall, 95)
    cmed, cp95 = np.median(cpu), np.percentile(cpu, 95)
    goal_median, goal_p95 = (2 * GOAL_MEDIAN, 2 * GOAL_P95) if "revisits" in name else (GOAL_MEDIAN, GOAL_P95)
    if "first visits" in name:
        goal_median = goal_p95 = float("inf")
    wall_ok = "ok" if median <= goal_median and p95 <= goal_p95 else "miss"
    cpu_ok = "ok" if cmed <= goal_median and cp95 <= goal_p95 else "miss"
    return (f"{name:34s} {len(wall):7d} {median:8.1f} {p95:8.1f} {wall.max():8.1f} {cmed:8.1f} {cp95:8.1f}"
            f"  wall {wall_ok}, cpu {cpu_ok}")


def width_explorer():
    """The WidthExplorer of notebook 09 (its sweep trained as there, then timed)."""
    from backprop_core import depth
    x01, t_all = bp.datasets.sine(n=60, noise=0.25, seed=0)
    X_train, t_train, X_test, t_test = bp.datasets.split((x01 - 0.5) * 6.0, t_all, test_fraction=0.75, seed=0)
    sweep = depth.width_sweep(X_train, t_train, X_test, t_test, [1, 2, 4, 8, 16, 32, 128], activation="tanh",
                              init="he", epochs=1500, optimizer=lambda: bp.Adam(lr=0.02), seed=1)
    return bp.widgets.WidthExplorer(sweep, X_train, t_train, X_test, t_test, width=1)


def widget_sweeps():
    """(widget name, factory, [(row name, control attribute, values)]) for every widget but the lab."""
    from backprop_core.widgets import explorers
    from backprop_core.widgets import function_explorers as fe
    return [
        ("LearningRateExplorer (01)", lambda: explorers.LearningRateExplorer(lr=1e-6, steps=10), [
            ("learning rate η", "lr_slider", list(explorers.LR_VALUES)),
            ("steps k", "steps_slider", list(range(1, 31))),
            ("update rule", "rule", ["post", "loss"] * 5)]),
        ("TrialAndErrorExplorer (03)", explorers.TrialAndErrorExplorer, [
            ("weight w31", ("sliders", "w31"), list(np.round(np.linspace(0, 1, 31), 2))),
            ("weight w'11", ("sliders", "w'11"), list(np.round(np.linspace(0, 1, 31), 2)))]),
        ("ActivationExplorer (08)", fe.ActivationExplorer, [
            ("point z₀", "z0", list(np.round(np.linspace(-5, 5, 31), 1))),
            ("input range z", "z_range", [(-float(h), float(h)) for h in range(1, 11)] * 2),
            ("activation f", "activation", list(fe.ACTIVATION_NAMES) * 2)]),
        ("LossExplorer (08)", fe.LossExplorer, [
            ("prediction y", "prediction", list(np.round(np.linspace(-2, 4, 31), 1))),
            ("target t", "target", list(np.round(np.linspace(-1, 3, 21), 1))),
            ("true label", "label", [0, 1] * 5),
            ("probability p", "probability", list(np.round(np.linspace(0.01, 0.99, 30), 2)))]),
        ("GradientDepthExplorer (09)", lambda: fe.GradientDepthExplorer(depth=10), [
            ("depth", "depth", list(range(2, 21))),
            ("activation f", "activation", list(fe.DEPTH_ACTIVATIONS) * 3),
            ("initialisation", "init", ["uniform", "he", "xavier"] * 3),
            ("random seed", "seed", list(range(1, 21)))]),
        ("WidthExplorer (09)", width_explorer, [
            ("hidden units", "width", [1, 2, 4, 8, 16, 32, 128, 32, 16, 8, 4, 2, 1] * 2)]),
    ]


def _control(widget, attribute):
    if isinstance(attribute, tuple):
        return getattr(widget, attribute[0])[attribute[1]]
    return getattr(widget, attribute)


def timed(action, figure):
    """(wall ms, cpu ms, pixels ms) of action(), checking that it rendered exactly once;
    pixels: until the new PNG was set on the Image widget (the moment it is sent to the
    browser), which is earlier than the callback's end when a widget draws ahead (Stepper)."""
    before = figure.renders
    sent = []

    def record(change):
        sent.append(time.perf_counter())
    figure.image.observe(record, names="value")
    start, start_cpu = time.perf_counter(), time.process_time()
    try:
        action()
    finally:
        figure.image.unobserve(record, names="value")
    end = time.perf_counter()
    wall, cpu = (end - start) * 1e3, (time.process_time() - start_cpu) * 1e3
    if figure.renders != before + 1:
        raise RuntimeError(f"{figure.renders - before} renders instead of 1")
    return wall, cpu, ((sent[0] if sent else end) - start) * 1e3


def widget_row(name, wall, cpu, pixels):
    """One row: wall and cpu time of the callback, and the time until its pixels were sent
    (the goal is checked on the latter)."""
    wall, cpu, pixels = np.asarray(wall), np.asarray(cpu), np.asarray(pixels)
    median, p95, cmed, cp95 = np.median(wall), np.percentile(wall, 95), np.median(cpu), np.percentile(cpu, 95)
    pmed, pp95 = np.median(pixels), np.percentile(pixels, 95)
    ok = "ok" if pmed <= WIDGET_GOAL_MEDIAN and pp95 <= WIDGET_GOAL_P95 else "miss"
    return (f"  {name:38s} {len(wall):7d} {median:8.1f} {p95:8.1f} {wall.max():8.1f} {cmed:8.1f} {cp95:8.1f}"
            f" {pmed:8.1f} {pp95:8.1f}  {ok}")


def network_stepper(example):
    """A function making the Stepper of a worked example as its notebook does."""
    def make():
        e = example()
        return bp.widgets.Stepper(e.net, e.loss, e.X, e.t, optimizer=bp.SGD(lr=e.lr))
    return make


def graph_stepper():
    """The GraphStepper of notebook 01b (E1's chain with L = (y - 90)²)."""
    from backprop_core.widgets.graph_stepper import GraphStepper
    return GraphStepper(bp.graph.e1_chain().out)


def stepper_rows(name, make, repeat):
    """Next through every step (first visits), Back to the start (revisits), Next again."""
    start = time.perf_counter()
    s = make()
    print(f"{name}: built in {(time.perf_counter() - start) * 1e3:.0f} ms, {len(s.steps)} steps")
    rows = {"Next (first visit)": [], "Back (revisit)": [], "Next (revisit)": []}    # (wall, cpu, pixels)
    for _ in range(repeat):
        for row_name, action, count in (("Next (first visit)", s.next, len(s.steps) - 1),
                                        ("Back (revisit)", s.back, len(s.steps) - 1),
                                        ("Next (revisit)", s.next, len(s.steps) - 1)):
            for _ in range(count):
                rows[row_name].append(timed(action, s.figure))
        s = make()                                                   # cold again
    return [(row_name, *zip(*triples)) for row_name, triples in rows.items()]


def other_widgets(repeat=1):
    """Time every control of every widget but the lab; print one row per control."""
    print()
    print(f"other widgets (goal: median <= {WIDGET_GOAL_MEDIAN:.0f} ms, p95 <= {WIDGET_GOAL_P95:.0f} ms "
          f"server-side; load average before: {os.getloadavg()[0]:.2f})")
    print("  wall, cpu: the callback (value change to return); pixels: value change to the new PNG set on")
    print("  the Image widget (sent to the browser; earlier than the return when a widget draws ahead)")
    print(f"  {'widget / control':38s} {'changes':>7s} {'median':>8s} {'p95':>8s} {'max':>8s} "
          f"{'cpu med':>8s} {'cpu p95':>8s} {'pix med':>8s} {'pix p95':>8s}")
    all_wall, all_cpu, all_pixels = [], [], []
    for widget_name, factory, controls in widget_sweeps():
        start = time.perf_counter()
        widget = factory()
        print(f"{widget_name}: built in {(time.perf_counter() - start) * 1e3:.0f} ms")
        for row_name, attribute, values in controls:
            control = _control(widget, attribute)
            start_value = control.value
            wall, cpu, pixels = [], [], []
            for _ in range(repeat):
                for v in values:
                    if control.value == v:
                        continue
                    w, c, p = timed(lambda control=control, v=v: setattr(control, "value", v), widget.figure)
                    wall.append(w)
                    cpu.append(c)
                    pixels.append(p)
            control.value = start_value
            all_wall += wall
            all_cpu += cpu
            all_pixels += pixels
            print(widget_row(row_name, wall, cpu, pixels))
    for name, make in (("Stepper e3_network (03)", network_stepper(bp.examples.e3_network)),
                       ("Stepper e5_network (05)", network_stepper(bp.examples.e5_network)),
                       ("GraphStepper e1_chain (01b)", graph_stepper)):
        for row_name, wall, cpu, pixels in stepper_rows(name, make, repeat):
            all_wall += wall
            all_cpu += cpu
            all_pixels += pixels
            print(widget_row(row_name, wall, cpu, pixels))
    print(widget_row("all widget controls", all_wall, all_cpu, all_pixels))
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def typed_counts(idle_s=2.0):
    """Per 07 lab: the ms from a typed step count (set as from the front end) to the new PNG,
    with the lab's idle-time work between the changes (see --typed)."""
    async def run():
        lab = bp.widgets.TrainingLab()
        print(f"typed step counts, idle {idle_s:.1f} s between them (load average before: "
              f"{os.getloadavg()[0]:.2f}); ms from the change to the new PNG")
        everything = []
        for name, setup in LABS_07:
            lab.set(problem="linear", optimizer="SGD", lr=0.1, momentum=0.9, schedule="constant",
                    batch_size=lab.problems["linear"].n_samples, steps=200, unit="steps", seed=0,
                    log_scale=True, compare="off")
            lab.set(**setup)
            epochs = setup.get("unit") == "epochs"
            counts = [20, 30, 40, 30, 20] if epochs else [300, 400, 500, 400, 300]
            lab.steps.set_state({"value": lab.steps.value + 1})     # one key press first
            await asyncio.sleep(idle_s)
            times = []
            for count in counts:
                renders, start = lab.renders, time.perf_counter()
                lab.steps.set_state({"value": count})                # as a comm message does
                while lab.renders == renders:
                    await asyncio.sleep(0.0005)
                times.append((time.perf_counter() - start) * 1e3)
                await asyncio.sleep(idle_s)
            everything += times
            print(f"  {name:30s} " + "  ".join(f"{c}: {t:5.1f}" for c, t in zip(counts, times)))
        print(f"  all: median {np.median(everything):.1f} ms, max {np.max(everything):.1f} ms; "
              f"load average after: {os.getloadavg()[0]:.2f}")
    asyncio.run(run())


def key_presses(control, presses):
    """Front-end states for `presses` key presses on `control`, each a number of steps from
    the value before it, turned back at the slider's ends as a press there would be (a
    SelectionSlider moves its index; a range slider its low end)."""
    states = []
    if isinstance(control, widgets.SelectionSlider):
        index, last = control.index, len(control.options) - 1
        for k in presses:
            index = index + k if 0 <= index + k <= last else index - k
            states.append({"index": index})
        return states
    value = control.value
    low, high = control.min, control.max
    for k in presses:
        if isinstance(value, tuple):
            end = value[0] + k * control.step
            end = end if low <= end < value[1] else value[0] - k * control.step
            value = (round(end, 10), value[1])
        else:
            moved = value + k * control.step
            value = round(moved if low <= moved <= high else value - k * control.step, 10)
        states.append({"value": value})
    return states


PRESSES = (1, 1, 5, -5, -1, -1)         # arrow, arrow, page up, page down, arrow back, arrow back


def idle_presses(idle_s=1.0):
    """Key presses on each slider of the explorers and of the lab, set as from the front end
    in a running event loop with `idle_s` between them (a reader's pause): ms from the
    change to the new PNG, with the widgets' idle-time work (PictureWidget.idle_work)."""
    from backprop_core.widgets import explorers
    from backprop_core.widgets import function_explorers as fe
    cases = [
        ("LearningRateExplorer (01)", lambda: explorers.LearningRateExplorer(lr=1e-6, steps=10),
         ["lr_slider", "steps_slider"]),
        ("ActivationExplorer (08)", fe.ActivationExplorer, ["z_range", "z0"]),
        ("LossExplorer (08)", fe.LossExplorer, ["target", "prediction"]),
        ("GradientDepthExplorer (09)", lambda: fe.GradientDepthExplorer(depth=10), ["depth", "seed"]),
        ("TrainingLab (07, default)", bp.widgets.TrainingLab, ["lr", "batch_size", "steps"]),
        ("TrainingLab (07.2 tanh μ compare)",
         lambda: bp.widgets.TrainingLab(problem="nonlinear", compare="momentum", lr=0.1),
         ["lr", "batch_size", "steps"]),
    ]

    async def run():
        print(f"key presses {PRESSES} per slider, idle {idle_s:.2f} s between them, as from the front "
              f"end in an event loop (load average before: {os.getloadavg()[0]:.2f}); ms from the "
              f"change to the new PNG")
        everything = []
        for name, make, attributes in cases:
            widget = make()
            await asyncio.sleep(idle_s)
            for attribute in attributes:
                control = getattr(widget, attribute)
                times = []
                for state in key_presses(control, PRESSES):
                    renders, start = widget.figure.renders, time.perf_counter()
                    control.set_state(state)
                    while widget.figure.renders == renders and time.perf_counter() - start < 2.0:
                        await asyncio.sleep(0.0005)
                    if widget.figure.renders != renders:       # (a value past the slider's end: none)
                        times.append((time.perf_counter() - start) * 1e3)
                    await asyncio.sleep(idle_s)
                everything += times
                print(f"  {name + ': ' + control.description:58s} median {np.median(times):5.1f}  max "
                      f"{np.max(times):5.1f}   ({' '.join(f'{t:.0f}' for t in times)})")
        print(f"  all: median {np.median(everything):.1f} ms, p95 {np.percentile(everything, 95):.1f} ms; "
              f"load average after: {os.getloadavg()[0]:.2f}")
    asyncio.run(run())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="sweep every control this many times")
    parser.add_argument("--warm", action="store_true", help="keep the lab's cache of descents")
    parser.add_argument("--naive", action="store_true",
                        help="draw the whole figure with print_png on every change (no blitting)")
    parser.add_argument("--only", nargs="*", help="sweep only these rows (names as printed, e.g. 'lr (SGD)')")
    parser.add_argument("--all", action="store_true", help="the lab, then every other widget of the package")
    parser.add_argument("--widgets", action="store_true", help="only the other widgets (not the lab)")
    parser.add_argument("--typed", action="store_true",
                        help="only step counts typed into 07's labs, with idle time between (an event loop)")
    parser.add_argument("--presses", action="store_true",
                        help="only key presses on the explorers' and the lab's sliders, idle time between")
    parser.add_argument("--idle", type=float, default=1.0,
                        help="--presses: seconds between presses (a reader's pause; default 1.0)")
    args = parser.parse_args()
    warnings.simplefilter("error")
    if args.typed:
        typed_counts()
        return
    if args.presses:
        idle_presses(args.idle)
        return
    if args.widgets:
        other_widgets(args.repeat)
        return
    load = os.getloadavg()
    start = time.perf_counter()
    lab = bp.widgets.TrainingLab()
    if args.naive:
        lab.figure.render = lab.figure.render_print_png   # matplotlib's print_png, no blitting
    built = (time.perf_counter() - start) * 1e3
    print(f"{'naive rendering: ' if args.naive else ''}TrainingLab() built in {built:.0f} ms; "
          f"{lab.figure.canvas.get_width_height()} px; 200 steps per run; "
          f"cache {'warm' if args.warm else 'cleared before every change'}; "
          f"load average before: {load[0]:.2f} (cpus: {os.cpu_count()})")
    print("wall = time from the value change to the finished PNG; cpu = this process's CPU time in the same")
    print("interval (what the wall time would be on an idle machine, when other processes compete for the cores)")
    print(f"{'control':34s} {'changes':>7s} {'median':>8s} {'p95':>8s} {'max':>8s} {'cpu med':>8s} "
          f"{'cpu p95':>8s}  goal (median <= {GOAL_MEDIAN:.0f}, p95 <= {GOAL_P95:.0f} ms)")
    all_wall, all_cpu = [], []
    for name, setup, control_name, values, warm in sweeps(lab):
        if args.only and name not in args.only:
            continue
        lab.set(problem="linear", optimizer="SGD", lr=0.1, momentum=0.9, schedule="constant",
                batch_size=lab.problems["linear"].n_samples, steps=200, unit="steps", seed=0,
                log_scale=True, compare="off")
        if setup:
            lab.set(**setup)
        pairs = [measure(lab, lab.controls[control_name], values, args.warm or warm) for _ in range(args.repeat)]
        wall = np.concatenate([w for w, _ in pairs])
        cpu = np.concatenate([c for _, c in pairs])
        all_wall.append(wall)
        all_cpu.append(cpu)
        print(row(name, wall, cpu))
    print(row("all controls", np.concatenate(all_wall), np.concatenate(all_cpu)))
    print(f"full background redraws: {lab.figure.full_draws} of {lab.renders} renders; "
          f"load average after: {os.getloadavg()[0]:.2f}")
    if args.all:
        other_widgets(args.repeat)


if __name__ == "__main__":
    main()
