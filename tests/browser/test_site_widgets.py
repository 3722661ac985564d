"""The static website's widgets in a real browser: every control of every static widget moved once.

The site is tests/site_build.py's (built once per session in quick mode, or BP_SITE_DIR), served
on 127.0.0.1. On every page of both editions that has static widgets (scripts/site/widget_frames.py),
each widget's enabled controls are moved as a reader would: a key on each range input (ArrowRight,
or ArrowLeft at the end), another option of each select, a click on each checkbox, and Next, Back,
Start over on a stepper. After each move the picture's data-state and src must have changed, the
src must be the frame the widget's own data names for that state, and its status must follow.
A control that is not precomputed must be disabled and say so ("live notebook only" /
"仅在实时笔记本中可用"). Any console error, page error, failed request or request outside the
site fails the test.

Latency, in the page's own clock: the key press (or click, or the select's change) -> the
requestAnimationFrame after the new picture's data-state is set (the frame that paints it);
printed per widget (median and p95) and saved in test-artifacts/browser/site_widgets_latency.json.
benchmarks/site_latency.py measures it with many moves per widget.
"""
import json
import pathlib
import statistics
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import browser_driver as drv  # noqa: E402
from site_build import StaticServer, built_site  # noqa: E402

EDITIONS = ("en", "zh")
LIVE_ONLY = {"en": "live notebook only", "zh": "仅在实时笔记本中可用"}
RECORDS = []

# the time of the action (key, pointer, or the select's input event when no key came first) and,
# per new data-state, the animation frame after it: window.__sw.moves
PROBE_JS = r"""() => {
  if (window.__sw) return;
  const sw = window.__sw = {t0: null, moves: []};
  const mark = e => { if (sw.t0 === null) sw.t0 = e.timeStamp; };
  for (const type of ['keydown', 'pointerdown', 'mousedown', 'input', 'change'])
    document.addEventListener(type, mark, true);
  new MutationObserver(ms => {
    for (const m of ms) {
      const t0 = sw.t0, state = m.target.getAttribute('data-state');
      requestAnimationFrame(() => sw.moves.push({state, ms: performance.now() - t0}));
    }
  }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ['data-state']});
}"""
RESET_JS = "() => { window.__sw.t0 = null; window.__sw.moves = []; }"


def widget_pages(site, lang):
    return sorted(p.name for p in (site / lang).glob("*.html")
                  if 'class="bp-sw"' in p.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site():
    return built_site()


@pytest.fixture(scope="module")
def site_url(site):
    with StaticServer(site) as server:
        yield server.url


def watched_page(browser, origin):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30000)
    problems = page.bp_problems = []

    def route(r):
        if r.request.url.startswith(origin + "/"):
            r.continue_()
        else:
            problems.append(f"request outside the site: {r.request.url}")
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    return page


def shown(root):
    """(data-state, src, status text) of a static widget now."""
    img = root.locator("img.bp-sw-picture")
    return img.get_attribute("data-state"), img.get_attribute("src"), root.locator(".bp-sw-status").inner_text()


def move(page, root, action, what, context):
    """Do `action()`, wait for a new picture; check it is the frame of its state; record the latency."""
    before = shown(root)
    page.evaluate(RESET_JS)
    action()
    page.wait_for_function("() => window.__sw.moves.length > 0", timeout=10000)
    after = shown(root)
    assert after[0] != before[0], f"{context} {what}: data-state did not change"
    frames = json.loads(root.locator("script.bp-sw-data").text_content())["frames"]
    base = root.get_attribute("data-base")
    assert after[1] == base + frames[after[0]][0], f"{context} {what}: the picture is not its state's frame"
    if frames[after[0]][0] != frames[before[0]][0]:          # two states may share one picture
        assert after[1] != before[1], f"{context} {what}: the picture did not change"
    moves = page.evaluate("() => window.__sw.moves")
    record = dict(context, action=what, state=after[0], latency_ms=round(moves[-1]["ms"], 1))
    RECORDS.append(record)
    return record


def drive_widget(page, root, context, lang):
    """Move every enabled control of one static widget once; returns the number of moves."""
    moves = 0
    steps = root.locator("button[data-step]")
    if steps.count():
        for name in ("next", "back", "next", "next", "start"):
            button = root.locator(f'button[data-step="{name}"]')
            if button.is_disabled():
                continue
            move(page, root, button.click, name, context)
            moves += 1
        assert moves >= 3, f"{context}: the stepper's buttons did not all work"
        return moves
    for k in range(root.locator('input[type="range"]').count()):
        el = root.locator('input[type="range"]').nth(k)
        label = root.locator(f'label[for="{el.get_attribute("id")}"]').inner_text()
        assert label.strip(), f"{context}: a range input without a visible label"
        if el.is_disabled():
            assert LIVE_ONLY[lang] in el.locator("xpath=..").inner_text(), f"{context} {label}: no note"
            continue
        el.focus()
        key = "ArrowRight" if int(el.input_value()) < int(el.get_attribute("max")) else "ArrowLeft"
        move(page, root, lambda el=el, key=key: el.press(key), f"{label} {key}", context)
        readout = el.locator("xpath=following-sibling::output").inner_text()
        assert readout == el.get_attribute("aria-valuetext"), f"{context} {label}: readout not updated"
        moves += 1
    for k in range(root.locator("select").count()):
        el = root.locator("select").nth(k)
        label = root.locator(f'label[for="{el.get_attribute("id")}"]').inner_text()
        assert label.strip(), f"{context}: a select without a visible label"
        if el.is_disabled():
            assert LIVE_ONLY[lang] in el.locator("xpath=..").inner_text(), f"{context} {label}: no note"
            continue
        n = el.locator("option").count()
        other = (int(el.input_value()) + 1) % n
        move(page, root, lambda el=el, other=other: el.select_option(index=other), f"{label} option {other}",
             context)
        moves += 1
    for k in range(root.locator('input[type="checkbox"]').count()):
        el = root.locator('input[type="checkbox"]').nth(k)
        if el.is_disabled():
            assert LIVE_ONLY[lang] in el.locator("xpath=..").inner_text()
            continue
        move(page, root, el.click, "checkbox", context)
        moves += 1
    assert moves >= 1, f"{context}: no control could be moved"
    return moves


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_static_widget_control_moves_its_picture(browser, site, site_url, lang, capsys):
    pages = widget_pages(site, lang)
    assert len(pages) >= 13, f"{lang}: static widgets on {len(pages)} pages only"
    page = watched_page(browser, site_url)
    total = 0
    try:
        for name in pages:
            page.goto(f"{site_url}/{lang}/{name}", wait_until="load")
            page.wait_for_load_state("networkidle")
            page.evaluate(PROBE_JS)
            roots = page.locator(".bp-sw")
            for i in range(roots.count()):
                root = roots.nth(i)
                root.scroll_into_view_if_needed()
                page.wait_for_timeout(300)          # the pictures one move away decode meanwhile
                context = {"lang": lang, "page": name, "widget": i, "kind": root.get_attribute("data-kind")}
                total += drive_widget(page, root, context, lang)
        assert not page.bp_problems, "\n".join(page.bp_problems[:20])
    finally:
        page.context.close()
    mine = [r for r in RECORDS if r["lang"] == lang]
    ms = sorted(r["latency_ms"] for r in mine)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    with capsys.disabled():
        print(f"\nstatic widgets, {lang}: {total} moves on {len(pages)} pages; key press -> painted "
              f"median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms")
    drv.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (drv.ARTIFACTS / "site_widgets_latency.json").write_text(json.dumps(RECORDS, indent=1, ensure_ascii=False))
    assert total >= 40
