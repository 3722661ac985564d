"""Shared test set-up: a deterministic hypothesis profile, a finite-difference helper, and the
fixtures every test file uses for warnings, languages and PNG rendering.

Hypothesis runs derandomized by default ("ci" profile), so every run (and CI) tries the same
examples. Set HYPOTHESIS_PROFILE=explore for fresh random examples and more of them.

Fixtures:
  strict        every warning is an error inside the test (matplotlib's "Glyph missing" included)
  warnings_as_errors   the same for a block: `with warnings_as_errors(): ...` (session scope:
                usable in a module's fixture)
  use_language  bp.set_language for this test only: use_language("zh"); the language before the
                test is restored after it, however often the test switched
  english, chinese   the test runs in that language (restored after)
  lang          the test runs once per language, that language set: "en", then "zh"
  png           png(fig) -> the figure's PNG bytes, rendered with every warning an error
"""
import contextlib
import io
import os
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

import backprop_core as bp

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


@contextlib.contextmanager
def errors_for_warnings():
    """Every warning inside the block is an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.fixture(scope="session")
def warnings_as_errors():
    """The context manager errors_for_warnings (session scope: usable in a module's fixture)."""
    return errors_for_warnings


@pytest.fixture
def strict():
    """Every warning is an error inside the test."""
    with errors_for_warnings():
        yield


@pytest.fixture
def use_language():
    """bp.set_language for this test only: the language before the test is restored after it."""
    previous = bp.language()
    yield bp.set_language
    bp.set_language(previous)


@pytest.fixture
def english(use_language):
    """The test runs in English."""
    use_language("en")


@pytest.fixture
def chinese(use_language):
    """The test runs in 简体中文."""
    use_language("zh")


@pytest.fixture(params=["en", "zh"])
def lang(request, use_language):
    """The test runs once per language, with that language set; the fixture's value is its code."""
    use_language(request.param)
    return request.param


def render_png(fig):
    """fig (a matplotlib Figure) as PNG bytes, every warning an error (a missing glyph fails)."""
    buf = io.BytesIO()
    with errors_for_warnings():
        fig.savefig(buf, format="png")
    return buf.getvalue()


@pytest.fixture(scope="session")
def png():
    """The PNG renderer render_png (session scope: usable inside hypothesis tests)."""
    return render_png


def pytest_collection_modifyitems(config, items):
    """The browser tests run last: they are the slowest, and Playwright's sync API keeps an
    asyncio loop marked as running in the main thread for the rest of the session (its browser
    fixture is session-scoped), which would stop the widget tests that run an event loop of
    their own (coalesced redraws) with "asyncio.run() cannot be called from a running event loop"."""
    items.sort(key=lambda item: "tests/browser/" in item.nodeid.replace("\\", "/"))
