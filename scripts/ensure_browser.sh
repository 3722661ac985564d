#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the browser tests (tests/browser/).
#   as root (apt-get):   installs it with apt-get when it is missing (CI runs as root)
#   otherwise, CI=true:  fails with a message (in CI a missing browser is an error, not a skip)
#   otherwise, locally:  prints a note; the browser tests will then be skipped
# Never uses `playwright install` (it downloads its own browser, which is not wanted here).
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure_browser: $CHROMIUM is missing; installing Debian's chromium with apt-get ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # fonts-dejavu-core: glyphs for the widgets' labels (η, μ, δ) on a minimal system
    apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
    if [ ! -x "$CHROMIUM" ]; then
        echo "ensure_browser: apt-get finished but $CHROMIUM is still missing" >&2
        exit 1
    fi
    echo "ensure_browser: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
    exit 0
fi

if [ "${CI:-}" = "true" ]; then
    echo "ensure_browser: $CHROMIUM is missing and this is CI (CI=true), but it cannot be installed here" >&2
    echo "(installing needs root and Debian's apt-get). Install it first: sudo apt-get install -y chromium" >&2
    exit 1
fi

echo "ensure_browser: note: $CHROMIUM is missing, so the browser tests (tests/browser/) will be skipped."
echo "ensure_browser: to run them, install it: sudo apt-get install -y chromium"
exit 0
