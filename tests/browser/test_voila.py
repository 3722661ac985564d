"""The interactive notebooks as Voila apps (headless Chromium): they render without errors,
no code is visible, every slider (keyboard and readout) and the stepper's Next/Back buttons
redraw their picture. Latencies are printed at the end of the run.

The English edition is driven in full; the Chinese edition (the same code) by a smoke test:
each interactive notebook renders without errors, shows Chinese text and no code, and its
first slider redraws its picture (to keep `make test` within its time budget);
BP_VOILA_ZH_FULL=1 drives the Chinese edition in full too.
"""
import json
import os
import time

import browser_driver as drv
import pytest
from browser_driver import drive_widgets, has_widgets, notebooks

INTERACTIVE = [p for p in notebooks("en") if has_widgets(p)]
INTERACTIVE_ZH = [p for p in notebooks("zh") if has_widgets(p)]
STATIC = [p for p in notebooks() if not has_widgets(p)]
CJK_TEXT_JS = r"""() => (document.body.innerText.match(/[\u4e00-\u9fff]/g) || []).length"""

STATE_JS = r"""() => ({
  loading: !!document.querySelector('#loading') &&
           getComputedStyle(document.querySelector('#loading')).display !== 'none',
  shown: !!document.querySelector('#rendered_cells') &&
         getComputedStyle(document.querySelector('#rendered_cells')).display !== 'none',
  widgets: document.querySelectorAll('.jupyter-widgets').length,
  pending: [...document.querySelectorAll('.jp-OutputArea-output')]
           .filter(e => /Loading widget|Loading\u2026/.test(e.innerText)).length,
})"""

CODE_VISIBLE_JS = r"""() => [...document.querySelectorAll(
    '.jp-CodeCell .jp-InputArea, .jp-InputArea-editor, .cm-editor, .CodeMirror')]
  .filter(e => e.offsetWidth || e.offsetHeight).length"""


def _code_lines(path):
    """Distinctive source lines of the notebook's code cells (to check none is shown)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    lines = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            lines += [ln.strip() for ln in src.splitlines() if len(ln.strip()) >= 20]
    return lines


def _wait_rendered(page, timeout=180, widgets=True):
    """Wait for Voila's spinner to go and the widget count to be stable for a second."""
    deadline = time.monotonic() + timeout
    last, stable = None, 0
    while time.monotonic() < deadline:
        s = page.evaluate(STATE_JS)
        ready = s["shown"] and not s["loading"] and not s["pending"] and (s["widgets"] > 0 or not widgets)
        stable = stable + 1 if (ready and s["widgets"] == last) else 0
        last = s["widgets"]
        if stable >= 4:
            return s
        page.wait_for_timeout(250)
    pytest.fail(f"Voila page not rendered within {timeout} s: {page.evaluate(STATE_JS)}")


def _open_app(nb, voila_server, page, artifacts, widgets=True):
    """Render `nb` as a Voila app; fail on error output or visible code; return its screenshot name."""
    rel = nb.relative_to(drv.NOTEBOOK_DIR).as_posix()
    stem = f"{nb.parent.name}-{nb.stem}"
    page.goto(f"{voila_server.url}/voila/render/{rel}", timeout=240000)
    _wait_rendered(page, widgets=widgets)
    drv.install_probe(page)
    drv.wait_quiet(page)
    page.screenshot(path=str(artifacts / f"voila-{stem}-app.png"), full_page=True)
    problems = drv.page_errors_in_outputs(page) + page.bp_errors
    assert not problems, f"{rel} in Voila:\n" + "\n".join(problems)

    visible = page.evaluate(CODE_VISIBLE_JS)
    text = page.evaluate("() => [...document.querySelectorAll('.jp-Cell:not(.jp-MarkdownCell)')]"
                         ".map(e => e.innerText).join('\\n')")
    shown = [ln for ln in _code_lines(nb) if ln in text]
    assert visible == 0 and not shown, f"{rel}: code is visible in the Voila app: {visible} editors, {shown[:3]}"
    return stem


@pytest.mark.parametrize("nb", STATIC, ids=[drv.edition_id(p) for p in STATIC])
def test_notebook_without_widgets_as_voila_app(nb, voila_server, page, artifacts):
    """The notebooks without a widget (both editions) run top to bottom as Voila apps too."""
    _open_app(nb, voila_server, page, artifacts, widgets=False)


@pytest.mark.parametrize("nb", INTERACTIVE_ZH, ids=[drv.edition_id(p) for p in INTERACTIVE_ZH])
def test_chinese_notebook_as_voila_app(nb, voila_server, page, artifacts):
    _open_app(nb, voila_server, page, artifacts)
    assert page.evaluate(CJK_TEXT_JS) > 50, f"{nb.name}: the Chinese edition shows little Chinese text"
    if os.environ.get("BP_VOILA_ZH_FULL") == "1":
        problems = drive_widgets(page, drv.edition_id(nb), "voila-zh")
        problems += drv.page_errors_in_outputs(page) + page.bp_errors
        assert not problems, f"{nb.name} in Voila:\n" + "\n".join(problems)
        return
    sliders = page.evaluate(drv.SLIDERS_JS)
    first = next((s for s in sliders if s["visible"] and not s["disabled"]), None)
    if first is not None:
        context = {"where": "voila-zh", "notebook": drv.edition_id(nb), "control": first["label"]}
        what, action, _, kind = drv.slider_actions(page, first)[0]
        r = drv.measure(page, action, what, context, kind=kind)
        assert r["latency_ms"] is not None and r["changed"], f"{nb.name}: slider '{first['label']}' redrew nothing"
    problems = drv.page_errors_in_outputs(page) + page.bp_errors
    assert not problems, f"{nb.name} in Voila:\n" + "\n".join(problems)


@pytest.mark.parametrize("nb", INTERACTIVE, ids=[drv.edition_id(p) for p in INTERACTIVE])
def test_notebook_as_voila_app(nb, voila_server, page, artifacts):
    stem = _open_app(nb, voila_server, page, artifacts)
    problems = drive_widgets(page, drv.edition_id(nb), "voila")
    page.screenshot(path=str(artifacts / f"voila-{stem}-widgets.png"), full_page=True)
    problems += drv.page_errors_in_outputs(page) + page.bp_errors
    assert not problems, f"{nb.name} in Voila:\n" + "\n".join(problems)


def test_voila_latency_median():
    """Over every move measured in Voila: median <= BP_LATENCY_MEDIAN_MS (100 ms), enforced with
    BP_LATENCY_ENFORCE=1; otherwise the median is reported."""
    drv.check_latency_median("voila", "Voila")
