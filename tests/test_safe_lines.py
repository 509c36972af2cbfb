"""No line planlint shows is one a CI runner obeys: in every format, on stdout, in files and on stderr.

The GitHub Actions runner splits output at LF, CR and CRLF, trims each line's leading whitespace and
runs it as a workflow command when it begins with ``::``; its older syntax is ``##[`` anywhere.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planlint.support.logsafe import Style, inert
from planlint.testing import change, plan_document
from tests.conftest import FIXTURES, ROOT, run_planlint, write_json

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

FORMATS = ["text", "markdown", "junit", "json", "sarif", "gitlab", "github"]
OWN_COMMAND = re.compile(r"::(error|warning|notice)( [^\r\n]*)?::|::group::|::endgroup::")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")

# what makes a runner obey a line, and what hides it: line breaks, whitespace it trims, escapes
PIECES = ["::", "##[", "\n", "\r", "\r\n", " ", "\t", "\u3000", "\xa0", "\x85", "\u2028", "%0A", "\\", "#", "[", ":"]
PIECES += ["::error::pwned", "::stop-commands::x", "::add-mask::", "##[set-env name=A]", "\x1b[31m", "\u202e"]
hostile = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), min_size=1, max_size=8).map("".join)


def obeyed(text: str, commands_allowed: bool = False) -> list[str]:
    """The lines of ``text`` a runner would run as a command (bar the github format's own, if allowed)."""
    found = []
    for line in re.split(r"\r\n|\r|\n", text):
        if "##[" in line:
            found.append(line)
        elif line.lstrip().startswith("::") and not (commands_allowed and OWN_COMMAND.match(line)):
            found.append(line)
    return found


def check_output(fmt: str, text: str) -> None:
    assert obeyed(text, commands_allowed=fmt == "github") == []
    if fmt in ("text", "markdown", "github"):
        assert CONTROL.search(text) is None
    elif fmt == "junit":
        ElementTree.fromstring(text)
    else:
        json.loads(text)


def lint_everywhere(cli, args: list[str], files: Path) -> None:
    for fmt in FORMATS:
        out = files / f"report.{fmt}"
        result = cli("lint", *args, "--source-root", str(files), "-f", fmt, "-f", fmt, "-o", str(out))
        assert result.exit_code in (1, 2), result.stderr
        check_output(fmt, result.stdout)
        check_output(fmt, out.read_text(encoding="utf-8"))
        assert obeyed(result.stderr) == [] and CONTROL.search(result.stderr) is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(logical_id=hostile, value=hostile, file_name=hostile)
def test_no_line_of_any_format_is_a_command(cli, logical_id: str, value: str, file_name: str):
    name = file_name.replace("/", "_").replace("\x00", "_")[:60] + ".json"
    with tempfile.TemporaryDirectory() as scratch:
        files = Path(scratch)
        document = plan_document(
            change("REMOVE", logical_id, "AWS::RDS::DBInstance"),
            change("MODIFY", "Db2", "AWS::RDS::DBInstance", replacement="True", physical_id=value),
            plan_name=value,
            status_message=value,
            tags={"Owner": value},
        )
        plan = write_json(files / name, document)
        (files / f"bad-{name}").write_text("[1,")
        lint_everywhere(cli, [str(plan), str(files / f"bad-{name}")], files)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=hostile)
def test_no_line_on_stderr_is_a_command(cli, value: str):
    for args in (["--config", f"{value}.toml"], ["--select", value], [f"{value}.json"], ["--rules", value]):
        result = cli("lint", str(FIXTURES / "benign.json"), *args)
        assert obeyed(result.stderr) == [] and CONTROL.search(result.stderr) is None


@pytest.mark.parametrize("value", ["\n::error::pwned", "##[error]x", "\r  ::add-mask::x", "\u202e\x1b[2J"])
@pytest.mark.parametrize("option", ["--format", "--fail-on", "--no-such-option"])
def test_a_usage_error_quoting_an_argument_is_inert(value: str, option: str):
    proc = run_planlint(
        ["lint", str(FIXTURES / "benign.json"), option, value]
        if option != "--no-such-option"
        else ["lint", f"--x{value}"]
    )
    assert proc.returncode == 2 and proc.stderr.startswith("planlint: error: ")
    assert obeyed(proc.stderr) == [] and CONTROL.search(proc.stderr) is None


def test_a_file_name_with_a_line_break_and_a_command_reaches_the_text_report_inert(cli, tmp_path: Path):
    plan = write_json(
        tmp_path / "p\n::error::pwned\u202e.json", plan_document(change("REMOVE", "Db", "AWS::RDS::DBInstance"))
    )
    result = cli("lint", str(plan))
    assert result.exit_code == 1
    assert "p\\x0a::error::pwned\\u202e.json" in result.stdout and obeyed(result.stdout) == []


@pytest.mark.parametrize("indent", ["", "  ", "\t", "\u3000 "])
def test_a_command_after_whitespace_in_a_text_line_is_escaped(cli, tmp_path: Path, indent: str):
    plan = write_json(
        tmp_path / "p.json", plan_document(change("REMOVE", f"{indent}::stop-commands::x", "AWS::RDS::DBInstance"))
    )
    result = cli("lint", str(plan))  # outside GitHub Actions too: a log can be replayed anywhere
    assert result.exit_code == 1 and obeyed(result.stdout) == []


def test_the_github_formats_log_lines_past_the_cap_hold_no_old_command(cli, tmp_path: Path):
    changes = [change("REMOVE", f"Db{i}##[error]x", "AWS::RDS::DBInstance") for i in range(15)]
    plan = write_json(tmp_path / "p.json", plan_document(*changes))
    result = cli("lint", str(plan), "-f", "github")
    assert "\n::group::planlint: 6 more\nplanlint: error" in result.stdout and "#\\#[error]x" in result.stdout
    assert obeyed(result.stdout, commands_allowed=True) == []
    assert result.stdout.startswith("::error ")


@pytest.mark.parametrize(
    ("style", "text", "expected"),
    [
        (Style.JSON, '{"a": "##[x"}', '{"a": "#\\u0023[x"}'),
        (Style.XML, "<a>x\n  ::y ##[z</a>", "<a>x\n  &#x3a;:y #&#x23;[z</a>"),
        (Style.XML, "<a>x\r::y</a>", "<a>x\r&#x3a;:y</a>"),
        (Style.TEXT, "\u3000::x\n###[", "\u3000\\::x\n##\\#["),
    ],
)
def test_each_style_breaks_commands_with_its_own_escape(style: Style, text: str, expected: str):
    assert inert(text, style) == expected
    if style is Style.JSON:
        assert json.loads(inert(text, style)) == json.loads(text)


def test_colour_codes_stay_and_nothing_else_does():
    assert inert("\x1b[1;31merror\x1b[0m \x1b]8;;x\x07", Style.TEXT, color=True) == (
        "\x1b[1;31merror\x1b[0m \\x1b]8;;x\\x07"
    )
    assert inert("\x1b[1;31merror", Style.TEXT) == "\\x1b[1;31merror"


def test_the_actions_logged_command_line_is_one_inert_line():
    import importlib.util

    spec = importlib.util.spec_from_file_location("action_run", ROOT / "action" / "run.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    line = "planlint: running " + script.shown(["lint", "--select", "x\n::warning::pwned", "##[error]y", "\u202e"])
    assert "\n" not in line and "\r" not in line and obeyed(line) == [] and "\u202e" not in line
    assert "x\\n::warning::pwned" in line
    assert script.escape_data("50%\n::x") == "50%25%0A::x"


def test_with_colour_a_file_names_colour_codes_are_shown_not_obeyed(cli, tmp_path: Path):
    plan = write_json(
        tmp_path / "p\x1b[8m\x1b]8;;x\x07.json", plan_document(change("REMOVE", "Db", "AWS::RDS::DBInstance"))
    )
    result = cli("lint", str(plan), "--color", "always")
    assert result.exit_code == 1 and "\x1b[1;31m" in result.stdout  # planlint's own colours
    assert "p\\x1b[8m\\x1b]8;;x\\x07.json" in result.stdout and "\x1b[8m" not in result.stdout
