"""The static website (`make site`, scripts/site/build_site.py), without a browser.

The site is built once per session in quick mode (tests/site_build.py; BP_SITE_DIR=site tests an
existing one). Checked here: the layout (index.html, en/ and zh/ with the same pages, each
edition's home its map), the language link on every page, the download link and run-it-live note on
every lesson, every widget view replaced by a static widget whose pictures exist, no widget
manager, nothing loaded from outside the site, MathJax served locally, collapsible code cells, the
stored outputs, Chinese interface text, and the search index in both languages (jieba words).
The browser side (console errors, requests, searching) is tests/browser/test_site_pages.py.
"""
import json
import pathlib
import re
import sys

import pytest
from site_build import REPO, Tags, built_site

sys.path.insert(0, str(REPO / "scripts" / "site"))
import build_site  # noqa: E402

NOTEBOOKS = REPO / "notebooks"
EDITIONS = ("en", "zh")
OTHER = {"en": "zh", "zh": "en"}
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def lessons(lang):
    return sorted((NOTEBOOKS / lang).glob("*.ipynb"))


def page(lang, name):
    return Tags((built_site() / lang / name).read_text(encoding="utf-8"))


def all_pages(lang):
    return sorted(p.name for p in (built_site() / lang).glob("*.html"))


def committed(path):
    return json.loads(path.read_text(encoding="utf-8"))


def search_index(lang):
    text = (built_site() / lang / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1: text.rindex(")")])


@pytest.fixture(scope="module")
def site():
    return built_site()


# ----------------------------------------------------------------------------- layout
def test_index_chooses_a_language(site):
    index = Tags((site / "index.html").read_text(encoding="utf-8"))
    hrefs = {a.get("href") for a in index.find("a")}
    assert {"zh/index.html", "en/index.html"} <= hrefs, hrefs
    assert "简体中文" in index.text and "English" in index.text


def test_every_page_names_the_sites_icon(site):
    """Each page links an icon the site holds (else a browser asks for /favicon.ico: a 404)."""
    pages = [site / "index.html"] + [p for lang in EDITIONS for p in sorted((site / lang).glob("*.html"))]
    assert len(pages) > 2
    for page in pages:
        icons = [a for a in Tags(page.read_text(encoding="utf-8")).find("link")
                 if "icon" in (a.get("rel") or "").split()]
        assert icons, f"{page.relative_to(site)}: no <link rel='icon'>"
        for icon in icons:
            target = (page.parent / icon["href"]).resolve()
            assert target.is_file() and target.suffix == ".svg", (page.relative_to(site), icon["href"])


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_lesson_has_its_page_and_the_home_is_the_map(site, lang):
    for nb in lessons(lang):
        assert (site / lang / f"{nb.stem}.html").is_file(), f"{lang}/{nb.stem}.html missing"
    home = (site / lang / "index.html").read_text(encoding="utf-8")
    assert re.search(r'http-equiv="Refresh" content="0; url=00_start_here\.html"', home), home
    # the map's own page, and the next page after it is lesson 01
    first = page(lang, "00_start_here.html")
    assert first.find("link", rel="next")[0]["href"] == f"{lessons(lang)[1].stem}.html"


def test_both_editions_have_the_same_pages(site):
    assert all_pages("en") == all_pages("zh")
    assert [p.stem for p in lessons("en")] == [p.stem for p in lessons("zh")]


# ----------------------------------------------------------------------------- links
@pytest.mark.parametrize("lang", EDITIONS)
def test_every_page_links_to_the_same_page_in_the_other_language(site, lang):
    for name in all_pages(lang):
        if name == "index.html":           # the redirect to the map
            continue
        links = page(lang, name).find("a", class_="bp-language")
        assert len(links) == 1, f"{lang}/{name}: {len(links)} language links"
        href = links[0]["href"]
        assert href == f"../{OTHER[lang]}/{name}", f"{lang}/{name} links to {href}"
        assert (site / lang / href).resolve().is_file(), f"{lang}/{name}: {href} does not exist"
        assert links[0]["hreflang"] == ("zh-CN" if OTHER[lang] == "zh" else "en")


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_lesson_downloads_its_committed_notebook_and_says_how_to_run_it(site, lang):
    live = {"en": ("make lab", "JupyterHub", "Binder", "Download this notebook"),
            "zh": ("make lab-zh", "JupyterHub", "Binder", "下载这个笔记本")}[lang]
    for nb in lessons(lang):
        p = page(lang, f"{nb.stem}.html")
        links = p.find("a", class_="bp-download")
        assert [a["href"] for a in links] == [f"{nb.stem}.ipynb"], f"{lang}/{nb.stem}: {links}"
        assert "download" in links[0]
        assert (site / lang / f"{nb.stem}.ipynb").read_bytes() == nb.read_bytes(), \
            f"{lang}/{nb.stem}.ipynb is not the committed notebook"
        note = p.text[p.text.index(live[3]):][:400]
        for word in live[:3]:
            assert word in note, f"{lang}/{nb.stem}: the run-it-live note lacks {word!r}: {note!r}"
    for name in ("search.html", "genindex.html"):     # not a lesson: no download
        assert not page(lang, name).find("a", class_="bp-download")


# ----------------------------------------------------------------------------- nothing from outside
def test_no_page_loads_anything_from_outside_the_site(site):
    assert build_site.external_refs(site) == []
    for f in site.rglob("*.html"):
        text = f.read_text(encoding="utf-8")
        for needle in ("unpkg.com", "jsdelivr", "cdnjs", "require.min.js", "require.js", "googleapis",
                       "fonts.gstatic", "thebe", "binder-examples", "widget-state+json", "html-manager"):
            assert needle not in text, f"{f.relative_to(site)} mentions {needle}"
        for tag, attrs in Tags(text).tags:
            for key in ("src", "href", "data", "poster", "srcset"):
                url = (attrs.get(key) or "").strip()
                if tag == "a" and key == "href":
                    continue                       # a link the reader may follow is not loaded
                assert not re.match(r"^([a-z][a-z0-9+.-]*:)?//", url, re.I), \
                    f"{f.relative_to(site)}: <{tag} {key}={url}>"


def test_the_external_reference_check_finds_a_cdn(tmp_path):
    """The check above can fail: a page with a CDN script, a Google font and a CSS url()."""
    (tmp_path / "a.html").write_text('<script src="https://cdn.example.org/x.js"></script>'
                                     '<link rel="stylesheet" href="//fonts.example.com/css">'
                                     '<a href="https://example.org/">a link is fine</a>')
    (tmp_path / "s.css").write_text("@font-face { src: url(https://fonts.example.com/f.woff2) }")
    found = build_site.external_refs(tmp_path)
    assert sorted(u for _, u in found) == ["//fonts.example.com/css", "https://cdn.example.org/x.js",
                                           "https://fonts.example.com/f.woff2"]


@pytest.mark.parametrize("lang", EDITIONS)
def test_mathjax_is_served_by_the_site(site, lang):
    mj = site / lang / "_static" / "mathjax"
    assert (mj / "tex-chtml.js").stat().st_size > 500_000
    assert list((mj / "output" / "chtml" / "fonts" / "woff-v2").glob("MathJax_Main-Regular.woff"))
    with_math = 0
    for nb in lessons(lang):
        p = page(lang, f"{nb.stem}.html")
        srcs = [s.get("src", "") for s in p.find("script")]
        if p.find("span", class_="math") or p.find("div", class_="math"):
            with_math += 1
            assert any(s.startswith("_static/mathjax/tex-chtml.js") for s in srcs), f"{lang}/{nb.stem}"
    assert with_math >= len(lessons(lang)) // 2, "math found on too few pages: is the math rendered?"


# ----------------------------------------------------------------------------- pages
@pytest.mark.parametrize("lang", EDITIONS)
def test_widget_views_are_static_widgets(site, lang):
    """Every widget view of the committed notebook is replaced (same count), its pictures exist,
    the static widgets' script and style are on every lesson page, and no widget manager."""
    for nb in lessons(lang):
        text = (site / lang / f"{nb.stem}.html").read_text(encoding="utf-8")
        p = Tags(text)
        assert "jupyter-widgets" not in text and WIDGET_MIME not in text, nb.stem
        js = [s.get("src", "") for s in p.find("script")]
        css = [link.get("href", "") for link in p.find("link", rel="stylesheet")]
        assert any(s.startswith("_static/static_widgets.js") for s in js) or not \
            (build_site.HERE / "static_widgets.js").exists(), f"{lang}/{nb.stem}: static_widgets.js not loaded"
        assert any(s.startswith("_static/static_widgets.css") for s in css) or not \
            (build_site.HERE / "static_widgets.css").exists(), f"{lang}/{nb.stem}: static_widgets.css not loaded"
        views = build_site.widget_views(committed(nb))
        pictures = [img for img in p.find("img") if "data-state" in img]
        assert len(pictures) == len(views), f"{lang}/{nb.stem}: {len(pictures)} static widgets, {len(views)} views"
        for img in pictures:
            src = img["src"]
            assert src.startswith(f"{build_site.FRAMES_URL}/{nb.stem}/"), src
            assert (site / lang / src).is_file(), f"{lang}/{nb.stem}: {src} missing"


@pytest.mark.parametrize("lang", EDITIONS)
def test_code_cells_are_collapsible_and_outputs_are_the_stored_ones(site, lang):
    for nb in lessons(lang):
        data = committed(nb)
        p = Tags((site / lang / f"{nb.stem}.html").read_text(encoding="utf-8"))
        code_cells = [c for c in data["cells"] if c["cell_type"] == "code"
                      and "remove-cell" not in c.get("metadata", {}).get("tags", [])]
        toggles = p.find("details", class_="above-input")
        assert len(toggles) == len(code_cells), f"{lang}/{nb.stem}: {len(toggles)} of {len(code_cells)} collapsible"
        pngs = sum(1 for c in data["cells"] for o in c.get("outputs", [])
                   if "image/png" in o.get("data", {}) and WIDGET_MIME not in o.get("data", {}))
        images = [i for i in p.find("img") if i.get("src", "").startswith("_images/")]
        assert len(images) >= pngs, f"{lang}/{nb.stem}: {len(images)} pictures for {pngs} stored PNG outputs"
        for img in images:
            assert (site / lang / img["src"]).is_file()
        # a printed number of a stored text output is on the page
        for c in data["cells"]:
            for o in c.get("outputs", []):
                if o.get("output_type") == "stream" and o.get("name") == "stdout":
                    first = "".join(o["text"]).strip().splitlines()[0].strip() if "".join(o["text"]).strip() else ""
                    if first:
                        assert first in p.text or first.replace("<", "&lt;") in p.text, \
                            f"{lang}/{nb.stem}: stored output {first!r} not on the page"


def test_the_chinese_edition_speaks_chinese(site):
    for name in all_pages("zh"):
        if name == "index.html":
            continue
        text = (site / "zh" / name).read_text(encoding="utf-8")
        assert '<html lang="zh-CN"' in text, name
        for english in ("Search this book", "Show code", "Hide code", "Contents", "Previous", "Next",
                        "Download this notebook"):
            visible = re.sub(r"<script.*?</script>", "", text, flags=re.S)
            assert english not in re.sub(r"<[^>]+>", " ", visible), f"zh/{name} shows {english!r}"
    search = Tags((site / "zh" / "search.html").read_text(encoding="utf-8"))
    assert "搜索" in search.text


# ----------------------------------------------------------------------------- search
@pytest.mark.parametrize("lang,word", [("zh", "反向传播"), ("zh", "梯度消失"), ("zh", "学习率"),
                                       ("en", "backpropag"), ("en", "momentum")])
def test_search_index_finds_lessons_by_their_text(site, lang, word):
    """The word is a term of the edition's search index (zh: jieba with the glossary's words), and
    it points at lessons whose page text contains it (not only their titles)."""
    index = search_index(lang)
    docs = index["terms"].get(word)
    assert docs is not None, f"{word!r} is not a search term of the {lang} edition"
    docs = [docs] if isinstance(docs, int) else docs
    names = [index["docnames"][i] for i in docs]
    stem = word if lang == "zh" else word[:8]
    with_text = [n for n in names if stem.lower() in page(lang, f"{n}.html").text.lower()]
    assert len(with_text) >= 2, f"{word}: {names}"


def test_the_chinese_search_dictionary_is_the_glossary():
    words = build_site.glossary_words("zh")
    assert {"反向传播", "梯度消失", "学习率", "链式法则", "动量"} <= set(words)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,}", w) for w in words)


def test_a_widget_count_mismatch_fails_the_build():
    nb = committed(NOTEBOOKS / "en" / "03_network_321.ipynb")
    with pytest.raises(SystemExit, match="2 widget views but the widget export returned 1"):
        build_site.static_page_notebook(nb, [{"kind": "Stepper"}], build_site.StandInWidgets, "en/03")
    with pytest.raises(SystemExit, match="is a Stepper in the notebook"):
        build_site.static_page_notebook(nb, [{"kind": "TrialExplorer"}, {"kind": "TrainingLab"}],
                                        build_site.StandInWidgets, "en/03")


def test_the_staged_notebook_has_no_widget_state_and_collapsible_code():
    nb = committed(NOTEBOOKS / "en" / "00_start_here.ipynb")
    assert "widgets" in nb["metadata"]
    records = [{"kind": "Stepper", "file": "view0.png", "stem": "00_start_here"}]
    staged = build_site.static_page_notebook(nb, records, build_site.StandInWidgets, "en/00")
    assert "widgets" not in staged["metadata"]
    assert not build_site.widget_views(staged)
    assert all("hide-input" in c["metadata"]["tags"] for c in staged["cells"] if c["cell_type"] == "code")
    assert pathlib.Path(build_site.__file__).parent.name == "site"
