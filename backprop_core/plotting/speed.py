"""Pictures of speed: time per epoch against batch size, and the FLOP rate against width.

Used by notebook 10 and benchmarks/scaling.py. Imports matplotlib and the core only.
Labels are in the current language (bp.set_language).
"""
from matplotlib.ticker import NullFormatter

from ..i18n import Catalogue
from . import style

TEXT = Catalogue(
    en={"batch_size": "batch size (samples per update)", "epoch_time": "time per epoch (s)",
        "sample_time": "time per sample (µs)", "epoch_title": "One epoch = {n} samples",
        "width": "hidden width", "gflops": "GFLOP/s (matrix products)",
        "peak": "one large matrix product", "peak_of": "one large matrix product ({label})"},
    zh={"batch_size": "批大小（每次更新的样本数）", "epoch_time": "每轮的时间（秒）",
        "sample_time": "每个样本的时间（µs）", "epoch_title": "一轮 = {n} 个样本",
        "width": "隐藏层宽度", "gflops": "GFLOP/s（矩阵乘法）",
        "peak": "一次大矩阵乘法", "peak_of": "一次大矩阵乘法（{label}）"},
)


def _axes(ax, figsize):
    if ax is not None:
        style.use_fonts(ax)
        return ax.figure, ax
    return style.new_figure(figsize, layout="constrained")


@style.styled
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
    ax.set_xlabel(TEXT("batch_size"))
    ax.set_ylabel(TEXT("epoch_time"))
    per_sample = ax.secondary_yaxis("right", functions=(lambda s: s / n_samples * 1e6,
                                                       lambda us: us * n_samples / 1e6))
    per_sample.set_ylabel(TEXT("sample_time"))
    per_sample.yaxis.set_minor_formatter(NullFormatter())
    ax.set_title(TEXT("epoch_title", n=n_samples))
    ax.grid(True, which="major", alpha=0.3)
    if label:
        ax.legend()
    return fig


@style.styled
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
                   label=TEXT("peak_of", label=label) if label else TEXT("peak"))
    ax.set_xscale("log", base=2)
    ax.set_xlabel(TEXT("width"))
    ax.set_ylabel(TEXT("gflops"))
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize="small")
    return fig
