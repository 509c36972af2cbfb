"""PL203 secret-parameter."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from planlint import SECRET_NAMES, Finding, InputKind, Options, Plan, Regex, Severity, is_reference, patterns, rule

DEFAULT_PATTERNS = list(SECRET_NAMES)
patterns.trust(DEFAULT_PATTERNS)  # written here, free of backtracking: matched with re


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
    API key, credential…) passed as a plain value rather than a reference to where the secret is
    kept. The value is never shown. A reference is the whole value (spaces around it aside): a
    dynamic reference (`{{resolve:secretsmanager:…}}`, `{{resolve:ssm-secure:…}}`,
    `{{resolve:ssm:…}}`), an ARN, an SSM parameter path of two levels or more
    (`/prod/db/password`), or — in a change set — the value of a parameter CloudFormation resolved
    (an SSM parameter type, which has a `ResolvedValue`). Text beside a reference, or a path of
    one level, is read as a plain value.

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

    ## References
    - [Dynamic references](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html)
    - [Parameters, and NoEcho](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html)
    """
    resolved = {p.key for p in plan.change_set.parameters if p.resolved_value is not None} if plan.change_set else set()
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
        if parameter.key in resolved:
            continue  # an SSM parameter type: CloudFormation resolved the value, the name of a parameter
        if value and not is_reference(value):
            yield plan.finding(
                f"{plan.noun} {plan.label}: parameter {key} looks secret and is passed as a plain value "
                "(the value is not shown); pass a dynamic reference instead",
                subject=f"parameter {key}",
            )
