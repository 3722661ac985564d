"""Presentation mode: `bash scripts/present.sh notebooks/NN.ipynb` (what `make present NB=...`
runs) serves the notebook as a Voila app with the projector template, and BP_PRESENTATION=1
switches the pictures to the projector style. At 1280x720 (a common projector) each lab's
controls, picture and caption fit one screen, in both editions. The kernel of a page that is
closed is shut down (at once for a normal close, by the culler for a page that vanishes), the
kernel of an open page is kept however idle, and the preheated kernel waits for the next page.
"""
import os
import pathlib
import subprocess
import sys
import time
import urllib.error
import urllib.parse

import browser_driver as drv
import pytest
from browser_driver import REPO, has_widgets, notebooks

PROJECTOR = {"width": 1280, "height": 720}
# Every lab on the page: a VBox whose picture is a direct child (controls above, caption below).
LABS_JS = r"""() => [...document.querySelectorAll('.widget-vbox')]
  .filter(box => [...box.children].some(c => c.matches('img.widget-image')))
  .map((box, i) => {
    box.setAttribute('data-bp-lab', String(i));
    const r = box.getBoundingClientRect();
    const img = [...box.children].find(c => c.matches('img.widget-image')).getBoundingClientRect();
    return {index: i, height: Math.round(r.height), img_height: Math.round(img.height),
            img_width: Math.round(img.width), sliders: box.querySelectorAll('.widget-slider').length};
  })"""
KERNEL_ID_JS = "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"


def test_presentation_env_switches_projector_style():
    code = ("import matplotlib as mpl; import backprop_core.plotting as P; "
            "print(P.style.is_presentation(), P.style.scale(), mpl.rcParams['font.size'])")
    env = dict(os.environ, BP_PRESENTATION="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "1.6", "16.0"]
    env.pop("BP_PRESENTATION")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "1.0", "10.0"]


def test_present_script_without_notebook_prints_usage():
    out = subprocess.run(["bash", str(REPO / "scripts" / "present.sh")], cwd=REPO, capture_output=True,
                         text=True, env={k: v for k, v in os.environ.items() if k != "NB"})
    assert out.returncode == 2
    assert "make present NB=notebooks/" in out.stderr


def _start_present(nb, artifacts, name, **env_vars):
    """scripts/present.sh on a free loopback port; ready once Voila listens and its preheated pool is
    filled (the page itself is not requested: that would take a kernel)."""
    server = drv.start_present(nb, artifacts / f"{name}.log", **env_vars)
    try:
        drv.wait_present(server, int(env_vars.get("BP_POOL_SIZE", "1")))
    except RuntimeError as error:
        server.stop()
        pytest.fail(str(error))
    return server


def _kernel_alive(server, kernel_id):
    """True if Voila still has the kernel (its /api/kernels/<id> answers 200, 404 once shut down)."""
    try:
        server.request("GET", f"/api/kernels/{kernel_id}")
        return True
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return False
        raise


def _open(browser, server, viewport=PROJECTOR):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.bp_errors = []
    page.on("pageerror", lambda e: page.bp_errors.append(f"page error: {e}"))
    page.bp_outside = []                          # requests that leave the machine
    page.on("request", lambda r: None if urllib.parse.urlsplit(r.url).hostname in (None, "127.0.0.1", "localhost")
            or r.url.startswith(("data:", "blob:")) else page.bp_outside.append(r.url))
    page.set_default_timeout(120000)
    page.goto(server.url + "/", timeout=240000)
    page.wait_for_selector("img.widget-image", timeout=240000)
    drv.install_probe(page)
    drv.wait_quiet(page)
    return context, page


def _lab_notebooks():
    """07 (the training lab) of each edition: the README's example of presentation mode."""
    return [p for p in notebooks() if has_widgets(p) and "training_lab" in p.name]


@pytest.mark.parametrize("nb", _lab_notebooks(), ids=[drv.edition_id(p) for p in _lab_notebooks()])
def test_present_script_serves_projector_app(nb, browser, artifacts):
    server = _start_present(nb, artifacts, f"present-{nb.parent.name}")
    try:
        context, page = _open(browser, server)
        try:
            sizes = page.evaluate("""() => ({
                text: parseFloat(getComputedStyle(document.querySelector('.jp-RenderedHTMLCommon')).fontSize),
                label: parseFloat(getComputedStyle(document.querySelector('.widget-label')).fontSize)})""")
            assert sizes["text"] >= 20 and sizes["label"] >= 18, f"projector template not applied: {sizes}"
            assert page.evaluate("() => document.querySelectorAll('.jp-CodeCell .jp-InputArea').length") == 0
            labs = page.evaluate(LABS_JS)
            assert labs, f"{nb.name}: no lab (controls above a picture) on the page"
            too_tall = [lab for lab in labs if lab["height"] > PROJECTOR["height"]]
            small = [lab for lab in labs if lab["img_height"] < 300]
            page.evaluate("() => document.querySelector('[data-bp-lab=\"0\"]').scrollIntoView()")
            page.wait_for_timeout(300)
            page.screenshot(path=str(artifacts / f"present-{nb.parent.name}-{nb.stem}-1280x720.png"))
            print(f"{drv.edition_id(nb)} at 1280x720: labs {[(lab['height'], lab['img_height']) for lab in labs]} "
                  "(lab height, picture height) px")
            assert not too_tall, f"{nb.name}: at 1280x720 these labs do not fit one screen: {too_tall}"
            assert not small, f"{nb.name}: at 1280x720 these pictures shrank below 300 px: {small}"
            problems = drv.page_errors_in_outputs(page) + page.bp_errors
            assert not problems, "\n".join(problems)
            # a classroom without internet: nothing is fetched from outside this machine
            assert not page.bp_outside, f"the presentation loads from outside: {page.bp_outside}"
        finally:
            context.close()
    finally:
        server.stop()


def test_closed_pages_leave_no_kernel(browser, artifacts):
    """An open page keeps its kernel however idle; a page closed normally and a page that vanishes
    (no beforeunload: a sleeping laptop) both lose theirs within the cull time; the preheated pool's
    kernel stays. The cull time is shortened here (BP_CULL_IDLE=4 s, checked every second)."""
    nb = (_lab_notebooks() or [None])[0]
    if nb is None:
        pytest.skip("no training lab notebook to present")
    cull_idle, interval = 4, 1
    server = _start_present(nb, artifacts, "present-culling", BP_CULL_IDLE=str(cull_idle),
                            BP_CULL_INTERVAL=str(interval), BP_POOL_SIZE="1")
    try:
        pages = [_open(browser, server) for _ in range(2)]
        ids = [page.evaluate(KERNEL_ID_JS) for _, page in pages]
        assert len(set(ids)) == 2, f"two pages share a kernel: {ids}"
        time.sleep(cull_idle + 3 * interval)          # idle, but connected: never culled
        assert all(_kernel_alive(server, k) for k in ids), "the kernel of an open, idle page was culled"
        (ctx_a, page_a), (ctx_b, _) = pages
        page_a.close(run_before_unload=True)           # a tab closed normally
        ctx_a.close()
        ctx_b.close()                                  # a page that vanishes without a word
        deadline = time.monotonic() + cull_idle + 4 * interval + 30
        while time.monotonic() < deadline and (any(_kernel_alive(server, k) for k in ids)
                                                or len(drv.kernel_processes(server)) > 1):
            time.sleep(0.5)
        left = [k for k in ids if _kernel_alive(server, k)]
        log = pathlib.Path(server.log_path).read_text(errors="replace")
        lines = log.splitlines()
        culled = [line for line in lines if "Culling " in line]

        def first(text):
            return next((i for i, line in enumerate(lines) if text in line), len(lines))
        assert not left, f"kernels of closed pages still running after {cull_idle} s idle: {left}\n{log[-3000:]}"
        assert len(drv.kernel_processes(server)) == 1, "expected only the preheated kernel:\n" + log[-3000:]
        assert "_xsrf" not in log, "Voila refused the closed page's shutdown request:\n" + log[-3000:]
        # the page closed normally: its kernel is shut down at once (the culler may also log it afterwards)
        assert first(f"Kernel shutdown: {ids[0]}") < first(f"({ids[0]})"), \
            "the kernel of the page closed normally was culled, not shut down when the page closed"
        assert any(ids[1] in line for line in culled), "the vanished page's kernel was not culled"
    finally:
        server.stop()
