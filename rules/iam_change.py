"""PL201 iam-change."""

from __future__ import annotations

from collections.abc import Iterator

from planlint import Finding, Plan, ResourceFacts, Severity, rule

_VERBS = {"ADD": "is added", "MODIFY": "changes", "REMOVE": "is removed"}


@rule("PL201", "iam-change", severity=Severity.WARNING, tags={"security"})
def iam_change(plan: Plan, facts: ResourceFacts) -> Iterator[Finding]:
    """## What it flags
    An identity or resource-policy resource that is added, modified or removed — IAM roles,
    users, groups and policies, any `…Policy` type (S3 BucketPolicy, SQS QueuePolicy, SNS
    TopicPolicy…), Lambda permissions, SSO assignments and permission sets — and a change to a
    policy property (`KeyPolicy`, `AssumeRolePolicyDocument`, `ManagedPolicyArns`, `Policies`,
    `PolicyDocument`) on any other resource. A change to tags or metadata only is none.

    ## Why it matters
    These changes decide who can do what. A widened trust policy or a new bucket policy is
    a security change even when nothing else in the plan looks risky, and it deserves a
    security reviewer's eyes before it runs.

    ## Example
    A bucket policy the plan adds:

    ```json
    {"ResourceChanges": [{
      "Action": "ADD", "LogicalResourceId": "UploadsBucketPolicy",
      "ResourceType": "AWS::S3::BucketPolicy"
    }]}
    ```

    ## How to fix
    Review the policy in the template: least privilege, no wildcard principals, conditions
    where possible. If the change is reviewed and intended, waive it with a reason.

    ## Options
    None. Extra identity types come from `[resources] identity` in the configuration.

    ## References
    - [Security best practices in IAM](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html)
    - [Policies and permissions in IAM](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html)
    """
    for change in plan.changes:
        if change.only_tags_or_metadata:
            continue
        if facts.is_identity(change.resource_type):
            verb = _VERBS.get(str(change.action), f"has action {change.action}")
            why = f" ({change.cause_text})" if change.causes else ""
            yield change.finding(f"{change.label} {verb}: it controls access{why}")
            continue
        properties = sorted({c.name for c in change.causes if c.name and c.name in facts.policy_properties})
        if properties:
            yield change.finding(f"{change.label}: policy property {', '.join(properties)} changes")
