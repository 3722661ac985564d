"""Wall-clock timing for the benchmarks and notebook 10 (standard library only).

    t = median_time(step, repeat=7)      # warm-up, then 7 timed rounds
    print(t, t.per(256))                 # seconds per call, per sample of a batch of 256

Each round calls `fn` `number` times back to back and records seconds per call; the
median over rounds is robust to a busy machine (a few slow rounds do not move it).
"""
import numbers
import statistics
import time


class Timing:
    """Seconds per call of one timed function: median and best over `repeat` rounds
    of `number` calls each. `per(n)` divides by n (e.g. the samples of a batch)."""

    def __init__(self, per_call):
        if not per_call:
            raise ValueError("Timing needs at least one measurement")
        self.per_call = list(per_call)
        self.median = statistics.median(self.per_call)
        self.best = min(self.per_call)

    def per(self, n):
        """Median seconds per item when one call handles n items."""
        if isinstance(n, bool) or not isinstance(n, numbers.Real) or not n > 0:
            raise ValueError(f"n must be a positive count, got {n!r}")
        return self.median / n

    def __str__(self):
        return format_seconds(self.median)

    def __repr__(self):
        return f"Timing(median={format_seconds(self.median)}, best={format_seconds(self.best)}, " \
               f"rounds={len(self.per_call)})"


def calls_per_round(fn, min_time=0.02, max_calls=100_000, clock=time.perf_counter):
    """How many back-to-back calls of fn take at least min_time seconds: the first of
    1, 2, 5, 10, 20, 50, ... that does (as timeit's autorange). Calls fn while deciding."""
    base = 1
    while True:
        for number in (base, 2 * base, 5 * base):
            if time_round(fn, number, clock) * number >= min_time or number >= max_calls:
                return number
        base *= 10


def time_round(fn, number, clock=time.perf_counter):
    """Seconds per call over `number` back-to-back calls of fn.

    clock: time.perf_counter (wall clock, the default) or time.process_time (CPU time of this
    process: other programs on a busy machine do not count, but every thread of ours does)."""
    start = clock()
    for _ in range(number):
        fn()
    return (clock() - start) / number


def median_time(fn, repeat=7, number=None, warmup=1, min_time=0.02, clock=time.perf_counter):
    """Time fn: `warmup` untimed calls, then `repeat` rounds of `number` calls
    (chosen so a round lasts >= min_time when None). Returns a Timing. clock: see time_round."""
    if not callable(fn):
        raise TypeError(f"fn must be a function to time (called with no arguments), got {fn!r}")
    if isinstance(repeat, bool) or not isinstance(repeat, numbers.Integral) or repeat < 1:
        raise ValueError(f"repeat must be an integer >= 1, got {repeat!r}")
    for _ in range(warmup):
        fn()
    if number is None:
        number = calls_per_round(fn, min_time, clock=clock)
    return Timing([time_round(fn, number, clock) for _ in range(repeat)])


def compare_times(fns, repeat=7, warmup=1, min_time=0.02, clock=time.perf_counter):
    """Time several functions side by side: {name: fn} -> {name: Timing}.

    The rounds are interleaved (a, b, c, a, b, c, ...) so that a burst of load on a
    shared machine hits every function alike and their ratios stay meaningful."""
    numbers = {}
    for name, fn in fns.items():
        for _ in range(warmup):
            fn()
        numbers[name] = calls_per_round(fn, min_time, clock=clock)
    rounds = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            rounds[name].append(time_round(fn, numbers[name], clock))
    return {name: Timing(per_call) for name, per_call in rounds.items()}


def paired_ratio(a, b):
    """The median over rounds of a's time / b's time in the same round, for two Timings
    of compare_times: each round's pair ran moments apart, so a machine whose speed drifts
    between rounds (a shared host) moves both of a pair and the ratio cancels it."""
    if len(a.per_call) != len(b.per_call):
        raise ValueError(f"paired_ratio needs the same number of rounds, got {len(a.per_call)} "
                         f"and {len(b.per_call)}")
    return statistics.median(x / y for x, y in zip(a.per_call, b.per_call))


def sweep(fn, values, repeat=3, warmup=1, clock=time.perf_counter):
    """Time fn(value) for each value, each call once per round: {value: Timing}.

    E.g. sweep(lambda b: fit(net, X, t, batch_size=b, epochs=1), [1, 8, 64]) gives the
    seconds per epoch for each batch size."""
    return {v: median_time(lambda v=v: fn(v), repeat=repeat, number=1, warmup=warmup, clock=clock)
            for v in values}


def format_seconds(seconds):
    """A duration with a unit that keeps 3 significant digits: '12.3 µs', '4.56 ms', '1.23 s'."""
    if seconds != seconds or seconds < 0:
        raise ValueError(f"seconds must be a non-negative number, got {seconds!r}")
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def markdown_table(headers, rows):
    """A GitHub markdown table: headers (list of str), rows (lists of str); numbers right-aligned."""
    widths = [len(h) for h in headers]
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"every row needs {len(headers)} cells, got {len(row)}: {row!r}")
        widths = [max(w, len(str(c))) for w, c in zip(widths, row)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(str(c).rjust(w) for c, w in zip(row, widths)) + " |" for row in rows]
    return "\n".join([line, rule] + body)
