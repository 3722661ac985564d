"""Make the bundled Chinese font: backprop_core/plotting/fonts/NotoSansSC-Subset{,-Bold}.otf.

A developer tool, run once by hand; the font it writes is committed and installed with the
package (pyproject: package-data), so students need neither this script nor fontTools
(fontTools is not a runtime dependency of backprop_core; matplotlib happens to pull it in).

    .venv/bin/pip install fonttools        # if missing
    .venv/bin/python scripts/make_font_subset.py [folder with NotoSansCJK-{Regular,Bold}.ttc]

Source: the Simplified Chinese face "Noto Sans CJK SC" (Regular and Bold) of Debian's
fonts-noto-cjk (/usr/share/fonts/opentype/noto/NotoSansCJK-*.ttc), © 2014-2021 Adobe, licensed under
the SIL Open Font License 1.1 (fonts/OFL.txt). The subset keeps the glyphs for: Basic Latin,
Latin-1, Greek, general punctuation, super- and subscripts, letterlike symbols, arrows,
mathematical operators, geometric shapes, CJK symbols and punctuation, fullwidth forms, and
every character of GB2312 (its 6,763 hanzi and 682 symbols: each valid two-byte code decoded
with Python's 'gb2312' codec). Vertical-writing tables and layout features other than
kerning are dropped. The family is renamed "Noto Sans SC Subset" so it never clashes with a
full Noto Sans CJK installed on the system. Bold is there for bold text (highlighted labels):
without it matplotlib logs "Failed to find font weight bold" into the notebook.
"""
import sys
import unicodedata
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

REPO = Path(__file__).resolve().parents[1]
SOURCE = Path("/usr/share/fonts/opentype/noto")
FACE = "Noto Sans CJK SC"
FONTS = REPO / "backprop_core" / "plotting" / "fonts"
FAMILY = "Noto Sans SC Subset"
WEIGHTS = {                                  # weight: (source collection, output file)
    "Regular": ("NotoSansCJK-Regular.ttc", "NotoSansSC-Subset.otf"),
    "Bold": ("NotoSansCJK-Bold.ttc", "NotoSansSC-Subset-Bold.otf"),
}

RANGES = {                                   # (first, last) code points, inclusive
    "Basic Latin": (0x20, 0x7E),
    "Latin-1": (0xA0, 0xFF),
    "Greek": (0x370, 0x3FF),
    "General punctuation": (0x2000, 0x206F),
    "Superscripts and subscripts": (0x2070, 0x209F),
    "Letterlike symbols": (0x2100, 0x214F),
    "Arrows": (0x2190, 0x21FF),
    "Mathematical operators": (0x2200, 0x22FF),
    "Geometric shapes": (0x25A0, 0x25FF),
    "CJK symbols and punctuation": (0x3000, 0x303F),
    "Halfwidth and fullwidth forms": (0xFF00, 0xFFEF),
}


def gb2312_characters():
    """Every character of GB2312: each two-byte code (rows and cells 0xA1..0xFE) that the
    'gb2312' codec decodes. Returns (hanzi, symbols), two sorted lists of str."""
    hanzi, symbols = [], []
    for row in range(0xA1, 0xFF):
        for cell in range(0xA1, 0xFF):
            try:
                char = bytes([row, cell]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            (hanzi if row >= 0xB0 else symbols).append(char)
    return sorted(hanzi), sorted(symbols)


def wanted_codepoints():
    hanzi, symbols = gb2312_characters()
    points = {ord(c) for c in hanzi + symbols}
    for first, last in RANGES.values():
        points.update(range(first, last + 1))
    return sorted(points), len(hanzi), len(symbols)


def rename(font, weight):
    """Give the subset its own family name (name table and CFF), keeping the copyright,
    licence, designer and vendor records."""
    postscript = f"NotoSansSC-Subset-{weight}"
    full = FAMILY if weight == "Regular" else f"{FAMILY} {weight}"
    names = font["name"]
    for rec in list(names.names):
        value = {1: FAMILY, 16: FAMILY, 2: weight, 17: weight, 4: full, 6: postscript,
                 3: f"2.004;{postscript};subset for backprop-notebooks"}.get(rec.nameID)
        if value is not None:
            names.setName(value, rec.nameID, rec.platformID, rec.platEncID, rec.langID)
    cff = font["CFF "].cff
    top = cff.topDictIndex[0]
    top.FamilyName = FAMILY
    top.FullName = full
    cff.fontNames = [postscript]


def main(source=SOURCE):
    points, n_hanzi, n_symbols = wanted_codepoints()
    for weight, (collection_file, out_file) in WEIGHTS.items():
        subset_face(Path(source) / collection_file, FONTS / out_file, weight, points)
    print(f"(GB2312: {n_hanzi} hanzi + {n_symbols} symbols)")


def subset_face(source, out, weight, points):
    collection = TTCollection(str(source))
    faces = {f["name"].getDebugName(1): f for f in collection.fonts}
    if FACE not in faces:
        raise SystemExit(f"{source} has no face {FACE!r}; faces: {sorted(faces)}")
    font = faces[FACE]
    font.recalcTimestamp = False                 # the same bytes on every run
    options = subset.Options()
    options.layout_features = ["kern"]
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=points)
    subsetter.subset(font)
    rename(font, weight)
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out))
    have = set(font.getBestCmap())
    missing = [chr(c) for c in points                      # assigned CJK characters the face lacks
               if c not in have and c >= 0x3000 and unicodedata.category(chr(c)) != "Cn"]
    print(f"{out.relative_to(REPO)}: {out.stat().st_size / 1e6:.2f} MB, {len(have)} characters; "
          f"CJK characters not in the source: {''.join(missing) or 'none'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
