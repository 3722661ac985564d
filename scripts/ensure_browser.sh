#!/usr/bin/env bash
# Placeholder: installs Debian's Chromium for the browser tests (filled in by the browser-test work).
exit 0
