"""A rule's ``## Options`` documentation is made from its options model: each option is described
once, where it is declared, and every place that shows a rule's documentation shows the same."""

from __future__ import annotations

import re

from pydantic import Field

from planlint import Options, Plan, Regex, rule
from planlint.config.rule_options import described, options_section
from planlint.engine import run as engine
from planlint.engine.rule import RULE_ATTRIBUTE, Rule

DOC = """## What it flags
Something.

## How to fix
Fix it.

## References
- somewhere
"""


class _Limits(Options):
    max_things: int = Field(3, ge=0, description="Most things in one plan.")
    names: list[Regex] = Field(default_factory=list, description="Names that count.")


def _rule(doc: str, options: type[Options] | None = None) -> Rule:
    @rule("ACME001", "acme", options=options)
    def acme(plan: Plan):
        yield from ()

    acme.__doc__ = doc
    found: Rule = getattr(acme, RULE_ATTRIBUTE)
    return found


def test_a_rule_with_options_is_documented_from_its_fields_before_its_references():
    doc = _rule(DOC, _Limits).doc
    assert doc.index("## How to fix") < doc.index("## Options") < doc.index("## References")
    assert "- `max-things` (integer, default 3): Most things in one plan." in doc
    assert "- `names` (list of regex, default none): Names that count." in doc


def test_an_options_section_written_by_hand_is_replaced_by_the_fields():
    written = DOC.replace("## References", "## Options\n- `max-things`: an old description.\n\n## References")
    doc = _rule(written, _Limits).doc
    assert "an old description" not in doc and doc.count("## Options") == 1
    assert "Most things in one plan." in doc and doc.index("## Options") < doc.index("## References")


def test_without_references_the_options_come_last():
    doc = _rule("## What it flags\nSomething.", _Limits).doc
    assert doc.endswith("- `names` (list of regex, default none): Names that count.")


def test_a_rule_without_options_keeps_what_its_docstring_says():
    written = DOC.replace("## References", "## Options\nNone: these limits are AWS's own.\n\n## References")
    assert _rule(written).doc == written.strip()
    assert _rule(DOC).doc == DOC.strip()


def test_every_built_in_rule_documents_exactly_its_options():
    rules, errors = engine.load_rules([(engine.builtin_rules_dir(), "built-in")])
    assert not errors
    for each in rules:
        section = each.sections().get("Options", "")
        keys = re.findall(r"^- `([a-z0-9-]+)`", section, re.MULTILINE)
        assert keys == [option.key for option in described(each.options)], each.name
        if keys:
            assert section == options_section(each.options), each.name


def test_explain_and_the_rule_listing_show_the_same_descriptions(cli):
    shown = cli("explain", "blast-radius")
    assert shown.exit_code == 0
    assert "- `max-removals` (integer, default 10): Most removals in one plan." in shown.stdout
    assert "max-removals = 10  # integer: Most removals in one plan." in shown.stdout
