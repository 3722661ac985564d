#!/usr/bin/env bash
# Presentation mode: serve ONE notebook as a Voila app for the projector.
#
#   make present NB=notebooks/en/07_training_lab.ipynb      (English edition)
#   make present NB=notebooks/zh/07_training_lab.ipynb      (简体中文版)
#   bash scripts/present.sh notebooks/zh/07_training_lab.ipynb [extra voila options, e.g. --port=8870 --no-browser]
#
# What it does: the notebook runs top to bottom in a fresh kernel and is shown as an app (code
# hidden, widgets live) at http://localhost:8866/ (opened in your browser when there is one);
# pictures use the projector style (large fonts, thick lines, colour-blind-safe colours:
# BP_PRESENTATION=1 switches bp.plotting.presentation(True) on in the kernel) and the page uses
# the "projector" Voila template (scripts/projector/: large text and widgets). Stop it with Ctrl+C.
#
# Kernels (one per open page): a page closed normally shuts its kernel down at once (Voila's
# beforeunload beacon, with the _xsrf cookie the projector template sets for it); a page that
# vanishes without it (a laptop put to sleep, a crashed tab, the network gone) has its kernel
# culled once it has had no connection and no activity for BP_CULL_IDLE seconds (default 300),
# checked every BP_CULL_INTERVAL seconds (default 30). A page that is still open is never
# culled, however long it stays idle (cull_connected=False).
# Preheating: BP_POOL_SIZE kernels (default 1) run the notebook in advance, so the next page is
# ready in about 1.5 s instead of 4.5 s (0 turns preheating off; benchmarks/results/class_load.md).
# Serving a class on a network: add --Voila.ip=0.0.0.0 --token=WORD (students open
# http://<this machine>:8866/?token=WORD); see the README's "In class" section.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
    echo "usage: make present NB=notebooks/en/NN_name.ipynb   (or notebooks/zh/... for 简体中文)" >&2
    echo "   or: bash scripts/present.sh notebooks/en/NN_name.ipynb [voila options]" >&2
    echo "notebooks:" >&2
    (cd "$REPO" && ls notebooks/*/*.ipynb 2>/dev/null | sed 's/^/  /' >&2) || true
}

NB="${1:-${NB:-}}"
if [ -z "$NB" ]; then
    usage
    exit 2
fi
[ $# -gt 0 ] && shift
if [ ! -f "$NB" ] && [ -f "$REPO/$NB" ]; then
    NB="$REPO/$NB"
fi
if [ ! -f "$NB" ]; then
    echo "present: no notebook at '$NB'" >&2
    usage
    exit 2
fi
case "$NB" in
    *.ipynb) ;;
    *) echo "present: '$NB' is not a notebook (.ipynb)" >&2; exit 2 ;;
esac

if [ -x "$REPO/.venv/bin/voila" ]; then
    VOILA="$REPO/.venv/bin/voila"          # the project's venv (make install)
elif command -v voila >/dev/null 2>&1; then
    VOILA="$(command -v voila)"            # e.g. a conda / Binder environment
else
    echo "present: voila is not installed; run 'make install' first (or conda env create -f environment.yml)" >&2
    exit 1
fi

export BP_PRESENTATION=1
# The edition's language for the page text and everything the kernel draws (the notebook's own
# first cell sets it too): notebooks/zh/... -> 简体中文, anything else -> English.
case "$NB" in
    */zh/*) export BP_LANG=zh ;;
    *) export BP_LANG=en ;;
esac
export JUPYTER_PATH="$REPO/scripts/projector${JUPYTER_PATH:+:$JUPYTER_PATH}"

CULL_IDLE="${BP_CULL_IDLE:-300}"
CULL_INTERVAL="${BP_CULL_INTERVAL:-30}"
POOL_SIZE="${BP_POOL_SIZE:-1}"
for value in "$CULL_IDLE" "$CULL_INTERVAL" "$POOL_SIZE"; do
    case "$value" in
        ''|*[!0-9]*) echo "present: BP_CULL_IDLE, BP_CULL_INTERVAL and BP_POOL_SIZE are whole seconds/counts, got '$value'" >&2; exit 2 ;;
    esac
done
# present_kernels.PresentKernelManager (scripts/projector/python/): the culler spares a kernel that
# no page has connected to yet for a whole cull time (a preheated kernel just handed to a student).
export PYTHONPATH="$REPO/scripts/projector/python${PYTHONPATH:+:$PYTHONPATH}"
KERNELS=(--VoilaConfiguration.multi_kernel_manager_class=present_kernels.PresentKernelManager
         --MappingKernelManager.cull_idle_timeout="$CULL_IDLE"
         --MappingKernelManager.cull_interval="$CULL_INTERVAL"
         --MappingKernelManager.cull_connected=False
         --MappingKernelManager.cull_busy=False)
if [ "$POOL_SIZE" -gt 0 ]; then
    KERNELS+=(--preheat_kernel=True --pool_size="$POOL_SIZE")
fi

echo "present: serving $(basename "$NB") for the projector (Ctrl+C to stop)"
# Options given on the command line come last, so they override these.
exec "$VOILA" "$NB" --template=projector --theme=light --VoilaConfiguration.show_margins=False \
    "${KERNELS[@]}" "$@"
