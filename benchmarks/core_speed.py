"""Training speed of the vectorised core against seed 000's per-sample scalar loop.

    python benchmarks/core_speed.py            (from the repository root)

Network 64-128-10, sigmoid units, MSE loss, plain SGD (lr 0.1). One training step is
forward + backward + update. The core trains on mini-batches of 1, 32 and 256 samples
(whole batches through matrix products); the scalar baseline, bp.scalar.ScalarMLP, is
written like seed 000's code (Python loops over samples, units and weights) and always
updates after each sample, so its speed does not depend on the batch size.
Before timing, both are checked to compute the same step. Seeded; runs in well under a
minute. Reports the median samples/second over a few timed rounds.

BLAS runs on one thread unless OPENBLAS_NUM_THREADS / OMP_NUM_THREADS / MKL_NUM_THREADS
say otherwise: matrices this small gain little from threads, and on a busy machine
threads make the figures erratic.
"""
import os
import platform
import statistics
import sys
import time

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")              # before numpy loads its BLAS

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import backprop_core as bp  # noqa: E402

SIZES = [64, 128, 10]
BATCH_SIZES = [1, 32, 256]
LR = 0.1
ROUNDS = 5
SEED = 0


def make_data(n, seed=SEED):
    """X: (n, 64) standard normal inputs, t: (n, 10) targets in [0, 1]."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, SIZES[0])), rng.uniform(size=(n, SIZES[-1]))


def core_copy_of(mlp):
    """The vectorised network with the scalar network's weights."""
    layers = [bp.Dense(len(W), len(W[0]), "sigmoid", weights=np.array(W), bias=np.array(b))
              for W, b in zip(mlp.W, mlp.b)]
    return bp.Sequential(*layers)


def check_same_maths():
    """One sample, one step: the core and the scalar loop must end with the same weights."""
    mlp = bp.scalar.ScalarMLP(SIZES, seed=SEED)
    net = core_copy_of(mlp)
    X, t = make_data(1)
    mlp.train_sample(list(X[0]), list(t[0]), LR)
    net.backward(bp.MSE().grad(net.forward(X), t))
    bp.SGD(lr=LR).step(net)
    err = np.max(np.abs(net.get_flat() - core_copy_of(mlp).get_flat()))
    if not err < 1e-12:
        raise SystemExit(f"core and scalar loop disagree after one step (max difference {err:.3g})")
    return err


def core_samples_per_second(batch_size, n_samples):
    """Median samples/s of the core training on n_samples samples in batches of batch_size."""
    X, t = make_data(n_samples)
    net = bp.Sequential(bp.Dense(64, 128, "sigmoid", seed=SEED), bp.Dense(128, 10, "sigmoid", seed=SEED + 1))
    loss, opt = bp.MSE(), bp.SGD(lr=LR)
    batches = [(X[i:i + batch_size], t[i:i + batch_size]) for i in range(0, n_samples, batch_size)]

    def epoch():
        for xb, tb in batches:
            y = net.forward(xb)                    # forward
            net.backward(loss.grad(y, tb))         # backward: every layer's delta, dW, db
            opt.step(net)                          # update, in place

    epoch()                                        # warm-up
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        epoch()
        times.append(time.perf_counter() - start)
    return n_samples / statistics.median(times)


def scalar_samples_per_second(n_samples):
    """Median samples/s of the scalar loop (one sample at a time)."""
    X, t = make_data(n_samples)
    rows = [(list(x), list(y)) for x, y in zip(X, t)]
    mlp = bp.scalar.ScalarMLP(SIZES, seed=SEED)
    mlp.train_sample(*rows[0], LR)                 # warm-up
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for x, y in rows:
            mlp.train_sample(x, y, LR)
        times.append(time.perf_counter() - start)
    return n_samples / statistics.median(times)


def main():
    t0 = time.perf_counter()
    err = check_same_maths()
    print(f"Training a {'-'.join(map(str, SIZES))} sigmoid MLP (MSE, SGD lr {LR}): forward + backward + update")
    print(f"Python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
          f"BLAS threads {os.environ['OPENBLAS_NUM_THREADS']}")
    print(f"Core and scalar loop agree after one step (max weight difference {err:.1e})")
    scalar = scalar_samples_per_second(n_samples=40)
    rows = []
    for batch_size in BATCH_SIZES:
        n = {1: 2000, 32: 32 * 200, 256: 256 * 60}[batch_size]
        core = core_samples_per_second(batch_size, n)
        rows.append((batch_size, core, scalar, core / scalar))
    print()
    print(f"{'batch size':>10}  {'core samples/s':>15}  {'scalar samples/s':>16}  {'speed-up':>9}")
    for batch_size, core, scal, speedup in rows:
        print(f"{batch_size:>10d}  {core:>15,.0f}  {scal:>16,.0f}  {speedup:>8,.0f}x")
    print()
    print("The scalar loop updates after every sample whatever the batch size (seed 000's way);")
    print(f"medians of {ROUNDS} timed rounds each; total time {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
