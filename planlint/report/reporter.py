"""What a report format is, in code: a module of this folder with a ``render`` function from the
run's report — masked, as every output sees it — to the text of one file (the :class:`Reporter`
contract), and what each format's text is made safe as before it goes anywhere (``FORMATS``).

A new format is a module that keeps the contract and a line in ``FORMATS``: ``rendered`` imports
it when a report of that format is made, never to parse the command line.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from planlint.support.logsafe import Style, inert
from planlint.support.safetext import json_safe, xml_safe

if TYPE_CHECKING:
    from planlint.report.result import RenderOptions, Report


class Reporter(Protocol):
    """A report format: the masked report, rendered as the text of one file or of stdout."""

    def render(self, report: Report, options: RenderOptions = ...) -> str: ...


@dataclass(frozen=True)
class Form:
    """Where a format's module is and how its text is made safe: escaped for its syntax (JSON, XML),
    then left with no line a CI runner obeys, in the style of its syntax."""

    module: str
    style: Style
    escape: Callable[[str], str] | None = None


FORMATS: dict[str, Form] = {
    "text": Form("text", Style.TEXT),
    "json": Form("jsonreport", Style.JSON, json_safe),
    "sarif": Form("sarif", Style.JSON, json_safe),
    "junit": Form("junit", Style.XML, xml_safe),
    "github": Form("github", Style.COMMANDS),
    "markdown": Form("markdown", Style.TEXT),
    "gitlab": Form("gitlab", Style.JSON, json_safe),
}


def reporter(name: str) -> Reporter:
    """The module that renders format ``name`` (a key of ``FORMATS``)."""
    module: Reporter = importlib.import_module(f"planlint.report.{FORMATS[name].module}")
    return module


def rendered(name: str, report: Report, options: RenderOptions, *, terminal: bool = False) -> str:
    """Format ``name`` of ``report``, safe for where it goes; colour (when ``options`` asks) only for
    text on a ``terminal`` (stdout), never in a file. May raise ``LocationError``."""
    form = FORMATS[name]
    color = name == "text" and options.color and terminal
    text = reporter(name).render(report, replace(options, color=color) if name == "text" else options)
    return inert(form.escape(text) if form.escape else text, form.style, color)


if TYPE_CHECKING:  # every format keeps the contract (checked by mypy)
    from planlint.report import github, gitlab, jsonreport, junit, markdown, sarif, text

    _KEPT: tuple[Reporter, ...] = (text, jsonreport, sarif, junit, github, markdown, gitlab)
