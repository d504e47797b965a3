"""Build and measuring helpers shared by the benchmarks in Tests/bench."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROG = Path(sys.argv[0]).name or "bench"


def fail(message: str, code: int = 1) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    sys.exit(code)


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def build_binary(scratch: str) -> Path:
    if shutil.which("swift") is None:
        fail("swift is not on PATH; pass --binary PATH to use a built trace-report")
    cmd = ["swift", "build", "-c", "release", "--product", "trace-report", "--scratch-path", scratch]
    print(f"{PROG}: building: {' '.join(cmd)}", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        print("\n".join(proc.stdout.splitlines()[-40:]), file=sys.stderr)
        fail(f"release build failed (exit {proc.returncode})", 2)
    print(f"{PROG}: built in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    out = subprocess.run(cmd + ["--show-bin-path"], cwd=REPO, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True, check=True)
    binary = Path(out.stdout.strip()) / "trace-report"
    if not binary.is_file():
        fail(f"build succeeded but {binary} does not exist", 2)
    return binary


def dir_size(path: Path) -> tuple[int, int]:
    total = files = 0
    for root, _, names in os.walk(path):
        for n in names:
            total += os.path.getsize(os.path.join(root, n))
            files += 1
    return total, files

