"""Waivers: exceptions with a reason and an expiry date, applied to the findings of a run.

A waiver matches a finding by rule (code or name), by a glob on the logical id (no
``resource``: plan-level findings only) and by a glob on the provisioned product name. A
waiver is valid up to and including its ``expires`` date, compared in UTC. A matched
finding stays in the report, marked waived, and does not fail the gate. An expired waiver
waives nothing and is reported as an error (``expired-waiver``); a waiver that matched
nothing is reported as a note (``unused-waiver``), so stale exceptions get cleaned up. A waiver
for products of which none is in the run (one of a central policy's, for another team) is
neither: it is not this run's to judge.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timezone
from fnmatch import fnmatchcase

from planlint.config.errors import key_path
from planlint.config.tables import Config, Waiver
from planlint.engine.rule import RULE_ATTRIBUTE, Rule, names, rule
from planlint.engine.run import PlanResult
from planlint.model.findings import Finding, Location, Severity, Waived
from planlint.model.plan import Plan
from planlint.model.resources import is_glob


@rule("PL001", "expired-waiver", severity=Severity.ERROR, tags={"waivers"})
def expired_waiver() -> Iterator[Finding]:
    """## What it flags
    A waiver whose `expires` date has passed. It no longer waives anything.

    ## Why it matters
    Exceptions are granted for a time. An expired waiver means the reason it was granted
    should be checked again — and the findings it covered fail the gate again.

    ## Example
    A waiver in `planlint.toml` past its date:

    ```toml
    [[waivers]]
    rule = "stateful-removal"
    resource = "LegacyExportBucket"
    reason = "Emptied and archived to Glacier, CHG-1234"
    expires = "2020-01-31"
    ```

    and the plan it was written for:

    ```json
    {"ResourceChanges": [{
      "Action": "REMOVE", "LogicalResourceId": "LegacyExportBucket",
      "ResourceType": "AWS::S3::Bucket"
    }]}
    ```

    ## How to fix
    Fix what the waiver covered and delete the waiver, or, if the reason still holds,
    renew it with a new `expires` date.

    ## Options
    None. Found by checking the configuration's waivers, not a plan.

    ## References
    - [Waivers](https://github.com/planlint/planlint#configuration) (planlint's README, *Configuration*)
    """
    yield from ()


@rule("PL002", "unused-waiver", severity=Severity.NOTE, tags={"waivers"})
def unused_waiver() -> Iterator[Finding]:
    """## What it flags
    A waiver that matched no finding in the run.

    ## Why it matters
    A waiver that waives nothing is stale: the resource was fixed, renamed or removed. Left
    in place it would silently waive a future finding nobody reviewed.

    ## Example
    A waiver in `planlint.toml` for a resource the plan does not touch:

    ```toml
    [[waivers]]
    rule = "stateful-removal"
    resource = "OldQueue"
    reason = "Drained, CHG-1234"
    expires = "2099-12-31"
    ```

    ```json
    {"ResourceChanges": [{
      "Action": "ADD", "LogicalResourceId": "NewQueue", "ResourceType": "AWS::SQS::Queue"
    }]}
    ```

    ## How to fix
    Delete the waiver, or correct its `rule`, `resource` or `product` if they no longer match.

    ## Options
    None. Found by checking the configuration's waivers, not a plan.

    ## References
    - [Waivers](https://github.com/planlint/planlint#configuration) (planlint's README, *Configuration*)
    """
    yield from ()


EXPIRED: Rule = getattr(expired_waiver, RULE_ATTRIBUTE)
UNUSED: Rule = getattr(unused_waiver, RULE_ATTRIBUTE)
RULES = (EXPIRED, UNUSED)


def today_utc() -> date:
    return datetime.now(timezone.utc).date()


def describe(waiver: Waiver) -> str:
    parts = [f"rule {waiver.rule}"]
    parts.append(f"resource {waiver.resource}" if waiver.resource else "the plan")
    if waiver.product:
        parts.append(f"product {waiver.product}")
    return "waiver for " + ", ".join(parts)


def _matches(waiver: Waiver, finding: Finding, plan: Plan) -> bool:
    if not names(waiver.rule, finding.rule_code, finding.rule_name):
        return False
    if waiver.resource is None:
        if finding.logical_id is not None:
            return False
    elif finding.logical_id is None or not fnmatchcase(finding.logical_id, waiver.resource):
        return False
    if waiver.product is not None:
        product = plan.details.provisioned_product_name
        if product is None or not fnmatchcase(product, waiver.product):
            return False
    return True


class _Index:
    """The active waivers by the rule they name, and by resource when it is no pattern: each
    finding is compared only with the waivers that could match it (a run can have thousands of
    both)."""

    def __init__(self, active: Sequence[tuple[int, Waiver]]) -> None:
        self._exact: dict[tuple[str, str], list[tuple[int, Waiver]]] = {}
        self._other: dict[str, list[tuple[int, Waiver]]] = {}
        for i, waiver in active:
            for key in dict.fromkeys((waiver.rule, waiver.rule.upper())):
                if waiver.resource is not None and not is_glob(waiver.resource):
                    self._exact.setdefault((key, waiver.resource), []).append((i, waiver))
                else:
                    self._other.setdefault(key, []).append((i, waiver))

    def candidates(self, finding: Finding) -> list[tuple[int, Waiver]]:
        """The waivers that may match ``finding``, in configuration order (the first match waives)."""
        keys = dict.fromkeys((finding.rule_name, finding.rule_code))
        found: dict[int, Waiver] = {}
        for key in keys:
            found.update(self._other.get(key, ()))
            if finding.logical_id is not None:
                found.update(self._exact.get((key, finding.logical_id), ()))
        return sorted(found.items())


def apply(
    results: Sequence[PlanResult],
    config: Config,
    today: date,
    chosen: Sequence[Rule] = RULES,
    severities: Mapping[str, Severity] | None = None,
) -> list[Finding]:
    """Mark waived findings in ``results`` (in place); return the waivers' own findings, for the
    ``chosen`` of this module's rules, at their configured ``severities``."""
    index = _Index([(i, w) for i, w in enumerate(config.waivers) if w.expires >= today])
    used: set[int] = set()
    for result in results:
        for position, finding in enumerate(result.findings):
            matching = [(i, w) for i, w in index.candidates(finding) if _matches(w, finding, result.plan)]
            used.update(i for i, _ in matching)  # every match counts as use; the first one waives
            if matching:
                first, waiver = matching[0]
                origin = config.waiver_origin(first)
                where = (f"{origin.path}:{origin.line}" if origin.line else origin.path) if origin else config.display
                result.findings[position] = finding.stamped(waived=Waived(waiver.reason, waiver.expires, where))
    level = {rule.code: (severities or {}).get(rule.code) or rule.severity for rule in chosen}
    products = {r.plan.details.provisioned_product_name or "" for r in results}
    own = _own_findings(config, today, used, products)
    return [replace(f, severity=level[f.rule_code]) for f in own if f.rule_code in level]


def _own_findings(config: Config, today: date, used: set[int], products: set[str]) -> Iterator[Finding]:
    for i, waiver in enumerate(config.waivers):
        if waiver.product is not None and not any(fnmatchcase(p, waiver.product) for p in products if p):
            continue  # for other products: not this run's to judge
        origin = config.waiver_origin(i)
        location = Location(origin.path, origin.line or 1) if origin else None
        subject = key_path("", ["waivers", origin.index if origin else i])
        if waiver.expires < today:
            yield Finding(
                message=f"{describe(waiver)} expired on {waiver.expires.isoformat()}: it no longer waives; "
                f"renew it or remove it (reason given: {waiver.reason})",
                severity=EXPIRED.severity,
                location=location,
                subject=subject,
                rule_code=EXPIRED.code,
                rule_name=EXPIRED.name,
            )
        elif i not in used:
            yield Finding(
                message=f"{describe(waiver)} matched no finding in this run: remove it if it is stale",
                severity=UNUSED.severity,
                location=location,
                subject=subject,
                rule_code=UNUSED.code,
                rule_name=UNUSED.name,
            )
