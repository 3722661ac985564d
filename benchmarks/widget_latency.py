"""Latency of the training lab: time from a control's value change to a finished redraw.

    .venv/bin/python benchmarks/widget_latency.py [--repeat 2] [--warm] [--naive]

Each control of `bp.widgets.TrainingLab()` is driven programmatically (`control.value = v`,
exactly what a slider drag does) through a sweep of values; the time runs until the
callback returns, i.e. until the descent is trained (200 steps), the artists are moved
and the PNG is rendered into the Image widget. By default the lab's cache of descents is
cleared before every change (cold: every change trains again); --warm keeps it.
--naive measures the same lab without its rendering shortcuts (the whole figure drawn
and encoded by matplotlib's print_png on every change): the "before" of the optimisation.
Goal (issue 4) on the 2-core machine: median <= 30 ms, p95 <= 60 ms per control.
"""
import argparse
import os
import time
import warnings

import numpy as np

import backprop_core as bp

GOAL_MEDIAN, GOAL_P95 = 30.0, 60.0


def sweeps(lab):
    """(row name, setup dict, control name, values) for every control."""
    n = lab.problems["linear"].n_samples
    return [
        ("lr (SGD)", {}, "lr", list(np.logspace(-3, 0.4, 30))),
        ("momentum (SGD+momentum)", {"optimizer": "SGD+momentum"}, "momentum", list(np.linspace(0, 0.99, 30))),
        ("batch_size", {}, "batch_size", list(range(1, n + 1)) + list(range(n, 0, -2))),
        ("optimizer", {"momentum": 0.9}, "optimizer", list(bp.widgets.lab.OPTIMIZERS) * 5),
        ("schedule", {"lr": 0.3}, "schedule", [v for _, v in bp.widgets.lab.SCHEDULES] * 6),
        ("steps", {}, "steps", list(range(150, 251, 5))),
        ("unit (steps/epochs)", {}, "unit", ["epochs", "steps"] * 10),
        ("seed (batch 5)", {"batch_size": 5}, "seed", list(range(1, 21))),
        ("log_scale", {}, "log_scale", [False, True] * 10),
        ("compare", {}, "compare", [v for _, v in bp.widgets.lab.COMPARES[1:]] + ["off"] * 1 +
         [v for _, v in bp.widgets.lab.COMPARES[1:]] * 3),
        ("problem", {}, "problem", ["noisy", "bowl", "nonlinear", "linear"] * 5),
        ("lr (compare: 3 runs)", {"compare": "lr"}, "lr", list(np.logspace(-3, 0.4, 30))),
        ("lr (bowl, momentum)", {"problem": "bowl", "optimizer": "SGD+momentum"}, "lr",
         list(np.logspace(-3, 0.4, 30))),
        ("lr (nonlinear, batch 4)", {"problem": "nonlinear", "batch_size": 4}, "lr",
         list(np.logspace(-3, 0.4, 30))),
    ]


def measure(lab, control, values, warm=False):
    """(wall ms, cpu ms) per value change."""
    wall, cpu = [], []
    for v in values:
        if control.value == v:
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
    median, p95 = np.median(wall), np.percentile(wall, 95)
    cmed, cp95 = np.median(cpu), np.percentile(cpu, 95)
    wall_ok = "ok" if median <= GOAL_MEDIAN and p95 <= GOAL_P95 else "miss"
    cpu_ok = "ok" if cmed <= GOAL_MEDIAN and cp95 <= GOAL_P95 else "miss"
    return (f"{name:28s} {len(wall):7d} {median:8.1f} {p95:8.1f} {wall.max():8.1f} {cmed:8.1f} {cp95:8.1f}"
            f"  wall {wall_ok}, cpu {cpu_ok}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="sweep every control this many times")
    parser.add_argument("--warm", action="store_true", help="keep the lab's cache of descents")
    parser.add_argument("--naive", action="store_true",
                        help="draw the whole figure with print_png on every change (no blitting)")
    parser.add_argument("--only", nargs="*", help="sweep only these rows (names as printed, e.g. 'lr (SGD)')")
    args = parser.parse_args()
    warnings.simplefilter("error")
    load = os.getloadavg()
    start = time.perf_counter()
    lab = bp.widgets.TrainingLab()
    if args.naive:
        lab.figure.render = bp.widgets.FigureImage.render.__get__(lab.figure)   # base class: print_png
    built = (time.perf_counter() - start) * 1e3
    print(f"{'naive rendering: ' if args.naive else ''}TrainingLab() built in {built:.0f} ms; "
          f"{lab.figure.canvas.get_width_height()} px; 200 steps per run; "
          f"cache {'warm' if args.warm else 'cleared before every change'}; "
          f"load average before: {load[0]:.2f} (cpus: {os.cpu_count()})")
    print("wall = time from the value change to the finished PNG; cpu = this process's CPU time in the same")
    print("interval (what the wall time would be on an idle machine, when other processes compete for the cores)")
    print(f"{'control':28s} {'changes':>7s} {'median':>8s} {'p95':>8s} {'max':>8s} {'cpu med':>8s} "
          f"{'cpu p95':>8s}  goal (median <= {GOAL_MEDIAN:.0f}, p95 <= {GOAL_P95:.0f} ms)")
    all_wall, all_cpu = [], []
    for name, setup, control_name, values in sweeps(lab):
        if args.only and name not in args.only:
            continue
        lab.set(problem="linear", optimizer="SGD", lr=0.1, momentum=0.9, schedule="constant",
                batch_size=lab.problems["linear"].n_samples, steps=200, unit="steps", seed=0,
                log_scale=True, compare="off")
        if setup:
            lab.set(**setup)
        pairs = [measure(lab, lab.controls[control_name], values, args.warm) for _ in range(args.repeat)]
        wall = np.concatenate([w for w, _ in pairs])
        cpu = np.concatenate([c for _, c in pairs])
        all_wall.append(wall)
        all_cpu.append(cpu)
        print(row(name, wall, cpu))
    print(row("all controls", np.concatenate(all_wall), np.concatenate(all_cpu)))
    print(f"full background redraws: {lab.figure.full_draws} of {lab.renders} renders; "
          f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
