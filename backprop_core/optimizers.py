"""Optimisers: turn gradients into parameter updates, in place.

All share one signature: `opt.step(net)` updates every parameter of `net` from the
gradients its backward pass left; `opt.update(params, grads)` does the same for any
list of arrays (used for 2-parameter loss landscapes). The state (velocity, moments)
is kept as plain attributes, one array per parameter, so it can be inspected, drawn
and `reset()`. `opt.t` counts the steps taken; `opt.lr` may be a number or a Schedule,
and may be changed between steps (`opt.lr = 0.05`): the next step uses it.

`step(net)` updates a network's one vector θ (net.flat_parameters()) in one pass, and the
state's vectors likewise: the same numbers as array by array, far fewer numpy calls; the
state is still published one array per parameter (views of its vector).

Frozen parameters (Dense(..., freeze=("b",))): `step(net)` skips every array that
`net.trainable` marks False, and sets its state (velocity, moments) to 0, so a frozen
array never moves, not even from momentum gathered before it was frozen.
"""
import numpy as np

from .checks import flag, lookup, number_in, positive_number, real_array
from .flat import split
from .schedules import as_schedule


class Optimizer:
    """Base class. Subclasses give `_update(params, grads, states, lr, active)`: in place,
    for every index i in `active`, with `states` one list per name of `state_names()`
    (velocity, moments), matching params."""

    def __init__(self, lr):
        self.lr = lr
        self.t = 0
        self._matched = {}          # state name -> (state, params, vector) last found to match

    @property
    def lr(self):
        """The learning rate as given: a number, or a Schedule (lr of step t)."""
        return self._lr

    @lr.setter
    def lr(self, lr):
        self._schedule = as_schedule(lr)        # checked here: one source for every step
        self._lr = lr

    @property
    def schedule(self):
        """The Schedule every step reads, made from `lr` (read-only: assign `lr`)."""
        return self._schedule

    def step(self, net):
        """One update of every parameter of `net` from its current gradients (which match
        its parameters by construction, so they are not checked again)."""
        flat = net.flat_parameters()            # θ and ∇θ as one vector each, if it has them
        if flat is not None:
            self.update_checked(flat.params, flat.grads, flat=flat)
            return
        trainable = net.trainable
        self.update_checked(net.parameters(), net.gradients(),
                            None if all(trainable) else trainable)

    def update_checked(self, params, grads, trainable=None, flat=None):
        """update for lists already checked (fit makes them once per call, then calls this
        once per step). flat: None, or the FlatParameters of which params and grads are
        the views (net.flat_parameters()): the update then runs once over its vectors θ, ∇θ
        and the state's vectors, the same numbers as array by array."""
        self._apply(*self._plan(params, grads, trainable, flat))

    def updater(self, params, grads, trainable=None, flat=None):
        """update_checked(params, grads, trainable, flat) as a function of no arguments, which
        finds the state and the vectors once: for a loop such as fit's, in which nothing
        but the loop touches params, grads and this optimiser between two steps."""
        plan = self._plan(params, grads, trainable, flat)
        return lambda: self._apply(*plan)

    def _plan(self, params, grads, trainable, flat):
        """(params, grads, states, active) for _update: θ, ∇θ and the state's vectors when
        flat allows it, else the arrays, one by one."""
        if flat is not None and trainable is None and not self.state_names():
            return [flat.theta], [flat.grad], [], range(1)      # no state (plain SGD): θ and ∇θ
        states = [self._state(name, params) for name in self.state_names()]
        vectors = None if flat is None or trainable is not None else self._vectors(states)
        if vectors is not None:
            return [flat.theta], [flat.grad], vectors, range(1)
        return params, grads, states, self._active(trainable, params, *states)

    def _apply(self, params, grads, states, active):
        """One step: _update at this step's learning rate, then t + 1."""
        self._update(params, grads, states, self.current_lr(), active)
        self.t += 1

    def update(self, params, grads, trainable=None):
        """In place: params[i] <- params[i] + Δ_i. params, grads: matching lists of float
        arrays, grads[i] of the shape of params[i] (no broadcasting). trainable: None (all)
        or one bool per parameter; an array marked False is left untouched."""
        if trainable is not None:
            if isinstance(trainable, (str, bytes)) or not hasattr(trainable, "__iter__"):
                raise TypeError(f"update: trainable must be None or one True/False per parameter "
                                f"(a list such as [True, False]), got {trainable!r}")
            trainable = [flag(v, f"update: trainable[{i}]") for i, v in enumerate(trainable)]
            if len(trainable) != len(params):
                raise ValueError(f"update: trainable needs one True/False per parameter: "
                                 f"{len(params)} parameters, {len(trainable)} flags")
        if len(params) != len(grads):
            raise ValueError(f"update needs one gradient per parameter: {len(params)} parameters, "
                             f"{len(grads)} gradients")
        checked = []
        for i, (p, g) in enumerate(zip(params, grads)):
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                raise TypeError(f"params[{i}] must be a float numpy array (updated in place), got {p!r}")
            g = real_array(g, f"grads[{i}]")
            if g.shape != p.shape:
                raise ValueError(f"grads[{i}] must have the shape of params[{i}] {p.shape}, got {g.shape}")
            checked.append(g)
        self.update_checked(params, checked, trainable)

    def current_lr(self):
        """The learning rate the next step will use: the schedule's rate at step t (an
        integer >= 0, so the schedule's own checks are not needed)."""
        return float(self._schedule.rate(float(self.t)))

    def reset(self):
        """Forget the state (velocity, moments) and the step count."""
        self.t = 0
        for name in self._state_names:
            setattr(self, name, None)

    _state_names = ()

    def state_names(self):
        """The names of the state arrays the next update uses (e.g. ("velocity",))."""
        return self._state_names

    def _state(self, name, params):
        """The state arrays `name` for params: zeros when missing or made for other shapes,
        made as views of one vector when params share a dtype (see flat.split).
        Checked once per list of params (fit passes the same list at every step)."""
        state = getattr(self, name)
        matched = self._matched.get(name)
        if matched is not None and matched[0] is state and matched[1] is params:
            return state
        vector = None
        if state is None or len(state) != len(params) or any(s.shape != p.shape for s, p in zip(state, params)):
            if len({p.dtype for p in params}) == 1:
                vector = np.zeros(sum(p.size for p in params), dtype=params[0].dtype)
                state = split(vector, params)
            else:
                state = [np.zeros_like(p) for p in params]
            setattr(self, name, state)
        elif matched is not None and matched[0] is state:
            vector = matched[2]                 # the same state for another list of params
        self._matched[name] = (state, params, vector)
        return state

    def _vectors(self, states):
        """One list [vector] per state of `states` when each was made as views of one
        vector (and still is: not after a copy.deepcopy); else None."""
        vectors = []
        for name, state in zip(self.state_names(), states):
            vector = self._matched[name][2]
            if vector is None or any(s.base is not vector for s in state):
                return None
            vectors.append([vector])
        return vectors

    def _active(self, trainable, params, *states):
        """The indices to update; the state arrays of the frozen ones are set to 0."""
        if trainable is None:
            return range(len(params))
        for i, on in enumerate(trainable):
            if not on:
                for state in states:
                    state[i][...] = 0.0
        return [i for i, on in enumerate(trainable) if on]


class SGD(Optimizer):
    """Gradient descent, optionally with momentum (classical form, as seed 004).

    Plain:      Δw = -lr·g
    Momentum:   v = μ·v - lr·g;  w += v   (Δw(t) = -lr·g + μ·Δw(t-1): seed 004's rule)
    Nesterov:   v = μ·v - lr·g;  w += μ·v - lr·g   (the look-ahead form of Sutskever et al.
                2013 rewritten to use the gradient at the current weights, as Keras does)
    We keep the classical form because it is the seed's. PyTorch's form (v = μv + g;
    w -= lr·v) gives the same steps for a constant lr; they differ when lr changes.
    `velocity` holds v, one array per parameter.
    """
    _state_names = ("velocity",)

    def __init__(self, lr=0.01, momentum=0.0, nesterov=False):
        super().__init__(lr)
        self.momentum = number_in(momentum, "momentum", 0.0, 1.0)
        self.nesterov = bool(nesterov)
        if self.nesterov and self.momentum == 0:
            raise ValueError("nesterov=True needs momentum in (0, 1), got momentum=0")
        self.velocity = None

    def state_names(self):
        return self._state_names if self.momentum else ()     # plain SGD keeps no state

    def _update(self, params, grads, states, lr, active):
        if self.momentum == 0:
            for i in active:
                params[i] -= lr * grads[i]                    # Δw = -η ∂L/∂w
            return
        mu = self.momentum
        (velocity,) = states
        for i in active:
            w, g, v = params[i], grads[i], velocity[i]
            v *= mu
            v -= lr * g                                       # v = μ v - η g
            if self.nesterov:
                w += mu * v - lr * g                          # look ahead along v
            else:
                w += v                                        # Δw(t) = μ Δw(t-1) - η g

    def __repr__(self):
        return f"SGD(lr={self.lr}, momentum={self.momentum}, nesterov={self.nesterov})"


class RMSProp(Optimizer):
    """s = ρ·s + (1 - ρ)·g²;  w -= lr·g / (sqrt(s) + ε)   (Tieleman & Hinton 2012: ρ = 0.9).
    `square_avg` holds s."""
    _state_names = ("square_avg",)

    def __init__(self, lr=0.001, rho=0.9, eps=1e-8):
        super().__init__(lr)
        self.rho = number_in(rho, "rho", 0.0, 1.0)
        self.eps = positive_number(eps, "eps")
        self.square_avg = None

    def _update(self, params, grads, states, lr, active):
        (square_avg,) = states
        for i in active:
            w, g, s = params[i], grads[i], square_avg[i]
            s *= self.rho
            s += (1.0 - self.rho) * g * g
            w -= lr * g / (np.sqrt(s) + self.eps)

    def __repr__(self):
        return f"RMSProp(lr={self.lr}, rho={self.rho}, eps={self.eps})"


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015): m = β1 m + (1-β1) g;  v = β2 v + (1-β2) g²;
    m̂ = m / (1 - β1^t);  v̂ = v / (1 - β2^t);  w -= lr·m̂ / (sqrt(v̂) + ε).
    Defaults from the paper: lr 0.001, β1 0.9, β2 0.999, ε 1e-8. `m`, `v` hold the moments."""
    _state_names = ("m", "v")

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        self.beta1 = number_in(beta1, "beta1", 0.0, 1.0)
        self.beta2 = number_in(beta2, "beta2", 0.0, 1.0)
        self.eps = positive_number(eps, "eps")
        self.m = self.v = None

    def _update(self, params, grads, states, lr, active):
        t = self.t + 1
        c1 = 1.0 - self.beta1 ** t                            # bias corrections
        c2 = 1.0 - self.beta2 ** t
        ms, vs = states
        for i in active:
            w, g, m, v = params[i], grads[i], ms[i], vs[i]
            m *= self.beta1
            m += (1.0 - self.beta1) * g           # 1. m = β1·m + (1-β1)·g: momentum's mean of g
            v *= self.beta2
            v += (1.0 - self.beta2) * g * g       # 2. v = β2·v + (1-β2)·g²: RMSProp's mean of g²
            m_hat = m / c1                        # 3. bias correction: m, v start at 0, so early
            v_hat = v / c2                        #    means are too small by 1 - β^t
            w -= lr * m_hat / (np.sqrt(v_hat) + self.eps)   # 4. a step of about lr per parameter

    def __repr__(self):
        return f"Adam(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, eps={self.eps})"


OPTIMIZERS = {"sgd": SGD, "rmsprop": RMSProp, "adam": Adam}


def get_optimizer(optimizer, **kwargs):
    """An Optimizer from a name ('sgd', 'rmsprop', 'adam') and keyword arguments, or as is."""
    if isinstance(optimizer, Optimizer):
        return optimizer
    if isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an optimiser object such as bp.{optimizer.__name__}(lr=0.1) "
                        f"(with brackets) or a name, got the class {optimizer.__name__}")
    return lookup(optimizer, OPTIMIZERS, "optimizer")(**kwargs)


def largest_stable_lr(problem, momentum=0.0, steps=2000, high=10.0, tol=1e-3):
    """The largest learning rate for which SGD(lr, momentum) still converges on `problem`
    (a landscapes problem: `descend(optimizer, steps)` and `loss_at(theta)`, e.g. the
    QuadraticBowl), found by bisection in (0, high]: stable means the loss after `steps`
    steps is finite and below the loss at the start. `tol`: the bisection's resolution.

    On a quadratic bowl with largest curvature λ_max the theory says: plain gradient
    descent is stable for η < 2/λ_max, heavy-ball momentum for η < 2(1 + μ)/λ_max (Goh,
    "Why Momentum Really Works", Distill 2017); near the limit the loss shrinks slowly, so
    the bisection lands a little below it."""
    momentum = number_in(momentum, "momentum", 0.0, 1.0)
    high = positive_number(high, "high")
    tol = positive_number(tol, "tol")
    start = problem.loss_at(problem.start)
    low = 0.0
    while high - low > tol:
        mid = 0.5 * (low + high)
        run = problem.descend(SGD(lr=mid, momentum=momentum), steps=steps)
        if not run.diverged and run.final_loss < start:
            low = mid
        else:
            high = mid
    return low
