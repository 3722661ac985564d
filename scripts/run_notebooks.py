"""Re-execute notebooks in place, top to bottom, saving outputs and widget state.

    python scripts/run_notebooks.py                 # every notebooks/*.ipynb
    python scripts/run_notebooks.py notebooks/01_*.ipynb
Uses the kernel of the Python running this script (the project's .venv).
"""
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent


def run(path):
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nb.metadata.pop("widgets", None) if not nb.metadata.get("widgets") else None
    nbformat.write(nb, path)
    print(f"{path.relative_to(ROOT)}: {time.perf_counter() - start:.1f} s")


def main(args):
    paths = [pathlib.Path(a).resolve() for a in args] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for p in paths:
        run(p)


if __name__ == "__main__":
    main(sys.argv[1:])
