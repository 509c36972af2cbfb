from __future__ import annotations

import inspect
import json
import os
import shutil
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


# What an ordinary environment may hold that must not change a test: AWS profiles, regions,
# endpoints and container or web-identity credentials, proxies, a CI runner's variables.
_PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
_RUNNER = ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "NO_COLOR", "FORCE_COLOR")


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts from the same environment, whatever the machine's: no AWS configuration,
    no proxies, no metadata service; tests that need one set it themselves."""
    for name in list(os.environ):
        if name.startswith("AWS_") or name.upper() in _PROXIES or name in _RUNNER:
            monkeypatch.delenv(name)
    empty = tmp_path_factory.getbasetemp() / "aws-empty"
    empty.touch()
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


def package_rule_count() -> int:
    """Rules that installed packages add (a user's venv may hold a rule pack; CI installs one)."""
    from planlint.engine import run as engine

    return len(engine.load_packages()[0])


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository root (``.git``) holding the demo plan, as the working directory: where a
    configuration is found from (a module may have a ``repo`` of its own)."""
    (tmp_path / ".git").mkdir()
    shutil.copy(FIXTURES / "demo.json", tmp_path / "demo.json")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch):
    """Run the planlint command in-process; returns exit code, stdout and stderr."""
    monkeypatch.delenv("NO_COLOR", raising=False)

    def invoke(*args: str, stdin: bytes | str | None = None, env: dict[str, str] | None = None) -> Result:
        # click before 8.2 (typer before 0.26 uses it) mixes stderr into stdout unless told not to
        separate = {"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner).parameters else {}
        runner = CliRunner(**separate)
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


@pytest.fixture(scope="session")
def package_index() -> None:
    """Skip unless pip can reach the package index: what installs a pre-commit hook's environment or
    the GitHub Action's needs it (an ordinary environment may have no network)."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--retries", "0", "--timeout", "10"]
                + ["--disable-pip-version-check", "-q", "-d", scratch, "six"],
                capture_output=True,
                text=True,
                timeout=120,
            )
        except subprocess.TimeoutExpired:
            pytest.skip("the package index did not answer in 120s: installing a hook environment needs it")
    if proc.returncode != 0:
        pytest.skip("the package index is not reachable: installing a hook environment needs it")
