"""Pictures of the handwritten-digits recipe (notebook 12): images, the start's class
probabilities, a learning-rate sweep, accuracy per epoch, the confusion matrix, first-layer
weights as images, update-to-weight ratios. Every number is computed by the core
(`datasets.load_digits`, `recipe`); this module only draws.

    fig = plot_digits(X[:20], labels=y[:20])       # 8x8 images, one tile each, row by row
    fig = plot_confusion(recipe.confusion_matrix(y_test, guess, 10))

When `ax` is None a picture gets its own figure (made with pyplot and closed at once).
Given `ax`, pyplot is not touched (the widgets). Words in the current language.
"""
import numpy as np
from matplotlib.ticker import NullLocator

from ..i18n import Catalogue
from . import style
from .style import COLORS

TEXT = Catalogue(
    en={"class": "class", "digit": "digit", "true": "true digit", "predicted": "predicted digit",
        "mean_p": "mean predicted probability", "uniform": "1/10: no idea",
        "start_title": "before training: softmax over the 10 classes",
        "lr": "learning rate η (log scale)", "loss_after": "training loss after {epochs} epochs",
        "best": "lowest: η = {lr:.2g}", "chosen": "trained with: η = {lr:.2g}",
        "diverged": "diverged", "sweep_title": "learning-rate sweep",
        "epoch": "epoch", "accuracy": "accuracy", "train": "training set", "test": "held-out set",
        "acc_title": "accuracy after each epoch", "confusion_title": "confusion matrix (held-out set)",
        "wrong": "{true} → {guess}", "weights_title": "first layer: the weights into each hidden unit",
        "step": "step", "ratio": "‖ΔW‖ / ‖W‖ (log scale)", "layer": "layer {k}",
        "thumb": "rule of thumb 10⁻³", "ratio_title": "update-to-weight ratio per step",
        "units": "hidden units", "final_test": "held-out accuracy, last epoch", "none": "none"},
    zh={"class": "类别", "digit": "数字", "true": "真实数字", "predicted": "预测数字",
        "mean_p": "预测概率的平均值", "uniform": "1/10：毫无头绪",
        "start_title": "训练之前：10 个类别上的 softmax",
        "lr": "学习率 η（对数刻度）", "loss_after": "训练 {epochs} 轮后的训练损失",
        "best": "最低：η = {lr:.2g}", "chosen": "用来训练：η = {lr:.2g}",
        "diverged": "发散", "sweep_title": "学习率扫描",
        "epoch": "轮数", "accuracy": "准确率", "train": "训练集", "test": "验证集",
        "acc_title": "每轮结束时的准确率", "confusion_title": "混淆矩阵（验证集）",
        "wrong": "{true} → {guess}", "weights_title": "第一层：进入每个隐藏单元的权重",
        "step": "步数", "ratio": "‖ΔW‖ / ‖W‖（对数刻度）", "layer": "第 {k} 层",
        "thumb": "经验值 10⁻³", "ratio_title": "每一步的更新量与权重之比",
        "units": "隐藏单元数", "final_test": "最后一轮的验证集准确率", "none": "无"},
)


def _axes(ax, figsize):
    if ax is None:
        _, ax = style.new_figure(tuple(s * style.scale() for s in figsize), layout="constrained")
    style.use_fonts(ax)
    return ax


def mosaic(images, ncols=10, gap=1, row_gap=None, fill=np.nan):
    """Tiles of 8x8 images in one array: images (n, 64) -> (rows·(8+row_gap)-row_gap,
    ncols·(8+gap)-gap), row by row (row_gap: default gap); gaps and empty tiles hold `fill`
    (NaN: drawn as the background)."""
    row_gap = gap if row_gap is None else int(row_gap)
    images = np.asarray(images, dtype=float)
    if images.ndim != 2 or images.shape[1] != 64:
        raise ValueError(f"images must have shape (n, 64) (8x8 images row by row), got {images.shape}")
    n = len(images)
    ncols = max(1, min(int(ncols), max(n, 1)))
    rows = max(1, -(-n // ncols))
    out = np.full((rows * (8 + row_gap) - row_gap, ncols * (8 + gap) - gap), fill)
    for k, image in enumerate(images):
        r, c = divmod(k, ncols)
        out[r * (8 + row_gap):r * (8 + row_gap) + 8, c * (8 + gap):c * (8 + gap) + 8] = image.reshape(8, 8)
    return out


@style.styled
def plot_digits(images, labels=None, titles=None, ncols=10, ax=None, title=None):
    """8x8 images (n, 64) as tiles, ink dark on white, each with its label (or a title
    string from `titles`) above it. Returns the Figure."""
    images = np.asarray(images, dtype=float)
    n = len(images)
    ncols = max(1, min(int(ncols), max(n, 1)))
    rows = max(1, -(-n // ncols))
    words = titles if titles is not None else ([str(int(v)) for v in labels] if labels is not None else None)
    pitch = 12 if words is not None else 9              # rows of pixels per row of tiles
    ax = _axes(ax, (0.6 * ncols + 0.3, 0.6 * rows * pitch / 9 + (0.4 if title else 0.1)))
    top = np.nanmax(images) if n else 1.0
    ax.imshow(mosaic(images, ncols, row_gap=pitch - 8), cmap="Greys", vmin=0,
              vmax=top if top > 0 else 1.0, interpolation="nearest")
    if words is not None:
        for k, word in enumerate(words):
            r, c = divmod(k, ncols)
            ax.text(c * 9 + 3.5, r * pitch - 0.7, word, ha="center", va="bottom", fontsize="small")
    ax.set_xlim(-0.5, ncols * 9 - 1.5)
    ax.set_ylim(rows * pitch - (pitch - 8) - 0.5, -(pitch - 8) - 0.5 if words is not None else -0.5)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax.figure


@style.styled
def plot_start_probabilities(probabilities, ax=None):
    """Bars of the mean softmax probability of each class over a batch, (k,), against 1/k."""
    p = np.asarray(probabilities, dtype=float)
    ax = _axes(ax, (5.0, 3.0))
    ax.bar(np.arange(len(p)), p, color=COLORS["sky"], edgecolor=COLORS["blue"])
    ax.axhline(1.0 / len(p), color=COLORS["black"], ls="--", lw=1, label=TEXT("uniform"))
    ax.set_xticks(np.arange(len(p)))
    ax.set(xlabel=TEXT("class"), ylabel=TEXT("mean_p"), title=TEXT("start_title"),
           ylim=(0, max(2.5 / len(p), 1.2 * float(p.max()))))
    ax.legend(loc="upper right")
    return ax.figure


@style.styled
def plot_lr_sweep(lrs, loss, epochs, chosen=None, ax=None):
    """Final training loss (m,) against the learning rates (m,) on a log axis; the lowest
    marked, and the rate `chosen` for training (one of lrs) if given; diverged runs (inf) as
    crosses on the top edge."""
    lrs, loss = np.asarray(lrs, dtype=float), np.asarray(loss, dtype=float)
    ax = _axes(ax, (5.5, 3.4))
    ok = np.isfinite(loss)
    ax.semilogx(lrs[ok], loss[ok], "o-", color=COLORS["blue"])
    top = 1.1 * float(loss[ok].max()) if ok.any() else 1.0
    if (~ok).any():
        ax.semilogx(lrs[~ok], np.full((~ok).sum(), top), "X", color=COLORS["red"], ms=9,
                    label=TEXT("diverged"))
    if ok.any():
        best = int(np.argmin(np.where(ok, loss, np.inf)))
        ax.plot([lrs[best]], [loss[best]], "o", ms=14, mfc="none", mec=COLORS["red"], mew=2,
                label=TEXT("best", lr=float(lrs[best])))
    if chosen is not None and np.any(lrs == chosen):
        k = int(np.flatnonzero(lrs == chosen)[0])
        ax.plot([lrs[k]], [loss[k]], "D", ms=9, color=COLORS["green"], mec=COLORS["black"],
                label=TEXT("chosen", lr=float(chosen)))
    ax.set(xlabel=TEXT("lr"), ylabel=TEXT("loss_after", epochs=epochs), title=TEXT("sweep_title"),
           ylim=(0, top * 1.05))
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper center")
    return ax.figure


@style.styled
def plot_accuracy(train_accuracy, test_accuracy, ax=None):
    """Training and held-out accuracy (epochs + 1,) against the epoch (0 = before training).
    Returns the Figure; the two lines are ax.lines[0] and ax.lines[1]."""
    tr, te = np.asarray(train_accuracy, dtype=float), np.asarray(test_accuracy, dtype=float)
    ax = _axes(ax, (5.5, 3.4))
    epochs = np.arange(len(tr))
    ax.plot(epochs, tr, "o-", ms=3, color=COLORS["blue"], label=TEXT("train"))
    ax.plot(epochs, te, "s-", ms=3, color=COLORS["red"], label=TEXT("test"))
    ax.set(xlabel=TEXT("epoch"), ylabel=TEXT("accuracy"), title=TEXT("acc_title"), ylim=(0, 1.02),
           xlim=(0, max(1, len(tr) - 1)))
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower right")
    return ax.figure


@style.styled
def plot_confusion(C, ax=None):
    """A confusion matrix C (k, k) of counts (rows: true class, columns: predicted), each
    cell labelled with its count; the diagonal holds the right answers."""
    C = np.asarray(C)
    k = C.shape[0]
    ax = _axes(ax, (4.8, 4.4))
    off = C.astype(float).copy()
    np.fill_diagonal(off, np.nan)                  # colour the mistakes; the diagonal is drawn apart
    top = max(1.0, float(np.nanmax(off)) if k > 1 else 1.0)
    ax.imshow(np.where(np.eye(k, dtype=bool), np.nan, off), cmap="Reds", vmin=0, vmax=top)
    for i in range(k):
        for j in range(k):
            if C[i, j] or i == j:
                dark = i != j and C[i, j] > 0.6 * top          # white on the darkest reds
                ax.text(j, i, str(int(C[i, j])), ha="center", va="center", fontsize="small",
                        color=COLORS["blue"] if i == j else "white" if dark else COLORS["black"],
                        fontweight="bold" if i == j else "normal")
    ax.set_xticks(range(k))
    ax.set_yticks(range(k))
    ax.set(xlabel=TEXT("predicted"), ylabel=TEXT("true"), title=TEXT("confusion_title"))
    return ax.figure


def mistake_titles(true, predicted):
    """"7 → 1" captions for misclassified images (true → predicted)."""
    return [TEXT("wrong", true=int(t), guess=int(p)) for t, p in zip(true, predicted)]


@style.styled
def plot_first_layer(W, ncols=8, ax=None):
    """The weights into each hidden unit, W (64, h) column by column, as 8x8 images: blue
    pixels push the unit up, red pixels push it down (one colour scale for all, centred on 0)."""
    W = np.asarray(W, dtype=float)
    if W.ndim != 2 or W.shape[0] != 64:
        raise ValueError(f"W must be the first layer's weights of shape (64, hidden), got {W.shape}")
    h = W.shape[1]
    ncols = max(1, min(int(ncols), h))
    rows = -(-h // ncols)
    ax = _axes(ax, (0.8 * ncols + 0.4, 0.85 * rows + 0.5))
    top = float(np.abs(W).max()) or 1.0
    ax.imshow(mosaic(W.T, ncols), cmap="RdBu", vmin=-top, vmax=top, interpolation="nearest")
    ax.set_axis_off()
    ax.set_title(TEXT("weights_title"))
    return ax.figure


@style.styled
def plot_update_ratios(ratios, steps_per_epoch=None, ax=None):
    """The update-to-weight ratio ‖ΔW‖/‖W‖ of each layer (ratios: (steps, n_layers)) per step,
    log scale, with the 10⁻³ rule of thumb; epochs marked by faint vertical lines."""
    ratios = np.asarray(ratios, dtype=float)
    ax = _axes(ax, (6.0, 3.4))
    steps = np.arange(1, len(ratios) + 1)
    for k in range(ratios.shape[1]):
        ax.semilogy(steps, ratios[:, k], color=style.CYCLE[k % len(style.CYCLE)], lw=1.0,
                    label=TEXT("layer", k=k + 1))
    ax.axhline(1e-3, color=COLORS["black"], ls="--", lw=1, label=TEXT("thumb"))
    if steps_per_epoch:
        for s in range(steps_per_epoch, len(ratios), steps_per_epoch):
            ax.axvline(s, color=COLORS["grey"], lw=0.4, alpha=0.5)
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set(xlabel=TEXT("step"), ylabel=TEXT("ratio"), title=TEXT("ratio_title"), xlim=(0, len(ratios)))
    ax.legend(loc="upper right")
    return ax.figure


@style.styled
def plot_width_accuracy(widths, test_accuracy, ax=None):
    """The held-out accuracy after the last epoch (m,) against the hidden width (m,), log x."""
    widths = [int(w) for w in widths]
    ax = _axes(ax, (5.0, 3.4))
    ax.semilogx(widths, np.asarray(test_accuracy, dtype=float), "s-", color=COLORS["red"])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticks(widths)
    ax.set_xticklabels([str(w) for w in widths])
    ax.set(xlabel=TEXT("units"), ylabel=TEXT("final_test"))
    ax.grid(True, alpha=0.3)
    return ax.figure
