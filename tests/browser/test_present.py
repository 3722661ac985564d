"""Presentation mode: `bash scripts/present.sh notebooks/NN.ipynb` (what `make present NB=...`
runs) serves the notebook as a Voila app with the projector template, and BP_PRESENTATION=1
switches the pictures to the projector style.
"""
import os
import subprocess
import sys
import tempfile

import browser_driver as drv
import pytest
from browser_driver import REPO, has_widgets, notebooks


def _present_notebook():
    """The training lab if it exists (the README's example), else the first interactive notebook."""
    interactive = [p for p in notebooks() if has_widgets(p)]
    lab = [p for p in interactive if "training_lab" in p.name]
    return (lab or interactive or [None])[0]


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


def test_present_script_serves_projector_app(page, artifacts):
    nb = _present_notebook()
    if nb is None:
        pytest.skip("no interactive notebook to present")
    port = drv.free_port()
    tmp = tempfile.mkdtemp(prefix="bp-present-")
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=tmp)
    cmd = ["bash", str(REPO / "scripts" / "present.sh"), str(nb.relative_to(REPO) if nb.is_relative_to(REPO)
                                                           else nb),
           "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"]
    server = drv.Server("present.sh", cmd, f"http://127.0.0.1:{port}", env, artifacts / "present.log", cwd=str(REPO))
    try:
        server.wait_ready("/")
        page.goto(server.url + "/", timeout=240000)
        page.wait_for_selector(".widget-slider, .jupyter-button", timeout=120000)
        drv.install_probe(page)
        drv.wait_quiet(page)
        page.screenshot(path=str(artifacts / f"present-{nb.stem}.png"))
        sizes = page.evaluate("""() => ({
            text: parseFloat(getComputedStyle(document.querySelector('.jp-RenderedHTMLCommon')).fontSize),
            label: parseFloat(getComputedStyle(document.querySelector('.widget-label')).fontSize)})""")
        assert sizes["text"] >= 20 and sizes["label"] >= 18, f"projector template not applied: {sizes}"
        assert page.evaluate("() => document.querySelectorAll('.jp-CodeCell .jp-InputArea').length") == 0
        problems = drv.page_errors_in_outputs(page) + page.bp_errors
        assert not problems, "\n".join(problems)
    finally:
        server.stop()
