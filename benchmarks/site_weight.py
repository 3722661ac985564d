"""Page weight of the static website: what a browser transfers for each lesson page, and the site's size.

    .venv/bin/python benchmarks/site_weight.py [--site site] [--write]

For every lesson page of both editions: the bytes of the HTML, of everything it loads (scripts,
styles, pictures, and the fonts its styles name: an upper bound, a browser fetches only the fonts it
uses; MathJax's script and all its CHTML fonts on a page with math), and of ALL its widgets'
precomputed frames (widgets/<stem>/, every state, as if a student visited every one of them).
Bytes as the server sends them: Python's http.server and most static servers send files as they are
(no compression); the gzip column is what a server that compresses text (HTML, JS, CSS) would send.
Then the site's total size, per edition. --write puts the table in benchmarks/results/site.md
(its own section, between markers; other sections are kept). Budgets (issue 18): heaviest lesson
page <= 8 MB with its precomputed pictures, whole site <= 200 MB.
"""
import argparse
import datetime
import gzip
import json
import os
import pathlib
import re
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

REPO = pathlib.Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "site.md"
START, END = "<!-- site_weight: start -->", "<!-- site_weight: end -->"
PAGE_BUDGET, SITE_BUDGET = 8e6, 200e6
TEXT = (".html", ".js", ".css", ".json", ".svg")


class Loaded(HTMLParser):
    """URLs a page loads by itself: script src, stylesheet / preload / icon links, img src."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and a.get("href") and re.search(r"stylesheet|preload|icon", a.get("rel") or ""):
            self.urls.append(a["href"])
        elif tag in ("img", "source") and a.get("src"):
            self.urls.append(a["src"])

    handle_startendtag = handle_starttag


def local(base, url):
    """The file a relative URL names, or None (absolute or data: URLs)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return (base.parent / unquote(parts.path)).resolve()


def css_files(css, seen):
    """The files a stylesheet names with url(...) (fonts, pictures) and @import, recursively."""
    found = []
    text = css.read_text(encoding="utf-8", errors="replace")
    # a @font-face src lists one font in several formats: the browser fetches the first it can use
    # (woff2 in every browser here), so only each list's first url() counts
    text = re.sub(r"(src\s*:\s*url\([^)]*\)[^;}]*?)(,\s*url\([^;}]*)", r"\1", text)
    for url in re.findall(r"url\(\s*[\"']?([^\"')]+)", text):
        f = local(css, url)
        if f and f.is_file() and f not in seen:
            seen.add(f)
            found.append(f)
            if f.suffix == ".css":
                found += css_files(f, seen)
    return found


def gz(f):
    data = f.read_bytes()
    return len(gzip.compress(data, 6)) if f.suffix in TEXT else len(data)


def page_weight(page, site_lang):
    """{'page', 'assets', 'frames', 'total', 'gzip'} in bytes for one lesson page."""
    parser = Loaded()
    parser.feed(page.read_text(encoding="utf-8"))
    seen, files = set(), []
    for url in parser.urls:
        f = local(page, url)
        if f and f.is_file() and f not in seen:
            seen.add(f)
            files.append(f)
            if f.suffix == ".css":
                files += css_files(f, seen)
    mathjax = site_lang / "_static" / "mathjax"
    if any(f.is_relative_to(mathjax) for f in files):     # MathJax loads its fonts itself
        files += [f for f in (mathjax / "output" / "chtml" / "fonts").rglob("*.woff") if f not in seen]
    frames_dir = site_lang / "widgets" / page.stem
    frames = sorted(f for f in frames_dir.rglob("*") if f.is_file()) if frames_dir.is_dir() else []
    assets = sum(f.stat().st_size for f in files if not f.is_relative_to(frames_dir))
    frame_bytes = sum(f.stat().st_size for f in frames)
    size = page.stat().st_size
    all_files = [page] + [f for f in files if not f.is_relative_to(frames_dir)] + frames
    return {"page": size, "assets": assets, "frames": frame_bytes, "n_frames": len(frames),
            "total": size + assets + frame_bytes, "gzip": sum(gz(f) for f in all_files)}


def fetched_by_chromium(site, pages):
    """{page: the files Chromium fetched to show it} (empty cache, served by Python's
    http.server on 127.0.0.1): the page, its scripts, styles, pictures and only the fonts it used."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--headless", "--no-sandbox", "--disable-gpu"])
            for page in pages:
                ctx = browser.new_context()
                pg = ctx.new_page()
                urls = set()
                pg.on("requestfinished", lambda r, urls=urls: urls.add(r.url.split("?")[0].split("#")[0]))
                pg.goto(base + str(page.relative_to(site)), wait_until="networkidle")
                if pg.locator("span.math, div.math").count():
                    pg.wait_for_selector("mjx-container", state="attached", timeout=30000)
                    pg.wait_for_load_state("networkidle")
                files = {(site / unquote(u[len(base):])).resolve() for u in urls if u.startswith(base)}
                out[page] = {f for f in files if f.is_file()}
                ctx.close()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return out


def measure(site, browser=True):
    rows = []
    for lang in ("en", "zh"):
        for page in sorted((site / lang).glob("*.html")):
            if page.name in ("index.html", "search.html", "genindex.html"):
                continue
            rows.append({"lang": lang, "stem": page.stem, "path": page, **page_weight(page, site / lang)})
    if browser:
        fetched = fetched_by_chromium(site, [r["path"] for r in rows])
        for r in rows:
            # what Chromium fetched (page, assets, only the fonts used) + ALL the page's widget frames
            frames_dir = (site / r["lang"] / "widgets" / r["stem"]).resolve()
            r["chromium"] = sum(f.stat().st_size for f in fetched[r["path"]] if not f.is_relative_to(frames_dir))
            r["real_total"] = r["chromium"] + r["frames"]
    sizes = {lang: sum(f.stat().st_size for f in (site / lang).rglob("*") if f.is_file()) for lang in ("en", "zh")}
    counts = {lang: sum(1 for f in (site / lang).rglob("*") if f.is_file()) for lang in ("en", "zh")}
    total = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    return rows, sizes, counts, total


def build_note(site):
    """', widgets: ..., full' from the site's .build.json (written by build_site.py)."""
    try:
        info = json.loads((site / ".build.json").read_text())
    except (OSError, ValueError):
        return ""
    mode = "QUICK mode" if info["quick"] else "full"
    return f"; widgets: {info['widgets']}, {mode}, built in {info['seconds']:.0f} s"


def mb(n):
    return f"{n / 1e6:.2f}"


def report(site, rows, sizes, counts, total):
    heavy = max(rows, key=lambda r: r["total"])
    lines = [START, "## Page weight and site size (benchmarks/site_weight.py)", "",
             f"Measured {datetime.date.today().isoformat()} on `{os.path.relpath(site, REPO)}/` "
             f"(built by `make site`{build_note(site)}). Bytes a browser "
             "transfers for each lesson page from a server that sends files as they are (Python's http.server, "
             "nginx without gzip): the HTML, every script, style, picture and font it loads (MathJax and its "
             "CHTML fonts where the page has math; fonts counted whether or not used, an upper bound) and "
             "**all** the page's precomputed widget frames (every state of every control: a student who "
             "visits every state). *gzip*: the same with HTML/JS/CSS compressed (a server with gzip on).", "",
             "| page | HTML MB | assets MB (upper bound) | frames MB (files) | total MB (upper bound) | "
             "gzip MB | Chromium fetched MB | Chromium + all frames MB |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['lang']}/{r['stem']} | {mb(r['page'])} | {mb(r['assets'])} | "
                     f"{mb(r['frames'])} ({r['n_frames']}) | {mb(r['total'])} | {mb(r['gzip'])} | "
                     f"{mb(r['chromium']) if 'chromium' in r else '—'} | "
                     f"{mb(r['real_total']) if 'real_total' in r else '—'} |")
    key = "real_total" if "real_total" in heavy else "total"
    heavy = max(rows, key=lambda r: r[key])
    ok_page = heavy[key] <= PAGE_BUDGET
    ok_site = total <= SITE_BUDGET
    lines += ["",
              "*Chromium fetched*: the files headless Chromium actually fetched to show the page with an empty "
              "cache (only the fonts it used; each widget's first frame), served by Python's http.server; "
              "*Chromium + all frames*: that plus every other frame of the page's widgets.", "",
              f"Heaviest lesson page: **{heavy['lang']}/{heavy['stem']}, {mb(heavy[key])} MB** with all its "
              f"frames ({'Chromium fetched + all frames' if key == 'real_total' else 'upper bound'}; "
              f"budget 8 MB: {'met' if ok_page else 'MISSED'}); the upper bound is {mb(heavy['total'])} MB.",
              f"Whole site: **{mb(total)} MB** (en {mb(sizes['en'])} MB in {counts['en']} files, "
              f"zh {mb(sizes['zh'])} MB in {counts['zh']} files; budget 200 MB: {'met' if ok_site else 'MISSED'}).",
              END]
    return "\n".join(lines) + "\n"


def write(section):
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# The course as a website: measurements\n\n"
    if START in text and END in text:
        text = text[:text.index(START)] + section + text[text.index(END) + len(END):].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--site", default=str(REPO / "site"))
    ap.add_argument("--write", action="store_true", help="update benchmarks/results/site.md")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium measurement")
    args = ap.parse_args(argv)
    site = pathlib.Path(args.site).resolve()
    if not (site / "index.html").is_file():
        sys.exit(f"{site}: no site there (run make site)")
    section = report(site, *measure(site, browser=not args.no_browser))
    print(section)
    if args.write:
        write(section)
        print(f"written to {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
