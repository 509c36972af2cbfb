"""The benchmarks run: ``python benchmarks/run.py --quick`` measures every section on small inputs
and prints one table (peers that are not installed are left out, and said so)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.timeout(300)
def test_the_benchmark_table_has_every_section():
    if shutil.which("planlint", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("planlint is not installed beside this Python")
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick"], capture_output=True, text=True, timeout=280
    )
    assert done.returncode == 0, done.stderr[-3000:]
    table = done.stdout
    for section in (
        "[start-up]",
        "[in-process, 460 changes]",
        "plans, 40 changes each]",
        "[memory,",
        "changes in one plan]",
        "[fetching",
    ):
        assert section in table, (section, table)
    for row in ("planlint --version", "planlint lint -f sarif -o", "json-parse the same files (floor)", "every format"):
        assert row in table, (row, table)
    assert "MiB" in table and "×" in table
