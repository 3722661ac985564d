"""What one training step of the core costs beyond its arithmetic (issue 22, first half).

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/step_cost.py [--rounds 9] [--out FILE] [--wall]

One step = forward, loss gradient, backward (no dL/dX), SGD update; tanh hidden layer,
identity output, softmax cross-entropy (one-hot targets). Four ways of taking it, timed in
one process as CPU time of the process (steady on a shared machine; single-threaded BLAS,
so it is the work of this one thread), interleaved rounds (lean, core, unchecked, fit, ...):

  lean       one hand-written numpy function, the same arithmetic (less the core's product of
             softmax by each target row's sum, 1 for one-hot rows): the floor
  core       the public calls: net.forward(X), loss.grad(y, t), net.backward(g,
             input_grad=False), opt.step(net); each call checks what it is given
  unchecked  the same step through the *_checked methods fit uses (no argument checks)
  fit        fit(net, X, t, epochs=50, batch_size=batch, shuffle=False): one full batch
             per epoch, 50 steps, timed per step (fit checks once per call)

Split of the core's step: arithmetic = lean; bookkeeping = unchecked - lean (Python calls,
attribute look-ups, temporaries); checks = core - unchecked (each the median of the rounds'
differences). core/lean is the ratio of the medians; "paired" the median of each round's
core / lean (a round's two ran moments apart: a machine whose speed drifts between rounds
moves both); "best" the ratio of the fastest rounds, which a burst of load on a shared
machine cannot slow down (the lower bound timeit's documentation recommends for code's own
cost).
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np

import backprop_core as bp
from backprop_core.timing import compare_times, format_seconds, markdown_table, paired_ratio

SHAPES = [((64, 128, 10), 1), ((64, 128, 10), 32), ((784, 256, 10), 256)]
DTYPES = [np.float32, np.float64]
LR = 0.1
FIT_STEPS = 50
RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def make_data(sizes, batch, dtype, seed=0):
    """X: (batch, n_in) standard normal; t: one-hot rows (batch, n_out) of dtype."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((batch, sizes[0])).astype(dtype)
    t = np.eye(sizes[-1], dtype=dtype)[rng.integers(0, sizes[-1], batch)]
    return X, t


def make_net(sizes, dtype):
    return bp.Sequential(bp.Dense(sizes[0], sizes[1], "tanh", seed=0, dtype=dtype),
                         bp.Dense(sizes[1], sizes[2], "identity", seed=1, dtype=dtype))


def lean_stepper(net, X, t):
    """The whole step as one numpy function, on copies of net's weights."""
    params = [p.copy() for p in net.parameters()]
    dW1, dW2 = np.empty_like(params[0]), np.empty_like(params[2])

    def step():
        W1, b1, W2, b2 = params
        a1 = np.tanh(X @ W1 + b1)
        z2 = a1 @ W2 + b2
        e = np.exp(z2 - z2.max(axis=1, keepdims=True))
        e /= e.sum(axis=1, keepdims=True)
        delta2 = (e - t) / X.shape[0]
        np.dot(a1.T, delta2, out=dW2)
        delta1 = (delta2 @ W2.T) * (1.0 - a1 * a1)
        np.dot(X.T, delta1, out=dW1)
        W2 -= LR * dW2
        b2 -= LR * delta2.sum(axis=0)
        W1 -= LR * dW1
        b1 -= LR * delta1.sum(axis=0)
    return step, params


def core_stepper(net, X, t):
    loss, opt = bp.CrossEntropy(), bp.SGD(lr=LR)

    def step():
        y = net.forward(X)
        net.backward(loss.grad(y, t), input_grad=False)
        opt.step(net)
    return step


def unchecked_stepper(net, X, t):
    loss, opt = bp.CrossEntropy(), bp.SGD(lr=LR)
    grad = loss.grad_checked if hasattr(loss, "grad_checked") else loss._gradient   # before: private

    def step():
        y = net.forward_checked(X)
        net.backward_checked(grad(y, t), input_grad=False)
        opt.step(net)
    return step


def fit_stepper(net, X, t):
    """fit over FIT_STEPS full-batch epochs, timed per step."""
    Xr, tr = X, t

    def run():
        bp.fit(net, Xr, tr, loss="cross_entropy", optimizer=bp.SGD(lr=LR), epochs=FIT_STEPS,
               batch_size=X.shape[0], shuffle=False, max_loss=np.inf)
    return run


def max_diff(a_list, b_list):
    return max(float(np.max(np.abs(np.asarray(a, float) - np.asarray(b, float))))
               for a, b in zip(a_list, b_list))


def paired_difference(a, b):
    """The median over rounds of a's time - b's time in the same round (see paired_ratio)."""
    return statistics.median(x - y for x, y in zip(a.per_call, b.per_call))


def signed_seconds(seconds):
    """format_seconds for a difference of two times, which may come out below 0."""
    return ("-" if seconds < 0 else "") + format_seconds(abs(seconds))


def load_average():
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "unknown"


def measure(rounds, clock):
    rows, ratios = [], {}
    for sizes, batch in SHAPES:
        for dtype in DTYPES:
            X, t = make_data(sizes, batch, dtype)
            lean, lean_params = lean_stepper(make_net(sizes, dtype), X, t)
            check = make_net(sizes, dtype)
            core_stepper(check, X, t)()
            lean()
            diff = max_diff(check.parameters(), lean_params)
            fns = {"lean": lean, "core": core_stepper(make_net(sizes, dtype), X, t),
                   "unchecked": unchecked_stepper(make_net(sizes, dtype), X, t),
                   "fit": fit_stepper(make_net(sizes, dtype), X, t)}
            with np.errstate(over="ignore"):
                times = compare_times(fns, repeat=rounds, min_time=0.05, clock=clock)
            lean_t, core_t = times["lean"].median, times["core"].median
            fit_t = times["fit"].median / FIT_STEPS
            name = f"{'-'.join(map(str, sizes))} @ {batch}"
            dt = np.dtype(dtype).name
            ratios[name, dt] = (core_t / lean_t, fit_t / lean_t)
            rows.append([name, dt, format_seconds(lean_t), format_seconds(core_t),
                         signed_seconds(paired_difference(times["unchecked"], times["lean"])),
                         signed_seconds(paired_difference(times["core"], times["unchecked"])),
                         f"{core_t / lean_t:.2f}", f"{paired_ratio(times['core'], times['lean']):.2f}",
                         f"{times['core'].best / times['lean'].best:.2f}",
                         format_seconds(fit_t), f"{fit_t / lean_t:.2f}",
                         f"{diff:.0e}"])
            print(" | ".join(rows[-1]), flush=True)
    table = markdown_table(["shape @ batch", "dtype", "lean (arithmetic)", "core step",
                            "bookkeeping", "checks", "core/lean", "paired", "best", "fit per step", "fit/lean",
                            "max abs(w_core - w_lean)"], rows)
    return table, ratios


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=9, help="interleaved timed rounds (median)")
    parser.add_argument("--wall", action="store_true", help="wall clock instead of process CPU time")
    parser.add_argument("--out", help="also write the table (with the load and settings) to this file")
    args = parser.parse_args(argv)
    clock = time.perf_counter if args.wall else time.process_time
    settings = (f"backprop_core from {os.path.dirname(bp.__file__)}; BLAS threads: OPENBLAS_NUM_THREADS="
                f"{os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}; clock: "
                f"{'wall' if args.wall else 'process CPU time'}; median of {args.rounds} interleaved "
                f"rounds; load average {load_average()} at the start")
    print(settings, flush=True)
    table, _ = measure(args.rounds, clock)
    report = f"{settings}; {load_average()} at the end.\n\n{table}\n"
    print("\n" + report)
    if args.out:
        with open(args.out, "w") as f:
            f.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
