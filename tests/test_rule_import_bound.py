"""Importing a rule module is bounded in time: a module still importing is that module's load error."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from planlint.engine import budget
from planlint.engine.loader import load_directory, load_packages
from tests.conftest import FIXTURES, ROOT

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

DEMO = FIXTURES / "demo.json"
RULE = 'from planlint import rule\n\n@rule("SLOW001", "slow")\ndef slow(plan):\n    """Nothing."""\n    yield from ()\n'


def write_rules(directory: Path, preamble: str, name: str = "slow.py") -> Path:
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(preamble + "\n" + RULE)
    return directory


@pytest.fixture
def held_stdin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A standard input that never ends: a read of it blocks."""
    read, write = os.pipe()
    with open(read, encoding="utf-8") as stdin:
        monkeypatch.setattr(sys, "stdin", stdin)
        yield
    os.close(write)


@pytest.mark.parametrize(
    "preamble",
    [
        "import time\ntime.sleep(100)",
        "while True:\n    pass",
        "import itertools\nfor _ in itertools.count():\n    x = [_]",
        "input()",
        "import sys\nsys.stdin.read()",
    ],
    ids=["sleep", "loop", "busy-loop", "input", "stdin-read"],
)
def test_a_module_blocking_at_import_is_its_load_error(tmp_path: Path, preamble: str, held_stdin: None):
    directory = write_rules(tmp_path / "policies", preamble)
    write_rules(directory, "", "quick.py")
    (directory / "quick.py").write_text(RULE.replace("SLOW001", "QUICK001").replace("slow", "quick"))
    started = time.monotonic()
    rules, errors = load_directory(directory, "path", seconds=0.5)
    assert time.monotonic() - started < 10
    assert [r.name for r in rules] == ["quick"]
    assert [str(e) for e in errors] == [
        f"{directory / 'slow.py'}: failed to import: still importing after 0.5s (the longer of --rule-timeout and 30s)"
    ]


def test_a_sleep_in_a_module_the_rule_module_imports_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    helpers = tmp_path / "helpers"
    helpers.mkdir()
    (helpers / "slow_helper_for_rules.py").write_text("import time\ntime.sleep(100)\n")
    monkeypatch.syspath_prepend(str(helpers))
    monkeypatch.delitem(sys.modules, "slow_helper_for_rules", raising=False)
    directory = write_rules(tmp_path / "policies", "import slow_helper_for_rules")
    rules, errors = load_directory(directory, "path", seconds=0.5)
    assert rules == []
    assert [e.source for e in errors] == [str(directory / "slow.py")]
    assert "still importing after 0.5s" in errors[0].message


def test_a_package_entry_point_blocking_at_import_is_its_load_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    site = tmp_path / "site"
    (site / "slow_rules_pack-1.0.dist-info").mkdir(parents=True)
    (site / "slow_rules_pack-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: slow-rules-pack\nVersion: 1.0\n"
    )
    (site / "slow_rules_pack-1.0.dist-info" / "entry_points.txt").write_text(
        "[planlint.rules]\nslow = slow_rules_pack\n"
    )
    (site / "slow_rules_pack.py").write_text("while True:\n    pass\n" + RULE)
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delitem(sys.modules, "slow_rules_pack", raising=False)
    _, errors = load_packages(seconds=0.5)
    assert [str(e) for e in errors if "slow" in e.source] == [
        "slow_rules_pack (package slow-rules-pack): failed to import: still importing after 0.5s "
        "(the longer of --rule-timeout and 30s)"
    ]


def test_the_import_bound_is_the_longer_of_the_rule_timeout_and_its_floor():
    assert budget.import_seconds(2) == budget.IMPORT_SECONDS == 30
    assert budget.import_seconds(120) == 120
    assert budget.import_seconds(None) == 30


def quick_config(tmp_path: Path) -> Path:
    config = tmp_path / "planlint.toml"
    config.write_text("rule-timeout = 0.1\n")
    return config


@pytest.mark.parametrize("command", [["lint", str(DEMO)], ["rules"], ["explain", "slow"]])
def test_every_command_that_loads_rules_bounds_the_import(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
):
    monkeypatch.setattr(budget, "IMPORT_SECONDS", 0.5)
    directory = write_rules(tmp_path / "policies", "import time\ntime.sleep(100)")
    result = cli(*command, "--rules", str(directory), "--config", str(quick_config(tmp_path)))
    assert result.exit_code == 2
    assert f"{directory / 'slow.py'}: failed to import: still importing after 0.5s" in result.stderr
    assert "Traceback" not in result.stderr
    if command[0] == "explain":
        assert result.stderr.endswith("planlint: error: slow: no such rule\n")


def test_the_command_with_stdin_held_open_ends_at_the_import_bound(tmp_path: Path):
    directory = write_rules(tmp_path / "r2", "input()")
    started = time.monotonic()
    with (tmp_path / "stderr").open("w+") as stderr:
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "planlint"), "lint", str(DEMO), "--rules", str(directory)]
            + ["--rule-timeout", "2"],
            cwd=ROOT,
            stdin=subprocess.PIPE,  # open, never written to: a read of it blocks
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            proc.wait(timeout=budget.IMPORT_SECONDS + 20)
        finally:
            proc.kill()
            assert proc.stdin is not None
            proc.stdin.close()
        stderr.seek(0)
        err = stderr.read()
    assert time.monotonic() - started >= budget.IMPORT_SECONDS - 1, err
    assert proc.returncode == 2
    assert (
        f"planlint: error: {directory / 'slow.py'}: failed to import: still importing after 30s "
        "(the longer of --rule-timeout and 30s)\n"
    ) in err
    assert "Traceback" not in err


def test_a_configured_rule_path_is_bounded_as_well(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(budget, "IMPORT_SECONDS", 0.5)
    directory = write_rules(tmp_path / "policies", "while True:\n    pass")
    config = quick_config(tmp_path)
    config.write_text(config.read_text() + 'rule-paths = ["policies"]\n')
    result = cli("rules", "--config", str(config))
    assert result.exit_code == 2
    assert f"{directory / 'slow.py'}: failed to import: still importing after 0.5s" in result.stderr


def test_a_module_that_swallows_the_stop_ends_the_run_with_one_line(tmp_path: Path):
    preamble = "import time\nwhile True:\n    try:\n        time.sleep(100)\n    except BaseException:\n        pass"
    directory = write_rules(tmp_path / "policies", preamble)
    script = "from pathlib import Path\nfrom planlint.engine.loader import load_directory\n"
    script += f"load_directory(Path({str(directory)!r}), 'path', 0.2)\n"
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.monotonic() - started < 30
    assert proc.returncode == 2
    assert proc.stderr == (
        f"planlint: error: {directory / 'slow.py'} did not stop importing {budget.GRACE:g}s after its time budget "
        "of 0.2s ran out; stopped without reports\n"
    )
