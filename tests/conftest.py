from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planlint.cli import app

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
# The value of DatabasePassword in fixtures/demo.json: it must never be shown.
CANARY = "hunter2-planlint-canary-7f3a"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch):
    """Run the planlint command in-process; returns exit code, stdout and stderr."""
    monkeypatch.delenv("NO_COLOR", raising=False)

    def invoke(*args: str, stdin: bytes | str | None = None, env: dict[str, str] | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(app, list(args), input=stdin, env=env, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


def run_planlint(args: Sequence[str], cwd: Path = ROOT, **kwargs) -> subprocess.CompletedProcess[str]:
    """Run planlint in a real subprocess (for start-up, entry point and traceback checks)."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(kwargs.pop("env", {}))
    return subprocess.run(
        [sys.executable, "-m", "planlint", *args], cwd=cwd, capture_output=True, text=True, env=env, **kwargs
    )


def write_json(path: Path, value: object) -> Path:
    path.write_text(json.dumps(value, indent=2), encoding="utf-8")
    return path
