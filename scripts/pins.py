"""Write the tested versions: constraints.txt from a virtual environment, and the same pins in
environment.yml.

    python scripts/pins.py .venv-pins     # what `make pins` runs after a fresh install

constraints.txt pins every package of that environment (`pip freeze`, the project itself left
out); `make lab` and `make test` install with `-c constraints.txt`, so a fresh install in six months
gets the versions that produced the stored numbers and pictures. environment.yml (conda, Binder)
pins each package it lists to the same version (tests/test_environment.py checks both).
"""
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "constraints.txt"
ENVIRONMENT = ROOT / "environment.yml"
CONDA_NAMES = {"playwright": "playwright-python"}      # PyPI name -> conda-forge name
HEADER = """\
# The tested versions of every package `make lab` / `make test` install (pip install -c).
# Written by `make pins` (scripts/pins.py): never edit by hand.
"""


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def freeze(venv):
    out = subprocess.run([str(pathlib.Path(venv) / "bin" / "python"), "-m", "pip", "freeze",
                          "--exclude-editable"], check=True, capture_output=True, text=True).stdout
    pins = sorted(line for line in out.splitlines() if "==" in line and not line.startswith("#"))
    return {canonical(line.split("==")[0]): line.split("==")[1] for line in pins}, pins


def read_constraints(path=CONSTRAINTS):
    """{canonical name: version} of constraints.txt."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonical(name)] = version
    return pins


def pin_environment(versions, text):
    """environment.yml's text with each listed package (not python, pip) pinned to versions[...]."""
    conda_to_pypi = {canonical(v): canonical(k) for k, v in CONDA_NAMES.items()}

    def repin(match):
        indent, name, comment = match.group(1), match.group(2), match.group(4) or ""
        if canonical(name) in ("python", "pip"):
            return match.group(0)
        version = versions[conda_to_pypi.get(canonical(name), canonical(name))]
        return f"{indent}- {name}=={version}{comment}"

    head, deps = text.split("\ndependencies:\n", 1)          # channels are not packages
    deps = re.sub(r"(?m)^(\s*)- ([A-Za-z0-9_.\-]+)\s*([<>=!][^#\n]*)?(\s+#.*)?$", repin, deps)
    return head + "\ndependencies:\n" + deps


def main(venv):
    versions, lines = freeze(venv)
    CONSTRAINTS.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    ENVIRONMENT.write_text(pin_environment(versions, ENVIRONMENT.read_text(encoding="utf-8")),
                           encoding="utf-8")
    print(f"constraints.txt: {len(lines)} packages; environment.yml pinned to the same versions")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".venv")
