"""The widgets of the static website: every picture precomputed, the HTML that shows them.

    from widget_frames import export_edition, widget_html
    records = export_edition("zh", out_dir)          # {stem: [record, ...]}, frames in out_dir/<stem>/
    html = widget_html(records[stem][k], "../_widgets")   # replaces the k-th widget view of the page

`export_edition` executes each notebook of notebooks/<lang>/ that shows widgets (nbclient,
the same kernel as scripts/build_notebooks.py), with one cell added before the lesson's
(`widgets.static.start_recording()`: every widget displayed is recorded, in display order,
with its settings at that moment) and one after it (`widgets.static.export_recorded`: each
recorded widget draws every state of its static controls, written as PNG files). The numbers
and pictures come from the package; this script only runs it and writes files. The recorded
widgets are checked against the committed notebook's widget views (the same cells, the same
count, the widget's class named in its cell): a mismatch raises RuntimeError.

`widget_html(record, url_prefix)` is standard HTML controls (range inputs, selects, buttons,
labels in the edition's language), the picture <img data-state="..."> and the status; the
page's behaviour is static_widgets.js, its look static_widgets.css (both loaded on every
lesson page).

Quick mode (`quick=True`, CI: BP_SITE_QUICK=1): a precomputed slider keeps only its start
position and the two beside it, a menu its start and one other option; steppers keep every
step. The full build precomputes every grid (widgets.static.lab_grid and each widget's
static_controls) and is the one the budgets are measured on.

    python scripts/site/widget_frames.py en /tmp/frames [--quick] [07 09 ...]   # try it
"""
import concurrent.futures
import html
import json
import os
import pathlib
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
JOBS = 2                # notebooks exported at once (BP_WIDGET_JOBS): one kernel each, the machine has 2 CPUs
HEAVY = {"07": 9, "01a": 8, "09": 7, "08a": 6, "08": 5, "03": 4}   # export order: the longest first

SETUP = ("from backprop_core.widgets import static as bp_static_export\n"
         "bp_static_export.start_recording()")
EXPORT = ("bp_static_export.export_recorded({folder!r}, {stem!r}, {manifest!r}, quick={quick!r})\n"
          "None")


def widget_cells(nb):
    """[(cell index, cell source)] of every widget-view output of a notebook, in order."""
    out = []
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if WIDGET_VIEW in output.get("data", {}):
                out.append((i, cell.source))
    return out


def notebooks_with_widgets(lang, stems=None):
    """The committed notebooks of an edition that show widgets (all, or those in `stems`)."""
    paths = sorted((NOTEBOOKS / lang).glob("*.ipynb"))
    if stems is not None:
        wanted = set(stems)
        unknown = wanted - {p.stem for p in paths}
        if unknown:
            raise ValueError(f"stems {sorted(unknown)} are not notebooks of notebooks/{lang}/")
        paths = [p for p in paths if p.stem in wanted]
    return [p for p in paths if widget_cells(nbformat.read(p, as_version=4))]


def check_records(stem, committed, records):
    """Raise RuntimeError unless the recorded widgets are the committed notebook's widget
    views: the same number, shown by the same cells (their sources), each cell naming the
    widget's class. committed: [(cell index, source)]."""
    problems = []
    if len(records) != len(committed):
        problems.append(f"{len(records)} widgets recorded, the committed notebook shows {len(committed)} "
                        f"widget views")
    for k, (record, (index, source)) in enumerate(zip(records, committed)):
        if (record.get("cell_source") or "").strip() != source.strip():
            problems.append(f"widget {k} ({record['kind']}) was displayed by the cell "
                            f"{(record.get('cell_source') or '')[:80]!r}, the committed notebook's widget "
                            f"view {k} is in cell {index}: {source[:80]!r}")
        elif record["kind"] not in source:
            problems.append(f"widget {k}: a {record['kind']} was recorded, cell {index} does not name it: "
                            f"{source[:80]!r}")
    if problems:
        raise RuntimeError(f"{stem}: the export does not match the committed notebook:\n  "
                           + "\n  ".join(problems))


def export_notebook(path, out_dir, quick=False):
    """Execute one notebook with recording on; write its frames to out_dir/<stem>/; return
    its records (checked against the committed widget views)."""
    committed_nb = nbformat.read(path, as_version=4)
    committed = widget_cells(committed_nb)
    nb = nbformat.read(path, as_version=4)
    folder = pathlib.Path(out_dir) / path.stem
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        manifest = pathlib.Path(tmp) / "records.json"
        nb.cells.insert(0, nbformat.v4.new_code_cell(SETUP))
        nb.cells.append(nbformat.v4.new_code_cell(EXPORT.format(folder=str(folder), stem=path.stem,
                                                                manifest=str(manifest), quick=bool(quick))))
        client = NotebookClient(nb, timeout=1800, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        client.execute()
        records = json.loads(manifest.read_text(encoding="utf-8"))
    check_records(path.stem, committed, records)
    return records


def export_edition(lang, out_dir, quick=False, stems=None):
    """Execute the notebooks of notebooks/<lang>/ that show widgets (or only `stems`), write
    each one's frames under out_dir/<stem>/ and return {stem: [record, ...]}, one record per
    widget view in the order of the committed notebook's outputs."""
    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be 'en' or 'zh', got {lang!r}")
    paths = notebooks_with_widgets(lang, stems)
    jobs = max(1, int(os.environ.get("BP_WIDGET_JOBS", JOBS)))
    out = {}
    with concurrent.futures.ProcessPoolExecutor(max_workers=min(jobs, len(paths) or 1)) as pool:
        # the heaviest notebooks first, so that the two workers finish together
        ordered = sorted(paths, key=lambda p: -HEAVY.get(p.stem[:3].rstrip("_"), 0))
        futures = {pool.submit(_timed_export, path, out_dir, quick): path for path in ordered}
        for future in concurrent.futures.as_completed(futures):
            path = futures[future]
            records, seconds = future.result()
            out[path.stem] = records
            n = sum(r["files"] for r in records)
            size = sum(r["bytes"] for r in records)
            print(f"widget frames {lang}/{path.stem}: {len(records)} widgets, {n} frames, "
                  f"{size / 1e6:.2f} MB, {seconds:.1f} s", flush=True)
    return {path.stem: out[path.stem] for path in paths}


def _timed_export(path, out_dir, quick):
    start = time.perf_counter()
    records = export_notebook(path, out_dir, quick=quick)
    return records, time.perf_counter() - start


# ----------------------------------------------------------------------------------- HTML
def _attr(value):
    return html.escape(str(value), quote=True)


def _control_html(control, cid, live_only):
    """One control: label, the standard HTML element, its current value; disabled with a
    note when it is not precomputed."""
    name, label = control["name"], control["label"]
    index = control["values"].index(control["value"])
    disabled = "" if control["precomputed"] else " disabled"
    fixed = "" if control["precomputed"] else " bp-sw-fixed"
    note = "" if control["precomputed"] else f' <span class="bp-sw-note">{html.escape(live_only)}</span>'
    head = f'<label for="{cid}">{html.escape(label)}</label>'
    data = f'data-control="{_attr(name)}"'
    if control["kind"] == "range":
        last = len(control["values"]) - 1
        text = control["labels"][index]
        return (f'<div class="bp-sw-row bp-sw-range{fixed}">{head}'
                f'<input type="range" id="{cid}" {data} min="0" max="{last}" step="1" value="{index}"'
                f' aria-valuetext="{_attr(text)}"{disabled}>'
                f'<output for="{cid}">{html.escape(text)}</output>{note}</div>')
    if control["kind"] == "checkbox":
        checked = " checked" if control["value"] else ""
        return (f'<div class="bp-sw-row bp-sw-checkbox{fixed}"><input type="checkbox" id="{cid}" {data}{checked}'
                f'{disabled}>{head}{note}</div>')
    options = "".join(f'<option value="{k}"{" selected" if k == index else ""}>{html.escape(text)}</option>'
                      for k, text in enumerate(control["labels"]))
    return (f'<div class="bp-sw-row bp-sw-select{fixed}">{head}<select id="{cid}" {data}{disabled}>{options}</select>'
            f'{note}</div>')


def _steps_html(control, uid):
    (back, back_tip), (nxt, next_tip), (start, start_tip) = control["buttons"]
    index = control["values"].index(control["value"])
    return (f'<div class="bp-sw-buttons" role="group">'
            f'<button type="button" data-step="back" title="{_attr(back_tip)}"'
            f'{" disabled" if index == 0 else ""}>{html.escape(back)}</button>'
            f'<button type="button" data-step="next" class="bp-sw-primary" title="{_attr(next_tip)}"'
            f'{" disabled" if index == len(control["values"]) - 1 else ""}>{html.escape(nxt)}</button>'
            f'<button type="button" data-step="start" title="{_attr(start_tip)}">{html.escape(start)}</button>'
            f'<span class="bp-sw-position" id="{uid}-step" aria-live="polite">'
            f'{html.escape(control["labels"][index])}</span></div>')


def widget_html(record, url_prefix):
    """The HTML of one static widget (see the module doc); `url_prefix`: the URL, relative to
    the page, of the folder that holds <out_dir>/<stem>/."""
    uid = f"bp-sw-{record['stem']}-{record['index']}".replace("_", "-")
    base = f"{url_prefix.rstrip('/')}/{record['stem']}/"
    key = record["initial"]
    src, status = record["frames"][key]
    controls = record["controls"]
    data = {"frames": record["frames"], "initial": key,
            "controls": [{"name": c["name"], "kind": c["kind"], "keys": c["keys"], "labels": c["labels"],
                          "value": c["values"].index(c["value"]), "precomputed": c["precomputed"]}
                         for c in controls]}
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    lang = "zh-CN" if record["lang"] == "zh" else "en"
    picture = (f'<img class="bp-sw-picture" src="{_attr(base + src)}" data-state="{_attr(key)}"'
               f' decoding="sync" alt="{_attr(record["kind"])}">')
    status_html = f'<div class="bp-sw-status" aria-live="polite">{status}</div>'
    if controls[0]["kind"] == "steps":
        body = picture + status_html + _steps_html(controls[0], uid)
    else:
        rows = "".join(_control_html(c, f"{uid}-c{k}", record["live_only"]) for k, c in enumerate(controls))
        body = f'<div class="bp-sw-controls">{rows}</div>{picture}{status_html}'
    return (f'<div class="bp-sw" id="{uid}" data-kind="{_attr(record["kind"])}" data-base="{_attr(base)}"'
            f' lang="{lang}">{body}<script type="application/json" class="bp-sw-data">{payload}</script></div>')


def main(argv):
    quick = "--quick" in argv or os.environ.get("BP_SITE_QUICK") == "1"
    args = [a for a in argv if a != "--quick"]
    if len(args) < 2:
        print(__doc__)
        return 2
    lang, out_dir, stems = args[0], pathlib.Path(args[1]), args[2:] or None
    if stems:
        stems = [p.stem for p in sorted((NOTEBOOKS / lang).glob("*.ipynb")) if any(p.stem.startswith(s)
                 for s in stems)]
    records = export_edition(lang, out_dir, quick=quick, stems=stems)
    (out_dir / "records.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
