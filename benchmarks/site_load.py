"""A class opening the static website's training lab (07) at once, on one machine.

    .venv/bin/python benchmarks/site_load.py [--site site] [--lang en] [--students 20 50 100]
                                             [--rounds 3] [--browsers 3] [--write]

Server (--server): `python` = Python's standard static server, `python -m http.server --bind 127.0.0.1`
(ThreadingHTTPServer, one thread per connection, HTTP/1.0, listen backlog 5: what the README suggests
for trying the site), or `nginx` = Debian's nginx (apt-get install nginx-light when missing, as root),
2 workers, no gzip. Either serves site/ in a process of its own; nothing here leaves the loopback
address.

Server side (an HTTP load generator, asyncio, in a process of its own): N students open
<lang>/07_training_lab.html at the same instant; each fetches the HTML, then every resource the page
loads (its scripts, stylesheets, pictures, and the first frame of each widget: the <img> sources) over
at most 6 connections at a time, like a browser with an empty cache. A student's time: from the start
until the last of those responses has been read; p50 / p95 / max over the N students, `--rounds`
times. Requests are bounded (N x resources per round) and time out after 120 s.

Browser side: while the N students load, `--browsers` real Chromium pages (headless, empty cache,
Playwright, the same Chromium as the browser tests) open the same page; a page is *usable* when its
load event has fired, every widget picture has been decoded and MathJax has typeset the page
(performance.now(), the page's own clock from navigation start).

The students' load generator, the Chromium pages and the server share this machine's 2 CPUs; in a
classroom each student's device does its own part. --write puts the table in
benchmarks/results/site_load.md.
"""
import argparse
import asyncio
import datetime
import multiprocessing
import os
import pathlib
import statistics
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

REPO = pathlib.Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "site_load.md"
PAGE = "07_training_lab.html"
PER_STUDENT_CONNECTIONS = 6       # what a browser opens per host over HTTP/1.x
REQUEST_TIMEOUT = 120.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class Resources(HTMLParser):
    """What a browser fetches by itself for a page: script src, stylesheet links, img src."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and a.get("href") and "stylesheet" in (a.get("rel") or ""):
            self.urls.append(a["href"])
        elif tag == "img" and a.get("src"):
            self.urls.append(a["src"])

    handle_startendtag = handle_starttag


def page_resources(base, page_url):
    """[absolute path on the server] of the page and everything it loads (same origin only)."""
    with urllib.request.urlopen(base + page_url, timeout=30) as r:
        html = r.read().decode("utf-8")
    parser = Resources()
    parser.feed(html)
    paths, seen = [page_url], {page_url}
    for url in parser.urls:
        full = urlsplit(urljoin(base + page_url, url))
        if full.netloc != urlsplit(base).netloc or full.scheme not in ("http", ""):
            raise SystemExit(f"{page_url} loads {url} from outside the site")
        path = full.path + (f"?{full.query}" if full.query else "")
        if path not in seen:
            seen.add(path)
            paths.append(path)
    return paths


# ----------------------------------------------------------------------------- load generator
async def fetch(host, port, path):
    """GET path over a new connection (the server speaks HTTP/1.0 and closes); returns bytes read."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), REQUEST_TIMEOUT)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), REQUEST_TIMEOUT)
    finally:
        writer.close()
    status = data[:data.find(b"\r\n")].split()
    if len(status) < 2 or status[1] != b"200":
        raise RuntimeError(f"{path}: {data[:60]!r}")
    return len(data)


async def student(host, port, paths, t0):
    """One student: the HTML first, then the page's resources over at most 6 connections.
    Returns (seconds from t0 until all were read, bytes, failures)."""
    failures = 0
    try:
        total = await fetch(host, port, paths[0])
    except Exception:
        return None, 0, 1
    sem = asyncio.Semaphore(PER_STUDENT_CONNECTIONS)

    async def one(path):
        async with sem:
            return await fetch(host, port, path)

    results = await asyncio.gather(*(one(p) for p in paths[1:]), return_exceptions=True)
    for r in results:
        if isinstance(r, Exception):
            failures += 1
        else:
            total += r
    return time.perf_counter() - t0, total, failures


async def crowd(host, port, paths, n):
    t0 = time.perf_counter()
    return await asyncio.gather(*(student(host, port, paths, t0) for _ in range(n)))


def crowd_process(host, port, paths, n, start_at, queue):
    """Runs in its own process: waits until `start_at` (time.time()), then N students at once."""
    delay = start_at - time.time()
    if delay > 0:
        time.sleep(delay)
    queue.put(asyncio.run(crowd(host, port, paths, n)))


# ----------------------------------------------------------------------------- browsers
USABLE_JS = r"""
window.__bpUsable = null;
window.addEventListener('load', async () => {
  const imgs = [...document.querySelectorAll('img[data-state], img')];
  await Promise.all(imgs.map(i => i.complete ? (i.decode ? i.decode().catch(() => {}) : null)
                                            : new Promise(r => { i.onload = i.onerror = r; })));
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  window.__bpUsable = performance.now();
});
"""


def open_browsers(browser, url, k, timeout_s=180):
    """k Chromium pages (fresh contexts: empty caches) open `url` together; their usable times (ms)."""
    pages = []
    for _ in range(k):
        ctx = browser.new_context()
        ctx.add_init_script(USABLE_JS)
        pg = ctx.new_page()
        pg.set_default_timeout(timeout_s * 1000)
        pages.append(pg)
    for pg in pages:
        pg.goto(url, wait_until="commit")
    times = []
    for pg in pages:
        pg.wait_for_function("() => window.__bpUsable !== null", timeout=timeout_s * 1000)
        times.append(pg.evaluate("window.__bpUsable"))
        pg.context.close()
    return times


# ----------------------------------------------------------------------------- servers
NGINX_CONF = """daemon off;
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  include /etc/nginx/mime.types;
  types {{ application/x-ipynb+json ipynb; }}
  access_log off;
  sendfile on;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  server {{
    listen {host}:{port} backlog=1024;
    root {site};
  }}
}}
"""


def start_server(kind, site, host, port):
    """(process, description) of a static server for `site` on host:port, ready to answer."""
    if kind == "python":
        proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", host,
                                 "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        name = "Python's `python -m http.server` (ThreadingHTTPServer, HTTP/1.0, listen backlog 5)"
    else:
        import shutil
        import tempfile
        if not shutil.which("nginx") and os.geteuid() == 0:
            subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "nginx-light"],
                           check=True, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        tmp = pathlib.Path(tempfile.mkdtemp(prefix="bp-nginx-"))
        (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, host=host, port=port, site=site))
        proc = subprocess.Popen([nginx, "-c", str(tmp / "nginx.conf"), "-p", str(tmp)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        version = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr.strip().split("/")[-1]
        name = f"Debian's nginx {version} (2 workers, sendfile, no gzip, listen backlog 1024)"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://{host}:{port}/index.html", timeout=2).read()
            break
        except OSError:
            time.sleep(0.1)
    return proc, name


# ----------------------------------------------------------------------------- run
def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q / 100 * len(values) + 0.5) - 1))]


def server_cpu(pid):
    """User + system CPU seconds of a server process and its children (nginx's workers)."""
    import psutil
    proc = psutil.Process(pid)
    total = 0.0
    for p in [proc] + proc.children(recursive=True):
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--site", default=str(REPO / "site"))
    ap.add_argument("--lang", default="en", choices=("en", "zh"))
    ap.add_argument("--students", type=int, nargs="+", default=[20, 50, 100])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--browsers", type=int, default=3, help="real Chromium pages per round (0: none)")
    ap.add_argument("--server", choices=("python", "nginx"), default="python",
                    help="python: python -m http.server (what the README suggests for trying); nginx: "
                         "Debian's nginx (installed with apt-get when missing, as root)")
    ap.add_argument("--write", action="store_true", help="write benchmarks/results/site_load.md")
    args = ap.parse_args(argv)
    site = pathlib.Path(args.site).resolve()
    if not (site / args.lang / PAGE).is_file():
        sys.exit(f"{site / args.lang / PAGE} missing (run make site)")
    if max(args.students) > 500 or args.rounds > 10:
        sys.exit("bounded: at most 500 students and 10 rounds")

    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    host = "127.0.0.1"
    server, server_name = start_server(args.server, site, host, port)
    base = f"http://{host}:{port}"
    rows = []
    browser = pw = None
    try:
        page_url = f"/{args.lang}/{PAGE}"
        paths = page_resources(base, page_url)
        widget_frames = sum(1 for p in paths if f"/{args.lang}/widgets/" in p)
        print(f"{page_url}: {len(paths)} resources ({widget_frames} widget first frames), "
              f"server: {server_name}, pid {server.pid}", flush=True)
        if args.browsers:
            from playwright.sync_api import sync_playwright
            pw = sync_playwright().start()
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            alone = open_browsers(browser, base + page_url, 1)
            print(f"one Chromium page alone: usable in {alone[0]:.0f} ms", flush=True)
            rows.append({"n": 0, "alone_ms": alone[0]})
        ctx = multiprocessing.get_context("spawn")
        for n in args.students:
            for r in range(args.rounds):
                load_before = os.getloadavg()[0]
                cpu0 = server_cpu(server.pid)
                queue = ctx.Queue()
                start_at = time.time() + 1.5
                proc = ctx.Process(target=crowd_process, args=(host, port, paths, n, start_at, queue))
                proc.start()
                usable = []
                if browser:
                    time.sleep(max(0.0, start_at - time.time()))
                    usable = open_browsers(browser, base + page_url, args.browsers)
                results = queue.get(timeout=600)
                proc.join(timeout=60)
                cpu = server_cpu(server.pid) - cpu0
                times = [t for t, _, f in results if t is not None and f == 0]
                failed = sum(1 for t, _, f in results if t is None or f)
                mb = sum(b for _, b, _ in results) / 1e6
                row = {"n": n, "round": r + 1, "requests": n * len(paths), "mb": mb, "failed": failed,
                       "p50": statistics.median(times) if times else float("nan"),
                       "p95": pct(times, 95) if times else float("nan"), "max": max(times) if times else float("nan"),
                       "server_cpu_s": cpu, "browser_ms": usable, "load": load_before}
                rows.append(row)
                print(f"N={n} round {r + 1}: all resources p50 {row['p50']:.2f} s, p95 {row['p95']:.2f} s, "
                      f"max {row['max']:.2f} s, {failed} failed, {mb:.0f} MB, server CPU {cpu:.1f} s; "
                      f"Chromium usable {', '.join(f'{u:.0f}' for u in usable)} ms; load {load_before:.1f}",
                      flush=True)
    finally:
        if browser:
            browser.close()
        if pw:
            pw.stop()
        server.terminate()
        server.wait(timeout=10)
    if args.write:
        write(rows, args, paths, widget_frames, server_name)
    return rows


def write(rows, args, paths, widget_frames, server_name):
    alone = [r["alone_ms"] for r in rows if r["n"] == 0]
    lines = [f"<!-- site_load: {args.server} -->",
             f"## {server_name}", "",
             f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on this machine "
             f"({os.cpu_count()} CPUs, shared with other work: the 1-minute load average before each round is "
             f"in the table). Page: `{args.lang}/{PAGE}`, {len(paths)} resources (the HTML, its scripts and "
             f"styles, its pictures and the first frame of each of its {widget_frames} widgets), on 127.0.0.1.", "",
             "Server side: N students (an asyncio HTTP client in its own process) open the page at the same "
             "instant, each fetching the HTML and then every resource over at most 6 connections, with an "
             "empty cache. *All resources*: from the start until a student's last response was read. "
             f"Browser side: {args.browsers} real Chromium pages (empty cache) open the page at the same "
             "instant as the crowd; *usable*: load event, every picture decoded, MathJax done "
             "(the page's own clock). Rounds: " + str(args.rounds) + " per N. *failed*: students with at "
             "least one request that failed (connection refused or reset; their times are left out).", ""]
    if alone:
        lines += [f"One Chromium page alone (no crowd): usable in {alone[0]:.0f} ms.", ""]
    lines += ["| students at once | requests per round | all resources p50 / p95 / max (s) | failed | "
              "server CPU per round (s) | Chromium usable p50 / p95 (ms) | load before |",
              "|---:|---:|---|---:|---:|---|---|"]
    for n in args.students:
        rs = [r for r in rows if r["n"] == n]
        # pooled over rounds: recompute from per-round p50s is wrong; keep per-round and pooled maxima
        p50 = statistics.median([r["p50"] for r in rs])
        p95 = max(r["p95"] for r in rs)
        mx = max(r["max"] for r in rs)
        usable = [u for r in rs for u in r["browser_ms"]]
        ub = f"{statistics.median(usable):.0f} / {pct(usable, 95):.0f}" if usable else "—"
        loads = ", ".join(f"{r['load']:.1f}" for r in rs)
        cpu = statistics.median([r["server_cpu_s"] for r in rs])
        lines.append(f"| {n} | {rs[0]['requests']} | {p50:.2f} / {p95:.2f} / {mx:.2f} | "
                     f"{sum(r['failed'] for r in rs)} | {cpu:.1f} | {ub} | {loads} |")
    lines += ["", "p50: the median of the rounds' medians; p95 and max: the largest of the rounds'.", "",
              "Per round:", "", "| N | round | p50 (s) | p95 (s) | max (s) | MB sent | Chromium usable (ms) |",
              "|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        if r["n"]:
            usable = ", ".join(f"{u:.0f}" for u in r["browser_ms"]) or "—"
            lines.append(f"| {r['n']} | {r['round']} | {r['p50']:.2f} | {r['p95']:.2f} | {r['max']:.2f} | "
                         f"{r['mb']:.0f} | {usable} |")
    lines += [f"<!-- site_load: {args.server} end -->", ""]
    section = "\n".join(lines)
    head = ("# A class opening the static website at once (benchmarks/site_load.py)\n\n"
            "`python benchmarks/site_load.py --server python|nginx --write`; method in the script's docstring.\n\n")
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else head
    start, end = f"<!-- site_load: {args.server} -->", f"<!-- site_load: {args.server} end -->"
    if start in text and end in text:
        text = text[:text.index(start)] + section + text[text.index(end) + len(end):].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")
    print(f"written to {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
