"""Drive notebooks in a real browser (Playwright + Debian's Chromium): servers, sliders, latencies.

Used by conftest.py and the browser tests only. The page is instrumented once
(`install_probe`): a MutationObserver records when any <img> gets a new `src` (a
widgets.Image receiving new PNG bytes) and a capturing keydown listener records the
time of the last key press, both with the page's own clock (performance.now()), so
latency = time of the first new `src` - time of the key press, without any
Python <-> browser round trip in it.
"""
import json
import os
import pathlib
import re
import signal
import socket
import statistics
import subprocess
import time
import urllib.request

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

REPO = pathlib.Path(__file__).resolve().parents[2]
ROOT = pathlib.Path(os.environ.get("BP_BROWSER_ROOT", REPO)).resolve()  # its notebooks/ are tested
NOTEBOOK_DIR = ROOT / "notebooks"
ARTIFACTS = REPO / "test-artifacts" / "browser"
MAX_MS = float(os.environ.get("BP_LATENCY_MAX_MS", 250))
MEDIAN_MS = float(os.environ.get("BP_LATENCY_MEDIAN_MS", 100))
# Latency is a measurement, printed on every run; it fails the run only with BP_LATENCY_ENFORCE=1
# (a timed assertion on a shared 2-core machine would fail for reasons that are not the widget's).
ENFORCE = os.environ.get("BP_LATENCY_ENFORCE", "0") == "1"
PAGE_KEYS = os.environ.get("BP_BROWSER_PAGE_KEYS", "0") == "1"   # also PageUp/PageDown on every handle

# One record per measured action, filled by the tests, printed by conftest's terminal summary.
RESULTS = []

STDERR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
OUTPUT_TEXT_JS = ("() => [...document.querySelectorAll('.jp-OutputArea-output, .voila-error, .jp-Cell-outputArea')]"
                  ".map(e => e.innerText).join('\\n')")
WIDGET_ERROR_TEXTS = ("Error displaying widget", "Failed to load model class", "Error creating widget",
                      "There was an error when executing cell", "Traceback (most recent call last)")


EDITIONS = ("en", "zh")


def notebooks(edition=None):
    """Every notebook of both editions (notebooks/en/, notebooks/zh/), or of one, sorted by name."""
    found = [p for lang in ([edition] if edition else EDITIONS)
             for p in sorted((NOTEBOOK_DIR / lang).glob("*.ipynb"))]
    return [p for p in found if ".ipynb_checkpoints" not in p.parts]


def edition_id(path):
    """'zh/07_training_lab' for notebooks/zh/07_training_lab.ipynb."""
    return f"{path.parent.name}/{path.stem}"


def has_widgets(path):
    """True if the executed notebook stores a widget view in one of its outputs."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            if "application/vnd.jupyter.widget-view+json" in out.get("data", {}):
                return True
    return False


# ----------------------------------------------------------------------------- servers
def free_port():
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A child server process (JupyterLab or Voila) in its own process group."""

    def __init__(self, name, cmd, url, env, log_path, cwd, token=""):
        self.name, self.url, self.token, self.log_path = name, url, token, log_path
        self._log = open(log_path, "w")
        self.proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def log_tail(self, n=40):
        with open(self.log_path) as f:
            return "".join(f.readlines()[-n:])

    def wait_ready(self, path, timeout=90):
        """Poll `url + path` until it answers 200; raise with the log tail if it never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with code {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + path, timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} did not answer {path} within {timeout} s:\n{self.log_tail()}")

    def request(self, method, path):
        """A REST call with the token; returns the decoded JSON (or None)."""
        req = urllib.request.Request(self.url + path, method=method,
                                     headers={"Authorization": f"token {self.token}"} if self.token else {})
        with urllib.request.urlopen(req, timeout=30) as r:
            body = r.read()
        return json.loads(body) if body else None

    def stop(self):
        """Terminate (the server shuts its kernels down), then kill the whole group if needed."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        try:  # kernels are in the server's process group: make sure none is left
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self.proc.poll() is None:
            self.proc.wait(timeout=10)
        self._log.close()


# ----------------------------------------------------------------------------- page probe
PROBE_JS = r"""() => {
  if (window.__bp) return;
  const bp = window.__bp = {img: [], loads: [], keyT: null};
  new MutationObserver(ms => {
    const t = performance.now();
    for (const m of ms) {
      if (m.type === 'attributes' && m.target.tagName === 'IMG') bp.img.push(t);
      if (m.type === 'childList')
        for (const n of m.addedNodes)
          if (n.nodeType === 1 && (n.tagName === 'IMG' || n.querySelector('img'))) bp.img.push(t);
    }
  }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
  document.addEventListener('load', e => { if (e.target.tagName === 'IMG') bp.loads.push(performance.now()); }, true);
  document.addEventListener('keydown', () => { bp.keyT = performance.now(); }, true);
  document.addEventListener('mousedown', () => { bp.keyT = performance.now(); }, true);
}"""

RESET_JS = "() => { window.__bp.img = []; window.__bp.loads = []; window.__bp.keyT = null; }"

# SHA-1 of the bytes behind every picture (blob: or data: src); null for other images.
HASH_JS = r"""async () => {
  const out = [];
  for (const img of document.querySelectorAll('img')) {
    const src = img.getAttribute('src') || '';
    if (!(src.startsWith('blob:') || src.startsWith('data:'))) { out.push(null); continue; }
    try {
      const buf = await (await fetch(src)).arrayBuffer();
      const d = new Uint8Array(await crypto.subtle.digest('SHA-1', buf));
      out.push(Array.from(d, b => b.toString(16).padStart(2, '0')).join(''));
    } catch (e) { out.push('unreadable:' + src); }
  }
  return out;
}"""

# Every slider on the page, tagged with data-bp-slider so the tests can find it again.
SLIDERS_JS = r"""() => [...document.querySelectorAll('.widget-slider')].map((el, i) => {
  el.setAttribute('data-bp-slider', String(i));
  const label = el.querySelector('.widget-label');
  const readout = el.querySelector('.widget-readout');
  const handles = [...el.querySelectorAll('.noUi-handle')];
  const visible = !!(el.offsetWidth || el.offsetHeight);
  return {
    index: i,
    label: label ? label.textContent.trim() : '',
    label_title: label ? (label.getAttribute('title') || '') : '',
    label_visible: !!(label && label.offsetWidth),
    label_clipped: !!(label && label.offsetWidth && label.scrollWidth > label.clientWidth + 1),
    readout: readout ? readout.textContent.trim() : null,
    // SelectionSlider views (ipywidgets 8) leave their readout contenteditable but ignore typing;
    // they are the slider views without the jupyter-widgets class.
    selection: !el.classList.contains('jupyter-widgets'),
    readout_editable: !!(readout && readout.isContentEditable && readout.offsetWidth)
                      && el.classList.contains('jupyter-widgets'),
    // noUiSlider writes aria-valuenow with one decimal, aria-valuetext in full
    handles: handles.map(h => ({tabindex: h.tabIndex, now: h.getAttribute('aria-valuenow'),
                                text: h.getAttribute('aria-valuetext'),
                                min: h.getAttribute('aria-valuemin'), max: h.getAttribute('aria-valuemax')})),
    disabled: !!el.querySelector('[disabled]') || el.querySelector('.noUi-target[disabled]') !== null,
    visible,
    kind: [...el.classList].filter(c => c.startsWith('widget-') && c !== 'widget-slider').join(' '),
  };
})"""

BUTTONS_JS = r"""() => [...document.querySelectorAll('button.jupyter-button, .widget-button')].map((el, i) => {
  el.setAttribute('data-bp-button', String(i));
  return {index: i, text: el.textContent.trim(), title: el.getAttribute('title') || '',
          disabled: el.disabled, visible: !!(el.offsetWidth || el.offsetHeight)};
})"""

CONTROLS_JS = r"""() => ({
  sliders: document.querySelectorAll('.widget-slider').length,
  buttons: document.querySelectorAll('button.jupyter-button, .widget-button').length,
  images: [...document.querySelectorAll('img')]
    .filter(i => (i.getAttribute('src') || '').match(/^(blob|data):/)).length,
  widgets: document.querySelectorAll('.jupyter-widgets').length,
  play: document.querySelectorAll('.widget-play').length,
})"""


def install_probe(page):
    page.evaluate(PROBE_JS)


def page_errors_in_outputs(page):
    """Error outputs (stderr, tracebacks, widgets that failed to render) visible on the page."""
    found = []
    for el in page.query_selector_all(STDERR_OUTPUT):
        found.append("stderr output: " + el.inner_text()[:500])
    if found:
        return found
    text = page.evaluate(OUTPUT_TEXT_JS)
    for marker in WIDGET_ERROR_TEXTS:
        if marker in text:
            i = text.index(marker)
            found.append(f"output text {marker!r}: " + text[max(0, i - 200):i + 500])
    return found


def wait_quiet(page, quiet_ms=200, timeout=20.0, idle=None):
    """Wait until no picture has changed for `quiet_ms` (and `idle()` is true, if given)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page.evaluate(RESET_JS)
        page.wait_for_timeout(quiet_ms)
        changed = page.evaluate("() => window.__bp.img.length")
        if not changed and (idle is None or idle()):
            return True
    return False


def measure(page, action, what, context, idle=None, timeout_ms=6000):
    """Run `action()` (a key press or click), wait for a picture to change; record the latency.

    Returns the record dict: latency_ms (key down -> first new img src), load_ms (-> first
    img load event), changed (indices of pictures whose bytes differ afterwards).
    """
    wait_quiet(page, idle=idle)
    before = page.evaluate(HASH_JS)
    page.evaluate(RESET_JS)
    action()
    record = dict(context, action=what, latency_ms=None, load_ms=None, changed=[],
                  load_avg=round(os.getloadavg()[0], 2))
    try:
        page.wait_for_function("() => window.__bp.img.length > 0 && window.__bp.keyT !== null",
                               timeout=timeout_ms)
    except Exception:  # noqa: BLE001 - playwright's TimeoutError; no picture changed
        RESULTS.append(record)
        return record
    t = page.evaluate("() => ({key: window.__bp.keyT, img: window.__bp.img[0], load: window.__bp.loads[0]})")
    record["latency_ms"] = round(t["img"] - t["key"], 1)
    if t.get("load") is not None:
        record["load_ms"] = round(t["load"] - t["key"], 1)
    wait_quiet(page, idle=idle)
    after = page.evaluate(HASH_JS)
    record["changed"] = [i for i, (a, b) in enumerate(zip(before, after)) if b is not None and a != b]
    record["changed"] += list(range(len(before), len(after)))
    RESULTS.append(record)
    return record


def slider_actions(page, slider):
    """(name, action, fallback) triples that move one slider: a key on each handle (fallback: the
    opposite key), then typing the original value into the readout (which also puts the slider
    back where it was)."""
    root = f'[data-bp-slider="{slider["index"]}"]'
    actions = []
    for h, handle in enumerate(slider["handles"]):
        loc = page.locator(f"{root} .noUi-handle").nth(h)
        at_max = handle["now"] is not None and handle["max"] is not None and \
            float(handle["now"]) >= float(handle["max"])
        small = "ArrowLeft" if at_max else "ArrowRight"
        big = "PageDown" if at_max else "PageUp"

        def press(key, loc=loc):
            loc.focus()
            page.keyboard.press(key)
        # one key per handle: arrows on even sliders, page keys on odd ones (both with BP_BROWSER_PAGE_KEYS=1)
        keys = [small, big] if PAGE_KEYS else [small if slider["index"] % 2 == 0 else big]
        opposite = {"ArrowRight": "ArrowLeft", "ArrowLeft": "ArrowRight", "PageUp": "PageDown", "PageDown": "PageUp"}
        for key in keys:
            # aria-valuemax is rounded to one decimal: if the handle was at its end, go the other way
            back = opposite[key]
            actions.append((f"handle{h} {key}", lambda k=key, f=press: f(k),
                            (f"handle{h} {back}", lambda k=back, f=press: f(k))))
    if slider["readout_editable"] and slider["readout"]:
        original = slider["readout"]
        readout = page.locator(f"{root} .widget-readout")
        # what a student types: '-' for the readout's minus sign U+2212, 'lo:hi' for a range
        typed = original.replace("\u2212", "-")
        if len(slider["handles"]) == 2:
            typed = re.sub(r"\s*[\u2013:]\s*", ":", typed)

        def type_readout():
            readout.click()
            page.keyboard.press("Control+A")
            page.keyboard.type(typed)
            page.keyboard.press("Enter")
        actions.append((f"readout '{typed}'", type_readout, None))
    return actions


def button_action(page, button):
    """Focus a button and press Enter (keyboard), like a student using the Tab key."""
    loc = page.locator(f'[data-bp-button="{button["index"]}"]')

    def act():
        loc.focus()
        page.keyboard.press("Enter")
    return act


def stepper_buttons(buttons):
    """The Next buttons, then the Back buttons (so each Back has something to undo)."""
    def labelled(word):
        return [b for b in buttons if b["visible"] and re.search(rf"\b{word}\b", b["text"], re.IGNORECASE)]
    nxt, back = labelled("next"), labelled("back")
    return nxt + back


def summarise(records):
    """Lines of a latency table plus medians, for printing."""
    lines = []
    for r in records:
        ms = "no change" if r["latency_ms"] is None else f"{r['latency_ms']:7.1f} ms"
        lines.append(f"{r['where']:6s} {r['notebook'][:34]:34s} {r['control'][:36]:36s} {r['action'][:22]:22s} {ms}")
    for where in sorted({r["where"] for r in records}):
        lat = [r["latency_ms"] for r in records if r["where"] == where and r["latency_ms"] is not None]
        loads = [r["load_avg"] for r in records if r["where"] == where]
        if lat:
            lines.append(f"{where}: median {statistics.median(lat):.1f} ms, max {max(lat):.1f} ms over {len(lat)} "
                         f"moves (1-min load average during the moves: {min(loads):.1f}-{max(loads):.1f} "
                         f"on {os.cpu_count()} CPUs)")
    return lines


def control_medians(records):
    """{(where, notebook, control): median latency over its moves} (None if one move changed nothing)."""
    groups = {}
    for r in records:
        groups.setdefault((r["where"], r["notebook"], r["control"]), []).append(r["latency_ms"])
    return {k: (None if any(v is None for v in vs) else statistics.median(vs)) for k, vs in groups.items()}


def _slider_state(page, index):
    return page.evaluate(SLIDERS_JS)[index]


def _positions(slider):
    return [(h["now"], h["text"]) for h in slider["handles"]]


def drive_widgets(page, notebook, where, idle=None):
    """Move every slider and press the stepper buttons; return a list of problems found.

    Each slider: its label must be visible and not cut off, its handle focusable; then a
    key press on the handle (ArrowRight on even sliders, PageUp on odd ones; the opposite key
    at the end of the range) and typing its original value into the readout must each change
    the slider's value and the bytes of a picture.
    Disabled sliders are skipped (they are read again just before their turn).
    """
    problems = []
    for index in range(len(page.evaluate(SLIDERS_JS))):
        s = _slider_state(page, index)
        name = f"'{s['label']}' #{index}" if s["label"] else f"slider #{index} (no label)"
        if not s["visible"]:
            continue
        if not s["label_visible"] or not s["label"]:
            problems.append(f"{name} ({s['kind']}) has no visible label")
        elif s["label_clipped"]:
            problems.append(f"{name}: its label is cut off on screen "
                            "(give the slider style={'description_width': 'initial'} or a shorter label)")
        if any(h["tabindex"] < 0 for h in s["handles"]):
            problems.append(f"{name}: handle not reachable with the Tab key")
        if s["disabled"]:
            print(f"[{where}] {notebook} slider {name}: disabled, skipped")
            continue
        context = {"where": where, "notebook": notebook, "control": name}
        for what, action, fallback in slider_actions(page, s):
            before = _slider_state(page, index)
            r = measure(page, action, what, context, idle=idle)
            after = _slider_state(page, index)
            moved = _positions(before) != _positions(after)
            if not moved and fallback:
                RESULTS.remove(r)
                what, action = fallback
                r = measure(page, action, what, context, idle=idle)
                after = _slider_state(page, index)
                moved = _positions(before) != _positions(after)
            print(f"[{where}] {notebook} slider {name} {what}: "
                  + ("no picture changed" if r["latency_ms"] is None else f"{r['latency_ms']:.1f} ms"))
            if not moved:
                problems.append(f"{name} {what}: the slider's value did not change (keyboard/readout ignored)")
            elif r["latency_ms"] is None or not r["changed"]:
                problems.append(f"{name} {what}: value {before['readout']} -> {after['readout']} "
                                "but no picture changed")
        if not s["readout_editable"]:
            why = "a SelectionSlider's readout cannot be typed into" if s["selection"] else "readout not editable"
            print(f"[{where}] {notebook} slider {name}: {why}, typing skipped")
    buttons = page.evaluate(BUTTONS_JS)
    for b in stepper_buttons(buttons):
        if page.evaluate(BUTTONS_JS)[b["index"]]["disabled"]:   # e.g. Back on the first step
            problems.append(f"button '{b['text']}' #{b['index']}: disabled when it should move the stepper")
            continue
        context = {"where": where, "notebook": notebook, "control": f"button '{b['text']}' #{b['index']}"}
        r = measure(page, button_action(page, b), "Enter", context, idle=idle)
        print(f"[{where}] {notebook} button '{b['text']}' #{b['index']}: "
              + ("no picture changed" if r["latency_ms"] is None else f"{r['latency_ms']:.1f} ms"))
        if r["latency_ms"] is None or not r["changed"]:
            problems.append(f"button '{b['text']}' #{b['index']}: no picture changed")
    for key, med in control_medians([r for r in RESULTS
                                     if r["where"] == where and r["notebook"] == notebook]).items():
        if ENFORCE and med is not None and med > MAX_MS:
            problems.append(f"{key[2]}: median key-press-to-new-pixels {med:.0f} ms > {MAX_MS:.0f} ms "
                            "(the widget is too slow: fix the widget, not the test)")
    return problems


def check_latency_median(where, label):
    """Over every move measured on `where` ('lab' or 'voila'): the median key-press-to-new-pixels
    time, reported as a skip reason, and asserted <= MEDIAN_MS only with BP_LATENCY_ENFORCE=1."""
    import pytest
    lat = [r["latency_ms"] for r in RESULTS if r["where"] == where and r["latency_ms"] is not None]
    if not lat:
        pytest.skip(f"no widget moves were measured in {label}")
    median = statistics.median(lat)
    if not ENFORCE:
        pytest.skip(f"{label} latency median {median:.1f} ms over {len(lat)} moves (goal {MEDIAN_MS:.0f} ms; "
                    "enforced only with BP_LATENCY_ENFORCE=1)")
    assert median <= MEDIAN_MS, f"{label}: median {median:.1f} ms over {len(lat)} moves"
