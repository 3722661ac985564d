"""Notebook 01c (build the engine): the prediction about two backward() passes, computed
by the engine when the answer is checked (h = w·x, y = h·h at w = 3, x = 2)."""
from ..exercises import Exercise
from ..graph import Value


def _twice():
    """(w.grad, h.grad) after y.backward() twice: leaves add up, computed nodes do not."""
    w, x = Value(3.0, "w"), Value(2.0, "x")
    h = w * x
    y = h * h
    y.backward()
    y.backward()
    return float(w.grad), float(h.grad)


EXERCISES = {
    "twice_w": Exercise("w.grad", lambda: _twice()[0], tol=1e-6),
    "twice_h": Exercise("h.grad", lambda: _twice()[1], tol=1e-6),
}
