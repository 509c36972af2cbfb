"""GitHub Actions workflow commands: one annotation per finding, errors first.

A step shows at most 10 annotations of each kind (error, warning, notice) and drops the rest
without a word, so planlint writes no more than that: what could not read and rules that failed
first, then findings by severity, then one summary annotation, which says how many more there
are. Those are written as plain lines of the log, in a group, so none is lost.

Every value is escaped as the runner expects (``%``, CR and LF in the message; also ``:`` and
``,`` in properties), and control characters are made visible, so nothing from a plan can
end the command early or start a command of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planlint.model.findings import Finding, Severity
from planlint.report.locations import LocationError, relative_path, shown_at
from planlint.report.result import RenderOptions, Report, masking_note, summary
from planlint.support.safetext import clean

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}
PER_KIND = 10  # annotations of one kind that GitHub shows for a step


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _clean(value: str) -> str:
    """Escape for the runner first (CR/LF become %0D/%0A), then make other controls visible."""
    return clean(escape_data(value))


@dataclass(frozen=True)
class _Annotation:
    command: str  # error, warning, notice
    title: str
    message: str
    path: str | None = None
    line: int = 0

    def command_line(self) -> str:
        properties = [f"file={clean(escape_property(self.path))}", f"line={self.line}"] if self.path else []
        properties.append(f"title={clean(escape_property(self.title))}")
        return f"::{self.command} {','.join(properties)}::{_clean(self.message)}"

    def log_line(self) -> str:
        """The same as a plain line of the log (it begins with ``planlint:``, so it is no command)."""
        where = f" {clean(self.path)}:{self.line}" if self.path else ""
        return f"planlint: {self.command}{where}: {clean(self.title)}: {_clean(self.message)}"


def render(report: Report, options: RenderOptions = RenderOptions()) -> str:
    findings = sorted((f for f in report.findings if f.waived is None), key=lambda f: -f.level.rank)
    annotations = [_Annotation("error", "planlint could not read an input", str(e)) for e in report.input_errors]
    annotations += [_Annotation("error", "planlint rule error", str(e)) for e in report.rule_errors]
    annotations += [_finding(f, options.source_root) for f in findings]
    level = "error" if report.exit_code else "notice"
    room = dict.fromkeys(_COMMANDS.values(), PER_KIND)
    room[level] -= 1  # the summary's own
    lines, rest = [], []
    for annotation in annotations:
        if room[annotation.command] > 0:
            room[annotation.command] -= 1
            lines.append(annotation.command_line())
        else:
            rest.append(annotation.log_line())
    more = ""
    if rest:
        more = f"; {len(rest)} more in the log (GitHub shows {PER_KIND} annotations of each kind per step)"
        lines += [f"::group::planlint: {len(rest)} more", *rest, "::endgroup::"]
    note = f"; {masking_note(report)}" if report.masked_values else ""
    lines.append(_Annotation(level, "planlint", summary(report) + more + note).command_line())
    return "\n".join(lines) + "\n"


def _finding(finding: Finding, root: Path) -> _Annotation:
    path = None
    location, _ = shown_at(finding, root)
    if location is not None:
        try:
            path = relative_path(location, root)
        except LocationError:
            path = None
    line = location.line if location is not None else 0
    return _Annotation(
        _COMMANDS[finding.level], f"{finding.rule_code} {finding.rule_name}", finding.message, path, line
    )
