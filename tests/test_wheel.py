"""The built-in rules ship inside the wheel: an installed planlint finds and runs them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    [built] = out.glob("planlint-*.whl")
    return built


def test_wheel_contains_the_rule_pack(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {n.split("/")[-1] for n in names if n.startswith("planlint/rules/") and n.endswith(".py")}
    expected = {p.name for p in (ROOT / "rules").glob("*.py")}
    assert shipped == expected and len(expected) == 17
    assert not any(n.startswith("rules/") for n in names)


def test_installed_wheel_runs_builtin_rules_outside_the_repo(wheel: Path, tmp_path: Path):
    target = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR")}
    env["PYTHONPATH"] = str(target)
    code = (
        "import planlint, sys; from planlint.cli import main; "
        "print(planlint.__file__, file=sys.stderr); sys.argv = ['planlint', 'lint', sys.argv[1]]; main()"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(FIXTURES / "demo.json")],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 1, run.stderr
    assert run.stderr.startswith(str(target / "planlint")), run.stderr
    assert run.stdout.splitlines()[-1] == "2 errors, 8 warnings in 1 plan (14 changes)"
