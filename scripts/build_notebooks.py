"""Build both editions of every notebook from its bilingual source, executed.

    python scripts/build_notebooks.py                    # every notebooks/src/*.nbsrc, en and zh
    python scripts/build_notebooks.py 01 07              # only the sources whose name starts so
    python scripts/build_notebooks.py --lang zh 01       # one edition
    python scripts/build_notebooks.py --check            # fail when an edition is not its source's

Writes notebooks/en/NN_name.ipynb and notebooks/zh/NN_name.ipynb, executed top to bottom in a
fresh kernel (the kernel of the Python running this script: the project's .venv) with their
outputs and widget state. `make notebooks` runs it.
"""
import argparse
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import editions  # noqa: E402


def build(source, lang, execute=True):
    nb = editions.assemble(editions.parse(source), lang)
    path = editions.edition_path(source, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    if execute:
        client = NotebookClient(nb, timeout=900, kernel_name="python3", store_widget_state=True,
                                resources={"metadata": {"path": str(path.parent)}})
        client.execute()
        for cell in nb.cells:
            cell.metadata.pop("execution", None)     # timestamps: noise in every diff
        if not nb.metadata.get("widgets"):
            nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    print(f"{path.relative_to(editions.ROOT)}: {time.perf_counter() - start:.1f} s", flush=True)


def stale():
    """The editions whose cells (kinds, sources, tags) are not what their source gives."""
    out = []
    for source in editions.sources():
        cells = editions.parse(source)
        for lang in editions.LANGS:
            path = editions.edition_path(source, lang)
            want = editions.assemble(cells, lang).cells
            if not path.exists():
                out.append(f"{path.relative_to(editions.ROOT)}: missing")
                continue
            have = nbformat.read(path, as_version=4).cells
            same = len(have) == len(want) and all(
                a.cell_type == b.cell_type and a.source == b.source
                and a.metadata.get("tags", []) == b.metadata.get("tags", [])
                for a, b in zip(have, want))
            if not same:
                out.append(f"{path.relative_to(editions.ROOT)}: differs from {source.name}")
    return out


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="source name prefixes, e.g. 01 07_training")
    parser.add_argument("--lang", choices=editions.LANGS, action="append")
    parser.add_argument("--no-execute", action="store_true", help="write the cells only (no outputs)")
    parser.add_argument("--check", action="store_true", help="report stale editions, exit 1 if any")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale()
        print("\n".join(problems) or "every edition is built from its source")
        return 1 if problems else 0
    chosen = [s for s in editions.sources()
              if not args.names or any(s.stem.startswith(n) for n in args.names)]
    if not chosen:
        parser.error(f"no source in {editions.SRC} starts with {args.names}")
    for source in chosen:
        for lang in args.lang or editions.LANGS:
            build(source, lang, execute=not args.no_execute)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
