"""What a report format is: every ``--format`` has one module that keeps the ``Reporter`` contract,
and its text is made safe for its syntax and for a CI log before it goes anywhere."""

from __future__ import annotations

import inspect

import pytest

from planlint.engine import run as engine
from planlint.read.load import LoadError
from planlint.report.delivery import Format
from planlint.report.reporter import FORMATS, rendered, reporter
from planlint.report.result import RenderOptions, Report
from planlint.testing import change, make_plan


def _report() -> Report:
    plan = make_plan(change("Remove", "Orders\x1b[31m", "AWS::DynamoDB::Table"), plan_name="release\n::error::x")
    return Report(results=engine.run([plan], []), rules=[], input_errors=[LoadError("a.json", "", "broken")])


def test_every_format_has_one_reporter_that_keeps_the_contract():
    assert set(FORMATS) == {f.value for f in Format}
    for name in FORMATS:
        module = reporter(name)
        parameters = list(inspect.signature(module.render).parameters)
        assert parameters[:2] == ["report", "options"], name


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_is_made_safe_for_a_ci_log(name: str):
    text = rendered(name, _report(), RenderOptions(), terminal=True)
    assert "\x1b" not in text
    assert not any(line.startswith("::error::x") for line in text.splitlines())


def test_colour_is_for_text_on_a_terminal_only():
    coloured = RenderOptions(color=True)
    assert "\x1b[" in rendered("text", _report(), coloured, terminal=True)
    assert "\x1b[" not in rendered("text", _report(), coloured, terminal=False)
    assert "\x1b[" not in rendered("markdown", _report(), coloured, terminal=True)
