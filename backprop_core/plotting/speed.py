"""Pictures of speed: time per epoch against batch size, and the FLOP rate against width.

Used by notebook 10 and benchmarks/scaling.py. Imports matplotlib and the core only.
"""
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter

from . import style


def _axes(ax, figsize):
    style.apply()
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def plot_epoch_time(batch_sizes, seconds_per_epoch, n_samples, ax=None, label=None):
    """Seconds per epoch (left axis) and the same as µs per sample (right axis) against
    batch size, log-log. batch_sizes, seconds_per_epoch: equal-length sequences."""
    if len(batch_sizes) != len(seconds_per_epoch) or not len(batch_sizes):
        raise ValueError("batch_sizes and seconds_per_epoch must be non-empty and of equal length, "
                         f"got {len(batch_sizes)} and {len(seconds_per_epoch)}")
    fig, ax = _axes(ax, (5.2, 3.4))
    ax.plot(batch_sizes, seconds_per_epoch, "o-", color=style.COLORS["blue"], label=label)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("batch size (samples per update)")
    ax.set_ylabel("time per epoch (s)")
    per_sample = ax.secondary_yaxis("right", functions=(lambda s: s / n_samples * 1e6,
                                                       lambda us: us * n_samples / 1e6))
    per_sample.set_ylabel("time per sample (µs)")
    per_sample.yaxis.set_minor_formatter(NullFormatter())
    ax.set_title(f"One epoch = {n_samples} samples")
    ax.grid(True, which="major", alpha=0.3)
    if label:
        ax.legend()
    return fig


def plot_flop_rate(widths, gflops, ax=None, peak=None, label=None, color=None):
    """GFLOP/s of the training step's matrix products against the hidden width (log x).
    peak: the rate of one large plain matrix product, drawn as a dashed line."""
    if len(widths) != len(gflops) or not len(widths):
        raise ValueError("widths and gflops must be non-empty and of equal length, "
                         f"got {len(widths)} and {len(gflops)}")
    fig, ax = _axes(ax, (5.2, 3.4))
    color = color or style.COLORS["green"]
    ax.plot(widths, gflops, "o-", color=color, label=label)
    if peak is not None:
        ax.axhline(peak, color=color, linestyle="--", linewidth=1,
                   label=f"one large matrix product{f' ({label})' if label else ''}")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("hidden width")
    ax.set_ylabel("GFLOP/s (matrix products)")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize="small")
    return fig
