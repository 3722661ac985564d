"""The two editions (notebooks/en, notebooks/zh) come from one bilingual source and agree.

- every source (notebooks/src/*.nbsrc) parses, and every Markdown cell has a Chinese cell that is
  written (no placeholder) in simplified characters (a quoted post, a `>` line, keeps its own script:
  seed 001 is written in traditional characters);
- a code cell's Chinese form is the same program: the same tokens, strings and comments aside;
- each committed edition is exactly what its source gives (cells, tags), and sets its language;
- the numbers in the stored text outputs of the two editions are the same, cell by cell.
"""
import pathlib
import re
import sys

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import editions  # noqa: E402

SOURCES = editions.sources()
IDS = [s.stem.split("_")[0] for s in SOURCES]
CJK = re.compile(r"[\u4e00-\u9fff]")
# Traditional forms of common characters whose simplified form differs: none may appear.
TRADITIONAL = set("與為們這個來說對會學習權層數據網絡誤差計算導傳輸練隨機參將從過題點類"
                  "實際還應當經濟變發現動態處理係調節優選擇條歸級據輸顯示圖開關幾寫讀記錄範例")
TRADITIONAL -= set("差算理例示")   # the same in both scripts
NUMBER = re.compile(r"[-−+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def test_there_are_sources():
    assert len(SOURCES) >= 11


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_source_parses_and_chinese_is_written(source):
    cells = editions.parse(source)
    assert cells, source.name
    for cell in cells:
        zh = cell.text["zh"]
        assert "TODO zh" not in zh, f"{source.name}:{cell.line}: Chinese cell not written yet"
        if cell.kind == "markdown":
            assert CJK.search(zh), f"{source.name}:{cell.line}: the Chinese cell has no Chinese"
        prose = "\n".join(line for text in cell.text.values() for line in text.splitlines()
                          if not line.lstrip().startswith(">"))   # quotes keep the post's own script
        found = sorted(set(prose) & TRADITIONAL)
        assert not found, f"{source.name}:{cell.line}: traditional characters {found}: use simplified"


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_chinese_code_is_the_same_program(source):
    for cell in editions.parse(source):
        if cell.kind == "code" and cell.text["zh"] != cell.text["en"]:
            assert editions.code_tokens(cell.text["zh"]) == editions.code_tokens(cell.text["en"]), (
                f"{source.name}:{cell.line}: the Chinese form of this code cell is another program "
                "(only strings and comments may differ)")


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_bold_and_italic_render_in_both_languages(source):
    """CommonMark (what JupyterLab and Voila follow) leaves `**勘误：**原文` as literal asterisks: a
    closing ** after punctuation must be followed by a space or punctuation, which Chinese text
    rarely is. Write `**勘误**：原文`. No ** may survive rendering outside code."""
    from markdown_it import MarkdownIt
    md = MarkdownIt("commonmark").enable("table")
    for cell in editions.parse(source):
        if cell.kind != "markdown":
            continue
        for lang, text in cell.text.items():
            html = re.sub(r"<code>.*?</code>", "", md.render(text), flags=re.S)
            left = [html[max(0, m.start() - 20):m.end() + 10] for m in re.finditer(r"\*\*", html)]
            assert not left, f"{source.name}:{cell.line} ({lang}): ** not rendered as bold near {left[:2]}"


CJK_CHAR = "[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’]"


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_chinese_paragraphs_are_not_broken_by_line_ends(source):
    """A line break inside a Markdown paragraph renders as a space: between two 汉字 it shows as
    a gap in the middle of a word. A Chinese paragraph is one line (a list item, one line each)."""
    block = re.compile(r"\s*([>|#<]|\$\$|[-*+] |\d+[.)] |```)")
    for cell in editions.parse(source):
        if cell.kind != "markdown":
            continue
        lines, fence = cell.text["zh"].splitlines(), False
        for before, line in zip(lines, lines[1:]):
            fence = fence != before.strip().startswith("```")
            if fence or not line.strip() or block.match(line) or line.startswith("    ") \
                    or re.match(r"\s*([>|#<]|\$\$|```)", before):
                continue
            assert not (re.search(CJK_CHAR + "$", before) and re.match(CJK_CHAR, line)), (
                f"{source.name}:{cell.line}: a Chinese sentence is broken across lines: "
                f"{before[-12:]!r} / {line[:12]!r}")


def test_code_tokens_see_programs_not_words():
    en = 'print(f"input x = {X[0, 0]:.1f}")  # the input\n'
    assert editions.code_tokens(en) == editions.code_tokens('print(f"输入 x = {X[0, 0]:.1f}")  # 输入\n')
    assert editions.code_tokens(en) != editions.code_tokens('print(f"输入 x = {X[0, 1]:.1f}")\n')
    assert editions.code_tokens(en) != editions.code_tokens('print(f"input x = {X[0, 0]:.1f}", 1)\n')


def test_parse_rejects_broken_sources(tmp_path):
    bad = tmp_path / "bad.nbsrc"
    bad.write_text("# %% md\nHello\n# %% code\nx = 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="without its Chinese cell"):
        editions.parse(bad)
    bad.write_text("# %% code\nx = 1\n# %% md zh\n你好\n", encoding="utf-8")
    with pytest.raises(ValueError, match="must follow its English cell"):
        editions.parse(bad)
    bad.write_text("# %% markdown\nHello\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad header"):
        editions.parse(bad)


def _editions(source):
    return [nbformat.read(editions.edition_path(source, lang), as_version=4) for lang in editions.LANGS]


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_committed_editions_are_built_from_their_source(source):
    cells = editions.parse(source)
    for lang, nb in zip(editions.LANGS, _editions(source)):
        want = editions.assemble(cells, lang).cells
        assert [c.cell_type for c in nb.cells] == [c.cell_type for c in want]
        for have, cell in zip(nb.cells, want):
            assert have.source == cell.source, (
                f"{editions.edition_path(source, lang).name} ({lang}) is stale: "
                "run `make notebooks` (scripts/build_notebooks.py) after editing the source")
            assert have.metadata.get("tags", []) == cell.metadata.get("tags", [])
        first = next(c for c in nb.cells if c.cell_type == "code")
        assert f'bp.set_language("{lang}")' in first.source
        assert all(c.execution_count is not None for c in nb.cells
                   if c.cell_type == "code" and c.source.strip()), f"{lang} edition not executed"


def _numbers(cell):
    text = "".join(o.get("text", "") if o.output_type == "stream" else o.get("data", {}).get("text/plain", "")
                   for o in cell.outputs if o.output_type in ("stream", "execute_result"))
    return sorted(float(n.replace("−", "-")) for n in NUMBER.findall(text))


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_both_editions_show_the_same_numbers(source):
    en, zh = _editions(source)
    checked = 0
    for a, b in zip(en.cells, zh.cells):
        if a.cell_type != "code" or "nbval-ignore-output" in a.metadata.get("tags", []):
            continue
        assert _numbers(a) == _numbers(b), f"{source.name}: the editions print different numbers for\n{a.source}"
        checked += 1
    assert checked or not any(c.cell_type == "code" for c in en.cells)
