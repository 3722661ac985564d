"""Fixtures for the browser tests: headless Chromium, a JupyterLab server, a Voila server.

Chromium is Debian's (/usr/bin/chromium, installed by scripts/ensure_browser.sh), driven by
Playwright for Python; `playwright install` is never used. Without Chromium the tests are
skipped locally and fail in CI (CI=true).

Environment:
  BP_BROWSER_ROOT   folder whose notebooks/ are tested (default: the repository)
  BP_LATENCY_ENFORCE=1  fail on the latency limits below (otherwise they are measured and printed)
  BP_LATENCY_MAX_MS     allowed p95 of each control (per kind: handle, typed), default 250
  BP_LATENCY_MEDIAN_MS  allowed median of each control (per kind) and over all moves, default 100
  BP_BROWSER_PAGE_KEYS=1  press both an arrow key and PageUp/PageDown on every slider handle
  BP_BROWSER_MOVES      key presses per handle, each to a new value (default 1)
  BP_BROWSER_TYPED      new values typed into each slider's readout (default 1)
Latency: key down -> the animation frame that paints the new picture (after its img load),
per control and kind (handle / typed / button), median and p95; printed in the terminal
summary and saved, one record per move, in latency.json.
Screenshots, server logs and latency.json go to test-artifacts/browser/ (git-ignored).
"""
import json
import os
import pathlib
import secrets
import shutil
import subprocess
import sys
import tempfile

import browser_driver as drv
import pytest

ROOT, NOTEBOOK_DIR, ARTIFACTS = drv.ROOT, drv.NOTEBOOK_DIR, drv.ARTIFACTS

# JupyterLab user settings for the test server (a throw-away settings folder):
# no autosave (the tests must never write the notebooks), every cell kept in the DOM,
# no news/update pop-ups.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                         "checkForUpdates": False},
}


def _cjk_font():
    """The family of a fontconfig font that covers simplified Chinese, or ''."""
    if not shutil.which("fc-list"):
        return ""
    out = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True)
    return out.stdout.strip().splitlines()[0] if out.stdout.strip() else ""


def _require_browser():
    problems = []
    if not os.access(drv.CHROMIUM, os.X_OK):
        problems.append(f"{drv.CHROMIUM} is missing (run: bash scripts/ensure_browser.sh as root, "
                        "or apt-get install chromium)")
    if not _cjk_font():
        problems.append("no CJK font for Chromium, the Chinese edition would show empty boxes "
                        "(run: bash scripts/ensure_browser.sh as root, or apt-get install fonts-noto-cjk)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("playwright is not installed (pip install -e '.[test]')")
    if problems:
        message = "browser tests need: " + "; ".join(problems)
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: a missing browser is a failure)", pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=drv.CHROMIUM, args=drv.CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser context and page; collects uncaught page errors in `page.bp_errors`."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.bp_errors = []
    pg.on("pageerror", lambda e: pg.bp_errors.append(f"page error: {e}"))
    pg.set_default_timeout(60000)
    yield pg
    context.close()


def _isolated_env(tmp):
    env = dict(os.environ)
    env["JUPYTER_RUNTIME_DIR"] = str(tmp / "runtime")
    env["JUPYTER_CONFIG_DIR"] = str(tmp / "config")
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONFAULTHANDLER"] = "1"          # a kernel that crashes prints where, into the log
    env.pop("BP_PRESENTATION", None)
    return env


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test that used a server gets the log's lines about a kernel that died."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    for name in ("lab_server", "voila_server"):
        server = getattr(item, "funcargs", {}).get(name)
        deaths = server.kernel_deaths() if server is not None else ""
        if deaths:
            report.sections.append((f"{server.name}: a kernel died", deaths))


@pytest.fixture(scope="module")
def lab_server(artifacts):
    """JupyterLab on a free loopback port serving the repository, with throw-away settings."""
    _require_browser()
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="bp-lab-"))
    for rel, value in LAB_SETTINGS.items():
        f = tmp / "settings" / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(value))
    (tmp / "workspaces").mkdir()
    port, token = drv.free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
           f"--port={port}", "--ServerApp.port_retries=0", f"--ServerApp.token={token}",
           f"--ServerApp.root_dir={ROOT}", f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
           f"--LabApp.user_settings_dir={tmp / 'settings'}"]
    server = drv.Server("JupyterLab", cmd, f"http://127.0.0.1:{port}", _isolated_env(tmp),
                        artifacts / "jupyterlab.log", cwd=str(tmp), token=token)
    try:
        server.wait_ready(f"/api/status?token={token}")
        yield server
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def voila_server(artifacts):
    """Voila in server mode on a free loopback port serving notebooks/ (tracebacks shown)."""
    _require_browser()
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="bp-voila-"))
    port = drv.free_port()
    cmd = [sys.executable, "-m", "voila", str(NOTEBOOK_DIR), "--no-browser", f"--port={port}",
           "--Voila.ip=127.0.0.1", "--show_tracebacks=True", "--theme=light"]
    server = drv.Server("Voila", cmd, f"http://127.0.0.1:{port}", _isolated_env(tmp),
                        artifacts / "voila.log", cwd=str(tmp))
    try:
        server.wait_ready("/")
        yield server
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def pytest_terminal_summary(terminalreporter):
    if not drv.RESULTS:
        return
    terminalreporter.section("browser: key press -> painted picture latency, per control (handle / typed)")
    for line in drv.summarise(drv.RESULTS):
        terminalreporter.write_line(line)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "latency.json").write_text(json.dumps(drv.RESULTS, indent=1))
    terminalreporter.write_line(f"(all records: {ARTIFACTS / 'latency.json'})")
