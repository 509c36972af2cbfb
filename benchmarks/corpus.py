"""The plans the benchmarks run on: made here, deterministic, shaped like what Service Catalog returns.

A plan of N changes mixes stateful, identity, network and plain types; most changes are modifies
with one to three details, about one in twelve is a replacement (some conditional, some caused by
a parameter), one in twenty a removal, one in ten an add. It is saved as AWS returns it: a JSON
list of pages of 20 changes (``ResourceChanges``) with the plan's details, parameters and tags.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from planlint.model.resources import STATEFUL_TYPES

PAGE = 20
TYPES = [
    *sorted(STATEFUL_TYPES)[:8],
    "AWS::Lambda::Function",
    "AWS::IAM::Role",
    "AWS::IAM::ManagedPolicy",
    "AWS::EC2::SecurityGroup",
    "AWS::SNS::Topic",
    "AWS::ApiGateway::RestApi",
    "AWS::CloudWatch::Alarm",
    "AWS::ECS::Service",
    "AWS::Lambda::Permission",
    "AWS::StepFunctions::StateMachine",
]
PROPERTIES = ["Code", "Environment", "Timeout", "Name", "KmsKeyId", "Description", "MemorySize", "Handler"]
PARAMETERS = {"EnvironmentName": "prod", "ImageTag": "v42.0.3", "DatabasePassword": "s3cret-canary", "Encrypt": "true"}


def _detail(rng: random.Random, name: str, recreation: str) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "Target": {"Attribute": "PROPERTIES", "Name": name, "RequiresRecreation": recreation},
        "Evaluation": rng.choice(["STATIC", "STATIC", "DYNAMIC"]),
        "ChangeSource": "DIRECTMODIFICATION",
    }
    if rng.random() < 0.4:
        detail["ChangeSource"] = "PARAMETERREFERENCE"
        detail["CausingEntity"] = rng.choice(sorted(PARAMETERS))
    return detail


def _change(rng: random.Random, i: int) -> dict[str, Any]:
    kind = TYPES[i % len(TYPES)]
    logical_id = f"{kind.split('::')[1]}{kind.split('::')[2]}{i:05d}"
    roll = rng.random()
    change: dict[str, Any] = {"LogicalResourceId": logical_id, "ResourceType": kind}
    if roll < 0.05:
        change.update(Action="REMOVE", PhysicalResourceId=f"{logical_id.lower()}-physical", Scope=[], Details=[])
        return change
    if roll < 0.15:
        change.update(Action="ADD", Scope=[], Details=[])
        return change
    replacement = "TRUE" if roll < 0.21 else "CONDITIONAL" if roll < 0.23 else "FALSE"
    recreation = {"TRUE": "ALWAYS", "CONDITIONAL": "CONDITIONALLY", "FALSE": "NEVER"}[replacement]
    names = rng.sample(PROPERTIES, rng.randint(1, 3))
    details = [_detail(rng, name, recreation if n == 0 else "NEVER") for n, name in enumerate(names)]
    if rng.random() < 0.05:
        details.append({"Target": {"Attribute": "TAGS", "RequiresRecreation": "NEVER"}, "Evaluation": "STATIC"})
    change.update(
        Action="MODIFY",
        PhysicalResourceId=f"{logical_id.lower()}-physical",
        Replacement=replacement,
        Scope=sorted({d["Target"]["Attribute"] for d in details}),
        Details=details,
    )
    return change


def plan_pages(changes: int, seed: int = 0) -> list[dict[str, Any]]:
    """One plan of ``changes`` resource changes, as the list of pages AWS returns."""
    rng = random.Random(seed)
    every = [_change(rng, i) for i in range(changes)]
    plan_id = f"pl-bench{seed:09d}"
    details = {
        "CreatedTime": "2026-11-20T09:14:07.512000-06:00",
        "UpdatedTime": "2026-11-20T09:14:07.512000-06:00",
        "PathId": "lpv3-w4u2yosjlxdkw",
        "ProductId": f"prod-bench{seed % 7:05d}",
        "PlanName": f"release-{seed}",
        "PlanId": plan_id,
        "ProvisionProductId": f"pp-bench{seed:09d}",
        "ProvisionProductName": f"service-{seed}",
        "PlanType": "CLOUDFORMATION",
        "ProvisioningArtifactId": "pa-rvlbx6dbzkvso",
        "Status": "CREATE_SUCCESS",
        "ProvisioningParameters": [{"Key": k, "Value": v} for k, v in PARAMETERS.items()],
        "Tags": [{"Key": "Owner", "Value": "orders-team"}, {"Key": "Environment", "Value": "prod"}],
    }
    pages = []
    for start in range(0, max(changes, 1), PAGE):
        page: dict[str, Any] = {
            "ProvisionedProductPlanDetails": details,
            "ResourceChanges": every[start : start + PAGE],
        }
        if start + PAGE < changes:
            page["NextPageToken"] = f"token-{start + PAGE}"
        pages.append(page)
    return pages


def write_plan(path: Path, changes: int, seed: int = 0) -> Path:
    path.write_text(json.dumps(plan_pages(changes, seed), indent=4))
    return path


def write_directory(directory: Path, plans: int, changes: int = 40) -> Path:
    """``plans`` files of ``changes`` changes each (one plan per file), as a team's saved plans."""
    directory.mkdir(parents=True, exist_ok=True)
    for n in range(plans):
        write_plan(directory / f"plan-{n:05d}.json", changes, seed=n)
    return directory


def merged(pages: list[dict[str, Any]]) -> dict[str, Any]:
    """The pages as one document (what the peers read: they know nothing of pages)."""
    return {**pages[0], "ResourceChanges": [c for p in pages for c in p["ResourceChanges"]]}
