"""environment.yml (conda / Binder / JupyterHub) builds the same environment as pyproject.toml:
the same runtime packages and `test` extra packages, each pinned to its tested version in
constraints.txt (which satisfies pyproject's bounds), the same Python, and the project itself.
constraints.txt is what `make` installs: every package it pins is installed at that version here.
"""
import pathlib
import re
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

REPO = pathlib.Path(__file__).resolve().parents[1]

# conda-forge names that differ from the PyPI names (PyPI name -> conda name).
CONDA_NAMES = {"playwright": "playwright-python"}


def _pyproject():
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _environment():
    return yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))


def _conda_spec(entry):
    """'numpy>=1.26' or 'numpy >=1.26' or 'numpy=1.26' (conda's fuzzy pin) -> (name, SpecifierSet)."""
    m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", entry)
    assert m, f"cannot read environment.yml entry {entry!r}"
    name, spec = m.groups()
    if re.fullmatch(r"=[^=<>!].*", spec):          # conda 'pkg=1.2' means 1.2.*
        spec = "=" + spec + ".*"
    return canonicalize_name(name), SpecifierSet(spec.replace(" ", ""))


def _runtime_requirements(extra=None):
    """The runtime dependencies, or with extra="test" the `test` extra's."""
    lines = _pyproject()["dependencies"] if extra is None else _pyproject()["optional-dependencies"][extra]
    reqs = {}
    for line in lines:
        r = Requirement(line)
        assert r.marker is None and not r.extras, f"{line!r}: markers/extras not mirrored in environment.yml"
        reqs[canonicalize_name(CONDA_NAMES.get(r.name, r.name))] = r.specifier
    return reqs


def _conda_requirements():
    deps = _environment()["dependencies"]
    conda = {}
    for d in deps:
        if isinstance(d, str):
            name, spec = _conda_spec(d)
            assert name not in conda, f"{name} listed twice in environment.yml"
            conda[name] = spec
    return conda


def _pip_section():
    pips = [d["pip"] for d in _environment()["dependencies"] if isinstance(d, dict) and "pip" in d]
    return pips[0] if pips else []


def _pypi_name(conda_name):
    back = {canonicalize_name(v): canonicalize_name(k) for k, v in CONDA_NAMES.items()}
    return back.get(conda_name, conda_name)


def _constraints():
    pins = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.strip().split("==")
            pins[canonicalize_name(name)] = version
    return pins


def test_same_runtime_and_test_packages_pinned_to_the_tested_versions():
    runtime = {**_runtime_requirements(), **_runtime_requirements("test")}
    conda = {k: v for k, v in _conda_requirements().items() if k not in ("python", "pip")}
    assert sorted(conda) == sorted(runtime), (
        f"only in pyproject: {sorted(set(runtime) - set(conda))}; "
        f"only in environment.yml: {sorted(set(conda) - set(runtime))}")
    tested = _constraints()
    for name, spec in conda.items():
        version = tested.get(_pypi_name(name))
        assert version is not None, f"{name} is not pinned in constraints.txt (run make pins)"
        assert spec == SpecifierSet(f"=={version}"), (
            f"environment.yml pins {name}{spec}, constraints.txt {version} (run make pins)")
        assert version in runtime[name], f"{name}=={version} is outside pyproject's {runtime[name]}"


def test_constraints_are_what_is_installed():
    """make installs with -c constraints.txt: every pinned package present here has its pin."""
    from importlib import metadata
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    wrong = {name: (version, installed[name]) for name, version in _constraints().items()
             if name in installed and installed[name] != version}
    assert not wrong, f"installed versions differ from constraints.txt (pinned, installed): {wrong}"
    runtime = {**_runtime_requirements(), **_runtime_requirements("test"), **_runtime_requirements("site")}
    missing = sorted({_pypi_name(name) for name in runtime} - set(_constraints()))
    assert not missing, f"dependencies without a tested version in constraints.txt: {missing}"


def test_same_python():
    """environment.yml pins one Python minor version (repo2docker reads only `python=X.Y`; a range
    makes it start from its default Python), and that version satisfies requires-python."""
    requires = SpecifierSet(_pyproject()["requires-python"])
    spec = _conda_requirements().get("python")
    m = re.fullmatch(r"==(\d+)\.(\d+)\.\*", str(spec))
    assert m, f"environment.yml: pin python=X.Y for repo2docker, got {spec}"
    assert f"{m[1]}.{m[2]}.0" in requires, f"python={m[1]}.{m[2]} does not satisfy requires-python {requires}"


def test_installs_the_project_itself_with_pip():
    env = _environment()
    assert "conda-forge" in env.get("channels", [])
    assert "pip" in _conda_requirements(), "environment.yml needs pip to install the project"
    pip = [p.strip() for p in _pip_section()]
    assert any(p in ("-e .", "-e ./", ".", "./") for p in pip), f"the project is not installed: pip: {pip}"
    # anything else pip installs must also be a runtime dependency (no hidden extras)
    extra = [p for p in pip if not p.startswith("-e") and p not in (".", "./") and not p.startswith("#")]
    runtime = {**_runtime_requirements(), **_runtime_requirements("test")}
    site = _runtime_requirements("site")
    tested = _constraints()
    for p in extra:
        req = Requirement(p)
        name = canonicalize_name(req.name)
        assert name in runtime or name in site, f"pip installs {p!r}, not in pyproject"
        assert req.specifier == SpecifierSet(f"=={tested[name]}"), f"{p!r}: constraints.txt has {tested[name]}"
    # the `site` extra (make site, tests/test_site.py) is there too, for conda / Binder users
    assert set(site) <= {canonicalize_name(Requirement(p).name) for p in extra}, (
        f"the site extra is not in environment.yml's pip section: {sorted(site)}")


def test_test_packages_are_named():
    """A conda/Binder user can run the tests: the test runners are in environment.yml."""
    conda = _conda_requirements()
    for name in ("pytest", "nbval", "hypothesis", "ruff"):
        assert name in conda, f"{name} missing from environment.yml"


def test_spec_parser_reads_conda_forms():
    """The comparison above relies on this reading of conda's spellings."""
    assert _conda_spec("numpy>=1.26") == ("numpy", SpecifierSet(">=1.26"))
    assert _conda_spec("ipywidgets >=8.1,<9") == ("ipywidgets", SpecifierSet(">=8.1,<9"))
    assert _conda_spec("voila=0.5") == ("voila", SpecifierSet("==0.5.*"))
    assert _conda_spec("jupyterlab") == ("jupyterlab", SpecifierSet(""))
    assert SpecifierSet(">=8.1,<9") == SpecifierSet("<9,>=8.1")
