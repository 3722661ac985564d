"""Training-step throughput of backprop_core against its peers, side by side in one run.

    python benchmarks/compare.py            # full run (about 3-5 minutes on 2 cores)
    python benchmarks/compare.py --quick    # fewer rounds, small shapes only (a smoke test)

One training step = forward + backward + SGD update on one mini-batch. Peers, timed in
the same process with interleaved rounds (core, lean, torch, core, lean, torch, ...):
  core       backprop_core: net.forward, loss.grad, net.backward, SGD.step
  lean       one hand-written numpy function, no abstraction: the overhead floor for numpy
  torch      PyTorch CPU eager: nn.Sequential, MSELoss, optim.SGD (same threads as numpy)
  scalar     bp.scalar.ScalarMLP: seed 000's style, Python loops, one sample at a time
  micrograd  Karpathy's scalar autograd (ReLU hidden layer, linear output: all it has)
Network: n_in-n_hidden-n_out, sigmoid hidden and sigmoid output, MSE loss (seed 000's
network, widened); micrograd's rows use the ReLU/linear network it supports and time the
core on that same network. A peer that is not installed is reported as skipped.
Threads: numpy's BLAS uses every core unless OPENBLAS_NUM_THREADS is set; torch is given the
same number (torch.set_num_threads). `OPENBLAS_NUM_THREADS=1 python benchmarks/compare.py`
compares single-threaded (steadier on a busy machine).
Results: printed, and written to benchmarks/results/compare.md (compare_1thread.md etc.).
"""
import argparse
import datetime
import os
import platform
import sys
import time

import numpy as np

import backprop_core as bp
from backprop_core.timing import compare_times, format_seconds, markdown_table, median_time

try:
    import torch
except ImportError:                      # the `bench` extra is not installed
    torch = None
try:
    import micrograd.engine
    import micrograd.nn
except ImportError:
    micrograd = None

SHAPES = [((64, 128, 10), 1), ((64, 128, 10), 32), ((64, 128, 10), 256),
          ((784, 256, 10), 256), ((1024, 1024, 10), 1024)]
DTYPES = [np.float32, np.float64]
LR = 0.1
RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def make_data(sizes, batch, dtype, seed=0):
    """X: (batch, n_in) standard normal, t: (batch, n_out) in (0, 1) (sigmoid targets)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((batch, sizes[0])).astype(dtype)
    t = rng.uniform(0.1, 0.9, (batch, sizes[-1])).astype(dtype)
    return X, t


def core_net(sizes, dtype, hidden="sigmoid", output="sigmoid"):
    return bp.Sequential(bp.Dense(sizes[0], sizes[1], hidden, seed=0, dtype=dtype),
                         bp.Dense(sizes[1], sizes[2], output, seed=1, dtype=dtype))


def core_stepper(net, X, t):
    loss, opt = bp.MSE(), bp.SGD(lr=LR)

    def step():
        y = net.forward(X)
        net.backward(loss.grad(y, t), input_grad=False)    # X is data: no dL/dX, as in torch
        opt.step(net)
    return step


def lean_step(X, t, W1, b1, W2, b2, lr):
    """The whole training step as one numpy function (MSE, sigmoid layers)."""
    z1 = X @ W1 + b1
    a1 = 1.0 / (1.0 + np.exp(-z1))
    z2 = a1 @ W2 + b2
    a2 = 1.0 / (1.0 + np.exp(-z2))
    delta2 = (2.0 / a2.size) * (a2 - t) * a2 * (1.0 - a2)
    delta1 = (delta2 @ W2.T) * a1 * (1.0 - a1)
    W2 -= lr * (a1.T @ delta2)
    b2 -= lr * delta2.sum(axis=0)
    W1 -= lr * (X.T @ delta1)
    b1 -= lr * delta1.sum(axis=0)


def lean_stepper(net, X, t):
    W1, b1, W2, b2 = [p.copy() for p in net.parameters()]
    lr = X.dtype.type(LR)
    return (lambda: lean_step(X, t, W1, b1, W2, b2, lr)), [W1, b1, W2, b2]


def torch_stepper(net, X, t):
    """nn.Sequential with the core's weights (transposed: torch keeps W as (out, in))."""
    dtype = torch.float32 if X.dtype == np.float32 else torch.float64
    first, second = net.layers
    model = torch.nn.Sequential(torch.nn.Linear(first.n_in, first.n_out, dtype=dtype), torch.nn.Sigmoid(),
                                torch.nn.Linear(second.n_in, second.n_out, dtype=dtype),
                                torch.nn.Sigmoid())
    with torch.no_grad():
        for linear, layer in ((model[0], first), (model[2], second)):
            linear.weight.copy_(torch.from_numpy(layer.W.T.copy()))
            linear.bias.copy_(torch.from_numpy(layer.b.copy()))
    Xt, tt = torch.from_numpy(X), torch.from_numpy(t)
    mse = torch.nn.MSELoss()
    opt = torch.optim.SGD(model.parameters(), lr=LR)

    def step():
        opt.zero_grad(set_to_none=True)
        mse(model(Xt), tt).backward()
        opt.step()

    def params():
        return [model[0].weight.detach().numpy().T, model[0].bias.detach().numpy(),
                model[2].weight.detach().numpy().T, model[2].bias.detach().numpy()]
    return step, params


def max_diff(a_list, b_list):
    return max(float(np.max(np.abs(np.asarray(a, float) - np.asarray(b, float))))
               for a, b in zip(a_list, b_list))


def check_same_update(sizes, dtype):
    """One step from the same weights: core, lean and torch must give the same new weights."""
    X, t = make_data(sizes, 8, dtype, seed=1)
    net = core_net(sizes, dtype)
    lean, lean_params = lean_stepper(net, X, t)
    diffs = {}
    if torch is not None:
        tstep, tparams = torch_stepper(net, X, t)
        tstep()
        after_torch = tparams()
    core_stepper(net, X, t)()
    lean()
    diffs["lean"] = max_diff(net.parameters(), lean_params)
    if torch is not None:
        diffs["torch"] = max_diff(net.parameters(), after_torch)
    return diffs


def check_scalar_same_gradients(sizes=(4, 5, 3)):
    """ScalarMLP and the core, same weights, one sample: same weights after one SGD step."""
    scalar = bp.scalar.ScalarMLP(sizes, seed=3)
    net = bp.Sequential(*[bp.Dense(n_in, n_out, "sigmoid", weights=np.array(W), bias=np.array(b))
                          for n_in, n_out, W, b in zip(sizes[:-1], sizes[1:], scalar.W, scalar.b)])
    X, t = make_data(sizes, 1, np.float64, seed=2)
    scalar.train_sample(list(X[0]), list(t[0]), LR)
    core_stepper(net, X, t)()
    after = [a for W, b in zip(scalar.W, scalar.b) for a in (np.array(W), np.array(b))]
    return max_diff(net.parameters(), after)


def time_scalar(sizes, samples, clock):
    """Seconds per sample of ScalarMLP.train_sample (median over the samples)."""
    scalar = bp.scalar.ScalarMLP(sizes, seed=0)
    X, t = make_data(sizes, samples, np.float64)
    rows = [(list(map(float, x)), list(map(float, y))) for x, y in zip(X, t)]
    it = iter(rows * 1000)
    return median_time(lambda: scalar.train_sample(*next(it), LR), repeat=samples - 1,
                       number=1, warmup=1, clock=clock)


def time_micrograd(sizes, samples, clock):
    """Seconds per sample of micrograd: build the graph, MSE, backward, SGD (ReLU/linear MLP)."""
    import random
    random.seed(0)
    # micrograd sorts its graph recursively: a sum over 784 inputs is a chain ~1600 deep
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20 * sizes[0] + 1000))
    model = micrograd.nn.MLP(sizes[0], list(sizes[1:]))
    X, t = make_data(sizes, samples, np.float64)
    rows = iter([(list(map(float, x)), list(map(float, y))) for x, y in zip(X, t)] * 1000)
    params = model.parameters()

    def step():
        x, y = next(rows)
        out = model(x)
        loss = sum((o - yi) ** 2 for o, yi in zip(out, y)) * (1.0 / len(y))
        model.zero_grad()
        loss.backward()
        for p in params:
            p.data -= LR * p.grad
    # pure Python: nothing to warm up, and one 784-wide sample already takes many seconds
    return median_time(step, repeat=samples, number=1, warmup=0, clock=clock)


def goal_lines(step_results, vs_scalar, vs_micrograd):
    """Every goal of issue 6 as 'MET' or 'MISSED' with the measured ratios."""
    def verdict(ok):
        return "MET" if ok else "MISSED"
    lines = []
    lean = {k: t["core"].median / t["lean"].median for k, t in step_results.items()}
    shape = ", ".join(f"{'-'.join(map(str, s))}@{b} {d} {r:.2f}" for (s, b, d), r in lean.items())
    lines.append(f"core/lean <= 1.5 at every shape: {verdict(max(lean.values()) <= 1.5)} ({shape})")
    for sizes, batch, bound in (((64, 128, 10), 32, 0.5), ((784, 256, 10), 256, 1.25)):
        t = step_results.get((sizes, batch, "float32"))
        if t is None or "torch" not in t:
            why = "torch not installed" if torch is None else "shape not in this run"
            lines.append(f"core/torch <= {bound} at {'-'.join(map(str, sizes))}@{batch} float32: "
                         f"not measured ({why})")
            continue
        r = t["core"].median / t["torch"].median
        lines.append(f"core/torch <= {bound} at {'-'.join(map(str, sizes))}@{batch} float32: "
                     f"{verdict(r <= bound)} ({r:.2f})")
    at256 = {k: r for k, r in vs_scalar.items() if k[1] == 256}
    if at256:
        text = ", ".join(f"{'-'.join(map(str, s))} {d} {r:,.0f}x" for (s, b, d), r in at256.items())
        lines.append(f">= 100x the scalar loop per sample at batch 256: "
                     f"{verdict(min(at256.values()) >= 100)} ({text})")
    mg = {k: r for k, r in vs_micrograd.items() if k[1] == 256 and r is not None}
    if mg:
        text = ", ".join(f"{'-'.join(map(str, s))} {r:,.0f}x" for (s, b), r in mg.items())
        lines.append(f">= 1000x micrograd per sample at batch 256: {verdict(min(mg.values()) >= 1000)} "
                     f"({text}; float64, ReLU/linear network)")
    else:
        why = "micrograd not installed" if micrograd is None else "no batch-256 shape in this run"
        lines.append(f">= 1000x micrograd per sample at batch 256: not measured ({why})")
    return lines


def fmt_ratio(r):
    return "-" if r is None else (f"{r:.2f}" if r < 100 else f"{r:,.0f}")


def blas_threads():
    """Threads numpy's OpenBLAS uses: OPENBLAS_NUM_THREADS (or OMP_NUM_THREADS), else every core."""
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        if os.environ.get(name, "").isdigit():
            return int(os.environ[name])
    return os.cpu_count()


def load_average():
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "unknown"


def machine_info():
    threads = torch.get_num_threads() if torch is not None else "-"
    blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; {cpu}, "
            f"{os.cpu_count()} cores, numpy BLAS threads {blas_threads()}; load average "
            f"{load_average()} at the start; Python {platform.python_version()}; numpy {np.__version__} "
            f"({blas.get('name', '?')} {blas.get('version', '')}); "
            f"torch {torch.__version__ if torch is not None else 'not installed'} "
            f"(threads {threads}); micrograd {'installed' if micrograd is not None else 'not installed'}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small shapes, 3 rounds (smoke test)")
    parser.add_argument("--rounds", type=int, default=9, help="timed rounds per peer (median)")
    parser.add_argument("--no-save", action="store_true", help="do not write results/compare.md")
    parser.add_argument("--cpu-time", action="store_true",
                        help="time with the process's CPU time instead of the wall clock: steady on a "
                             "busy machine; use it with OPENBLAS_NUM_THREADS=1 (it adds up all threads)")
    args = parser.parse_args(argv)
    clock = time.process_time if args.cpu_time else time.perf_counter
    clock_name = "CPU time of this process" if args.cpu_time else "wall-clock time"
    shapes = SHAPES[:2] if args.quick else SHAPES
    rounds = 3 if args.quick else args.rounds
    if torch is not None:
        torch.set_num_threads(blas_threads())          # the same threads as numpy's BLAS
    started = time.perf_counter()
    out = ["# backprop_core vs its peers: time per training step", "", machine_info(), ""]
    out.append("One step = forward + backward + SGD update (lr 0.1) on one mini-batch; network "
               f"n_in-n_hidden-n_out, sigmoid/sigmoid, MSE. Measured as {clock_name}. Median of "
               f"{rounds} interleaved rounds after a warm-up. Ratios: time / time (lower is "
               "faster for the core).")
    print("\n".join(out), flush=True)

    checks = []
    for dtype in DTYPES:
        d = check_same_update((64, 128, 10), dtype)
        checks.append(f"{np.dtype(dtype).name}: max |w_core - w_peer| after one step: "
                      + ", ".join(f"{k} {v:.1e}" for k, v in d.items()))
    checks.append(f"scalar loop (ScalarMLP 4-5-3, one sample): max |w_core - w_scalar| = "
                  f"{check_scalar_same_gradients():.1e}")
    print("\nSame update checked:\n" + "\n".join("- " + c for c in checks), flush=True)

    step_rows, step_results = [], {}
    for sizes, batch in shapes:
        for dtype in DTYPES:
            X, t = make_data(sizes, batch, dtype)
            net = core_net(sizes, dtype)
            fns = {"core": core_stepper(net, X, t), "lean": lean_stepper(core_net(sizes, dtype), X, t)[0]}
            if torch is not None:
                fns["torch"] = torch_stepper(core_net(sizes, dtype), X, t)[0]
            with np.errstate(over="ignore"):           # lean's 1/(1+e^-z) may overflow e^-z: harmless
                times = compare_times(fns, repeat=rounds, min_time=0.05 if batch < 1024 else 0.2,
                                      clock=clock)
            name = f"{'-'.join(map(str, sizes))} @ {batch}"
            tt = times.get("torch")
            step_results[(sizes, batch, np.dtype(dtype).name)] = times
            step_rows.append([name, np.dtype(dtype).name, str(times["core"]), str(times["lean"]),
                              str(tt) if tt else "skipped (no torch)",
                              fmt_ratio(times["core"].median / times["lean"].median),
                              fmt_ratio(times["core"].median / tt.median) if tt else "-"])
            print(" | ".join(step_rows[-1]), flush=True)
    table1 = markdown_table(["shape @ batch", "dtype", "core", "lean numpy", "torch", "core/lean",
                             "core/torch"], step_rows)

    # per-sample throughput against the scalar loop and micrograd (one sample per update)
    sample_rows, vs_scalar, vs_micrograd = [], {}, {}
    for sizes, batch in [s for s in shapes if s[1] >= 256]:
        n_scalar = 3 if sizes[0] > 500 else 6
        ts = time_scalar(sizes, n_scalar, clock)
        tm = None
        if micrograd is not None and sizes[0] * sizes[1] <= 784 * 256:
            tm = time_micrograd(sizes, 1 if sizes[0] > 500 else 3, clock)
            vs_micrograd[sizes, batch] = None
        X, t = make_data(sizes, batch, np.float64)
        relu_net = core_net(sizes, np.float64, "relu", "identity")
        core_relu = median_time(core_stepper(relu_net, X, t), repeat=rounds, min_time=0.05, clock=clock)
        for dtype in DTYPES:
            core = step_results[(sizes, batch, np.dtype(dtype).name)]["core"]
            per = core.per(batch)
            vs_scalar[sizes, batch, np.dtype(dtype).name] = ts.median / per
            if tm is not None:
                vs_micrograd[sizes, batch] = tm.median / core_relu.per(batch)
            sample_rows.append([
                f"{'-'.join(map(str, sizes))} @ {batch}", np.dtype(dtype).name, format_seconds(per),
                f"{format_seconds(ts.median)} ({len(ts.per_call)} timed)", fmt_ratio(ts.median / per),
                "-" if tm is None or dtype != np.float64 else
                f"{format_seconds(tm.median)} ({len(tm.per_call)} timed)",
                "-" if tm is None or dtype != np.float64 else
                f"{fmt_ratio(tm.median / core_relu.per(batch))} "
                f"(core ReLU net {format_seconds(core_relu.per(batch))})"])
            print(" | ".join(sample_rows[-1]), flush=True)
    if micrograd is None:
        print("micrograd: skipped (not installed: pip install micrograd)")
    table2 = markdown_table(["shape @ batch", "dtype", "core per sample", "scalar loop per sample",
                             "core speed-up", "micrograd per sample", "core speed-up vs micrograd"],
                            sample_rows)
    goals = goal_lines(step_results, vs_scalar, vs_micrograd)
    elapsed = time.perf_counter() - started
    out += ["", "## Goals (issue 6)", ""] + ["- " + g for g in goals]
    out += ["", "## Checks", ""] + ["- " + c for c in checks]
    out += ["", "## Time per training step", "", table1, ""]
    out += ["## Per sample: the vectorised core vs one-sample-at-a-time Python", "",
            "The scalar loop and micrograd update after every sample (batch 1, Python floats = "
            "float64); their per-sample time is the median over the few samples timed (the "
            "same cost for every sample, so it scales linearly to any data set). The core's "
            "per-sample time is its step time at the batch shown divided by the batch size. "
            "micrograd only has ReLU, so its speed-up is against the core on a ReLU/linear network "
            "of the same shape (float64).", "", table2, "",
            f"Run time {elapsed:.0f} s; load average {load_average()} at the end (1, 5, 15 min: "
            "other processes on the machine slow every peer alike, the rounds are interleaved)."]
    report = "\n".join(out) + "\n"
    if not args.no_save and not args.quick:
        os.makedirs(RESULTS, exist_ok=True)
        name = "compare.md" if blas_threads() == os.cpu_count() else f"compare_{blas_threads()}thread.md"
        name = name.replace(".md", "_cputime.md") if args.cpu_time else name
        with open(os.path.join(RESULTS, name), "w") as f:
            f.write(report)
    print(f"\n{table1}\n\n{table2}\n\nGoals:\n" + "\n".join("- " + g for g in goals)
          + f"\n\nRun time {elapsed:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
