"""The public API of issue 2 exists with docstrings, and the layers import only downwards:
the numeric core numpy only, the pictures never ipywidgets, `import backprop_core` loads
neither matplotlib nor ipywidgets."""
import ast
import inspect
import pathlib
import subprocess
import sys

import pytest

import backprop_core as bp

PACKAGE = pathlib.Path(bp.__file__).parent
STDLIB = set(sys.stdlib_module_names)

PUBLIC = [
    "Dense", "Sequential", "MSE", "HalfSquaredError", "MAE", "BinaryCrossEntropy", "CrossEntropy",
    "SGD", "RMSProp", "Adam", "Constant", "StepDecay", "ExponentialDecay", "InverseTime",
    "fit", "History", "gradcheck", "numerical_gradients", "trace", "TraceTable", "get_activation",
    "get_loss", "get_optimizer", "initialize",
    "Identity", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "Softplus", "Swish", "Softmax",
]
MODULES = ["examples", "datasets", "delta_rule", "scalar", "landscapes"]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_name_has_a_docstring(name):
    obj = getattr(bp, name)
    assert inspect.getdoc(obj), f"bp.{name} has no docstring"
    assert name in bp.__all__


@pytest.mark.parametrize("name", MODULES)
def test_public_module_has_a_docstring(name):
    assert inspect.getdoc(getattr(bp, name))


def test_example_builders_exist():
    for name in ("e0_scalar_weights", "e1_chain", "e2_linear", "e2_contour_data", "e2_nonlinear",
                 "e3_network", "e5_network"):
        assert inspect.getdoc(getattr(bp.examples, name)), name


def test_import_loads_numpy_only():
    code = ("import sys, backprop_core; "
            "bad = [m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, f"import backprop_core loaded {run.stdout.strip()} {run.stderr[-500:]}"


def imported_modules(path):
    """Top-level names of every module a file imports (absolute), and its relative imports
    as (level, module) pairs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    absolute, relative = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            absolute |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                relative.add((node.level, node.module or ""))
                if not node.module:                               # from . import x, y
                    relative |= {(node.level, alias.name) for alias in node.names}
            else:
                absolute.add(node.module.split(".")[0])
    return absolute, relative


def core_files():
    return sorted(p for p in PACKAGE.glob("*.py"))


@pytest.mark.parametrize("path", core_files(), ids=lambda p: p.name)
def test_core_modules_import_numpy_and_stdlib_only(path):
    absolute, relative = imported_modules(path)
    assert absolute <= STDLIB | {"numpy"}, f"{path.name} imports {sorted(absolute - STDLIB - {'numpy'})}"
    for level, module in relative:
        assert level == 1 and module.split(".")[0] not in ("plotting", "widgets"), \
            f"{path.name} imports the upper layer .{module}"


@pytest.mark.parametrize("path", sorted((PACKAGE / "plotting").glob("*.py")), ids=lambda p: p.name)
def test_plotting_never_imports_widgets(path):
    absolute, relative = imported_modules(path)
    assert "ipywidgets" not in absolute, f"plotting/{path.name} imports ipywidgets"
    for level, module in relative:
        assert not (level == 2 and module.split(".")[0] == "widgets"), f"plotting/{path.name} imports widgets"
