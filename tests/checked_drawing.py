"""A fixture for the widget tests: every blitted picture is checked against a fresh drawing of
its static part (drawing.check_backgrounds), so a stale background fails the test.

    from checked_drawing import checked_backgrounds  # noqa: F401 (autouse)
"""
import pytest

from backprop_core.widgets.drawing import check_backgrounds


@pytest.fixture(autouse=True)
def checked_backgrounds():
    previous = check_backgrounds(True)
    yield
    check_backgrounds(previous)
