"""Shared test set-up: a deterministic hypothesis profile and a finite-difference helper.

Hypothesis runs derandomized by default ("ci" profile), so every run (and CI) tries the same
examples. Set HYPOTHESIS_PROFILE=explore for fresh random examples and more of them.
"""
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, deadline=None, max_examples=40, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", deadline=None, max_examples=400, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def central_difference(f, x, h=2e-4):
    """d f(x) / dx for every element of x by the five-point central difference
    (8 [f(x + h) - f(x - h)] - [f(x + 2h) - f(x - 2h)]) / 12h,
    whose error ~h^4 + eps/h is ~1e-12 in float64 at h = 2e-4 (the two-point rule's is ~1e-10).

    f: array (any shape) -> scalar. Returns an array of x's shape.
    """
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        values = []
        for step in (h, -h, 2 * h, -2 * h):
            flat[i] = old + step
            values.append(f(x))
        flat[i] = old
        gflat[i] = (8 * (values[0] - values[1]) - (values[2] - values[3])) / (12 * h)
    return grad


@pytest.fixture(scope="session")
def fd():
    """The central-difference function (session scope: usable inside hypothesis tests)."""
    return central_difference


def pytest_collection_modifyitems(config, items):
    """The browser tests run last: they are the slowest, and Playwright's sync API keeps an
    asyncio loop marked as running in the main thread for the rest of the session (its browser
    fixture is session-scoped), which would stop the widget tests that run an event loop of
    their own (coalesced redraws) with "asyncio.run() cannot be called from a running event loop"."""
    items.sort(key=lambda item: "tests/browser/" in item.nodeid.replace("\\", "/"))
