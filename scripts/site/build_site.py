"""Build the course as a static website: `make site` -> site/ (both editions, no kernel, no CDN).

    .venv/bin/python scripts/site/build_site.py [--out site] [--quick] [--lang en zh]

For each edition (notebooks/en, notebooks/zh):
  1. copy its committed notebooks into a staging folder, build/site/<lang>/, with the edition's
     Jupyter Book configuration (site_src/<lang>/_config.yml), a _toc.yml (00 first, then every
     lesson in file order), the templates and static files of site_src/;
  2. precompute every widget's frames (scripts/site/widget_frames.py, export_edition: this is the
     only step that executes the notebooks; BP_SITE_QUICK=1 or --quick asks it for fewer states)
     and replace the k-th widget view of each notebook by widget_html(record k): a static widget
     (picture, controls, status) driven by static_widgets.js; the notebook's widget state is
     removed, so MyST-NB loads no widget manager;
  3. `jupyter-book build` (Sphinx + MyST-NB, notebooks not executed: the pages show the
     committed outputs) and move the HTML to <out>/<lang>/, with the frames in
     <out>/<lang>/widgets/<stem>/, the committed notebooks beside their pages (the download
     links) and MathJax 3 (from the sphinx-mathjax-offline package) in _static/mathjax/.
Then <out>/index.html (choose 简体中文 or English) and a check that no page loads anything from
outside the site (a script, style, font or picture with an absolute URL fails the build).
"""
import argparse
import concurrent.futures
import copy
import importlib.metadata
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time

import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
SITE_SRC = REPO / "site_src"
NOTEBOOKS = REPO / "notebooks"
HERE = pathlib.Path(__file__).resolve().parent
EDITIONS = ("en", "zh")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "widgets"          # the notebook-level metadata key of the saved widget state
FRAMES_URL = "widgets"            # <out>/<lang>/widgets/<stem>/: relative to every page (all at the root)
WIDGET_ASSETS = ("static_widgets.js", "static_widgets.css")
MATHJAX_PARTS = ("tex-chtml.js", "output/chtml", "input/tex/extensions", "ui")  # no a11y/sre: it names a CDN

# src/href of a tag that the browser loads by itself (scripts, styles, fonts, pictures, frames)
LOADED_REF = re.compile(r"<(script|link|img|iframe|source|embed|audio|video)\b[^>]*?\b(src|href)\s*=\s*[\"']([^\"']+)",
                        re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*[\"']?([^\"')]+)")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


def lessons(lang):
    """The committed notebooks of one edition, sorted by file name (00 first)."""
    return sorted(p for p in (NOTEBOOKS / lang).glob("*.ipynb"))


def widget_views(nb):
    """The outputs of a notebook (dict) that hold a widget view, in order."""
    return [out for cell in nb["cells"] for out in cell.get("outputs", [])
            if WIDGET_MIME in out.get("data", {})]


def view_kind(out, cell_source):
    """The widget class a committed widget view shows when the notebook tells it ('Stepper: ...'
    in its text form, or a last line `bp.widgets.Name(...)`), else None."""
    text = "".join(out["data"].get("text/plain", ""))
    m = re.match(r"([A-Z]\w*): ", text)
    if m:
        return m.group(1)
    last = "".join(cell_source).strip().splitlines()[-1] if "".join(cell_source).strip() else ""
    m = re.match(r"bp\.widgets\.([A-Z]\w*)\(", last.strip())
    return m.group(1) if m else None


# ----------------------------------------------------------------------------- widgets
class StandInWidgets:
    """Until scripts/site/widget_frames.py exists: each widget view shows its stored PNG
    (the picture the notebook saved for viewers without a kernel), no controls."""

    name = "stand-in (stored PNG of each widget view)"

    @staticmethod
    def export_edition(lang, out_dir, quick=False, stems=None):
        import base64
        found = {}
        for path in lessons(lang):
            if stems is not None and path.stem not in stems:
                continue
            nb = json.loads(path.read_text(encoding="utf-8"))
            records = []
            for k, out in enumerate(widget_views(nb)):
                png = out["data"].get("image/png")
                folder = pathlib.Path(out_dir) / path.stem
                folder.mkdir(parents=True, exist_ok=True)
                if png:
                    (folder / f"view{k}.png").write_bytes(base64.b64decode("".join(png)))
                records.append({"kind": "stand-in", "file": f"view{k}.png" if png else None, "stem": path.stem})
            if records:
                found[path.stem] = records
        return found

    @staticmethod
    def widget_html(record, url_prefix):
        if not record["file"]:
            return "<p>(widget)</p>"
        return (f'<div class="bp-static-widget"><img src="{url_prefix}/{record["stem"]}/{record["file"]}" '
                f'data-state="stored" alt="widget"></div>')


def widget_module():
    """scripts/site/widget_frames.py (the widgets engineer's module) if present, else the stand-in."""
    if not (HERE / "widget_frames.py").exists():
        return StandInWidgets
    sys.path.insert(0, str(HERE))
    try:
        import widget_frames
    finally:
        sys.path.remove(str(HERE))
    widget_frames.name = "scripts/site/widget_frames.py"
    return widget_frames


def static_page_notebook(nb, records, widgets, stem):
    """A copy of notebook `nb` for its page: the k-th widget view replaced by the static widget of
    records[k]; no saved widget state; every code cell collapsible (hide-input, opened by bp_site.js)."""
    nb = copy.deepcopy(nb)
    views = [(out, cell["source"]) for cell in nb["cells"] for out in cell.get("outputs", [])
             if WIDGET_MIME in out.get("data", {})]
    if len(views) != len(records):
        raise SystemExit(f"site build: {stem} has {len(views)} widget views but the widget export "
                         f"returned {len(records)} records")
    for k, ((out, source), record) in enumerate(zip(views, records)):
        kind = view_kind(out, source)
        if not isinstance(record, dict) or not isinstance(record.get("kind"), str):
            raise SystemExit(f"site build: {stem} widget view {k}: the export's record has no 'kind'")
        if kind and record["kind"] not in (kind, "stand-in"):
            raise SystemExit(f"site build: {stem} widget view {k} is a {kind} in the notebook but the "
                             f"export's record {k} is a {record['kind']}")
    for (out, _), record in zip(views, records):
        out["data"] = {"text/html": widgets.widget_html(record, FRAMES_URL)}
        out.get("metadata", {}).pop(WIDGET_MIME, None)
    nb["metadata"].pop(WIDGET_STATE, None)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            tags = cell.setdefault("metadata", {}).setdefault("tags", [])
            if "hide-input" not in tags and "remove-input" not in tags and "remove-cell" not in tags:
                tags.append("hide-input")
    return nb


# ----------------------------------------------------------------------------- search words
CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")


def glossary_words(lang="zh"):
    """The Chinese terms of the course's glossary (the table under "## 术语对照表" in the zh
    edition's 00): '前向传播（正向传播）' gives 前向传播 and 正向传播, '过拟合 / 欠拟合' both.
    They are Sphinx's jieba user dictionary, so that 反向传播, 梯度消失, 学习率 are search terms
    (jieba alone cuts them into 反向 + 传播, ...; the search page looks a query up whole)."""
    nb = json.loads((NOTEBOOKS / lang / lessons(lang)[0].name).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and text.startswith("## 术语对照表"):
            break
    else:
        raise SystemExit(f"site build: no '## 术语对照表' glossary in notebooks/{lang}/{lessons(lang)[0].name}")
    words = []
    for row in text.splitlines():
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if not row.startswith("|") or len(cells) < 2 or set(cells[0]) <= set("-: "):
            continue
        for part in re.split(r"[（）()/、]", cells[0]):
            part = part.strip()
            if CJK_WORD.match(part) and part not in words:
                words.append(part)
    if len(words) < 20:
        raise SystemExit(f"site build: only {len(words)} Chinese terms in the glossary of 00: {words}")
    return words


# ----------------------------------------------------------------------------- edition
def mathjax_dir():
    """MathJax 3 as shipped by the sphinx-mathjax-offline package (the `site` extra)."""
    dist = importlib.metadata.distribution("sphinx-mathjax-offline")
    path = pathlib.Path(dist.locate_file("sphinx-mathjax-offline/static/mathjax"))
    if not (path / "tex-chtml.js").is_file():
        raise SystemExit(f"site build: MathJax not found at {path} (pip install -e '.[site]')")
    return path


def copy_part(src, dst):
    if src.is_dir():
        shutil.copytree(src, dst, dirs_exist_ok=True)
    else:
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)


def stage_edition(lang, stage, records, widgets):
    """Write the edition's Jupyter Book source folder: notebooks for the pages, config, toc, assets."""
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    paths = lessons(lang)
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        page_nb = static_page_notebook(nb, records.get(path.stem, []), widgets, f"{lang}/{path.stem}")
        (stage / path.name).write_text(json.dumps(page_nb, ensure_ascii=False, indent=1), encoding="utf-8")
    toc = {"format": "jb-book", "root": paths[0].stem,
           "chapters": [{"file": p.stem} for p in paths[1:]]}
    (stage / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    shutil.copy2(SITE_SRC / lang / "_config.yml", stage / "_config.yml")
    shutil.copytree(SITE_SRC / "_templates", stage / "_templates")
    shutil.copytree(SITE_SRC / "_static", stage / "_static")
    for asset in WIDGET_ASSETS:
        if (HERE / asset).exists():
            shutil.copy2(HERE / asset, stage / "_static" / asset)
    # the Sphinx configuration: jupyter-book's own translation of _config.yml, then ours
    jb = str(pathlib.Path(sys.executable).parent / "jupyter-book")
    proc = subprocess.run([jb, "config", "sphinx", str(stage)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"site build: jupyter-book config sphinx failed:\n{proc.stdout}{proc.stderr}")
    with open(stage / "conf.py", "a", encoding="utf-8") as conf:
        conf.write("\nimport pathlib\n_static = pathlib.Path(__file__).parent / '_static'\n")
        conf.write((SITE_SRC / "conf_site.py").read_text(encoding="utf-8"))
        if lang == "zh":
            words = stage / "search_words.txt"
            words.write_text("".join(f"{w} 100000\n" for w in glossary_words(lang)), encoding="utf-8")
            conf.write(f"\n# jieba's user dictionary: the glossary's terms\nhtml_search_options = "
                       f"{{'dict': {str(words)!r}}}\n")


def run_book(stage):
    """sphinx-build (html) of a staged edition; returns the HTML folder and Sphinx's warnings."""
    html = stage / "_build" / "html"
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "--keep-going", str(stage), str(html)]
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    proc = subprocess.run(cmd, cwd=stage, env=env, capture_output=True, text=True)
    log = proc.stdout + proc.stderr
    (stage / "build.log").write_text(log, encoding="utf-8")
    if proc.returncode != 0 or not (html / "search.html").exists():
        raise SystemExit(f"site build: sphinx-build failed for {stage} (exit {proc.returncode}):\n{log[-4000:]}")
    warnings = [line for line in log.splitlines() if "WARNING" in line]
    return html, warnings


def build_edition(lang, out, build, quick, widgets):
    t0 = time.perf_counter()
    frames = build / "frames" / lang
    if frames.exists():
        shutil.rmtree(frames)
    frames.mkdir(parents=True)
    with_widgets = [p.stem for p in lessons(lang)
                    if widget_views(json.loads(p.read_text(encoding="utf-8")))]
    records = widgets.export_edition(lang, str(frames), quick=quick, stems=with_widgets)
    t1 = time.perf_counter()
    stage = build / lang
    stage_edition(lang, stage, records, widgets)
    html, warnings = run_book(stage)
    t2 = time.perf_counter()
    dest = out / lang
    if dest.exists():
        shutil.rmtree(dest)
    shutil.move(str(html), dest)
    for sub in (".buildinfo", ".doctrees", "_sources", "reports"):
        p = dest / sub
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()
    shutil.copytree(frames, dest / FRAMES_URL, dirs_exist_ok=True)
    mj = mathjax_dir()
    for part in MATHJAX_PARTS:
        copy_part(mj / part, dest / "_static" / "mathjax" / part)
    root = lessons(lang)[0].stem
    (dest / "index.html").write_text(f'<!DOCTYPE html><meta charset="utf-8"><meta http-equiv="Refresh" '
                                     f'content="0; url={root}.html"><link rel="icon" href="_static/favicon.svg" '
                                     f'type="image/svg+xml"><a href="{root}.html">{root}</a>\n',
                                     encoding="utf-8")
    for path in lessons(lang):
        shutil.copy2(path, dest / path.name)
    print(f"site: {lang}: widgets {t1 - t0:.0f} s ({len(records)} notebooks), pages {t2 - t1:.0f} s, "
          f"{len(warnings)} Sphinx warnings ({stage / 'build.log'})", flush=True)
    return {"lang": lang, "widgets_s": t1 - t0, "pages_s": t2 - t1, "warnings": warnings}


def build_edition_in_process(lang, out, build, quick, stand_in):
    return build_edition(lang, out, build, quick, StandInWidgets if stand_in else widget_module())


# ----------------------------------------------------------------------------- checks
def external_refs(site):
    """[(file, url)] for every script, style, font, picture or frame that a page of `site` (or a
    CSS file) would load from outside the site: an absolute URL (http:, https:, //host)."""
    found = []
    site = pathlib.Path(site)
    for f in sorted(site.rglob("*.html")):
        text = f.read_text(encoding="utf-8", errors="replace")
        for tag, _attr, url in LOADED_REF.findall(text):
            if tag.lower() == "link" and not re.search(r"rel\s*=\s*[\"'][^\"']*(stylesheet|preload|icon|"
                                                       r"modulepreload|prefetch|manifest)",
                                                       _tag_at(text, url), re.IGNORECASE):
                continue
            if EXTERNAL.match(url.strip()):
                found.append((str(f.relative_to(site)), url))
        for url in re.findall(r"@import\s+[\"']([^\"']+)", text):
            if EXTERNAL.match(url):
                found.append((str(f.relative_to(site)), url))
    for f in sorted(site.rglob("*.css")):
        for url in CSS_URL.findall(f.read_text(encoding="utf-8", errors="replace")):
            if EXTERNAL.match(url.strip()):
                found.append((str(f.relative_to(site)), url))
    return found


def _tag_at(text, url):
    i = text.find(url)
    return text[text.rfind("<", 0, i): text.find(">", i) + 1]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(REPO / "site"), help="output folder (default: site/)")
    ap.add_argument("--build", default=str(REPO / "build" / "site"), help="staging folder")
    ap.add_argument("--quick", action="store_true", default=os.environ.get("BP_SITE_QUICK") == "1",
                    help="fewer precomputed widget states (tests); also BP_SITE_QUICK=1")
    ap.add_argument("--lang", nargs="+", choices=EDITIONS, default=list(EDITIONS))
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("BP_SITE_JOBS", 2)),
                    help="editions built at the same time (default 2; also BP_SITE_JOBS)")
    ap.add_argument("--stand-in", action="store_true", default=os.environ.get("BP_SITE_STANDIN") == "1",
                    help="show each widget's stored PNG instead of the static widgets (no notebook "
                         "executed; also BP_SITE_STANDIN=1)")
    args = ap.parse_args(argv)
    out, build = pathlib.Path(args.out).resolve(), pathlib.Path(args.build).resolve()
    out.mkdir(parents=True, exist_ok=True)
    build.mkdir(parents=True, exist_ok=True)
    widgets = StandInWidgets if args.stand_in else widget_module()
    print(f"site: widgets from {widgets.name}{' (quick)' if args.quick else ''}, "
          f"{min(args.jobs, len(args.lang))} edition(s) at a time", flush=True)
    t0 = time.perf_counter()
    if args.jobs > 1 and len(args.lang) > 1:
        # each edition in a process of its own (its widget export runs its own kernels)
        with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs) as pool:
            jobs = [pool.submit(build_edition_in_process, lang, out, build, args.quick, args.stand_in)
                    for lang in args.lang]
            for job in jobs:
                job.result()
    else:
        for lang in args.lang:
            build_edition(lang, out, build, args.quick, widgets)
    shutil.copy2(SITE_SRC / "index.html", out / "index.html")
    (out / ".nojekyll").write_text("")      # GitHub Pages: serve _static/ as it is
    bad = external_refs(out)
    if bad:
        raise SystemExit("site build: pages load from outside the site:\n" +
                         "\n".join(f"  {f}: {u}" for f, u in bad[:40]))
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    seconds = time.perf_counter() - t0
    # how it was built, for the benchmarks (not a page: nothing links to it)
    (out / ".build.json").write_text(json.dumps({"quick": args.quick, "widgets": widgets.name,
                                                 "seconds": round(seconds, 1), "editions": args.lang}))
    print(f"site: {out} built in {seconds:.0f} s, {size / 1e6:.1f} MB, "
          "nothing loaded from outside the site", flush=True)


if __name__ == "__main__":
    main()
