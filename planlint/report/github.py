"""GitHub Actions workflow commands: one annotation per finding, errors first.

Every value is escaped as the runner expects (``%``, CR and LF in the message; also ``:`` and
``,`` in properties), and control characters are made visible, so nothing from a plan can
end the command early or start a command of its own.
"""

from __future__ import annotations

from pathlib import Path

from planlint.findings import Finding, Severity
from planlint.report import RenderOptions, Report, summary
from planlint.report.locations import LocationError, relative_path
from planlint.safetext import clean

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _clean(value: str) -> str:
    """Escape for the runner first (CR/LF become %0D/%0A), then make other controls visible."""
    return clean(escape_data(value))


def render(report: Report, options: RenderOptions = RenderOptions()) -> str:
    findings = sorted((f for f in report.findings if f.waived is None), key=lambda f: -f.level.rank)
    lines = [_annotation(f, options.source_root) for f in findings]
    lines += [f"::error title=planlint could not read an input::{_clean(str(e))}" for e in report.input_errors]
    lines += [f"::error title=planlint rule error::{_clean(str(e))}" for e in report.rule_errors]
    level = "error" if report.exit_code else "notice"
    lines.append(f"::{level} title=planlint::{_clean(summary(report))}")
    return "\n".join(lines) + "\n"


def _annotation(finding: Finding, root: Path) -> str:
    properties = []
    if finding.location is not None:
        try:
            path = relative_path(finding.location, root)
        except LocationError:
            path = None
        if path is not None:
            properties.append(f"file={clean(escape_property(path))}")
            properties.append(f"line={finding.location.line}")
    properties.append(f"title={clean(escape_property(f'{finding.rule_code} {finding.rule_name}'))}")
    command = _COMMANDS[finding.level]
    return f"::{command} {','.join(properties)}::{_clean(finding.message)}"
