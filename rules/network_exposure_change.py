"""PL202 network-exposure-change."""

from __future__ import annotations

from collections.abc import Iterator

from planlint import Finding, Plan, ResourceFacts, Severity, rule

_VERBS = {"ADD": "is added", "MODIFY": "changes", "REMOVE": "is removed"}


@rule("PL202", "network-exposure-change", severity=Severity.WARNING, tags={"security"})
def network_exposure_change(plan: Plan, facts: ResourceFacts) -> Iterator[Finding]:
    """## What it flags
    A security group, security group ingress or egress rule, network ACL or network ACL entry
    that is added, modified or removed. A change to tags or metadata only is none.

    ## Why it matters
    These resources decide what can reach what. An ingress rule opened to `0.0.0.0/0`, or a
    network ACL entry removed, changes the exposure of everything behind it — and the plan
    does not show the rule's old and new values.

    ## Example
    An ingress rule the plan adds:

    ```json
    {"ResourceChanges": [{
      "Action": "ADD", "LogicalResourceId": "WebHttpsIngress",
      "ResourceType": "AWS::EC2::SecurityGroupIngress"
    }]}
    ```

    ## How to fix
    Review the rules in the template: the narrowest CIDR ranges and ports that work, security
    group references instead of addresses where possible.

    ## Options
    None. Extra network types come from `[resources] network` in the configuration.

    ## References
    - [Security groups](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html) (Amazon VPC)
    - [Network ACLs](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html) (Amazon VPC)
    """
    for change in plan.changes:
        if facts.is_network(change.resource_type) and not change.only_tags_or_metadata:
            verb = _VERBS.get(str(change.action), f"has action {change.action}")
            why = f" ({change.cause_text})" if change.causes else ""
            yield change.finding(f"{change.label} {verb}: it controls network access{why}")
