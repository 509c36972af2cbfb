"""PL203 secret-parameter."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field

from planlint import SECRET_NAMES, Finding, InputKind, Options, Plan, Regex, Severity, patterns, rule

DEFAULT_PATTERNS = list(SECRET_NAMES)
patterns.trust(DEFAULT_PATTERNS)  # written here, free of backtracking: matched with re
# Values that are references, not secrets: dynamic references resolved by CloudFormation.
_REFERENCE = re.compile(r"^\s*\{\{resolve:(secretsmanager|ssm-secure):", re.IGNORECASE)


class SecretOptions(Options):
    patterns: list[Regex] = Field(
        default_factory=lambda: list(DEFAULT_PATTERNS),
        description="Regular expressions (case-insensitive) on parameter keys that mark a secret.",
    )
    allow: list[str] = Field(default_factory=list, description="Parameter keys that are not secrets after all.")


NO_ECHO = "****"  # how CloudFormation shows a NoEcho parameter


@rule("PL203", "secret-parameter", severity=Severity.WARNING, tags={"security"})
def secret_parameter(plan: Plan, options: SecretOptions) -> Iterator[Finding]:
    """## What it flags
    A provisioning parameter whose key looks secret (password, secret, token, private key,
    API key, credential…) passed as a plain value rather than a dynamic reference
    (`{{resolve:secretsmanager:…}}` or `{{resolve:ssm-secure:…}}`). The value is never shown.

    ## Why it matters
    A plain parameter value is stored with the provisioned product and the plan, readable by
    anyone who can describe them, and it ends up in pipeline logs and saved plan files.

    ## Example
    A password passed as a plain provisioning parameter (planlint never shows its value):

    ```json
    {"ProvisionedProductPlanDetails": {
      "ProvisioningParameters": [{"Key": "DbPassword", "Value": "correct-horse-battery"}]
    }}
    ```

    ## How to fix
    Store the secret in Secrets Manager or as an SSM SecureString and pass a dynamic
    reference, or have the template resolve it itself. Mark the parameter `NoEcho`.

    ## Options
    - `patterns`: case-insensitive regular expressions on parameter keys (default: password,
      passphrase, secret, token, private key, API key, access key, credential, connection string).
    - `allow`: parameter keys that are not secrets after all.

    ## References
    - [Dynamic references](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html)
    - [Parameters, and NoEcho](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html)
    """
    for parameter in plan.details.provisioning_parameters:
        key = parameter.key or ""
        if (
            not key
            or key in options.allow
            or not any(patterns.search(p, key, ignore_case=True) for p in options.patterns)
        ):
            continue
        if parameter.use_previous_value or parameter.value is None:
            continue
        value = parameter.value.get_secret_value()
        if plan.kind is InputKind.CHANGE_SET and value == NO_ECHO:
            continue  # a NoEcho parameter: CloudFormation itself never shows the value
        if value and not _REFERENCE.match(value):
            yield plan.finding(
                f"{plan.noun} {plan.label}: parameter {key} looks secret and is passed as a plain value "
                "(the value is not shown); pass a dynamic reference instead",
                subject=f"parameter {key}",
            )
