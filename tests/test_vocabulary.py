"""One Chinese word for one thing (issue 20, items 10-12): the table in notebooks/src/VOCABULARY.md
names the word to write and the variants retired; none may appear in

- the Chinese text of a notebook source (notebooks/src/*.nbsrc: the zh Markdown cells, and the
  comments and string literals of the zh code cells),
- the package's student-facing Chinese (the zh side of every bp.i18n.Catalogue in backprop_core),
- README.zh.md.

Quotes of the posts (`>` lines), code spans, fenced code, HTML tags, links' targets and {fields}
keep their own words. The straight quote " is checked in Markdown prose only (code keeps Python's
quotes). One test per file, so the report names each file that still needs work.

PENDING lists the files others will bring to the vocabulary (each is expected to fail, strictly:
once one passes, take it off the list). The lead empties it.
"""
import importlib
import io
import pathlib
import pkgutil
import re
import sys
import tokenize

import pytest

import backprop_core
from backprop_core.i18n import Catalogue

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import editions  # noqa: E402

# Known-pending files (notebook sources by stem, package modules by dotted name, README.zh.md):
# fixed later by their owners; the lead empties this list.
PENDING = {
}

VOCABULARY = ROOT / "notebooks" / "src" / "VOCABULARY.md"
CODE_SPAN = re.compile(r"`[^`\n]*`")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
TAG = re.compile(r"<[^<>\n]*>")
LINK_TARGET = re.compile(r"\]\([^)\s]*\)")
FIELD = re.compile(r"\{[^{}]*\}")
MATH = re.compile(r"\$[^$\n]*\$")
CJK = re.compile(r"[\u4e00-\u9fff]")


def rules():
    """[(word, retired variants, may stand inside)] from VOCABULARY.md's table."""
    found = []
    for line in VOCABULARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("English", "---"):
            continue
        retired = re.findall(r"`([^`]+)`", cells[2])
        inside = re.findall(r"`([^`]+)`", cells[3])
        if retired:
            found.append((cells[1], retired, inside))
    return found


RULES = rules()


def prose(text):
    """Markdown without what keeps its own words: quote lines, fenced and inline code, HTML
    tags, link targets, {fields} and $math$."""
    text = FENCE.sub("", text)
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(">")]
    text = "\n".join(lines)
    for pattern in (CODE_SPAN, TAG, LINK_TARGET, FIELD, MATH):
        text = pattern.sub(" ", text)
    return text


def code_text(source):
    """The comments and string literals of a code cell (Jupyter magics dropped)."""
    source = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                       for line in source.splitlines())
    parts = []
    for tok in tokenize.generate_tokens(io.StringIO(source + "\n").readline):
        if tok.type == tokenize.COMMENT:
            parts.append(tok.string)
        elif tok.type == tokenize.STRING or tok.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
            parts.append(FIELD.sub(" ", tok.string.strip("\"'")))
    return "\n".join(p for p in parts if CJK.search(p))     # text for students, not values


def offences(text, quotes=True):
    """[(variant, excerpt)] for every retired variant in `text` outside the words it may
    stand inside."""
    found = []
    for word, retired, inside in RULES:
        for variant in retired:
            if variant == '"' and not quotes:
                continue
            for m in re.finditer(re.escape(variant), text, flags=re.I):
                allowed = False
                for longer in inside:
                    for n in re.finditer(re.escape(longer), text, flags=re.I):
                        if n.start() <= m.start() and m.end() <= n.end():
                            allowed = True
                if not allowed:
                    found.append((variant, word, text[max(0, m.start() - 12):m.end() + 12].replace("\n", " ")))
    return found


def _sources():
    return sorted(editions.sources())


def _modules():
    names = []
    for info in pkgutil.walk_packages(backprop_core.__path__, "backprop_core."):
        module = importlib.import_module(info.name)
        if any(isinstance(v, Catalogue) for v in vars(module).values()):
            names.append(info.name)
    return names


def _check(name, found, request):
    if name in PENDING:
        request.applymarker(pytest.mark.xfail(strict=True, reason="known-pending (PENDING list)"))
    assert not found, f"{name}: retired words (see notebooks/src/VOCABULARY.md):\n" + "\n".join(
        f"  {variant!r} (write {word}): …{excerpt}…" for variant, word, excerpt in found)


@pytest.mark.parametrize("source", _sources(), ids=lambda p: p.stem)
def test_notebook_chinese_uses_the_vocabulary(source, request):
    found = []
    for cell in editions.parse(source):
        zh = cell.text["zh"]
        found += offences(prose(zh)) if cell.kind == "markdown" else offences(code_text(zh), quotes=False)
    _check(source.stem, found, request)


@pytest.mark.parametrize("module", _modules())
def test_package_chinese_uses_the_vocabulary(module, request):
    found = []
    for value in vars(importlib.import_module(module)).values():
        if isinstance(value, Catalogue):
            for text in value.texts["zh"].values():
                found += offences(FIELD.sub(" ", text), quotes=False)
    _check(module, found, request)


def test_readme_chinese_uses_the_vocabulary(request):
    _check("README.zh.md", offences(prose((ROOT / "README.zh.md").read_text(encoding="utf-8"))), request)


def test_the_vocabulary_is_read_and_the_checker_sees_a_variant():
    words = {word.split(" ")[0]: retired for word, retired, _ in RULES}
    assert "帖子" in words["文章"] and "噪音" in words["噪声"] and "结点" in words["节点"]
    assert offences("文章 004 的网络，核心库算出的噪声") == []
    assert [v for v, _, _ in offences("博文 004 的噪音，核心算出的 Epoch")] == ["博文", "核心", "epoch", "噪音"] \
        or sorted(v for v, _, _ in offences("博文 004 的噪音，核心算出的 Epoch")) == \
        sorted(["博文", "核心", "epoch", "噪音"])
    assert offences('他说"对"') and not offences('他说"对"', quotes=False)
    assert offences(prose("> 原文：帖子里的噪音\n\n`帖子` 与 [链接](博文.html)")) == []
    assert offences("《动手学深度学习》的迭代周期、2 个 CPU 核心") == []
