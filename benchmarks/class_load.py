"""One server, one class: N students on one `make present` server, measured on the loopback address.

    .venv/bin/python benchmarks/class_load.py                      # N = 1, 5, 10, 20; writes the results file
    .venv/bin/python benchmarks/class_load.py --sessions 5 --rounds 3 --no-preheat-compare   # a quick look
    .venv/bin/python benchmarks/class_load.py --sessions 5,10,20,30,40   # go on while the bounds hold

Voila serves notebooks/en/07_training_lab.ipynb through scripts/present.sh (the projector template,
kernel culling and preheating exactly as `make present`; only the cull time is shortened so the
check at the end of each step is quick) on 127.0.0.1 and a free port: nothing listens on the network.
For each class size N, headless Chromium (Debian's /usr/bin/chromium, launched as the browser tests
do: tests/browser/browser_driver.py) opens N browser contexts at once, one student each, and
measures:
- time to first render: from the page request to the lab's first picture loaded (the notebook has
  run in the student's own kernel and the widgets are drawn), p50/p95 over the N students;
- slider latency: every student presses a key on the first learning-rate slider at the same moment,
  `--rounds` times (alternately right and left); the time from keydown to the new picture loaded
  (the painted picture, not only its `src` changing), p50/p95 over all moves;
- memory per session: the resident memory of the kernels (RSS, and PSS, which shares the pages the
  kernels have in common fairly among them), per kernel, and Voila's own;
- CPU time per student, server side (Voila and its kernels) and browser side (Chromium), for opening
  the page and for one slider move: the browsers share this machine's CPUs here but not in a class,
  so the server's share gives the estimate for a class whose students bring their own devices;
then every student leaves (half close the tab normally, which Voila answers by shutting the kernel
down at once; half vanish without a word, like a laptop put to sleep, whose kernels the culler must
find), and the step waits until only the preheated pool is left, or reports the kernels left behind.

The class grows while the bounds hold: the slider p95 <= --max-latency-ms (1000 ms: still usable,
not "live"), every student rendered within --max-render-s (120 s), and the next step's kernels fit
in --max-memory-gb (16 GB). The browsers run on the same 2 CPUs as the server (a real class brings
its own), so the figures are a pessimistic bound. Bounded: at most the listed sizes, each step
bounded in time; all processes are stopped at the end, even on an error.
"""
import argparse
import asyncio
import contextlib
import datetime
import os
import pathlib
import platform
import re
import statistics
import subprocess
import sys
import time

import psutil

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))
import browser_driver as drv  # noqa: E402  (the browser tests' launch arguments, probe and server class)

NOTEBOOK = "notebooks/en/07_training_lab.ipynb"
RESULTS = REPO / "benchmarks" / "results" / "class_load.md"
SLIDER_LABEL = "learning rate"
LIVE_P50_MS, LIVE_P95_MS = 100.0, 250.0        # issue 14: a slider that feels live

# The lab's first picture has loaded and Voila's spinner is gone.
RENDERED_JS = r"""() => {
  const loading = document.querySelector('#loading');
  if (loading && getComputedStyle(loading).display !== 'none') return false;
  const img = document.querySelector('img.widget-image');
  return !!(img && img.complete && img.naturalWidth > 0);
}"""
KERNEL_ID_JS = "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
MOVED_JS = "() => window.__bp.loads.length > 0 && window.__bp.keyT !== null"
TIMES_JS = "() => ({key: window.__bp.keyT, img: window.__bp.img[0], load: window.__bp.loads[0]})"


def percentile(values, q):
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


# ----------------------------------------------------------------------------- the server
class PresentServer:
    """scripts/present.sh on 127.0.0.1 and a free port, with the given pool and cull settings."""

    def __init__(self, notebook, pool_size, cull_idle, cull_interval, log_path):
        self.pool_size = pool_size
        self.log_path = log_path
        self.server = drv.start_present(notebook, log_path, BP_POOL_SIZE=pool_size, BP_CULL_IDLE=cull_idle,
                                        BP_CULL_INTERVAL=cull_interval)
        self.url = self.server.url + "/"

    def log(self):
        return pathlib.Path(self.log_path).read_text(errors="replace")

    def pool_fills(self):
        """How many times the preheated pool has been (re)filled so far."""
        return self.log().count("Kernel pool of ")

    def wait_ready(self, timeout=180):
        """Until the port answers and (with preheating) the pool is full and its kernel has run
        the notebook; never requests the page itself, which would take a kernel."""
        start = time.monotonic()
        drv.wait_present(self.server, self.pool_size, timeout=timeout)
        self.wait_kernels_idle(timeout=max(1, timeout - (time.monotonic() - start)))

    def wait_refilled(self, fills_before, timeout=120):
        deadline = time.monotonic() + timeout
        while self.pool_size and time.monotonic() < deadline and self.pool_fills() <= fills_before:
            time.sleep(0.5)
        self.wait_kernels_idle(timeout=max(1, deadline - time.monotonic()))

    def wait_kernels_idle(self, timeout=120, quiet_s=2.0):
        """Until no kernel uses CPU for `quiet_s` (Voila reports the pool "filled" when its kernel has
        started, before the notebook has run in it)."""
        deadline = time.monotonic() + timeout
        calm_since = None
        while time.monotonic() < deadline:
            busy = 0.0
            for p in self.kernels():
                with contextlib.suppress(psutil.NoSuchProcess):
                    busy += p.cpu_percent(interval=None)
            now = time.monotonic()
            calm_since = (calm_since or now) if busy < 10 else None
            if calm_since is not None and now - calm_since >= quiet_s:
                return
            time.sleep(0.5)

    def kernels(self):
        """The kernel processes (ipykernel children of the Voila process)."""
        return drv.kernel_processes(self.server)

    def memory(self):
        """{'kernels': n, 'rss': [MB per kernel], 'pss': [MB per kernel], 'server_rss': MB}."""
        rss, pss = [], []
        for p in self.kernels():
            try:
                info = p.memory_full_info()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            rss.append(info.rss / 2**20)
            pss.append(getattr(info, "pss", info.rss) / 2**20)
        server = psutil.Process(self.server.proc.pid).memory_info().rss / 2**20
        return {"kernels": len(rss), "rss": rss, "pss": pss, "server_rss": server}

    def stop(self):
        self.server.stop()


def _cpu_of(procs):
    """{pid: user+system CPU seconds} of the given processes (gone ones skipped)."""
    out = {}
    for p in procs:
        try:
            t = p.cpu_times()
            out[p.pid] = t.user + t.system
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return out


class CpuMeter:
    """CPU seconds used between `start()` and `stop()` by the server side (Voila and its kernels) and by
    the browsers (the Chromium processes this script started)."""

    def __init__(self, server):
        self.server = server

    def _snapshot(self):
        server = [psutil.Process(self.server.server.proc.pid)] + self.server.kernels()
        mine = psutil.Process(os.getpid()).children(recursive=True)
        browsers = [p for p in mine if "chrom" in (p.name() or "").lower()]
        return _cpu_of(server), _cpu_of(browsers)

    def start(self):
        self._start = self._snapshot()

    def stop(self):
        end = self._snapshot()
        return tuple(sum(t - begin.get(pid, 0.0) for pid, t in now.items()) for begin, now in zip(self._start, end))


# ----------------------------------------------------------------------------- one student
class Student:
    def __init__(self, browser, index):
        self.browser, self.index = browser, index
        self.context = self.page = None
        self.render_s = None
        self.kernel_id = None
        self.error = None

    async def open(self, url, timeout_s):
        """Open the app; record the seconds until the lab's first picture has loaded."""
        self.context = await self.browser.new_context(viewport={"width": 1280, "height": 720})
        self.page = await self.context.new_page()
        t0 = time.monotonic()
        try:
            await self.page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
            await self.page.wait_for_function(RENDERED_JS, timeout=timeout_s * 1000, polling=100)
            self.render_s = time.monotonic() - t0
            self.kernel_id = await self.page.evaluate(KERNEL_ID_JS)
            await self.page.evaluate(drv.PROBE_JS)
            sliders = await self.page.evaluate(drv.SLIDERS_JS)
            target = next(s for s in sliders if s["label"].startswith(SLIDER_LABEL) and not s["disabled"])
            self.handle = self.page.locator(f'[data-bp-slider="{target["index"]}"] .noUi-handle').first
        except Exception as e:  # noqa: BLE001 - a student whose page never renders is a result, not a crash
            self.error = f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"

    async def move(self, key, timeout_s=30):
        """Press `key` on the slider's handle; (keydown -> new src, keydown -> picture loaded) in ms."""
        if self.error:
            return None
        await self.page.evaluate(drv.RESET_JS)
        await self.handle.focus()
        await self.page.keyboard.press(key)
        try:
            await self.page.wait_for_function(MOVED_JS, timeout=timeout_s * 1000, polling="raf")
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: no new picture
            return None
        t = await self.page.evaluate(TIMES_JS)
        return (t["img"] - t["key"] if t["img"] is not None else None), t["load"] - t["key"]

    async def leave(self, normally):
        """Close the tab: normally (the page's beforeunload runs, Voila shuts the kernel down) or by
        vanishing (the browser context is torn down, no goodbye: the culler's case)."""
        if self.page is not None and normally:
            try:
                await self.page.close(run_before_unload=True)
                await asyncio.sleep(0.5)
            except Exception:  # noqa: BLE001
                pass
        if self.context is not None:
            await self.context.close()


async def class_step(browser, server, n, rounds, render_timeout_s, cull_idle, cull_interval):
    # render_timeout_s: how long a page may take before the student gives up (longer than the bound)
    """Open n sessions at once, move a slider in all of them at once, measure, close, check kernels."""
    server.wait_kernels_idle()                  # the pool refilled and run, the last class gone
    load_before = os.getloadavg()
    culled_before = server.log().count("Culling ")
    students = [Student(browser, i) for i in range(n)]
    meter = CpuMeter(server)
    meter.start()
    t0 = time.monotonic()
    await asyncio.gather(*(s.open(server.url, render_timeout_s) for s in students))
    all_open_s = time.monotonic() - t0
    render_cpu = meter.stop()
    rendered = [s for s in students if s.error is None]
    renders = [s.render_s for s in rendered]
    await asyncio.sleep(3)
    memory = server.memory()
    src_ms, load_ms, missed = [], [], 0
    meter.start()
    for r in range(rounds):
        key = "ArrowRight" if r % 2 == 0 else "ArrowLeft"
        results = await asyncio.gather(*(s.move(key) for s in rendered))
        for res in results:
            if res is None:
                missed += 1
                continue
            if res[0] is not None:
                src_ms.append(res[0])
            load_ms.append(res[1])
        await asyncio.sleep(1.5)
    move_cpu = meter.stop()
    load_during = os.getloadavg()
    memory_after = server.memory()
    kernel_ids = {s.kernel_id for s in rendered}
    # leave: even students close the tab, odd ones vanish
    await asyncio.gather(*(s.leave(normally=(s.index % 2 == 0)) for s in students))
    t_close = time.monotonic()
    deadline = t_close + cull_idle + 3 * cull_interval + 60
    left = len(server.kernels())
    while time.monotonic() < deadline:
        left = len(server.kernels())
        if left <= server.pool_size:
            break
        await asyncio.sleep(1)
    clean_s = time.monotonic() - t_close
    culled = server.log().count("Culling ") - culled_before
    return {
        "n": n, "rendered": len(rendered), "errors": [s.error for s in students if s.error],
        "render_p50": percentile(renders, 50) if renders else None,
        "render_p95": percentile(renders, 95) if renders else None,
        "render_max": max(renders) if renders else None, "all_open_s": all_open_s,
        "src_p50": percentile(src_ms, 50) if src_ms else None,
        "src_p95": percentile(src_ms, 95) if src_ms else None,
        "load_p50": percentile(load_ms, 50) if load_ms else None,
        "load_p95": percentile(load_ms, 95) if load_ms else None,
        "load_max": max(load_ms) if load_ms else None,
        "moves": len(load_ms), "missed": missed,
        "memory": memory, "memory_after": memory_after, "distinct_kernels": len(kernel_ids),
        "kernels_left": left, "pool": server.pool_size, "clean_s": clean_s, "culled": culled,
        "load_before": load_before, "load_during": load_during,
        # CPU seconds per student: opening the page (server side, browser side), one slider move (server)
        "render_cpu_server": render_cpu[0] / n, "render_cpu_browser": render_cpu[1] / n,
        "move_cpu_server_ms": 1000 * move_cpu[0] / max(1, n * rounds),
        "move_cpu_browser_ms": 1000 * move_cpu[1] / max(1, n * rounds),
    }


async def first_render_alone(browser, server, repeats, render_timeout_s):
    """One student at a time on an idle server: seconds to the first picture, `repeats` times."""
    times = []
    for _ in range(repeats):
        fills = server.pool_fills()
        s = Student(browser, 0)
        await s.open(server.url, render_timeout_s)
        if s.error is None:
            times.append(s.render_s)
        await s.leave(normally=True)
        server.wait_refilled(fills)
        await asyncio.sleep(2)
    return times


# ----------------------------------------------------------------------------- report
def fmt(x, digits=0, unit=""):
    return "–" if x is None else f"{x:.{digits}f}{unit}"


def kernel_mb(mem, key):
    values = mem[key]
    return statistics.mean(values) if values else None


def report(steps, preheat, args, uptime_before, uptime_after, started, stopped_because):
    cpu = os.cpu_count()
    total_gb = psutil.virtual_memory().total / 2**30
    lines = [
        "# One server, one class: `make present` under N students at once",
        "",
        f"Measured {started:%Y-%m-%d %H:%M} UTC by `benchmarks/class_load.py` on {platform.node() or 'this machine'}: "
        f"{cpu} CPUs, {total_gb:.0f} GB RAM, Python {platform.python_version()}; the machine was shared "
        "with other work (load averages below).",
        f"`uptime` before: `{uptime_before}`",
        f"`uptime` after: `{uptime_after}`",
        "",
        f"Server: `scripts/present.sh {args.notebook}` (Voila, projector template) on 127.0.0.1, "
        f"preheated pool of {args.pool_size} kernel(s), culling of unconnected idle kernels after "
        f"{args.cull_idle} s (checked every {args.cull_interval} s; `make present` uses 300 s / 30 s). "
        f"Students: headless Chromium contexts at 1280×720 on the same machine (they share the 2 CPUs with "
        f"the server: a pessimistic bound). Each student presses a key on the lab's learning-rate slider "
        f"(3 training runs per redraw: η/10, η, 10η), all at the same moment, {args.rounds} times.",
        "",
        "| students N | rendered | first render p50 / p95 / max | slider p50 / p95 / max (picture loaded) "
        "| `src` changed p50 / p95 | kernel RSS / PSS per session | Voila RSS | kernels left after leaving "
        "| load avg (1 min) before → during |",
        "|---:|---:|---|---|---|---|---:|---|---|",
    ]
    for s in steps:
        mem = s["memory_after"]
        left = s["kernels_left"]
        left_text = (f"{left} (the preheated pool), after {s['clean_s']:.0f} s" if left <= s["pool"]
                     else f"**{left}** (pool {s['pool']}) after {s['clean_s']:.0f} s")
        left_text += f"; {s['culled']} culled, the others shut at once"
        lines.append(
            f"| {s['n']} | {s['rendered']}/{s['n']} | {fmt(s['render_p50'], 1)} / {fmt(s['render_p95'], 1)} / "
            f"{fmt(s['render_max'], 1)} s | {fmt(s['load_p50'])} / {fmt(s['load_p95'])} / {fmt(s['load_max'])} ms "
            f"({s['moves']} moves{', ' + str(s['missed']) + ' without a new picture' if s['missed'] else ''}) | "
            f"{fmt(s['src_p50'])} / {fmt(s['src_p95'])} ms | "
            f"{fmt(kernel_mb(mem, 'rss'))} / {fmt(kernel_mb(mem, 'pss'))} MB ({mem['kernels']} kernels) | "
            f"{fmt(mem['server_rss'])} MB | {left_text} | "
            f"{s['load_before'][0]:.1f} → {s['load_during'][0]:.1f} |")
    cores = os.cpu_count() or 1
    lines += [
        "",
        "Where the time goes: CPU time per student, measured on the processes themselves (the server: Voila "
        "and its kernels; the browsers: the headless Chromium processes). In a classroom the browsers run "
        f"on the students' own devices, so the server alone needs about N × (server CPU per page) / {cores} "
        "CPUs of wall time to give every student a page, and N × (server CPU per move) / "
        f"{cores} per round of moves:",
        "",
        "| students N | page opening: server / browser CPU per student | one slider move: server / browser CPU "
        "per student | server-only estimate: all pages ready / one round of moves |",
        "|---:|---|---|---|",
    ]
    for s in steps:
        lines.append(
            f"| {s['n']} | {s['render_cpu_server']:.1f} s / {s['render_cpu_browser']:.1f} s | "
            f"{s['move_cpu_server_ms']:.0f} ms / {s['move_cpu_browser_ms']:.0f} ms | "
            f"{s['n'] * s['render_cpu_server'] / cores:.0f} s / {s['n'] * s['move_cpu_server_ms'] / cores:.0f} ms |")
    for s in steps:
        if s["errors"]:
            lines.append(f"\nN = {s['n']}: {len(s['errors'])} student(s) without a rendered page: "
                         + "; ".join(sorted(set(s["errors"]))[:3]))
    lines += ["", f"Stopped: {stopped_because}.", ""]
    if preheat:
        lines += [
            "## Preheating: one student on an idle server",
            "",
            "Time from the page request to the lab's first picture loaded, one student at a time "
            f"({args.repeats} times each, the pool refilled in between):",
            "",
            "| server | first render, each run | median |",
            "|---|---|---:|",
        ]
        for name, times in preheat:
            lines.append(f"| {name} | {', '.join(f'{t:.1f}' for t in times)} s | "
                         f"{fmt(statistics.median(times) if times else None, 1)} s |")
        lines.append("")
    lines += [
        "Bounds: the slider p50 ≤ 100 ms and p95 ≤ 250 ms make it feel live (issue 14); the class grows "
        f"while the slider p95 ≤ {args.max_latency_ms:.0f} ms (still usable), every page renders within "
        f"{args.max_render_s:.0f} s, and the next size's kernels fit in {args.max_memory_gb:.0f} GB.",
        "",
    ]
    return "\n".join(lines)


def uptime():
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


async def main_async(args):
    from playwright.async_api import async_playwright

    started = datetime.datetime.now(datetime.UTC)
    uptime_before = uptime()
    print(f"class_load: {uptime_before}", flush=True)
    logs = REPO / "test-artifacts" / "class_load"
    logs.mkdir(parents=True, exist_ok=True)
    sizes = [int(x) for x in re.split(r"[,\s]+", args.sessions.strip()) if x]
    steps, preheat = [], []
    stopped_because = f"every listed size ({', '.join(map(str, sizes))}) was measured"
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=drv.CHROMIUM, args=drv.CHROMIUM_ARGS)
        try:
            if args.preheat_compare:
                for pool in (0, args.pool_size or 1):
                    server = PresentServer(args.notebook, pool, args.cull_idle, args.cull_interval,
                                           logs / f"present-pool{pool}.log")
                    try:
                        server.wait_ready()
                        times = await first_render_alone(browser, server, args.repeats, args.max_render_s)
                    finally:
                        server.stop()
                    name = "no preheating (`BP_POOL_SIZE=0`)" if pool == 0 else f"preheated pool of {pool}"
                    preheat.append((name, times))
                    print(f"class_load: first render alone, {name}: {[round(t, 1) for t in times]} s", flush=True)
            server = PresentServer(args.notebook, args.pool_size, args.cull_idle, args.cull_interval,
                                   logs / "present-class.log")
            try:
                server.wait_ready()
                for i, n in enumerate(sizes):
                    step = await class_step(browser, server, n, args.rounds, max(600, args.max_render_s),
                                            args.cull_idle, args.cull_interval)
                    steps.append(step)
                    print(f"class_load: N={n}: rendered {step['rendered']}/{n}, first render p50 "
                          f"{fmt(step['render_p50'], 1)} s p95 {fmt(step['render_p95'], 1)} s; slider p50 "
                          f"{fmt(step['load_p50'])} ms p95 {fmt(step['load_p95'])} ms; kernel RSS "
                          f"{fmt(kernel_mb(step['memory_after'], 'rss'))} MB PSS "
                          f"{fmt(kernel_mb(step['memory_after'], 'pss'))} MB; kernels left "
                          f"{step['kernels_left']} after {step['clean_s']:.0f} s; CPU per student: page "
                          f"{step['render_cpu_server']:.1f} s server + {step['render_cpu_browser']:.1f} s browser, "
                          f"move {step['move_cpu_server_ms']:.0f} ms server + "
                          f"{step['move_cpu_browser_ms']:.0f} ms browser", flush=True)
                    broken = []
                    if step["rendered"] < n or (step["render_max"] or 0) > args.max_render_s:
                        broken.append(f"not every page rendered within {args.max_render_s:.0f} s")
                    if step["load_p95"] is None or step["load_p95"] > args.max_latency_ms:
                        broken.append(f"slider p95 {fmt(step['load_p95'])} ms > {args.max_latency_ms:.0f} ms")
                    if step["kernels_left"] > server.pool_size:
                        broken.append(f"{step['kernels_left']} kernels left behind")
                    nxt = sizes[i + 1] if i + 1 < len(sizes) else None
                    per_kernel = kernel_mb(step["memory_after"], "rss") or 0
                    if nxt and (nxt + server.pool_size) * per_kernel / 1024 > args.max_memory_gb:
                        broken.append(f"{nxt} kernels would need more than {args.max_memory_gb:.0f} GB")
                    if broken:
                        stopped_because = f"after N = {n}: " + "; ".join(broken)
                        break
            finally:
                server.stop()
        finally:
            await browser.close()
    text = report(steps, preheat, args, uptime_before, uptime(), started, stopped_because)
    print(text)
    if args.out:
        pathlib.Path(args.out).write_text(text, encoding="utf-8")
        print(f"class_load: written {args.out}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--notebook", default=NOTEBOOK)
    ap.add_argument("--sessions", default="1,5,10,20", help="class sizes, in order (default 1,5,10,20)")
    ap.add_argument("--rounds", type=int, default=6, help="slider moves per student per size")
    ap.add_argument("--pool-size", type=int, default=1, help="preheated kernels (as make present: 1)")
    ap.add_argument("--cull-idle", type=int, default=60, help="seconds (make present: 300)")
    ap.add_argument("--cull-interval", type=int, default=5, help="seconds (make present: 30)")
    ap.add_argument("--max-latency-ms", type=float, default=1000.0)
    ap.add_argument("--max-render-s", type=float, default=120.0)
    ap.add_argument("--max-memory-gb", type=float, default=16.0)
    ap.add_argument("--repeats", type=int, default=3, help="single-student first renders per preheat setting")
    ap.add_argument("--no-preheat-compare", dest="preheat_compare", action="store_false")
    ap.add_argument("--out", default=str(RESULTS), help="markdown results file ('' to only print)")
    args = ap.parse_args(argv)
    if not os.access(drv.CHROMIUM, os.X_OK):
        sys.exit(f"class_load: {drv.CHROMIUM} is missing (bash scripts/ensure_browser.sh)")
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
