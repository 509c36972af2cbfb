"""Every line planlint shows, made inert where it goes: a terminal, and a CI log that obeys some lines.

The GitHub Actions runner reads a job's output line by line (a line ends at LF, CR or CRLF), trims
each line's leading whitespace and runs it as a workflow command when it then begins with ``::``
(``ActionCommand.TryParseV2``); its older syntax is ``##[`` anywhere in a line. So every report,
every line on stdout and every message on stderr passes through :func:`inert` on its way out:
no line begins (after whitespace) with ``::`` except the ``github`` format's own commands, and no
``##[`` is left whole — each broken with the escape of the format at hand, so JSON and XML keep
the same value. Text for people (the text and Markdown reports, stderr) also has every control
character made visible, whichever reporter built it; colour, when asked for, keeps its own codes.
"""

from __future__ import annotations

import re
from enum import Enum

from planlint.support.safetext import clean

# a line's start: the text's start, or after LF or CR; then whitespace that is no line break
_COMMAND = re.compile(r"(?<![^\r\n])([^\S\r\n]*)::")
_OLD_COMMAND = "##["
# the github format's own commands: an annotation, or the group of log lines past GitHub's cap
_OWN_COMMAND = re.compile(r"::(?:error|warning|notice)(?: [^\r\n]*)?::|::group::|::endgroup::")
_SGR = re.compile(r"(\x1b\[[0-9;]*m)")  # the text report's colours


class Style(str, Enum):
    TEXT = "text"  # for people: text, Markdown, stderr
    JSON = "json"
    XML = "xml"
    COMMANDS = "commands"  # the github format: workflow commands and plain log lines


def inert(text: str, style: Style, color: bool = False) -> str:
    """``text`` with no line that the runner would run as a command (but the ``github`` format's own)."""
    match style:
        case Style.TEXT:
            return _commands_escaped(_visible(text, color), "\\::", "#\\#[")
        case Style.JSON:  # a line of JSON never begins inside a string: only ``##[`` can be there
            return text.replace(_OLD_COMMAND, "#\\u0023[")
        case Style.XML:
            return _commands_escaped(text, "&#x3a;:", "#&#x23;[")
        case Style.COMMANDS:
            return "\n".join(_log_line(line) for line in text.split("\n"))


def _visible(text: str, color: bool) -> str:
    """Every control character escaped, line breaks kept; with ``color``, the colour codes kept too."""
    lines = text.split("\n")
    if not color:
        return "\n".join(clean(line) for line in lines)
    return "\n".join("".join(p if _SGR.fullmatch(p) else clean(p) for p in _SGR.split(line)) for line in lines)


def _commands_escaped(text: str, colons: str, old: str) -> str:
    if "::" in text:
        text = _COMMAND.sub(lambda match: match.group(1) + colons, text)
    return text.replace(_OLD_COMMAND, old)


def _log_line(line: str) -> str:
    """A line of the github format: its own command as it is, any other line escaped like text."""
    if _OWN_COMMAND.match(line):
        return clean(line).replace(_OLD_COMMAND, "#\\#[")
    return _commands_escaped(clean(line), "\\::", "#\\#[")
