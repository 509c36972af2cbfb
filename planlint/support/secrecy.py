"""What looks secret, and what only points at a secret: facts that masking, the messages about
properties and the secret-parameter rule share."""

from __future__ import annotations

import re

# Names (of parameters, properties) that mark a secret, as case-insensitive regular expressions:
# the secret-parameter rule's default, and what keeps a property's values out of every message.
SECRET_NAMES = (
    r"passw(or)?d",
    r"passphrase",
    r"secret",
    r"token",
    r"private[-_ ]?key",
    r"api[-_ ]?key",
    r"access[-_ ]?key",
    r"credential",
    r"connection[-_ ]?string",
)
_SECRET_NAME = re.compile("|".join(SECRET_NAMES), re.IGNORECASE)


def looks_secret(name: str | None) -> bool:
    """A name (or a property path) that marks a secret by the default patterns."""
    return bool(name) and _SECRET_NAME.search(name or "") is not None


# What a value that only points at a secret looks like, the whole value (surrounding spaces aside):
# a dynamic reference CloudFormation resolves, an ARN, or a hierarchical SSM parameter name (two
# or more levels, SSM's characters). Text beside a reference, or a name of one level, may be a secret.
_DYNAMIC_REFERENCE = r"\{\{resolve:(?:ssm|ssm-secure|secretsmanager):[^{}\s]+\}\}"
_ARN = r"arn:aws(?:-[a-z]+)*:[a-z0-9-]+:[a-z0-9-]*:(?:[0-9]{12})?:[^\s]+"
_SSM_PATH = r"(?:/[A-Za-z0-9_.-]+){2,15}"
_REFERENCE = re.compile(f"{_DYNAMIC_REFERENCE}|{_ARN}|{_SSM_PATH}", re.IGNORECASE)


def is_reference(value: str) -> bool:
    """A value that names where a secret is kept rather than holding one: a dynamic reference
    (``{{resolve:ssm-secure:/prod/db}}``), an ARN, an SSM parameter path (``/prod/db/password``)."""
    return _REFERENCE.fullmatch(value.strip()) is not None
