"""The package's code stays readable (issue 23). No private name crosses a file: what one
module uses of another is public; a private name (`_x`) is used only in the file that defines
it, and a module named `_x` is not imported by others. No function is longer than a screen
(MAX_LINES): a loop such as fit's reads at a glance, its details in named helpers."""
import ast
import pathlib

import pytest

import backprop_core as bp

PACKAGE = pathlib.Path(bp.__file__).parent
FILES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 72          # issue 23: "no function in the package over ~70 lines"

# Private names of other libraries that the package uses, each with its reason.
FOREIGN = {
    "_left_title": "matplotlib keeps an axes' left and right titles as Text objects without a "
                   "public handle; the style sets their font like the other texts",
    "_right_title": "(the same)",
    # ValueSlider (widgets/controls.py) is an ipywidgets SelectionSlider that takes any value;
    # adding an option must not move the slider, which the public `options` setter would do
    "_options_labels": "ipywidgets' SelectionSlider: the labels the front end shows",
    "_initializing_traits_": "traitlets: True while a widget is being constructed",
    "_trait_values": "traitlets: the options are replaced without firing their observer",
}


def private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__")) \
        and not (name.startswith("_repr_") and name.endswith("_"))   # IPython's display protocol


def defined_names(tree):
    """Private names a file defines: functions, classes, attributes it assigns, parameters."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return {n for n in names if private(n)}


def crossings(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = defined_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            modules = (node.module or "").split(".")
            found += [f"imports the private module {node.module}" for m in modules if private(m)]
            found += [f"imports {a.name} from {node.module}" for a in node.names if private(a.name)]
        elif isinstance(node, ast.Attribute) and private(node.attr) and node.attr not in own \
                and node.attr not in FOREIGN:
            found.append(f"line {node.lineno}: .{node.attr}")
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_name_crosses_a_file(path):
    assert crossings(path) == []


def test_the_check_finds_a_crossing(tmp_path):
    """The test above can fail: a file calling another module's private function."""
    bad = tmp_path / "bad.py"
    bad.write_text("from . import pictures\nfrom ._checks import real_array\n"
                   "def f(loss):\n    return pictures._fmt(1) + loss._gradient(2)\n")
    assert crossings(bad) == ["imports the private module _checks", "line 4: ._fmt",
                              "line 4: ._gradient"]


def long_functions(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)" for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_LINES]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_function_longer_than_a_screen(path):
    assert long_functions(path) == []


def test_the_length_check_finds_a_long_function(tmp_path):
    long = tmp_path / "long.py"
    long.write_text("def f():\n" + "    x = 1\n" * MAX_LINES)
    assert long_functions(long) == [f"f ({MAX_LINES + 1} lines)"]
