#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium, with a CJK font, for the browser tests
# (tests/browser/; the Chinese edition must render without empty boxes).
#   as root (apt-get):   installs what is missing with apt-get (CI runs as root)
#   otherwise, CI=true:  fails with a message (in CI a missing browser or font is an error, not a skip)
#   otherwise, locally:  prints a note; the browser tests will then be skipped
# Never uses `playwright install` (it downloads its own browser, which is not wanted here).
# matplotlib needs no system font: backprop_core bundles its own CJK font subset.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

have_cjk_font() {
    command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh-cn family 2>/dev/null | head -n 1)" ]
}

missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
have_cjk_font || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure_browser: missing ${missing[*]}; installing with apt-get ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # fonts-dejavu-core: glyphs for the widgets' labels (η, μ, δ); fontconfig: fc-list
    apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk fonts-dejavu-core fontconfig >/dev/null
    if [ ! -x "$CHROMIUM" ] || ! have_cjk_font; then
        echo "ensure_browser: apt-get finished but $CHROMIUM or a CJK font is still missing" >&2
        exit 1
    fi
    echo "ensure_browser: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium) and a CJK font"
    exit 0
fi

if [ "${CI:-}" = "true" ]; then
    echo "ensure_browser: missing ${missing[*]} and this is CI (CI=true), but it cannot be installed here" >&2
    echo "(installing needs root and Debian's apt-get). Install it first: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi

echo "ensure_browser: note: missing ${missing[*]}, so the browser tests (tests/browser/) will be skipped"
echo "ensure_browser: (or the Chinese edition shows empty boxes). To run them: sudo apt-get install -y ${missing[*]}"
exit 0
