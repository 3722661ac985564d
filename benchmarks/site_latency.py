"""Static website: key press -> painted picture for every static widget, in headless Chromium.

    .venv/bin/python benchmarks/site_latency.py                 # the site in BP_SITE_DIR or site/
    .venv/bin/python benchmarks/site_latency.py --site /tmp/site --moves 30 --write

Serves the built site (`make site`: the full build, every grid precomputed) with Python's
ThreadingHTTPServer on 127.0.0.1 and opens every page of both editions that has static widgets
(scripts/site/widget_frames.py, scripts/site/static_widgets.js) in Debian's Chromium (Playwright,
the browser tests' launch arguments). Each widget is driven from the keyboard only, as a reader
would: a stepper's Next button (Enter) to the end, then Back to the start, and so on; an explorer's or a lab's
range inputs with the arrow keys (each input in turn, ArrowRight to its end, then ArrowLeft), and
its selects with ArrowDown / ArrowUp. One move every `--pause` ms.

Latency, in the page's own clock (performance.now), as the browser tests measure it: the keydown
event's timestamp -> the requestAnimationFrame callback after the picture's data-state (and src)
changed, i.e. the frame that paints the new picture. Median and p95 per widget; budget (issue 18):
<= 20 ms median and <= 50 ms p95 for every widget. --write puts the table in its own section of
benchmarks/results/site.md (the page-weight section of that file is not touched).
"""
import argparse
import datetime
import json
import os
import pathlib
import platform
import re
import statistics
import sys

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "tests" / "browser"))
import browser_driver as drv  # noqa: E402  (Chromium's path and launch arguments)
from site_build import StaticServer  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "site.md"
HEADING = "## Static widgets: key press → painted"
MEDIAN_BUDGET, P95_BUDGET = 20.0, 50.0

PROBE_JS = r"""() => {
  if (window.__sw) return;
  const sw = window.__sw = {t0: null, moves: []};
  document.addEventListener('keydown', e => { sw.t0 = e.timeStamp; }, true);
  new MutationObserver(ms => {
    const t0 = sw.t0;
    requestAnimationFrame(() => sw.moves.push(performance.now() - t0));
  }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ['data-state']});
}"""


def p95(values):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def keyboard_moves(root, moves):
    """[(element locator, key)]: `moves` key presses that each move the widget to a new state."""
    out = []
    steps = root.locator('button[data-step="next"]')
    if steps.count():
        n = len(json.loads(root.locator("script.bp-sw-data").text_content())["controls"][0]["keys"])
        pos, direction = 0, 1                           # to the last step, back to the first, ...
        for _ in range(moves):
            if not 0 <= pos + direction <= n - 1:
                direction = -direction
            pos += direction
            out.append((root.locator(f'button[data-step="{"next" if direction > 0 else "back"}"]'), "Enter"))
        return out
    controls = []
    for k in range(root.locator('input[type="range"]').count()):
        el = root.locator('input[type="range"]').nth(k)
        if not el.is_disabled():
            controls.append(("range", el, int(el.get_attribute("max"))))
    for k in range(root.locator("select").count()):
        el = root.locator("select").nth(k)
        if not el.is_disabled():
            controls.append(("select", el, el.locator("option").count() - 1))
    if not controls:
        return out
    # each control in turn, a few presses each, walking to its end and back (never a no-op)
    per = max(1, moves // len(controls))
    for kind, el, last in controls:
        pos = int(el.input_value())
        up, down = ("ArrowRight", "ArrowLeft") if kind == "range" else ("ArrowDown", "ArrowUp")
        direction = 1 if pos < last else -1
        for _ in range(per):
            if not 0 <= pos + direction <= last:
                direction = -direction
            pos += direction
            out.append((el, up if direction > 0 else down))
    return out[:moves]


def measure_widget(page, root, moves, pause_ms):
    root.scroll_into_view_if_needed()
    page.wait_for_timeout(500)                            # the widget's pictures fetched, neighbours decoded
    plan = keyboard_moves(root, moves)
    times = []
    for el, key in plan:
        page.evaluate("() => { window.__sw.moves = []; }")
        before = root.locator("img.bp-sw-picture").get_attribute("data-state")
        el.focus()
        el.press(key)
        page.wait_for_function("() => window.__sw.moves.length > 0", timeout=10000)
        after = root.locator("img.bp-sw-picture").get_attribute("data-state")
        if after == before:
            raise RuntimeError(f"{key} on a {root.get_attribute('data-kind')} did not change its picture")
        times.append(page.evaluate("() => window.__sw.moves[0]"))
        page.wait_for_timeout(pause_ms)
    return times


def run(site, langs, moves, pause_ms, pages=None):
    from playwright.sync_api import sync_playwright
    rows = []
    with StaticServer(site) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=drv.CHROMIUM, args=drv.CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
        errors = []
        page.on("console", lambda m: m.type == "error" and errors.append(f"{m.text} {m.location.get('url')}"))
        page.on("response", lambda r: r.status >= 400 and errors.append(f"HTTP {r.status}: {r.url}"))
        for lang in langs:
            for path in sorted((site / lang).glob("*.html")):
                if 'class="bp-sw"' not in path.read_text(encoding="utf-8"):
                    continue
                if pages and not any(path.stem.startswith(p) for p in pages):
                    continue
                page.goto(f"{server.url}/{lang}/{path.name}", wait_until="load")
                try:                                  # the frames are fetched (a busy machine may take long)
                    page.wait_for_load_state("networkidle", timeout=20000)
                except Exception:                     # noqa: BLE001 - playwright's TimeoutError
                    print(f"{lang} {path.stem}: the network was not idle after 20 s; measuring anyway")
                page.evaluate(PROBE_JS)
                roots = page.locator(".bp-sw")
                for i in range(roots.count()):
                    root = roots.nth(i)
                    times = measure_widget(page, root, moves, pause_ms)
                    if not times:
                        continue
                    rows.append({"lang": lang, "page": path.stem, "widget": i, "kind": root.get_attribute("data-kind"),
                                 "n": len(times), "median": statistics.median(times), "p95": p95(times),
                                 "max": max(times)})
                    r = rows[-1]
                    if os.environ.get("BP_SITE_LATENCY_EACH") == "1":
                        print("  " + " ".join(f"{t:.0f}" for t in times))
                    print(f"{lang} {r['page']} #{i} {r['kind']}: n={r['n']} median {r['median']:.1f} ms, "
                          f"p95 {r['p95']:.1f} ms, max {r['max']:.1f} ms", flush=True)
        browser.close()
    if errors:
        raise RuntimeError("console errors: " + "; ".join(errors[:5]))
    return rows


def frames_size(site, lang, stem):
    folder = site / lang / "widgets" / stem
    return sum(f.stat().st_size for f in folder.glob("*.png")) if folder.is_dir() else 0


def section(rows, site, moves, pause_ms):
    over = [r for r in rows if r["median"] > MEDIAN_BUDGET or r["p95"] > P95_BUDGET]
    all_medians = [r["median"] for r in rows]
    lines = [HEADING, "",
             f"`benchmarks/site_latency.py --moves {moves}` on {datetime.date.today()}, "
             f"{platform.node() or 'this machine'} ({os.cpu_count()} CPUs, load average "
             f"{os.getloadavg()[0]:.1f} at the end), headless Chromium, "
             f"a full build of the site (every grid, as `make site` builds it) served by Python's "
             f"ThreadingHTTPServer on 127.0.0.1. Every static "
             f"widget of both editions, driven from the keyboard only (a stepper's Next / Back with Enter, "
             f"range inputs with the arrow keys, selects with ArrowDown / ArrowUp), one move every {pause_ms} ms. "
             "Latency in the page's own clock: keydown timestamp → the requestAnimationFrame after the picture's "
             "`data-state` and `src` changed (the frame that paints it). Budget: ≤ 20 ms median, ≤ 50 ms p95 "
             "per widget.", "",
             f"**{len(rows)} widgets, {sum(r['n'] for r in rows)} moves: "
             f"{len(rows) - len(over)} within the budget**; the widgets' medians range "
             f"{min(all_medians):.1f}–{max(all_medians):.1f} ms, the highest p95 is "
             f"{max(r['p95'] for r in rows):.1f} ms.", "",
             "| edition | page | widget | kind | moves | median ms | p95 ms | max ms | frames on the page |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['lang']} | {r['page']} | {r['widget']} | {r['kind']} | {r['n']} | {r['median']:.1f} | "
                     f"{r['p95']:.1f} | {r['max']:.1f} | {frames_size(site, r['lang'], r['page']) / 1e6:.2f} MB |")
    if over:
        lines += ["", "Over the budget: " + ", ".join(f"{r['lang']} {r['page']} #{r['widget']}" for r in over)]
    return "\n".join(lines) + "\n"


def write_section(text):
    """Replace (or append) this benchmark's section of site.md; the rest of the file is kept."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# The static website\n"
    pattern = re.compile(re.escape(HEADING) + r".*?(?=^## |\Z)", re.S | re.M)
    new = pattern.sub(lambda _: text + "\n", old) if pattern.search(old) else old.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(new, encoding="utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", default=os.environ.get("BP_SITE_DIR", str(REPO / "site")))
    ap.add_argument("--lang", nargs="+", default=["en", "zh"], choices=["en", "zh"])
    ap.add_argument("--moves", type=int, default=20, help="key presses per widget (default 20)")
    ap.add_argument("--pause", type=int, default=150, help="ms between two key presses (default 150)")
    ap.add_argument("--write", action="store_true", help="write the table into benchmarks/results/site.md")
    ap.add_argument("--pages", nargs="*", default=None, help="only the pages whose name starts so (e.g. 07)")
    args = ap.parse_args()
    site = pathlib.Path(args.site).resolve()
    if not (site / "index.html").is_file():
        sys.exit(f"{site}: no built site (run make site)")
    rows = run(site, args.lang, args.moves, args.pause, args.pages)
    text = section(rows, site, args.moves, args.pause)
    print(text)
    if args.write:
        write_section(text)
        print(f"written: {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
