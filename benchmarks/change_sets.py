"""A change set against a plan of the same size: the gate on the largest real change set
(fixtures/real/cfn-02, 141 changes, 237 KB), then on a Service Catalog plan made of the same
changes, in pages of 20 as Service Catalog returns them, and print the medians of interleaved runs.
Each run is one library call of the gate: rules loaded, the document read, rules run, masked.

    python benchmarks/change_sets.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planlint.config.tables import Config  # noqa: E402
from planlint.gate import GateRequest, run  # noqa: E402
from planlint.testing import plan_document  # noqa: E402

CHANGE_SET = ROOT / "fixtures" / "real" / "cfn-02-nhs-eps-account-resources-safe-changeset.json"


def as_plan(change_set: dict) -> list[dict]:
    """The same resource changes as a Service Catalog plan: capitals, and only the plan API's members."""
    keep = ("Action", "LogicalResourceId", "PhysicalResourceId", "ResourceType", "Replacement", "Scope", "Details")
    changes = []
    for item in change_set["Changes"]:
        rc = item["ResourceChange"]
        change = {k: rc[k] for k in keep if k in rc}
        change = {
            k: (v.upper() if isinstance(v, str) and k in ("Action", "Replacement") else v) for k, v in change.items()
        }
        change["Scope"] = [s.upper() for s in change.get("Scope", [])]
        change["Details"] = [
            {
                "Target": {
                    k: (v.upper() if k != "Name" else v)
                    for k, v in d["Target"].items()
                    if k in ("Attribute", "Name", "RequiresRecreation")
                },
                **{k: d[k].upper() if k == "Evaluation" else d[k] for k in ("Evaluation", "CausingEntity") if k in d},
            }
            for d in change.get("Details", [])
        ]
        changes.append(change)
    pages = []
    for start in range(0, len(changes), 20):
        token = None if start + 20 >= len(changes) else f"token-{start + 20}"
        pages.append(plan_document(*changes[start : start + 20], next_page_token=token))
    return pages


def lint_once(path: Path, config: Config) -> tuple[float, int, int]:
    """Seconds, findings and rules of one run of the gate."""
    started = time.perf_counter()
    report = run(GateRequest(paths=[str(path)], config=config))
    elapsed = time.perf_counter() - started
    assert not report.input_errors and not report.rule_errors
    return elapsed, sum(len(r.findings) for r in report.results), len(report.rules)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=31)
    runs = parser.parse_args().runs
    config = Config.model_validate({"fail-on": "never"})
    document = json.loads(CHANGE_SET.read_text())
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "plan.json"
        plan.write_text(json.dumps(as_plan(document), indent=2))
        times: dict[str, list[float]] = {"change set": [], "plan": []}
        found: dict[str, int] = {}
        _, _, rules = lint_once(CHANGE_SET, config)  # warm up
        lint_once(plan, config)
        for _ in range(runs):  # interleaved: the machine's drift touches both alike
            for name, path in (("change set", CHANGE_SET), ("plan", plan)):
                seconds, found[name], _ = lint_once(path, config)
                times[name].append(seconds)
        sizes = {"change set": CHANGE_SET.stat().st_size, "plan": plan.stat().st_size}
    changes = len(document["Changes"])
    print(
        f"{changes} changes, {rules} rules, the gate in-process (planlint.gate.run), median of {runs} interleaved runs"
    )
    for name, values in times.items():
        median = statistics.median(values) * 1000
        print(f"  {name:10}  {median:7.1f} ms  {sizes[name] / 1024:6.0f} KiB  {found[name]} findings")
    ratio = statistics.median(times["change set"]) / statistics.median(times["plan"])
    print(f"  change set / plan: {ratio:.2f}x")


if __name__ == "__main__":
    main()
