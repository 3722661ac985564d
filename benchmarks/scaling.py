"""How the core's speed scales with batch size and with width.

    python benchmarks/scaling.py           # about 1-2 minutes on 2 cores
    python benchmarks/scaling.py --quick   # a smoke test

1. Time per epoch (bp.fit, one epoch, 4096 samples, 64-128-10 sigmoid, MSE, SGD, float64)
   for batch sizes 1, 2, 4, ..., 4096, and the same as time per sample.
2. Time per training step (batch 512) of a width-width-10 network for widths 32 ... 2048,
   as the FLOP rate of its matrix products (forward x W, backward x^T delta and delta W^T:
   2 * batch * n_in * n_out each), beside one large plain matrix product (the BLAS rate).
Prints tables; writes benchmarks/results/scaling.md and scaling.png (scaling_1thread.* when
OPENBLAS_NUM_THREADS=1: steadier on a busy machine).
"""
import argparse
import os
import pathlib
import sys
import time

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402

import backprop_core as bp  # noqa: E402
from backprop_core.plotting.speed import plot_epoch_time, plot_flop_rate  # noqa: E402
from backprop_core.timing import format_seconds, markdown_table, median_time, sweep  # noqa: E402

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
N_SAMPLES = 4096
SIZES = (64, 128, 10)
WIDTH_BATCH = 512


def epoch_sweep(batch_sizes, repeat, clock):
    """{batch size: Timing of one bp.fit epoch}, every epoch from the same starting weights."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((N_SAMPLES, SIZES[0]))
    t = rng.uniform(0.1, 0.9, (N_SAMPLES, SIZES[-1]))
    start = bp.Sequential(bp.Dense(SIZES[0], SIZES[1], "sigmoid", seed=0),
                          bp.Dense(SIZES[1], SIZES[2], "sigmoid", seed=1))

    def epoch(batch_size):
        bp.fit(start.copy(), X, t, bp.MSE(), bp.SGD(lr=0.1), epochs=1, batch_size=batch_size, seed=0)
    return sweep(epoch, batch_sizes, repeat=repeat, clock=clock)


def step_flops(sizes, batch):
    """Floating-point operations of one step's matrix products: forward x W and backward
    x^T delta for every layer, delta W^T for every layer but the first (2 per multiply-add)."""
    flops = 0
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        products = 2 if i == 0 else 3
        flops += products * 2 * batch * n_in * n_out
    return flops


def width_sweep(widths, dtype, repeat, clock):
    """{width: (Timing of one step, GFLOP/s)} for a width-width-10 network at WIDTH_BATCH."""
    out = {}
    rng = np.random.default_rng(0)
    for w in widths:
        sizes = (w, w, 10)
        X = rng.standard_normal((WIDTH_BATCH, w)).astype(dtype)
        t = rng.uniform(0.1, 0.9, (WIDTH_BATCH, 10)).astype(dtype)
        net = bp.Sequential(bp.Dense(w, w, "sigmoid", seed=0, dtype=dtype),
                            bp.Dense(w, 10, "sigmoid", seed=1, dtype=dtype))
        loss, opt = bp.MSE(), bp.SGD(lr=0.1)

        def step(net=net, loss=loss, opt=opt, X=X, t=t):
            net.backward(loss.grad(net.forward(X), t), input_grad=False)
            opt.step(net)
        timing = median_time(step, repeat=repeat, min_time=0.05, clock=clock)
        out[w] = (timing, step_flops(sizes, WIDTH_BATCH) / timing.median / 1e9)
    return out


def matmul_rate(n, dtype, repeat, clock):
    """GFLOP/s of one plain (WIDTH_BATCH, n) @ (n, n) product: what the BLAS can do."""
    rng = np.random.default_rng(1)
    A = rng.standard_normal((WIDTH_BATCH, n)).astype(dtype)
    B = rng.standard_normal((n, n)).astype(dtype)
    timing = median_time(lambda: A @ B, repeat=repeat, min_time=0.05, clock=clock)
    return 2 * WIDTH_BATCH * n * n / timing.median / 1e9


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer sizes and rounds (smoke test)")
    parser.add_argument("--out", help="folder for scaling.md/.png (default benchmarks/results; "
                                      "--quick writes only with --out)")
    parser.add_argument("--cpu-time", action="store_true",
                        help="time with the process's CPU time (steady on a busy machine; use it with "
                             "OPENBLAS_NUM_THREADS=1, since it adds up all threads)")
    args = parser.parse_args(argv)
    clock = time.process_time if args.cpu_time else time.perf_counter
    out = args.out or RESULTS
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "")
    stem = "scaling" if not threads.isdigit() or int(threads) == os.cpu_count() else f"scaling_{threads}thread"
    stem += "_cputime" if args.cpu_time else ""
    started = time.perf_counter()
    batch_sizes = [2 ** k for k in range(0, 13, 3 if args.quick else 1)]
    widths = [32, 128, 512] if args.quick else [32, 64, 128, 256, 512, 1024, 2048]
    repeat = 2 if args.quick else 3

    epochs = epoch_sweep(batch_sizes, repeat, clock)
    rows = [[str(b), str(bp.batches.updates_per_epoch(N_SAMPLES, b)), str(tm),
             format_seconds(tm.per(N_SAMPLES)), f"{epochs[batch_sizes[0]].median / tm.median:.1f}"]
            for b, tm in epochs.items()]
    table1 = markdown_table(["batch size", "updates per epoch", "time per epoch", "time per sample",
                             f"speed-up over batch {batch_sizes[0]}"], rows)
    print(table1, flush=True)

    rates, peaks, rows = {}, {}, []
    for dtype in (np.float32, np.float64):
        name = np.dtype(dtype).name
        rates[name] = width_sweep(widths, dtype, repeat + 2, clock)
        peaks[name] = matmul_rate(widths[-1], dtype, repeat + 4, clock)
        for w, (tm, gf) in rates[name].items():
            rows.append([name, f"{w}-{w}-10", str(tm), f"{gf:.1f}", f"{gf / peaks[name]:.0%}"])
    table2 = markdown_table(["dtype", f"network (batch {WIDTH_BATCH})", "time per step",
                             "GFLOP/s", "of one large product"], rows)
    peak_line = ", ".join(f"{k} {v:.1f} GFLOP/s" for k, v in peaks.items())
    print(f"\n{table2}\n\nOne ({WIDTH_BATCH}, {widths[-1]}) @ ({widths[-1]}, {widths[-1]}) product: "
          f"{peak_line}", flush=True)

    fig = plot_epoch_time(batch_sizes, [tm.median for tm in epochs.values()], N_SAMPLES)
    fig.set_size_inches(9.6, 3.4)
    ax_epoch = fig.axes[0]
    ax_epoch.set_position([0.10, 0.16, 0.34, 0.72])
    ax_flops = fig.add_axes([0.60, 0.16, 0.37, 0.72])
    for name, color in (("float32", bp.plotting.COLORS["green"]), ("float64", bp.plotting.COLORS["red"])):
        plot_flop_rate(widths, [gf for _, gf in rates[name].values()], ax=ax_flops,
                       peak=peaks[name], label=name, color=color)
    ax_flops.set_title(f"Training step, width-width-10, batch {WIDTH_BATCH}")
    fig.set_layout_engine("none")
    elapsed = time.perf_counter() - started
    if args.out or not args.quick:
        os.makedirs(out, exist_ok=True)
        fig.savefig(os.path.join(out, f"{stem}.png"), dpi=80)
        loadavg = pathlib.Path("/proc/loadavg")
        load = " ".join(loadavg.read_text().split()[:3]) if loadavg.exists() else "?"
        with open(os.path.join(out, f"{stem}.md"), "w") as f:
            when = time.strftime('%Y-%m-%d %H:%M', time.gmtime())
            clock_name = "CPU time of the process" if args.cpu_time else "wall-clock time"
            f.write(f"# backprop_core: speed against batch size and width\n\n{when} UTC, "
                    f"{os.cpu_count()} cores, BLAS threads {threads or os.cpu_count()}, "
                    f"{clock_name}, numpy {np.__version__}; load average {load} at the end.\n\n"
                    f"## Time per epoch ({N_SAMPLES} samples, {'-'.join(map(str, SIZES))} sigmoid, MSE, "
                    f"SGD, float64, bp.fit; median of {repeat})\n\n{table1}\n\n"
                    f"## FLOP rate of the training step's matrix products\n\n{table2}\n\n"
                    f"One ({WIDTH_BATCH}, {widths[-1]}) @ ({widths[-1]}, {widths[-1]}) product: {peak_line}.\n\n"
                    f"![scaling]({stem}.png)\n\nRun time {elapsed:.0f} s.\n")
    print(f"\nRun time {elapsed:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
