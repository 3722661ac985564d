"""The static website in a real browser (Debian's Chromium via Playwright, tests/browser/conftest.py).

The site (tests/site_build.py: built once per session in quick mode, or BP_SITE_DIR) is served by
Python's ThreadingHTTPServer on 127.0.0.1. Every page of both editions is opened: any console error,
uncaught page error, failed request (HTTP >= 400) or request that leaves the site's origin fails
the test (such a request is aborted, never sent). Then the language chooser and the language links
are followed, and the search page is used as a reader would: type a word, press Enter, results appear
(反向传播, 梯度消失, 学习率 in the Chinese edition; backpropagation, momentum in the English one).
The static widgets' controls are moved by the widgets' own browser test.
"""
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from site_build import StaticServer, built_site  # noqa: E402

EDITIONS = ("en", "zh")


@pytest.fixture(scope="module")
def site_url():
    site = built_site()
    with StaticServer(site) as server:
        yield server.url


def watched_page(browser, origin):
    """A new page whose problems are collected in page.bp_problems: console errors, page errors,
    HTTP errors, and requests outside `origin` (aborted)."""
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30000)
    problems = page.bp_problems = []

    def route(r):
        url = r.request.url
        if url.startswith(origin + "/") or url == origin:
            r.continue_()
        else:
            problems.append(f"request outside the site: {url}")
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text} ({m.location})"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    page.on("requestfailed", lambda r: r.url.startswith(origin) and not _icon_left_behind(r) and
            problems.append(f"request failed: {r.url} {r.failure}"))
    return page


def _icon_left_behind(request):
    """The tab's icon: the browser asks for it after the page's load and drops the request when
    the page is left first (net::ERR_ABORTED), as the tests leave each page at once; not a fault
    of the site (the icon itself is checked in test_every_page_opens...)."""
    return request.url.endswith("/_static/favicon.svg") and "ERR_ABORTED" in (request.failure or "")


def page_names(lang):
    return sorted(p.name for p in (built_site() / lang).glob("*.html"))


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_page_opens_without_errors_and_loads_only_from_the_site(browser, site_url, lang):
    page = watched_page(browser, site_url)
    seen = []
    try:
        for name in page_names(lang):
            page.goto(f"{site_url}/{lang}/{name}", wait_until="load")
            page.wait_for_load_state("networkidle")
            if name != "index.html":
                assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh" else "en")
                if page.locator("span.math, div.math").count():
                    # MathJax (served by the site) has typeset the page's math
                    page.wait_for_selector("mjx-container", state="attached", timeout=20000)
            seen.append(name)
        assert not page.bp_problems, f"{lang}: " + "\n".join(page.bp_problems[:20])
        icon = page.request.get(f"{site_url}/{lang}/_static/favicon.svg")     # the pages' icon
        assert icon.ok and icon.headers["content-type"].startswith("image/svg+xml"), icon.headers
    finally:
        page.context.close()
    assert len(seen) == len(page_names(lang))


def test_the_chooser_and_the_language_links(browser, site_url):
    page = watched_page(browser, site_url)
    try:
        page.goto(f"{site_url}/index.html")
        page.get_by_role("link", name="简体中文").click()
        page.wait_for_url("**/zh/00_start_here.html")
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        page.goto(f"{site_url}/zh/07_training_lab.html")
        page.locator("a.bp-language").click()
        page.wait_for_url("**/en/07_training_lab.html")
        assert page.locator("h1").first.inner_text().startswith("07")
        page.locator("a.bp-language").click()
        page.wait_for_url("**/zh/07_training_lab.html")
        assert "训练实验室" in page.locator("h1").first.inner_text()
        # the download link serves the notebook itself
        href = page.locator("a.bp-download").get_attribute("href")
        with page.expect_download() as download:
            page.locator("a.bp-download").click()
        assert download.value.suggested_filename == href == "07_training_lab.ipynb"
        # a code cell folds away and back with its button
        toggle = page.locator("details.above-input").first
        assert toggle.get_attribute("open") is not None
        toggle.locator("summary").click()
        assert toggle.get_attribute("open") is None
        assert not page.bp_problems, "\n".join(page.bp_problems)
    finally:
        page.context.close()


@pytest.mark.parametrize("lang,word", [("zh", "反向传播"), ("zh", "梯度消失"), ("zh", "学习率"),
                                       ("en", "backpropagation"), ("en", "momentum")])
def test_search_finds_lessons(browser, site_url, lang, word):
    page = watched_page(browser, site_url)
    try:
        page.goto(f"{site_url}/{lang}/search.html")
        box = page.locator(".bd-search-container form.bd-search input[name=q]")
        box.fill(word)
        box.press("Enter")
        results = page.locator("#search-results ul.search li")
        results.first.wait_for(timeout=30000)
        page.wait_for_function("() => !document.querySelector('#search-results .search-summary') || "
                               "document.querySelector('#search-results .search-summary').textContent.trim()")
        links = [a.get_attribute("href") for a in page.locator("#search-results ul.search li a").all()]
        lessons = [h for h in links if h and h.split("?")[0].split("#")[0][:2].isdigit()]
        assert len(lessons) >= 2, f"{lang} search {word!r}: {links}"
        assert not page.bp_problems, "\n".join(page.bp_problems)
    finally:
        page.context.close()
