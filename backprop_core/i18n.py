"""Languages: everything a student sees, in English or 简体中文.

    bp.set_language("zh")   # pictures, widgets, tables and messages made from now on: Chinese
    bp.language()           # -> "zh"
    bp.set_language("en")   # back to English (the default)

The environment variable BP_LANG (en or zh) sets the language at import, e.g. for Voila:
`make present NB=notebooks/zh/...` sets BP_LANG=zh. Locale spellings are understood too
(zh_CN, zh-CN, zh_CN.UTF-8, zh-Hans, en_US.UTF-8, C, POSIX; every zh_* locale gives the
simplified-Chinese edition, the only Chinese one); any other value (fr, de_DE) gives English
and a warning, so `import backprop_core` never fails on it. Error messages raised by the core (ValueError,
TypeError) stay English, like numpy's and Python's own; student-facing text does not.

Each module keeps its student-facing text in one catalogue, both languages side by side, so
the two editions cannot drift: a key or a {field} missing from one language fails at import.

    TEXT = Catalogue(
        en={"right": "right (within {tol})"},
        zh={"right": "正确（误差在 {tol} 以内）"},
    )
    TEXT("right", tol="0.001")   # in the current language
"""
import os
import string
import warnings

LANGUAGES = ("en", "zh")
NAMES = {"en": "English", "zh": "简体中文"}
_ALIASES = {"en": "en", "english": "en", "en-us": "en", "en-gb": "en",
            "zh": "zh", "zh-cn": "zh", "zh-hans": "zh", "cn": "zh", "chinese": "zh"}


def _normalise(lang, source):
    """The code "en" or "zh" for a language or a locale spelling: "zh", "zh_CN", "zh-Hans",
    "zh_CN.UTF-8", "en_US.UTF-8", "C", "POSIX" (language[_territory][.encoding][@modifier],
    or a LANGUAGE-style list "zh_CN:en", whose first entry counts)."""
    if not isinstance(lang, str):
        raise TypeError(f"{source} must be a language code, one of {LANGUAGES}, "
                        f"got {type(lang).__name__} {lang!r}")
    key = lang.strip().split(":")[0].split(".")[0].split("@")[0].lower().replace("_", "-")
    if key in ("c", "posix"):                       # the C locale: English
        return "en"
    code = _ALIASES.get(key) or _ALIASES.get(key.split("-")[0])   # en-AU -> en, zh-Hant-TW -> zh
    if code is None:
        raise ValueError(f"{source} must be one of {LANGUAGES} (English or 简体中文), or a locale "
                         f"such as zh_CN.UTF-8 or en_US, got {lang!r}")
    return code


def language_from_environment(value):
    """The language for a value of BP_LANG: as set_language reads it ("" or None: "en");
    a value naming no language of the course (fr, de_DE) gives "en" and a UserWarning
    instead of an error, so that `import backprop_core` works whatever the environment."""
    if not value:
        return "en"
    try:
        return _normalise(value, "BP_LANG")
    except ValueError:
        warnings.warn(f"BP_LANG={value!r} is not a language of this course (en or zh, e.g. "
                      "BP_LANG=zh or zh_CN.UTF-8): using English", UserWarning, stacklevel=2)
        return "en"


_state = {"language": language_from_environment(os.environ.get("BP_LANG"))}


def set_language(lang):
    """Switch the language of everything made from now on: "en" (default) or "zh" (or a
    locale spelling such as "zh_CN.UTF-8"; anything else is a ValueError). Returns None,
    so it can end a notebook's first cell without showing anything."""
    _state["language"] = _normalise(lang, "set_language(lang)")


def language():
    """The current language code: "en" or "zh"."""
    return _state["language"]


def _fields(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Catalogue:
    """A module's student-facing text in every language: TEXT(key, **fields) -> str.

    Built once at import; raises ValueError when a language lacks a key or when the two
    languages' texts of a key use different {fields}.
    """

    def __init__(self, **texts):
        if set(texts) != set(LANGUAGES):
            raise ValueError(f"a Catalogue needs exactly the languages {LANGUAGES}, got {sorted(texts)}")
        keys = set(texts["en"])
        for lang, table in texts.items():
            if set(table) != keys:
                missing = sorted(keys - set(table))
                extra = sorted(set(table) - keys)
                raise ValueError(f"catalogue language {lang!r}: missing keys {missing}, extra keys {extra}")
        for key in keys:
            en_fields = _fields(texts["en"][key])
            for lang in LANGUAGES:
                if _fields(texts[lang][key]) != en_fields:
                    raise ValueError(f"catalogue key {key!r}: {lang!r} uses fields "
                                     f"{sorted(_fields(texts[lang][key]))}, English uses {sorted(en_fields)}")
        self.texts = texts

    def keys(self):
        return self.texts["en"].keys()

    def __call__(self, key, lang=None, **fields):
        table = self.texts[language() if lang is None else _normalise(lang, "lang")]
        return table[key].format(**fields)

    def __contains__(self, key):
        return key in self.texts["en"]
