"""Rule packs and configurations that would end, hang, fool or leak the run."""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path

import pytest

from planlint import patterns
from planlint.testing import change, plan_document
from tests.conftest import CANARY, FIXTURES, run_planlint, write_json

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

DEMO = FIXTURES / "demo.json"
DOC = '    """## What it flags\n    Nothing.\n    """\n'


def rule_dir(tmp_path: Path, body: str, module: str = "", name: str = "hostile") -> Path:
    directory = tmp_path / "policies"
    directory.mkdir(exist_ok=True)
    source = f"import sys, time, threading, os\nfrom planlint import rule\n{textwrap.dedent(module)}\n\n"
    source += f'@rule("EVIL001", "{name}")\ndef {name.replace("-", "_")}(plan):\n{DOC}'
    source += textwrap.indent(textwrap.dedent(body), "    ") + "\n    yield from ()\n"
    (directory / f"{name.replace('-', '_')}.py").write_text(source)
    return directory


# --- 3. a rule that ends the process ------------------------------------------------------------


@pytest.mark.parametrize(
    "raised,shown",
    [
        ("SystemExit(0)", "called sys.exit(0); a rule must return, not end the run"),
        ("KeyboardInterrupt()", "KeyboardInterrupt"),
        ("GeneratorExit('bye')", "GeneratorExit: bye"),
    ],
)
def test_a_rule_raising_a_base_exception_is_a_rule_failure(tmp_path: Path, raised: str, shown: str):
    policies = rule_dir(tmp_path, f"raise {raised}")
    proc = run_planlint(["lint", str(DEMO), "--rules", str(policies), "--format", "json"])
    assert proc.returncode == 2
    assert f"planlint: error: rule hostile on plan pl-6kxqz3vbw2jra: {shown}\n" in proc.stderr
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    assert report["summary"]["errors"] == 2  # the rest still ran and reported


@pytest.mark.parametrize("raised", ["SystemExit(0)", "KeyboardInterrupt()"])
def test_a_rule_module_ending_the_process_at_import_is_reported(tmp_path: Path, raised: str):
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "bad.py").write_text(f"raise {raised}\n")
    proc = run_planlint(["lint", str(DEMO), "--rules", str(policies)])
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"{policies / 'bad.py'}: failed to import: " in proc.stderr


# --- 5. no rules at all -------------------------------------------------------------------------


@pytest.mark.parametrize("how", [["--ignore", "ALL"], ["--select", "PL101", "--ignore", "data-loss"]])
def test_running_no_rule_is_a_configuration_error(cli, how: list[str]):
    result = cli("lint", str(DEMO), *how)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("planlint: error: no rule selected: ") and result.stderr.count("\n") == 1


def test_an_empty_select_in_the_configuration_is_the_same_error(cli, tmp_path: Path):
    config = tmp_path / "planlint.toml"
    config.write_text("select = []\n")
    assert cli("lint", str(DEMO), "--config", str(config)).exit_code == 2


def test_no_rule_with_the_gate_off_is_allowed(cli):
    assert cli("lint", str(DEMO), "--ignore", "ALL", "--fail-on", "never").exit_code == 0


# --- 9. regular expressions that backtrack ------------------------------------------------------


def test_a_catastrophic_tag_pattern_is_one_line_naming_the_option(cli, tmp_path: Path):
    config = tmp_path / "planlint.toml"
    config.write_text('[rules.required-tags]\nvalues = { Owner = "^(a|a)+$" }\n')
    plan = write_json(tmp_path / "p.json", plan_document(tags={"Owner": "a" * 40 + "!"}))
    started = time.monotonic()
    result = cli("lint", str(plan), "--config", str(config))
    assert time.monotonic() - started < 10
    assert result.exit_code == 2
    assert result.stderr == (
        "planlint: error: rule required-tags on plan pl-test0000000001: option values.Owner: the regular expression "
        "'^(a|a)+$' took longer than 1s on one value; use a simpler pattern\n"
    )


def test_a_catastrophic_secret_pattern_on_a_parameter_key_is_bounded(cli, tmp_path: Path):
    config = tmp_path / "planlint.toml"
    config.write_text('[rules.secret-parameter]\npatterns = ["password", "^(x|x)+y$"]\n')
    plan = write_json(tmp_path / "p.json", plan_document(parameters={"x" * 40: "value-of-it"}))
    result = cli("lint", str(plan), "--config", str(config))
    assert result.exit_code == 2 and "option patterns: the regular expression '^(x|x)+y$' took longer" in result.stderr


def test_patterns_still_match_as_re_does():
    assert patterns.fullmatch(r"(dev|prod)", "prod") and not patterns.fullmatch(r"(dev|prod)", "prod2")
    assert patterns.search("passw(or)?d", "DbPassword", ignore_case=True)
    with pytest.raises(patterns.PatternTimeout):
        patterns.search("^(a|a)+$", "a" * 40 + "!")


# --- 10. rules that never return ----------------------------------------------------------------


def test_an_endless_rule_is_stopped_at_its_budget_and_the_others_report(tmp_path: Path):
    policies = rule_dir(tmp_path, "while True:\n    pass")
    started = time.monotonic()
    proc = run_planlint(
        ["lint", str(DEMO), "--rules", str(policies), "--rule-timeout", "0.5", "-f", "json"], timeout=60
    )
    assert time.monotonic() - started < 20
    assert proc.returncode == 2
    assert (
        "planlint: error: rule hostile on plan pl-6kxqz3vbw2jra: took longer than its time budget of 0.5s (--rule-timeout)\n"
        in proc.stderr
    )
    assert json.loads(proc.stdout)["summary"]["errors"] == 2


def test_a_rule_that_swallows_its_timeout_stops_the_run_with_exit_2(tmp_path: Path):
    policies = rule_dir(
        tmp_path, "while True:\n    try:\n        time.sleep(10)\n    except BaseException:\n        pass"
    )
    started = time.monotonic()
    proc = run_planlint(["lint", str(DEMO), "--rules", str(policies), "--rule-timeout", "0.5"], timeout=60)
    assert time.monotonic() - started < 20
    assert proc.returncode == 2
    assert proc.stderr.endswith(
        "planlint: error: rule hostile did not stop 5s after its time budget of 0.5s ran out; stopped without reports\n"
    )


def test_a_thread_left_behind_does_not_keep_the_process_alive(tmp_path: Path):
    policies = rule_dir(tmp_path, "threading.Thread(target=lambda: time.sleep(3600)).start()")
    started = time.monotonic()
    proc = run_planlint(["lint", str(FIXTURES / "benign.json"), "--rules", str(policies)], timeout=60)
    assert time.monotonic() - started < 20 and proc.returncode == 0


def test_the_default_budget_is_seconds():
    from planlint.engine.budget import DEFAULT_SECONDS

    assert 10 <= DEFAULT_SECONDS <= 60


# --- 18. secrets in every output ----------------------------------------------------------------


LEAKS = """
leaked = [p.value.get_secret_value() for p in plan.details.provisioning_parameters if p.value]
print("debug:", leaked)
print("to stderr:", leaked, file=sys.stderr)
yield plan.finding("a finding", subject="subject " + leaked[0])
"""


def leaky_plan(tmp_path: Path) -> Path:
    document = plan_document(
        change(
            "MODIFY",
            "Bucket",
            "AWS::S3::Bucket",
            physical_id=f"bucket-{CANARY}",
            details=[
                {
                    "Target": {"Attribute": "Properties", "Name": "BucketName", "RequiresRecreation": "Always"},
                    "Evaluation": "Static",
                    "CausingEntity": f"x-{CANARY}",
                }
            ],
        ),
        parameters={"DatabasePassword": CANARY, "BucketName": "orders-archive-bucket"},
        status="CREATE_FAILED",
        status_message=f"Parameter DatabasePassword value {CANARY} failed its constraint",
    )
    return write_json(tmp_path / "leaky.json", document)


def test_no_output_shows_a_parameter_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    plan = leaky_plan(tmp_path)
    policies = rule_dir(tmp_path, LEAKS)
    outputs = []
    for fmt in ("text", "json", "sarif", "junit", "github", "markdown"):
        proc = run_planlint(
            ["lint", str(plan), "--rules", str(policies), "-f", fmt, "--fail-on", "never"], cwd=tmp_path
        )
        assert proc.returncode == 0, proc.stderr
        outputs.append(proc.stdout + proc.stderr)
    everything = "\n".join(outputs)
    assert CANARY not in everything
    assert "planlint: rule hostile printed: debug: ['****', '****']" in everything  # captured, masked, on stderr
    assert "subject ****" in everything and "failed its constraint" in everything
    json_report = json.loads(outputs[1].split("\nplanlint: ")[0])  # rule output never reaches stdout's JSON
    assert json_report["plans"][0]["status_message"] == "Parameter DatabasePassword value **** failed its constraint"


def archive(report: dict) -> dict:
    return next(f for f in report["findings"] if f["logical_id"] == "Archive")


def test_public_parameters_are_shown(tmp_path: Path, cli):
    config = tmp_path / "planlint.toml"
    (tmp_path / "bucket.json").write_text(
        json.dumps(
            plan_document(
                change("REMOVE", "Archive", "AWS::S3::Bucket", physical_id="orders-archive-bucket"),
                parameters={"BucketName": "orders-archive-bucket", "DbPassword": CANARY},
            )
        )
    )
    masked = json.loads(cli("lint", str(tmp_path / "bucket.json"), "-f", "json").stdout)
    assert archive(masked)["physical_id"] == "****"
    config.write_text('public-parameters = ["Bucket*"]\n')
    shown = json.loads(cli("lint", str(tmp_path / "bucket.json"), "-f", "json", "--config", str(config)).stdout)
    assert archive(shown)["physical_id"] == "orders-archive-bucket"
    assert CANARY not in json.dumps(shown)


def test_the_budget_gives_back_a_timer_the_caller_had_set():
    import signal

    from planlint.engine import run as engine
    from planlint.testing import make_plan

    rules, _ = engine.load_rules([(engine.builtin_rules_dir(), "built-in")])
    signal.setitimer(signal.ITIMER_REAL, 100)
    try:
        engine.run([make_plan()], rules, rule_timeout=5)
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    assert 90 < remaining <= 100
