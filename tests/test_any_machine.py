"""The stored notebooks hold on any processor: every text output of both editions is checked again
by nbval with two other BLAS kernels and numpy SIMD levels than the machine's own.

OpenBLAS picks its kernels by processor (OPENBLAS_CORETYPE overrides the choice) and numpy picks
its SIMD loops by processor (NPY_DISABLE_CPU_FEATURES turns the wider ones off). The last bits of a
matrix product or a sum differ between them, and a long training run can grow that difference into
a printed digit. The main run of the suite checks the stored outputs on this machine's own choice;
this file checks them again under

- `haswell-avx2`: OpenBLAS's Haswell kernels (AVX2), numpy without its AVX-512 loops;
- `sandybridge-sse`: OpenBLAS's Sandybridge kernels (AVX), numpy on its baseline (SSE4.2) loops.

A probe first proves that each setting really changes the kernel (so this test cannot pass by
running the same kernels three times). Both need an x86-64 processor with AVX2 (every machine this
course is tested on); elsewhere they are skipped with the reason.
"""
import json
import os
import pathlib
import subprocess
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[1]

CONFIGS = {
    "haswell-avx2": ("Haswell", ("X86_V4", "AVX512_ICL", "AVX512_SPR")),
    "sandybridge-sse": ("Sandybridge", ("X86_V3", "X86_V4", "AVX512_ICL", "AVX512_SPR")),
}

PROBE = """
import json, threadpoolctl, numpy
from numpy._core._multiarray_umath import __cpu_features__ as features
blas = [i for i in threadpoolctl.threadpool_info() if i["internal_api"] == "openblas"]
print(json.dumps({"architecture": blas[0].get("architecture") if blas else None,
                  "avx2_loops": bool(features.get("X86_V3")),
                  "avx512_loops": bool(features.get("X86_V4"))}))
"""


def _dispatchable():
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    return set(__cpu_dispatch__), __cpu_features__


def _environment(name):
    """os.environ with the config's BLAS core type and numpy's wider SIMD loops turned off."""
    coretype, disable = CONFIGS[name]
    dispatch, features = _dispatchable()
    if not features.get("AVX2"):
        pytest.skip("the kernels compared here need an x86-64 processor with AVX2")
    env = dict(os.environ)
    env["OPENBLAS_CORETYPE"] = coretype
    env["NPY_DISABLE_CPU_FEATURES"] = " ".join(f for f in disable if f in dispatch)
    return env


def _probe(env):
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_the_setting_changes_the_kernels(name):
    """Each setting selects the OpenBLAS core type it names and drops numpy's wider loops."""
    env = _environment(name)
    coretype, _ = CONFIGS[name]
    probe = _probe(env)
    assert probe["architecture"] == coretype, probe
    assert not probe["avx512_loops"], probe
    if name == "sandybridge-sse":
        assert not probe["avx2_loops"], probe


def test_the_settings_differ_from_each_other_and_from_this_machine():
    native = os.environ.copy()
    for key in ("OPENBLAS_CORETYPE", "NPY_DISABLE_CPU_FEATURES"):
        native.pop(key, None)
    kernels = {json.dumps(_probe(native), sort_keys=True)}
    kernels |= {json.dumps(_probe(_environment(name)), sort_keys=True) for name in CONFIGS}
    assert len(kernels) == 3, kernels


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_every_stored_output_holds_under(name):
    """nbval over both editions, strict as in the main run (same sanitizers, same tags)."""
    env = _environment(name)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
               "--nbval", "--nbval-current-env", "--nbval-sanitize-with",
               str(REPO / "tests" / "nbval_sanitize.cfg"),
               "-W", "error::RuntimeWarning", "-W", "error:Glyph .* missing from font:UserWarning",
               str(REPO / "notebooks" / "en"), str(REPO / "notebooks" / "zh")]
    run = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    summary = [line for line in run.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    assert run.returncode == 0, (
        f"stored outputs that do not hold under {name}:\n" + "\n".join(summary)
        + "\n\n" + run.stdout[-6000:])
