"""PL302 tag-constraints."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator

from planlint import Finding, Plan, Severity, rule

MAX_TAGS = 50
MAX_KEY = 128
MAX_VALUE = 256
# Service Catalog's tag pattern: ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$
_PUNCTUATION = set("_.:/=+-@")


def _allowed(char: str) -> bool:
    return char in _PUNCTUATION or unicodedata.category(char)[0] in "LZN"


def _bad_characters(text: str) -> str:
    bad = sorted({c for c in text if not _allowed(c)})
    return " ".join(repr(c) for c in bad[:5]) + (" …" if len(bad) > 5 else "")


@rule("PL302", "tag-constraints", severity=Severity.ERROR, tags={"tagging"})
def tag_constraints(plan: Plan) -> Iterator[Finding]:
    """## What it flags
    Plan tags that execution will reject: more than 50 tags, a key longer than 128 or a value
    longer than 256 characters, an empty key or value, a key starting with the reserved
    `aws:` prefix, characters outside what Service Catalog allows (letters, numbers, spaces
    and `_ . : / = + - @`), or the same key twice.

    ## Why it matters
    A plan with such tags is created, but executing it fails — after approvals, in the
    middle of a release. Catching it before execution saves the round trip.

    ## Example
    A tag key in the prefix AWS keeps for itself:

    ```json
    {"ProvisionedProductPlanDetails": {"Tags": [{"Key": "aws:owner", "Value": "team-orders"}]}}
    ```

    ## How to fix
    Shorten, rename or remove the offending tags; keep keys unique and out of the `aws:`
    namespace.

    ## Options
    None: these are Service Catalog's own limits.

    ## References
    - [Tag](https://docs.aws.amazon.com/servicecatalog/latest/dg/API_Tag.html) (Service Catalog API: the key and value limits)
    - [Tagging best practices](https://docs.aws.amazon.com/whitepapers/latest/tagging-best-practices/tagging-best-practices.html)
    """
    tags = plan.details.tags
    if len(tags) > MAX_TAGS:
        yield plan.finding(
            f"{plan.noun} {plan.label} has {len(tags)} tags; at most {MAX_TAGS} are allowed", subject="tag count"
        )
    for key, count in Counter(t.key for t in tags).items():
        if count > 1:
            yield plan.finding(
                f"{plan.noun} {plan.label}: tag key {key!r} appears {count} times", subject=f"tag {key} repeated"
            )
    for tag in tags:
        problems = []
        if not tag.key:
            problems.append("the key is empty")
        if len(tag.key) > MAX_KEY:
            problems.append(f"the key is {len(tag.key)} characters long (at most {MAX_KEY})")
        if tag.key.lower().startswith("aws:"):
            problems.append("the key uses the reserved aws: prefix")
        if _bad_characters(tag.key):
            problems.append(f"the key has characters Service Catalog rejects: {_bad_characters(tag.key)}")
        if not tag.value:
            problems.append("the value is empty")
        if len(tag.value) > MAX_VALUE:
            problems.append(f"the value is {len(tag.value)} characters long (at most {MAX_VALUE})")
        if _bad_characters(tag.value):
            problems.append(f"the value has characters Service Catalog rejects: {_bad_characters(tag.value)}")
        if problems:
            yield plan.finding(
                f"{plan.noun} {plan.label}: tag {tag.key[:MAX_KEY]!r}: {'; '.join(problems)}", subject=f"tag {tag.key}"
            )
