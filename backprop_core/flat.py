"""A network's parameters as one vector θ, and their gradients as one vector ∇θ.

The Dense layers' W, b (and dW, db) are views of these two vectors, so an optimiser can
update every parameter with one pass over θ (θ <- θ - η ∇θ) instead of one per array:
the same numbers (each element gets the same arithmetic), fewer numpy calls per step.
The layers keep working on their own arrays as before; the vectors are only a faster
way to the same memory.
"""
import numpy as np


class FlatParameters:
    """theta: (n_params,) every parameter, layer by layer [W1, b1, W2, b2, ...] (the order
    of net.parameters() and net.get_flat()); grad: (n_params,) the matching gradients.
    params, grads: the per-layer arrays as views of theta and grad (lists made once)."""

    def __init__(self, layers):
        self.layers = list(layers)
        params = [p for layer in self.layers for p in layer.parameters()]
        self.theta = np.concatenate([p.ravel() for p in params])
        self.grad = np.zeros_like(self.theta)
        self.params = split(self.theta, params)
        self.grads = split(self.grad, params)
        self.views, i = [], 0
        for layer in self.layers:                 # the layers now hold views of θ and ∇θ
            layer.W, layer.dW = self.params[i], self.grads[i]
            if layer.use_bias:
                layer.b, layer.db = self.params[i + 1], self.grads[i + 1]
            i += 2 if layer.use_bias else 1
            self.views.append((layer, layer.W, layer.dW, layer.b, layer.db))

    def intact(self):
        """True while every layer still holds its views and none is frozen. False after
        `layer.W = other_array`, a frozen parameter, or the layer's use in another
        network: then callers take the parameters array by array."""
        for layer, W, dW, b, db in self.views:
            if (layer.W is not W or layer.dW is not dW or layer.b is not b or layer.db is not db
                    or layer.frozen.names):
                return False
        return True

    def __reduce__(self):
        # copy.deepcopy and pickle copy each array on its own (no longer views of θ):
        # the copy makes its vectors anew over the copied layers
        return FlatParameters, (self.layers,)


def split(vector, like):
    """Views of `vector`, one per array of `like`, shaped like it, in order."""
    views, i = [], 0
    for a in like:
        views.append(vector[i:i + a.size].reshape(a.shape))
        i += a.size
    return views

