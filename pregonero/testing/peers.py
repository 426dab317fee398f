"""What every test peer (a real server run by the suite) shares: how a missing one is handled.

A peer that cannot be installed or run here fails the test in CI (``CI`` set) and is skipped
elsewhere with a warning that shows in the summary, never silently.
"""

from __future__ import annotations

import os
import subprocess
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def loud_skip(message: str) -> None:
    """A peer that truly cannot run here: fail in CI, else skip with a warning in the summary."""
    if os.environ.get("CI"):
        pytest.fail(message)
    warnings.warn(message, stacklevel=2)
    pytest.skip(f"SKIPPED LOUDLY: {message}")


def ensure_installed(script: str, installed: Path, what: str) -> None:
    """Install a peer with ``scripts/<script>`` when ``installed`` is missing; without it, fail
    in CI and skip loudly elsewhere."""
    if installed.exists():
        return
    result = subprocess.run([str(ROOT / "scripts" / script)], capture_output=True, text=True)  # noqa: S603
    if result.returncode == 0 and installed.exists():
        return
    loud_skip(f"{what} could not be installed by scripts/{script}: {result.stderr.strip()[-500:]}")
