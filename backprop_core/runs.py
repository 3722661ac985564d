"""The training lab's run planner: settings -> runs -> cached descents (numpy only).

    planner = RunPlanner()                                  # the four landscapes.problems()
    settings = Settings(problem="noisy", lr=0.05, batch_size=5, compare="batch")
    runs = planner.runs(settings)                           # 1 run, or 2-3 in compare mode
    runs[0].label, runs[0].result.final_loss, runs[0].status()
    planner.status_lines(settings, runs)                    # the lab's summary, one line per run

`plan(settings)` says which descents the settings ask for (labels, optimiser, η, μ, batch
size, schedule, steps, seed) without training; `runs(settings)` also gives each its
`landscapes.Descent`, trained by the problem's `descend` or taken from a small cache keyed
by everything that changes the path (the seed included: it orders the mini-batches).
No ipywidgets, no matplotlib: `widgets.TrainingLab` is the view that wires controls to it.
Labels and status lines are in the current language (`bp.set_language`); numbers are
formatted the same in both.
"""
from dataclasses import dataclass, field, replace

import numpy as np

from . import landscapes
from .batches import updates_per_epoch
from .i18n import Catalogue
from .limits import NICE_LADDER, nice_ceiling
from .lru import LRU
from .optimizers import SGD, Adam, RMSProp
from .schedules import Constant, ExponentialDecay, InverseTime, StepDecay
from .training import divergence_text

OPTIMIZERS = ("SGD", "SGD+momentum", "Nesterov", "RMSProp", "Adam")
SCHEDULES = ("constant", "step", "exponential", "1/t")
COMPARES = ("off", "lr", "momentum", "batch", "optimizer", "schedule")
UNITS = ("steps", "epochs")
MOMENTUM_OPTIMIZERS = ("SGD+momentum", "Nesterov")     # the optimisers that read μ
MAX_STEPS = 5000        # cap on the steps of one run when counting in epochs
CACHE_SIZE = 128
RUNGS = 2               # the lab draws ahead the loss axes this many x ends up and down (a typed count)
STEPS_AT = 6                # where Run.key holds the step count
LOSS_TOP = 1e13         # a log loss axis' top when a run went above 10 L0: above fit's divergence threshold 1e12

TEXT = Catalogue(
    en={
        "opt.SGD": "SGD", "opt.SGD+momentum": "SGD+momentum", "opt.Nesterov": "Nesterov",
        "opt.RMSProp": "RMSProp", "opt.Adam": "Adam",
        "sched.constant": "constant", "sched.step": "step", "sched.exponential": "exponential",
        "sched.1/t": "1/t",
        "decay": "{name} decay",
        "batch": "batch {b}",
        "full": " (full)",
        "legend_b": "batch B", "legend_full": "full batch",
        "status_diverged": "{label}: {text}",
        "status_grew": "{label}: loss grew from {first} to {last} in {steps} steps (diverging)",
        "status_final": "{label}: final loss {loss} after {steps} steps",
        "per_epoch": " ({per_epoch} steps per epoch, batch {b} of {n})",
        "no_data": "the bowl has no data: every step uses the exact gradient (batch size does not apply)",
    },
    zh={
        "opt.SGD": "SGD", "opt.SGD+momentum": "SGD+动量", "opt.Nesterov": "Nesterov",
        "opt.RMSProp": "RMSProp", "opt.Adam": "Adam",
        "sched.constant": "恒定", "sched.step": "阶梯", "sched.exponential": "指数",
        "sched.1/t": "1/t",
        "decay": "{name}衰减",
        "batch": "批大小 {b}",
        "full": "（全部数据）",
        "legend_b": "批大小 B", "legend_full": "全批量",
        "status_diverged": "{label}：{text}",
        "status_grew": "{label}：损失在 {steps} 步内从 {first} 增长到 {last}（正在发散）",
        "status_final": "{label}：{steps} 步后最终损失 {loss}",
        "per_epoch": "（每轮 {per_epoch} 步，批大小 {b}，共 {n} 个样本）",
        "no_data": "碗形问题没有数据：每一步都用精确梯度（批大小不适用）",
    },
)


def optimizer_name(name):
    """An optimiser's name as shown to students ('SGD+momentum', 'SGD+动量')."""
    return TEXT(f"opt.{name}")


def schedule_name(name):
    """A schedule's short name as shown to students ('exponential', '指数')."""
    return TEXT(f"sched.{name}")


def format_loss(L):
    """A loss with a fixed number of decimals (4) from 1e-4 to 1e4, else 4 significant digits
    (a converged 3.2e-15 is not printed as 0.0000)."""
    return f"{L:.4f}" if L == 0 or 1e-4 <= L < 1e4 else f"{L:.3e}"


def make_schedule(name, lr):
    """The core Schedule (lr of step t) for one of the lab's schedule names."""
    if name == "constant":
        return Constant(lr)
    if name == "step":
        return StepDecay(lr, drop=0.5, every=50)
    if name == "exponential":
        return ExponentialDecay(lr, decay=0.99)
    if name == "1/t":
        return InverseTime(lr, k=0.05)
    raise ValueError(f"schedule must be one of {list(SCHEDULES)}, got {name!r}")


def make_optimizer(name, lr, momentum=0.0, schedule="constant"):
    """A core optimiser from the lab's names. Nesterov with μ = 0 is plain SGD."""
    rate = make_schedule(schedule, lr)
    if name == "SGD":
        return SGD(rate)
    if name == "SGD+momentum":
        return SGD(rate, momentum=momentum)
    if name == "Nesterov":
        return SGD(rate, momentum=momentum, nesterov=momentum > 0)
    if name == "RMSProp":
        return RMSProp(rate)
    if name == "Adam":
        return Adam(rate)
    raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {name!r}")


@dataclass(frozen=True)
class Settings:
    """What the lab's controls say. batch_size None: the full batch (the only choice for a
    problem without data, the bowl); steps counts `unit`s ("steps" or "epochs")."""
    problem: str = "linear"
    optimizer: str = "SGD"
    lr: float = 0.1
    momentum: float = 0.9
    schedule: str = "constant"
    batch_size: int | None = None
    steps: int = 200
    unit: str = "steps"
    seed: int = 0
    compare: str = "off"


@dataclass
class Run:
    """One setting of the lab and its descent (a landscapes.Descent in `result`, once run).
    label: every setting that matters, for the status lines; legend: only what varies in
    compare mode, without a slider's number (it stays still during a drag); tag: the short
    name of the picture's notes ("μ = 0.9: left the plot at step 6"), the label by default."""
    label: str
    optimizer: str
    lr: float
    momentum: float
    batch_size: int | None
    schedule: str
    steps: int
    seed: int
    legend: str | None = None
    tag: str | None = None
    result: landscapes.Descent | None = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if self.legend is None:
            self.legend = self.label
        if self.tag is None:
            self.tag = self.label

    def key(self, problem):
        """Everything that changes this run's descent on `problem` (a problem name): the
        cache key. μ only where the optimiser reads it; the seed always (it orders the
        mini-batches)."""
        momentum = self.momentum if self.optimizer in MOMENTUM_OPTIMIZERS else None
        return (problem, self.optimizer, self.lr, momentum, self.batch_size, self.schedule,
                self.steps, self.seed)

    def status(self, short=False):
        """'label: diverged at step k', 'label: final loss 0.0123 after 200 steps' or, when the
        loss ended higher than it started, 'label: loss grew from 31.02 to 2.568e+11 ...';
        short=True: the tag instead of the label."""
        r = self.result
        label = self.tag if short else self.label
        if r.diverged:
            return TEXT("status_diverged", label=label, text=divergence_text(r.diverged_at))
        if len(r.loss) and r.final_loss > r.loss[0]:
            return TEXT("status_grew", label=label, first=format_loss(r.loss[0]),
                        last=format_loss(r.final_loss), steps=r.steps)
        return TEXT("status_final", label=label, loss=format_loss(r.final_loss), steps=r.steps)


@dataclass(frozen=True)
class LossAxes:
    """The limits of the lab's loss axes: x from 0 to `xmax` steps, y over `ylim` (lo, hi)."""
    xmax: int
    ylim: tuple


def reads_momentum(settings):
    """True when some run of `settings` reads the μ setting (compare "momentum" sets μ = 0,
    0.5, 0.9 itself; compare "optimizer" has an SGD+momentum run)."""
    if settings.compare == "optimizer":
        return True
    return settings.optimizer in MOMENTUM_OPTIMIZERS and settings.compare != "momentum"


class RunPlanner:
    """settings -> runs -> cached descents, for a dict of problems (default: landscapes.problems()).

    `trained` counts the descents computed (not taken from the cache)."""

    def __init__(self, problems=None, cache_size=CACHE_SIZE):
        self.problems = landscapes.problems() if problems is None else dict(problems)
        self.cache_size = cache_size
        self._cache = LRU(cache_size)
        self.trained = 0

    def problem(self, settings):
        try:
            return self.problems[settings.problem]
        except KeyError:
            raise ValueError(f"problem must be one of {list(self.problems)}, got {settings.problem!r}") from None

    def n_steps(self, settings, batch_size):
        """Steps of one run: `settings.steps`, or that many epochs of ceil(n / batch_size)
        updates (batches.updates_per_epoch), at most MAX_STEPS."""
        if settings.unit == "steps":
            return int(settings.steps)
        if settings.unit != "epochs":
            raise ValueError(f"unit must be one of {list(UNITS)}, got {settings.unit!r}")
        n = self.problem(settings).n_samples
        per_epoch = 1 if n is None else updates_per_epoch(n, batch_size or n)
        return int(min(settings.steps * per_epoch, MAX_STEPS))

    def plan(self, settings):
        """The runs `settings` ask for, not yet trained: one, or 2-3 in compare mode."""
        p = self.problem(settings)
        opt, lr, mu, sched, seed = (settings.optimizer, float(settings.lr), float(settings.momentum),
                                    settings.schedule, int(settings.seed))
        batch = None if p.n_samples is None else int(settings.batch_size or p.n_samples)
        name = optimizer_name(opt)

        def run(label, legend=None, o=opt, r=lr, m=mu, b=batch, s=sched, tag=None):
            return Run(label, o, r, m, b, s, self.n_steps(settings, b), seed, legend, tag)

        mode = settings.compare
        if mode not in COMPARES:
            raise ValueError(f"compare must be one of {list(COMPARES)}, got {mode!r}")
        if mode == "lr":
            return [run(f"η = {r:.3g}", legend, r=r)
                    for r, legend in ((lr / 10, "η / 10"), (lr, "η"), (lr * 10, "10 η"))]
        if mode == "momentum":
            o = opt if opt in MOMENTUM_OPTIMIZERS else "SGD+momentum"
            return [run(f"{optimizer_name(o)}, η = {lr:.3g}, μ = {m:.1f}", f"μ = {m:.1f}", o=o, m=m,
                        tag=f"μ = {m:.1f}") for m in (0.0, 0.5, 0.9)]
        if mode == "batch" and batch is not None:
            sizes = sorted({1, batch, p.n_samples})
            # the legend names the sizes without B's number: it stays still while B's slider moves
            legends = {batch: TEXT("legend_b"), 1: TEXT("batch", b=1), p.n_samples: TEXT("legend_full")}
            return [run(TEXT("batch", b=b) + (TEXT("full") if b == p.n_samples else ""), legends[b], b=b)
                    for b in sizes]
        if mode == "schedule":
            return [run(f"{name}, η = {lr:.3g}, {schedule_name(s)}", schedule_name(s), s=s,
                        tag=schedule_name(s)) for s in ("constant", "exponential", "1/t")]
        if mode == "optimizer":
            return [run(f"{optimizer_name(o)}, η = {lr:.3g}" + (f", μ = {mu:.2f}" if o == "SGD+momentum" else ""),
                        optimizer_name(o), o=o, tag=optimizer_name(o))
                    for o in ("SGD", "SGD+momentum", "Adam")]
        label = f"{name}, η = {lr:.3g}" + (f", μ = {mu:.2f}" if opt in MOMENTUM_OPTIMIZERS else "")
        if sched == "constant":
            return [run(label, name)]
        decay = TEXT("decay", name=schedule_name(sched))
        return [run(f"{label}, {decay}", f"{name}, {decay}")]

    def descend(self, problem, run):
        """The Descent of `run` on the problem named `problem`: from the cache when it is there,
        else the first steps of a longer cached run of the same settings (Descent.first: a
        drag back down the step count trains nothing), else trained."""
        key = run.key(problem)
        if key in self._cache:
            return self._cache[key]
        longer = self._longer(key)
        if longer is not None:
            result = longer.first(run.steps, self.problems[problem])
        else:
            optimizer = make_optimizer(run.optimizer, run.lr, run.momentum, run.schedule)
            result = self.problems[problem].descend(optimizer, steps=run.steps, batch_size=run.batch_size,
                                                    seed=run.seed)
            self.trained += 1
        self._cache[key] = result
        return result

    def _longer(self, key):
        """The cached Descent with the fewest steps above key's and every other setting equal
        (see Run.key: the steps are its element STEPS_AT), or None."""
        rest, steps = key[:STEPS_AT] + key[STEPS_AT + 1:], key[STEPS_AT]
        longer = [k for k in self._cache
                  if k[STEPS_AT] > steps and k[:STEPS_AT] + k[STEPS_AT + 1:] == rest]
        return self._cache[min(longer, key=lambda k: k[STEPS_AT])] if longer else None

    def cached(self, settings):
        """True when every run of `settings` is in the cache (or served by a longer one)."""
        keys = [run.key(settings.problem) for run in self.plan(settings)]
        return all(key in self._cache or self._longer(key) is not None for key in keys)

    def ahead(self, settings, max_steps):
        """The settings whose runs a lab trains in idle time: twice the step count (at most
        max_steps), so that a count typed in up to that serves its runs from their first
        steps (Descent.first) instead of training them; None when there is nothing more."""
        longer = min(2 * settings.steps, max_steps)
        return replace(settings, steps=longer) if longer > settings.steps else None

    def runs(self, settings):
        """plan(settings), each run with its `result` (trained or cached)."""
        runs = self.plan(settings)
        for run in runs:
            run.result = self.descend(settings.problem, run)
        return runs

    def reads_seed(self, settings, runs):
        """True when some run uses mini-batches smaller than the data (the seed orders them)."""
        n = self.problem(settings).n_samples
        return any(run.batch_size is not None and run.batch_size < n for run in runs)

    def start_loss(self, settings):
        """L0: the loss at the problem's starting point."""
        p = self.problem(settings)
        return p.loss_at(p.start)

    def loss_axes(self, settings, runs, log):
        """The loss axes' limits, set by the problem's starting loss L0, not by each run, so
        the axes stay still while a slider moves: linear 0..1.5 L0; log 1e-10 L0..10 L0, or up
        to LOSS_TOP when a run went above 10 L0. A curve above the top leaves through it; one
        below 1e-10 L0 has converged to rounding level and leaves through the bottom.
        x: 0..the round number of steps at or above the longest run (nice_ceiling: 200 steps
        on 0..200)."""
        L0 = self.start_loss(settings)
        highest = max([float(np.max(r.result.loss)) for r in runs if len(r.result.loss)] + [L0])
        top = LOSS_TOP if highest > 10.0 * L0 else 10.0 * L0
        ylim = (1e-10 * L0, top) if log else (0.0, 1.5 * L0)
        return LossAxes(nice_ceiling(max([run.steps for run in runs] + [1])), ylim)

    def nearby_loss_axes(self, settings, runs, axes, log, max_steps):
        """The loss axes a next move may need, besides `axes` (these settings' loss_axes),
        nearest first: the x ends of the step count's next positions (one step or a page of
        five, either way, within 1..max_steps), each with the other top of a log axis too;
        then, for a count typed in, the x ends RUNGS rungs of nice_ceiling's ladder either
        way within the slider's reach (this top only)."""
        def x_end(n):
            moved = replace(settings, steps=n)
            return nice_ceiling(max(self.n_steps(moved, run.batch_size) for run in runs))

        steps = settings.steps
        near = {x_end(n) for n in (steps - 5, steps - 1, steps + 1, steps + 5) if 1 <= n <= max_steps}
        near -= {axes.xmax}
        lo, top = axes.ylim
        tops = [top] + ([10.0 * self.start_loss(settings) if top == LOSS_TOP else LOSS_TOP] if log else [])
        nearby = [LossAxes(x, (lo, t)) for t in tops for x in [axes.xmax, *sorted(near)]
                  if (x, t) != (axes.xmax, top)]
        lowest, highest = x_end(1), x_end(max_steps)
        reach = [x for x in NICE_LADDER if lowest <= x <= highest]
        if axes.xmax in reach:
            i = reach.index(axes.xmax)
            rungs = [reach[j] for k in range(1, RUNGS + 1) for j in (i + k, i - k) if 0 <= j < len(reach)]
            nearby += [LossAxes(x, (lo, top)) for x in rungs if x not in near]
        return nearby

    def status_lines(self, settings, runs):
        """One line per run (its status, and its steps per epoch for mini-batches), and a note
        when the settings ask for batches or epochs on a problem without data."""
        p = self.problem(settings)
        lines = []
        for run in runs:
            r = run.result
            extra = ""
            if r.steps_per_epoch > 1:
                extra = TEXT("per_epoch", per_epoch=r.steps_per_epoch, b=run.batch_size, n=p.n_samples)
            lines.append(run.status() + extra)
        if p.n_samples is None and (settings.compare == "batch" or settings.unit == "epochs"):
            lines.append(TEXT("no_data"))
        return lines

    def clear(self):
        """Forget the cached descents (the next request trains again)."""
        self._cache.clear()
