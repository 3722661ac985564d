"""Seed 000's one-weight chain, trained by hand: only the weight w moves (notebook 01).

    run = bp.one_weight.one_weight_run(lr=1e-6, steps=10, rule="loss")
    run.w, run.y, run.L        # (n + 1,) before step 0 .. after step n
    run.diverged_at            # None, or the step whose output blew up

The chain is `examples.e1_chain()`: h = w·x, y = v·h + c (v and c stay fixed). Two rules:
"loss" is gradient descent on the loss, w ← w − η·∂L/∂w; "post" is the post's step along
the output's derivative, w ← w + η·∂y/∂w. Both derivatives come from the core's backward
pass and the step is the core optimiser's (`SGD.update`); numpy only.
"""
import numpy as np

from . import examples
from .optimizers import SGD

RULES = ("loss", "post")
MAX_OUTPUT = 1e12       # |y| beyond this counts as diverged: the same limit as fit's max_loss default


class OneWeightRun:
    """The trajectory of one_weight_run. w, y, L: (n + 1,) values before step 0 .. after
    step n, n <= steps (finite numbers only); diverged_at: the step whose result blew up."""

    def __init__(self, lr, steps, rule, w, y, L, diverged_at):
        self.lr, self.steps, self.rule = lr, steps, rule
        self.w, self.y, self.L = np.asarray(w), np.asarray(y), np.asarray(L)
        self.diverged_at = diverged_at

    @property
    def diverged(self):
        return self.diverged_at is not None

    def __repr__(self):
        end = (f"diverged at step {self.diverged_at}" if self.diverged
               else f"y = {self.y[-1]:.4f} after {self.steps} steps")
        return f"OneWeightRun(lr={self.lr:g}, rule={self.rule!r}, {end})"


def one_weight_run(lr, steps=1, rule="loss", example=None, max_output=MAX_OUTPUT):
    """Train only w of seed 000's chain (h = w·x, y = v·h + c) for `steps` steps.

    rule "loss": w ← w − η·∂L/∂w, L = MSE(y, t) (gradient descent on the loss);
    rule "post": w ← w + η·∂y/∂w (the post's step along the output's derivative).
    A step whose output is not finite or |y| > max_output ends the run: diverged_at =
    that step (1-based), and w, y, L keep only the finite values before it.
    example: an Example like examples.e1_chain() (its net is copied, never changed).
    """
    if rule not in RULES:
        raise ValueError(f"rule must be one of {', '.join(map(repr, RULES))}, got {rule!r}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
    ex = examples.e1_chain() if example is None else example
    net, X, t, loss = ex.net.copy(), ex.X, ex.t, ex.loss
    W = net.layers[0].W                       # the green box w; v and c stay fixed
    opt = SGD(lr=lr)
    y = net.forward(X)
    ws, ys, Ls = [float(W[0, 0])], [float(y[0, 0])], [float(loss.value_checked(y, t))]
    diverged_at = None
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            if rule == "loss":
                net.backward(loss.grad(y, t))               # fills layer.dW = ∂L/∂w
                grad = net.layers[0].dW
            else:
                net.backward(np.ones_like(y))                   # dL/dy := 1, so dW = ∂y/∂w
                grad = -net.layers[0].dW                        # step *up* the output
            opt.update([W], [grad])
            y = net.forward(X) if np.all(np.isfinite(W)) else np.full_like(y, np.inf)
            if not np.all(np.isfinite(y)) or np.abs(y).max() > max_output:
                diverged_at = k
                break
            ws.append(float(W[0, 0]))
            ys.append(float(y[0, 0]))
            Ls.append(float(loss.value_checked(y, t)))
    return OneWeightRun(lr, steps, rule, ws, ys, Ls, diverged_at)
