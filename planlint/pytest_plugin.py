"""pytest plugin (entry point ``pytest11``): the ``planlint`` fixture for testing rules.

def test_my_rule(planlint):
    plan = planlint.plan(planlint.change("REMOVE", "Db", "AWS::RDS::DBInstance"))
    assert [f.logical_id for f in planlint.run("policies/my_rule.py", plan)] == ["Db"]
"""

from __future__ import annotations

from typing import Any

import pytest


class PlanlintHelper:
    """Build plans and run one rule, as ``planlint.testing`` does, from a fixture."""

    def __init__(self) -> None:
        from planlint import testing

        self._testing = testing
        self.change = testing.change
        self.detail = testing.detail
        self.plan = testing.make_plan
        self.document = testing.plan_document

    def run(self, rule: Any, plan: Any, options: dict[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        """Run ``rule`` (function, module file path, or built-in code or name) on ``plan``."""
        return self._testing.run_rule(rule, plan, options, **kwargs)


@pytest.fixture
def planlint() -> PlanlintHelper:
    return PlanlintHelper()
