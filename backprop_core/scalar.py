"""Seed 000's from-scratch network, written the scalar way on purpose: one sample at a
time, one weight at a time, plain Python floats. It is the reference the vectorised core
is compared with (same gradients) and the baseline it is timed against.
"""
import math
import random


def sigmoid(x):
    # stable for large |x|
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def deriv_sigmoid(x):
    fx = sigmoid(x)
    return fx * (1 - fx)


class ScalarNetwork221:
    """The 2-2-1 sigmoid network of seed 000: h1, h2 hidden, o1 output, loss (y_true - y_pred)^2.

    weights: dict with w1..w6, b1..b3 (h1 gets w1, w2, b1; h2 gets w3, w4, b2; o1 gets w5, w6, b3).
    """

    NAMES = ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3")

    def __init__(self, weights):
        missing = [name for name in self.NAMES if name not in weights]
        if missing:
            raise ValueError(f"weights must give all of {', '.join(self.NAMES)}; missing: {', '.join(missing)}")
        for name in self.NAMES:
            setattr(self, name, float(weights[name]))

    def feedforward(self, x):
        h1 = sigmoid(self.w1 * x[0] + self.w2 * x[1] + self.b1)
        h2 = sigmoid(self.w3 * x[0] + self.w4 * x[1] + self.b2)
        return sigmoid(self.w5 * h1 + self.w6 * h2 + self.b3)

    def gradients(self, x, y_true):
        """dL/d(each weight) for one sample, L = (y_true - y_pred)^2, exactly as seed 000."""
        sum_h1 = self.w1 * x[0] + self.w2 * x[1] + self.b1
        h1 = sigmoid(sum_h1)
        sum_h2 = self.w3 * x[0] + self.w4 * x[1] + self.b2
        h2 = sigmoid(sum_h2)
        sum_o1 = self.w5 * h1 + self.w6 * h2 + self.b3
        o1 = sigmoid(sum_o1)
        y_pred = o1

        d_L_d_ypred = -2 * (y_true - y_pred)
        # Neuron o1
        d_ypred_d_w5 = h1 * deriv_sigmoid(sum_o1)
        d_ypred_d_w6 = h2 * deriv_sigmoid(sum_o1)
        d_ypred_d_b3 = deriv_sigmoid(sum_o1)
        d_ypred_d_h1 = self.w5 * deriv_sigmoid(sum_o1)
        d_ypred_d_h2 = self.w6 * deriv_sigmoid(sum_o1)
        # Neuron h1
        d_h1_d_w1 = x[0] * deriv_sigmoid(sum_h1)
        d_h1_d_w2 = x[1] * deriv_sigmoid(sum_h1)
        d_h1_d_b1 = deriv_sigmoid(sum_h1)
        # Neuron h2
        d_h2_d_w3 = x[0] * deriv_sigmoid(sum_h2)
        d_h2_d_w4 = x[1] * deriv_sigmoid(sum_h2)
        d_h2_d_b2 = deriv_sigmoid(sum_h2)
        return {
            "w1": d_L_d_ypred * d_ypred_d_h1 * d_h1_d_w1,
            "w2": d_L_d_ypred * d_ypred_d_h1 * d_h1_d_w2,
            "b1": d_L_d_ypred * d_ypred_d_h1 * d_h1_d_b1,
            "w3": d_L_d_ypred * d_ypred_d_h2 * d_h2_d_w3,
            "w4": d_L_d_ypred * d_ypred_d_h2 * d_h2_d_w4,
            "b2": d_L_d_ypred * d_ypred_d_h2 * d_h2_d_b2,
            "w5": d_L_d_ypred * d_ypred_d_w5,
            "w6": d_L_d_ypred * d_ypred_d_w6,
            "b3": d_L_d_ypred * d_ypred_d_b3,
        }

    def train_step(self, x, y_true, learn_rate=0.1):
        """One SGD step on one sample, as seed 000's train loop does."""
        for name, g in self.gradients(x, y_true).items():
            setattr(self, name, getattr(self, name) - learn_rate * g)


class ScalarMLP:
    """A sigmoid MLP of any sizes, written like seed 000: nested Python loops over units,
    one sample at a time, lists of floats. Loss MSE over outputs. The slow baseline for
    benchmarks; its gradients match the vectorised core's."""

    def __init__(self, sizes, seed=0):
        rnd = random.Random(seed)
        self.sizes = list(sizes)
        self.W = [[[rnd.uniform(-1, 1) / math.sqrt(n_in) for _ in range(n_out)] for _ in range(n_in)]
                  for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self.b = [[0.0] * n_out for n_out in sizes[1:]]

    def train_sample(self, x, target, lr):
        """Forward, backward and update for one sample (x, target: lists of floats)."""
        acts, zs = [list(x)], []
        for W, b in zip(self.W, self.b):
            prev = acts[-1]
            z = [b[q] + sum(prev[p] * W[p][q] for p in range(len(prev))) for q in range(len(b))]
            zs.append(z)
            acts.append([sigmoid(v) for v in z])
        out = acts[-1]
        n_out = len(out)
        delta = [2.0 * (out[q] - target[q]) / n_out * out[q] * (1 - out[q]) for q in range(n_out)]
        for layer in reversed(range(len(self.W))):
            W, prev = self.W[layer], acts[layer]
            if layer > 0:
                back = [sum(W[p][q] * delta[q] for q in range(len(delta))) * prev[p] * (1 - prev[p])
                        for p in range(len(prev))]
            for p in range(len(prev)):
                for q in range(len(delta)):
                    W[p][q] -= lr * prev[p] * delta[q]
            for q in range(len(delta)):
                self.b[layer][q] -= lr * delta[q]
            if layer > 0:
                delta = back
