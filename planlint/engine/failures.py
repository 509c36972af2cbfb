"""How a rule's failure is told and contained: ``RuleError``, one line for whatever it raised, and
the guards around user code (its printing captured, only a real interrupt let through).

"Raises" means any ``BaseException``: a rule (or rule module) that calls ``sys.exit(0)`` or
raises ``KeyboardInterrupt`` has failed, it has not ended the run. Only a real SIGINT or
SIGTERM (see ``interrupts``) goes through.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import ValidationError

from planlint.config.rule_options import Options, config_key
from planlint.engine.budget import RuleTimeout
from planlint.engine.rule import Rule
from planlint.model.plan import Plan
from planlint.patterns import PatternTimeout
from planlint.support import interrupts
from planlint.support.safetext import clean


@dataclass(frozen=True)
class RuleError:
    """A rule that failed: where it comes from, what happened, and which kind of failure —
    ``load`` (a module or package that could not be loaded, or a clash) or ``crash`` (a rule that
    raised, ran out of time or yielded something else on ``plan``, a plan id or label)."""

    source: str
    message: str
    rule: str | None = None
    plan_id: str | None = None
    kind: str = "load"  # "load" | "crash"

    @classmethod
    def crash(cls, rule: Rule, plan: Plan, message: str) -> RuleError:
        return cls(rule.source, message, rule.name, plan.plan_id or plan.label, kind="crash")

    def __str__(self) -> str:
        if self.kind == "crash":
            return f"rule {self.rule} on plan {clean(self.plan_id or '?')}: {self.message}"
        return f"{clean(self.source)}: {self.message}"


def describe(exc: BaseException, options: object = None) -> str:
    if isinstance(exc, RuleTimeout):
        return str(exc)
    if isinstance(exc, PatternTimeout):
        where = _option_holding(options, exc.pattern)
        return clean(f"option {where}: {exc}; use a simpler pattern" if where else str(exc), 300)
    if isinstance(exc, SystemExit):
        return f"called sys.exit({exc.code!r}); a rule must return, not end the run"
    if isinstance(exc, ValidationError) and (frozen := [e for e in exc.errors() if e["type"] == "frozen_instance"]):
        where = ".".join(str(part) for part in frozen[0]["loc"])
        return f"tried to change {exc.title}.{where}: rules see the plan read-only"
    try:
        text = str(exc).strip().splitlines()
    except BaseException:  # noqa: BLE001 - a hostile __str__ is still just a failure
        text = []
    return clean(f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__, 300)


def _option_holding(options: object, pattern: str) -> str | None:
    """The configuration key of the option that holds ``pattern`` (``values.Environment``)."""
    if not isinstance(options, Options):
        return None
    for name in type(options).model_fields:
        key = config_key(type(options), name)
        value = getattr(options, name)
        if value == pattern or (isinstance(value, (list, tuple)) and pattern in value):
            return key
        if isinstance(value, dict):
            inner = next((k for k, v in value.items() if v == pattern), None)
            if inner is not None:
                return f"{key}.{inner}"
    return None


def reraise_interrupt(exc: BaseException) -> None:
    """A real SIGINT or SIGTERM ends the run; anything else a rule raises is its failure."""
    if isinstance(exc, interrupts.Interrupted) and interrupts.received():
        raise exc


@contextlib.contextmanager
def captured(into: io.StringIO | None = None) -> Iterator[None]:
    """What user code prints goes to ``into`` (or nowhere), never to planlint's stdout."""
    sink = into if into is not None else io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        yield
