"""One lint run: load the sources, choose and run the rules, gather a Report."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from planlint import engine
from planlint.load import load
from planlint.report import FailOn, Report


def lint(
    sources: Iterable[str],
    *,
    select: Sequence[str] = (engine.ALL,),
    ignore: Sequence[str] = (),
    fail_on: FailOn = FailOn.ERROR,
    rule_dirs: Sequence[Path] = (),
    stdin: BinaryIO | None = None,
) -> Report:
    """Lint saved plans. Raises ``engine.SelectionError`` for a selector that names nothing."""
    directories = [(engine.builtin_rules_dir(), "built-in")] + [(Path(d), "path") for d in rule_dirs]
    rules, rule_errors = engine.load_rules(directories)
    chosen = engine.select(rules, select, ignore)
    loaded = load(sources, stdin=stdin)
    return Report(
        results=engine.run(loaded.plans, chosen),
        rules=chosen,
        load_errors=loaded.errors,
        loading_errors=rule_errors,
        fail_on=fail_on,
    )
