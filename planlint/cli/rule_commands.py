"""``planlint rules``, ``planlint explain`` and ``planlint schema``: what planlint knows, printed."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated

import typer

from planlint.cli.console import fail, say, show
from planlint.cli.groups import grouped
from planlint.cli.options import RuleSources
from planlint.support.exits import ExitCode


class ListFormat(str, Enum):
    TABLE = "table"
    JSON = "json"


@grouped
def list_rules(
    output: Annotated[ListFormat, typer.Option("--format", help="table or json.")] = ListFormat.TABLE,
    *,
    sources: RuleSources,
) -> None:
    """List every rule: code, name, default and effective severity, tags, source."""
    from planlint.report import rule_docs as catalog

    _, ready = sources.setup()
    selected = {r.code for r in ready.chosen}
    render = catalog.as_json if output is ListFormat.JSON else catalog.table
    show(render(ready.rules, ready.severities, selected))
    for error in ready.errors:
        say(f"error: {error}")
    raise typer.Exit(ExitCode.ERROR if ready.errors else ExitCode.OK)


@grouped
def explain(
    rule: Annotated[str, typer.Argument(metavar="RULE", help="A rule's code or name.")],
    *,
    sources: RuleSources,
) -> None:
    """Print a rule's documentation and its options with their defaults."""
    from planlint.engine.rule import did_you_mean, lookup, rule_names
    from planlint.report import rule_docs as catalog

    _, ready = sources.setup()
    found = lookup(rule, ready.rules)
    if found is None:  # perhaps a module that could not be loaded: say which
        for error in ready.errors:
            say(f"error: {error}")
        raise fail(f"{rule}: no such rule" + did_you_mean(rule, rule_names(ready.rules)))
    show(catalog.explain(found, ready.severities.get(found.code)))


def schema() -> None:
    """Print the JSON Schema of the JSON report (planlint.report/1)."""
    from importlib.resources import files

    sys.stdout.write(files("planlint.report").joinpath("report.schema.json").read_text(encoding="utf-8"))
