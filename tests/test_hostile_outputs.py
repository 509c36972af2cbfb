"""Reports that would overwrite the user's files, hang, reach a terminal raw, or lie about the exit."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from planlint.report.delivery import write_atomic
from planlint.support import interrupts
from planlint.testing import change, plan_document
from tests.conftest import FIXTURES, ROOT, run_planlint, write_json

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

DEMO = FIXTURES / "demo.json"
BENIGN = FIXTURES / "benign.json"


def copy_of(path: Path, tmp_path: Path) -> Path:
    target = tmp_path / path.name
    target.write_bytes(path.read_bytes())
    return target


# --- 13, 14. never over an input, never two reports in one file ---------------------------------


def test_output_onto_an_input_plan_is_refused(cli, tmp_path: Path):
    plan = copy_of(DEMO, tmp_path)
    before = plan.read_bytes()
    result = cli("lint", str(plan), "-f", "json", "-o", str(plan))
    assert result.exit_code == 2
    assert result.stderr == f"planlint: error: --output {plan} is an input plan; planlint never writes over its input\n"
    assert plan.read_bytes() == before


def test_output_onto_a_plan_inside_an_input_directory_or_through_a_link_is_refused(cli, tmp_path: Path):
    plans = tmp_path / "plans"
    plans.mkdir()
    plan = copy_of(DEMO, plans)
    (tmp_path / "link.json").symlink_to(plan)
    assert cli("lint", str(plans), "-f", "sarif", "-o", str(tmp_path / "link.json")).exit_code == 2
    assert plan.read_bytes() == DEMO.read_bytes()


def test_output_onto_the_configuration_is_refused(cli, tmp_path: Path):
    config = tmp_path / "planlint.toml"
    config.write_text('fail-on = "error"\n')
    result = cli("lint", str(DEMO), "--config", str(config), "-f", "junit", "-o", str(config))
    assert result.exit_code == 2 and "is the configuration in use" in result.stderr
    assert config.read_text() == 'fail-on = "error"\n'


def test_output_onto_a_rule_module_is_refused(cli, tmp_path: Path):
    policies = tmp_path / "policies"
    policies.mkdir()
    module = policies / "mine.py"
    module.write_text(
        'from planlint import rule\n\n@rule("ACME1", "mine")\ndef mine(plan):\n    """Nothing."""\n    return ()\n'
    )
    before = module.read_text()
    result = cli("lint", str(BENIGN), "--rules", str(policies), "-f", "json", "-o", str(module))
    assert result.exit_code == 2 and "is a rule module" in result.stderr and module.read_text() == before


def test_one_output_for_two_formats_is_refused(cli, tmp_path: Path):
    result = cli("lint", str(DEMO), "-f", "json", "-o", str(tmp_path / "r"), "-f", "sarif", "-o", str(tmp_path / "./r"))
    assert result.exit_code == 2 and not (tmp_path / "r").exists()
    assert result.stderr == (
        f"planlint: error: --output {tmp_path / './r'} is given for both --format json and --format sarif; "
        "give each format its own file\n"
    )


# --- 15. write in place to what is not a regular file -------------------------------------------


def test_dev_null_stays_a_device(cli):
    assert cli("lint", str(BENIGN), "-f", "json", "-o", "/dev/null").exit_code == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_fifo_output_is_written_not_replaced(tmp_path: Path):
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    proc = run_planlint(["lint", str(BENIGN), "-f", "json", "-o", str(fifo)], timeout=30)
    reader.join(10)
    assert proc.returncode == 0 and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert json.loads(received[0])["exit_code"] == 0


def test_a_link_to_a_regular_file_is_followed_and_kept(cli, tmp_path: Path):
    (tmp_path / "real.json").write_text("old")
    (tmp_path / "link.json").symlink_to("real.json")
    assert cli("lint", str(BENIGN), "-f", "json", "-o", str(tmp_path / "link.json")).exit_code == 0
    assert (tmp_path / "link.json").is_symlink() and json.loads((tmp_path / "real.json").read_text())["exit_code"] == 0


def test_dev_stdout_receives_the_report(tmp_path: Path):
    proc = run_planlint(
        ["lint", str(BENIGN), "-f", "json", "-o", "/dev/stdout", "-f", "text", "-o", str(tmp_path / "t")]
    )
    report, _ = json.JSONDecoder().raw_decode(proc.stdout)  # then the text report, stdout's default
    assert proc.returncode == 0 and report["exit_code"] == 0 and (tmp_path / "t").is_file()


# --- 16. signals --------------------------------------------------------------------------------


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def interrupted(fd: int) -> None:
        raise interrupts.Interrupted("SIGTERM")

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(interrupts.Interrupted):
        write_atomic(str(tmp_path / "report.sarif"), "{}")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_says_interrupted_and_exits_2(tmp_path: Path, number: int):
    ready = tmp_path / "ready"
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "slow.py").write_text(  # a rule that says when it runs, then takes its time
        "import pathlib, time\nfrom planlint import rule\n\n@rule('ACME7', 'slow')\ndef slow(plan):\n"
        f'    """Slow."""\n    pathlib.Path({str(ready)!r}).touch()\n    time.sleep(60)\n    return ()\n'
    )
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "planlint",
            "lint",
            str(BENIGN),
            "--rules",
            str(policies),
            "-f",
            "json",
            "-o",
            str(tmp_path / "r.json"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 30
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(number)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 2 and err == "planlint: interrupted\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["policies", "ready"]  # no report, no temporary file


# --- 20, 21, 22. nothing from outside reaches a terminal or a runner raw ------------------------


def test_file_names_reach_stderr_with_escapes_made_visible(cli, tmp_path: Path):
    name = tmp_path / "evil\x1b]8;;https:example.invalid\x07\x9b31m.json"
    name.write_text("[1,")
    result = cli("lint", str(name))
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr and "\x9b" not in result.stderr
    assert "\\x1b]8;;https:example.invalid\\x07\\x9b31m.json" in result.stderr


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit"])
def test_machine_formats_on_stdout_escape_what_a_terminal_obeys(cli, tmp_path: Path, fmt: str, monkeypatch):
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    evil = "Db\x9b31m\u202etxt\x7f"
    plan = write_json(tmp_path / "p.json", plan_document(change("REMOVE", evil, "AWS::RDS::DBInstance")))
    result = cli("lint", str(plan), "-f", fmt)
    assert result.exit_code == 1
    assert not any(ch in result.stdout for ch in "\x9b\u202e\x7f")
    if fmt == "json":
        assert json.loads(result.stdout)["findings"][0]["logical_id"] == evil  # the same value, escaped


def test_no_text_line_starts_a_workflow_command_in_github_actions(cli, tmp_path: Path):
    plan = write_json(
        tmp_path / "p.json", plan_document(change("REMOVE", "::stop-commands::pwned", "AWS::RDS::DBInstance"))
    )
    result = cli("lint", str(plan), env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    assert not [line for line in result.stdout.splitlines() if line.lstrip().startswith("::")]
    assert "\\::stop-commands::pwned" in result.stdout
    annotations = cli("lint", str(plan), "-f", "github", env={"GITHUB_ACTIONS": "true"}).stdout
    assert annotations.startswith("::error ")  # the github format's own commands stay commands


def test_sarif_message_text_cannot_carry_a_link(cli, tmp_path: Path, monkeypatch):
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    plan = write_json(
        tmp_path / "p.json", plan_document(change("REMOVE", "[click](https://example.invalid)", "AWS::RDS::DBInstance"))
    )
    log = json.loads(cli("lint", str(plan), "-f", "sarif").stdout)
    texts = [r["message"]["text"] for r in log["runs"][0]["results"]]
    assert texts and all("[click](" not in t for t in texts)
    assert any("\\[click\\](https://example.invalid)" in t for t in texts)


# --- 23, 25. the exit code and the error line, whatever happens to stdout -----------------------


def test_a_closed_stdout_is_exit_2_with_one_line():
    proc = subprocess.run(
        f"{sys.executable} -m planlint lint {BENIGN} >&-", shell=True, cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert proc.stderr == "planlint: error: cannot write the report to stdout: stdout is closed\n"


def test_stdout_on_a_full_disk_is_exit_2_with_one_line():
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "planlint", "lint", str(BENIGN)],
            cwd=ROOT,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert proc.returncode == 2
    assert proc.stderr == "planlint: error: cannot write the report to stdout: No space left on device\n"


def test_a_write_error_names_the_path_given(cli, tmp_path: Path):
    (tmp_path / "file").write_text("")
    result = cli("lint", str(BENIGN), "-f", "json", "-o", str(tmp_path / "file" / "report.json"))
    assert result.exit_code == 2
    assert result.stderr == f"planlint: error: cannot write {tmp_path / 'file' / 'report.json'}: Not a directory\n"
    full = cli("lint", str(BENIGN), "-f", "json", "-o", "/dev/full")
    assert full.exit_code == 2 and full.stderr == "planlint: error: cannot write /dev/full: No space left on device\n"


def test_help_and_version_exit_0_and_a_usage_error_exits_2():
    assert run_planlint(["--help"]).returncode == 0
    assert run_planlint(["--version"]).returncode == 0
    bad = run_planlint(["lint", "--no-such-option"])
    assert bad.returncode == 2 and "unknown option --no-such-option" in bad.stderr and "Traceback" not in bad.stderr
    assert run_planlint(["lint", str(BENIGN), "--fail-on", "sometimes"]).returncode == 2


def test_an_internal_error_is_one_line_and_exit_2():
    code = (
        "import typer\n"
        "from planlint import cli\n"
        "cli.app = typer.Typer()\n"
        "@cli.app.command()\n"
        "def boom():\n"
        "    raise RuntimeError('boom')\n"
        "cli.main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert (proc.returncode, proc.stderr) == (2, "planlint: internal error: RuntimeError: boom\n")


def test_rules_and_explain_show_a_rule_packs_text_inert(cli, tmp_path: Path):
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "loud.py").write_text(
        'from planlint import rule\n\n@rule("ACME9", "loud")\ndef loud(plan):\n'
        '    """## What it flags\n    \\x1b]52;c;aGk=\\x07 everything.\n\n::stop-commands::x\n    """\n    return ()\n'
    )
    shown = cli("explain", "loud", "--rules", str(policies), env={"GITHUB_ACTIONS": "true"}).stdout
    assert "\x1b" not in shown and "\x07" not in shown and "\\x1b]52;c;aGk=\\x07 everything." in shown
    assert not [line for line in shown.splitlines() if line.lstrip().startswith("::")]
    listed = cli("rules", "--rules", str(policies)).stdout
    assert "loud" in listed and "\x1b" not in listed


def test_the_step_summary_is_appended_to_not_replaced(cli, tmp_path: Path):
    summary = tmp_path / "step_summary"
    summary.write_text("## an earlier step\n")
    env = {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_ACTIONS": "true"}
    first = cli("lint", str(BENIGN), "-f", "markdown", "-o", str(summary), env=env)
    assert first.exit_code == 0
    once = summary.read_text()
    assert once.startswith("## an earlier step\n## planlint: :white_check_mark: passed\n")
    # another name for the same file is the same file; any other file is still replaced
    link = tmp_path / "link"
    link.symlink_to(summary)
    cli("lint", str(BENIGN), "-f", "markdown", "-o", str(link), env=env)
    assert summary.read_text() == once + once.removeprefix("## an earlier step\n")
    other = tmp_path / "other.md"
    other.write_text("old\n")
    cli("lint", str(BENIGN), "-f", "markdown", "-o", str(other), env=env)
    assert not other.read_text().startswith("old")


def test_a_step_summary_that_cannot_take_the_report_is_left_as_it_was(tmp_path: Path):
    """A file-size limit stops the append part-way (as a full disk would): exit 2, one line, and the
    earlier steps' summary is cut back to what it was."""
    import resource

    summary = tmp_path / "step_summary"
    summary.write_bytes(b"x" * 1000)

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1100, 1100))

    proc = subprocess.run(
        [sys.executable, "-m", "planlint", "lint", str(FIXTURES / "demo.json"), "-f", "markdown", "-o", str(summary)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)},
        preexec_fn=limit,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == f"planlint: error: cannot write {summary}: File too large\n"
    assert summary.read_bytes() == b"x" * 1000
