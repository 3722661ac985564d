"""Notebook 01b (backprop by hand): a value used three times, on the scalar graph engine."""
from ..exercises import Exercise
from ..graph import Value


def _cube_grad():
    """∂(x·x·x)/∂x at x = 2 from the graph's backward pass (three paths, accumulated)."""
    x = Value(2.0, "x")
    (x * x * x).backward()
    return float(x.grad)


EXERCISES = {"cube": Exercise("∂(x·x·x)/∂x", _cube_grad, tol=1e-3)}
