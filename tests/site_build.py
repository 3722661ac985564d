"""The static website for the tests: built once per test session (quick mode), or an existing one.

Used by tests/test_site.py and tests/browser/test_site_pages.py (and the widgets' browser test).
  BP_SITE_DIR=site   test an already built site (e.g. after `make site`) instead of building one
Otherwise `scripts/site/build_site.py --quick` builds into test-artifacts/site/ (git-ignored) the
first time a test asks for it in this process; its output goes to test-artifacts/site-build.log.
"""
import os
import pathlib
import subprocess
import sys
from html.parser import HTMLParser

REPO = pathlib.Path(__file__).resolve().parents[1]
BUILT = {}


def built_site():
    """The site folder (pathlib.Path); builds it on first use. Raises RuntimeError with the log's
    tail if the build fails."""
    if "path" in BUILT:
        return BUILT["path"]
    given = os.environ.get("BP_SITE_DIR")
    if given:
        path = pathlib.Path(given).resolve()
        if not (path / "index.html").is_file():
            raise RuntimeError(f"BP_SITE_DIR={given}: no index.html there (run make site)")
        BUILT["path"] = path
        return path
    out = REPO / "test-artifacts" / "site"
    log = REPO / "test-artifacts" / "site-build.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, str(REPO / "scripts" / "site" / "build_site.py"), "--quick", "--out", str(out),
           "--build", str(REPO / "test-artifacts" / "site-build")]
    with open(log, "w") as f:
        proc = subprocess.run(cmd, cwd=REPO, stdout=f, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        raise RuntimeError(f"site build failed (exit {proc.returncode}):\n" + log.read_text()[-4000:])
    BUILT["path"] = out
    return out


class Tags(HTMLParser):
    """Every start tag of a page as (tag, attrs dict), and the page's text."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags, self.text_parts = [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text_parts.append(data)

    def find(self, tag, **attrs):
        """Tags named `tag` whose attributes contain `attrs` (class_= matches one class)."""
        found = []
        for t, a in self.tags:
            if t != tag:
                continue
            ok = True
            for k, v in attrs.items():
                key = k.rstrip("_")
                if key == "class":
                    ok &= v in (a.get("class") or "").split()
                else:
                    ok &= a.get(key) == v
            if ok:
                found.append(a)
        return found

    @property
    def text(self):
        return "".join(self.text_parts)


class StaticServer:
    """Python's ThreadingHTTPServer serving a folder on 127.0.0.1 (a free port), in a thread;
    `with StaticServer(path) as s: s.url` -> 'http://127.0.0.1:PORT'. Request logs are not printed."""

    def __init__(self, folder):
        import functools
        import http.server
        import threading

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        handler = functools.partial(Quiet, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
