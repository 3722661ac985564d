"""Every notebook of both editions in JupyterLab (headless Chromium): run all cells, no errors;
every slider moved by keyboard and by typing into its readout redraws its picture; Next/Back
buttons move the stepper's highlight. One screenshot per notebook and edition
(lab-zh-07_training_lab-run.png). Latencies are printed at the end of the run and saved in
test-artifacts/browser/latency.json; screenshots in test-artifacts/browser/.
"""
import hashlib
import time

import browser_driver as drv
import pytest
from browser_driver import ROOT, drive_widgets, notebooks

NOTEBOOKS = notebooks()


def _status_text(page):
    return page.locator("#jp-main-statusbar").inner_text()


def _kernel_idle(page):
    return "| Idle" in _status_text(page)


def _menu(page, menu, entry):
    """Click a JupyterLab menu-bar item (e.g. "Run"), then its entry (e.g. "Run All Cells")."""
    page.locator(".lm-MenuBar-item", has_text=menu).first.click()
    page.locator(".lm-Menu-item .lm-Menu-itemLabel", has_text=entry).first.click()


PROMPTS_JS = r"""() => [...document.querySelectorAll('.jp-CodeCell')].map(c => {
  const p = c.querySelector('.jp-InputPrompt');
  const src = c.querySelector('.cm-content');
  return {prompt: p ? p.textContent.trim() : '', empty: !src || src.textContent.trim() === ''};
})"""


def _run_all(page, timeout=240):
    """Clear outputs, Run > Run All Cells, wait until every code cell has run and the kernel is idle."""
    _menu(page, "Edit", "Clear Outputs of All Cells")
    _menu(page, "Run", "Run All Cells")
    deadline = time.monotonic() + timeout
    idle_polls = 0
    while time.monotonic() < deadline:
        page.wait_for_timeout(500)
        errors = drv.page_errors_in_outputs(page)
        if errors:
            return errors
        prompts = page.evaluate(PROMPTS_JS)
        done = all(p["empty"] or (p["prompt"].startswith("[") and p["prompt"][1:-2].strip().isdigit())
                   for p in prompts)
        idle_polls = idle_polls + 1 if (done and _kernel_idle(page)) else 0
        if idle_polls >= 2:
            return []
    pytest.fail(f"notebook did not finish within {timeout} s; prompts: {page.evaluate(PROMPTS_JS)}")


def _shutdown_sessions(server):
    for s in server.request("GET", "/api/sessions") or []:
        server.request("DELETE", f"/api/sessions/{s['id']}")


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[drv.edition_id(p) for p in NOTEBOOKS])
def test_notebook_in_jupyterlab(nb, lab_server, page, artifacts):
    digest = _digest(nb)
    rel = nb.relative_to(ROOT).as_posix()
    stem = f"{nb.parent.name}-{nb.stem}"
    try:
        page.goto(f"{lab_server.url}/lab/tree/{rel}?reset&token={lab_server.token}")
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90000)
        page.wait_for_function("() => document.querySelector('#jp-main-statusbar')"
                               " && document.querySelector('#jp-main-statusbar').innerText.includes('| Idle')",
                               timeout=90000)
        drv.install_probe(page)
        errors = _run_all(page)
        page.screenshot(path=str(artifacts / f"lab-{stem}-run.png"), full_page=True)
        assert not errors, f"{nb.name}: error output after Run All:\n" + "\n".join(errors)
        assert not page.bp_errors, f"{nb.name}: " + "\n".join(page.bp_errors)

        problems = drive_widgets(page, drv.edition_id(nb), "lab", idle=lambda: _kernel_idle(page))
        page.screenshot(path=str(artifacts / f"lab-{stem}-widgets.png"), full_page=True)
        problems += drv.page_errors_in_outputs(page) + page.bp_errors + _log_console_errors(page)
        assert not problems, f"{nb.name} in JupyterLab:\n" + "\n".join(problems)
    finally:
        _shutdown_sessions(lab_server)
    saved = [ln for ln in lab_server.log_tail(100000).splitlines() if "Saving file at" in ln and rel in ln]
    assert not saved, f"JupyterLab saved {rel} during the browser test (autosave must be off): {saved}"
    if _digest(nb) != digest:
        print(f"note: {nb.name} changed on disk during its test, not saved by JupyterLab (re-executed meanwhile?)")


def _log_console_errors(page):
    """Errors from widget callbacks: JupyterLab puts them in the log console (status bar count)."""
    item = page.locator(".jp-LogConsoleStatusItem")
    if item.count() == 0 or not item.first.is_visible():
        return []
    text = item.first.inner_text().strip()
    return [f"log console: {text} message(s) from the kernel, e.g. an exception in a widget callback "
            "(open View > Show Log Console)"] if text and text != "0" else []


def test_lab_latency_median():
    """Over every move measured in JupyterLab: median <= BP_LATENCY_MEDIAN_MS (100 ms), enforced with
    BP_LATENCY_ENFORCE=1; otherwise the median is reported."""
    drv.check_latency_median("lab", "JupyterLab")
