"""One bilingual source per notebook -> two editions (English, 简体中文).

A source `notebooks/src/NN_name.nbsrc` is a list of cells, each opened by a header line:

    # %% md                  Markdown, English
    # %% md zh               Markdown, 简体中文: must follow its English cell directly
    # %% code                Python, the same in both editions
    # %% code tags=a,b       ... with cell tags (e.g. nbval-ignore-output)
    # %% code zh             the Chinese edition's form of the code cell just above it: the same
                             program (same tokens) with other strings and comments only

`assemble(cells, lang)` gives the edition's notebook (unexecuted); `build_notebooks.py` executes
it into notebooks/<lang>/NN_name.ipynb. `code_tokens` is what must agree between a code cell and
its Chinese form (every token but strings and comments), so the two editions cannot drift.
"""
import ast
import dataclasses
import io
import pathlib
import re
import tokenize

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
SRC = ROOT / "notebooks" / "src"
LANGS = ("en", "zh")
HEADER = re.compile(r"^# %% (md|code)( zh)?( tags=([\w,.-]+))?\s*$")
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


@dataclasses.dataclass
class Cell:
    kind: str                 # "markdown" or "code"
    text: dict                # {"en": source, "zh": source}
    tags: list
    line: int                 # line of the header in the source file


def edition_path(source, lang):
    """notebooks/src/NN_name.nbsrc -> notebooks/<lang>/NN_name.ipynb"""
    return ROOT / "notebooks" / lang / (pathlib.Path(source).stem + ".ipynb")


def sources():
    return sorted(SRC.glob("*.nbsrc"))


def parse(path):
    """The cells of a source file (ValueError with the line number when it breaks a rule)."""
    path = pathlib.Path(path)
    cells, current, body = [], None, []

    def close():
        if current is None:
            if any(line.strip() for line in body):
                raise ValueError(f"{path.name}: text before the first '# %%' header")
            return
        text = "\n".join(body).strip("\n")
        kind, zh, tags, line = current
        if zh:
            if not cells or cells[-1].kind != kind or "zh" in cells[-1].text:
                raise ValueError(f"{path.name}:{line}: '# %% {'md' if kind == 'markdown' else 'code'} zh' "
                                 "must follow its English cell directly")
            if tags:
                raise ValueError(f"{path.name}:{line}: a zh cell takes the tags of its English cell")
            cells[-1].text["zh"] = text
        else:
            if cells and cells[-1].kind == "markdown" and "zh" not in cells[-1].text:
                raise ValueError(f"{path.name}:{cells[-1].line}: Markdown cell without its Chinese cell")
            cells.append(Cell(kind, {"en": text}, tags, line))

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if raw.startswith("# %%"):
            m = HEADER.match(raw)
            if not m:
                raise ValueError(f"{path.name}:{number}: bad header {raw!r} "
                                 "(expected '# %% md', '# %% md zh', '# %% code [tags=a,b]' or '# %% code zh')")
            close()
            kind = "markdown" if m.group(1) == "md" else "code"
            current = (kind, bool(m.group(2)), m.group(4).split(",") if m.group(4) else [], number)
            body = []
        else:
            body.append(raw)
    close()
    if cells and cells[-1].kind == "markdown" and "zh" not in cells[-1].text:
        raise ValueError(f"{path.name}:{cells[-1].line}: Markdown cell without its Chinese cell")
    for cell in cells:
        cell.text.setdefault("zh", cell.text["en"])
    return cells


def assemble(cells, lang):
    """The edition `lang` of a parsed source as an unexecuted nbformat notebook."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["backprop_edition"] = lang
    for cell in cells:
        text = cell.text[lang]
        if cell.kind == "markdown":
            new = nbformat.v4.new_markdown_cell(text)
        else:
            new = nbformat.v4.new_code_cell(text)
            if cell.tags:
                new.metadata["tags"] = list(cell.tags)
        new.pop("id", None)
        cells_out = nb.cells
        cells_out.append(new)
    nb.nbformat_minor = 4      # no cell ids: stable diffs
    return nb


_SKIP = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.STRING, tokenize.ENCODING,
         tokenize.ENDMARKER}
for _name in ("FSTRING_MIDDLE",):        # Python >= 3.12 splits f-strings into tokens
    if hasattr(tokenize, _name):
        _SKIP.add(getattr(tokenize, _name))


def _fstring_fields(token):
    """The {expressions} of an f-string token (Python 3.11 keeps an f-string as one token)."""
    prefix = token[:token.index(token.lstrip("rRbBuUfF")[0])].lower() if token[0] not in "'\"" else ""
    if "f" not in prefix:
        return []
    tree = ast.parse(token, mode="eval").body
    return [("FIELD", ast.dump(node.value)) for node in ast.walk(tree)
            if isinstance(node, ast.FormattedValue)]


def code_tokens(source):
    """Every token of a code cell but strings' text, comments and line breaks: what the two
    editions of a cell must share. The {expressions} of f-strings count as code."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    readline = io.StringIO("\n".join(lines) + "\n").readline
    out = []
    for tok in tokenize.generate_tokens(readline):
        if tok.type == tokenize.STRING:
            out.extend(_fstring_fields(tok.string))
        elif tok.type not in _SKIP:
            out.append((tok.type, tok.string))
    return out
