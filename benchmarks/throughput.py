"""Lint throughput on large plans: load (parse, validate, line map), run every built-in rule, render.

Builds plans of 200, 2,000 and 20,000 changes (mixed types and actions, pages of 20 as AWS
returns them), writes them as a JSON list of pages, and times each stage in-process.

    python benchmarks/throughput.py
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planlint import engine  # noqa: E402
from planlint.load import load  # noqa: E402
from planlint.report import Report, text  # noqa: E402
from planlint.testing import change, detail, plan_document  # noqa: E402

TYPES = ["AWS::Lambda::Function", "AWS::RDS::DBInstance", "AWS::S3::Bucket", "AWS::IAM::Role", "AWS::SQS::Queue"]


def pages(count: int) -> list[dict]:
    changes = []
    for i in range(count):
        kind = TYPES[i % len(TYPES)]
        if i % 50 == 7:
            changes.append(change("REMOVE", f"Resource{i:05d}", kind))
        elif i % 40 == 3:
            changes.append(
                change(
                    "MODIFY",
                    f"Resource{i:05d}",
                    kind,
                    replacement="TRUE",
                    details=[
                        detail("Name", recreation="ALWAYS", evaluation="DYNAMIC"),
                        detail("Name", recreation="ALWAYS", causing_entity="Stage"),
                    ],
                )
            )
        else:
            changes.append(
                change("MODIFY", f"Resource{i:05d}", kind, details=[detail("Code", causing_entity="Version")])
            )
    out = []
    for start in range(0, count, 20):
        token = None if start + 20 >= count else f"token-{start + 20}"
        out.append(
            plan_document(
                *changes[start : start + 20], parameters={"Stage": "prod", "Version": "1"}, next_page_token=token
            )
        )
    return out


def main() -> None:
    rules, errors = engine.load_rules([(engine.builtin_rules_dir(), "built-in")])
    assert not errors
    print(f"{'changes':>8} {'pages':>6} {'MB':>6} {'load ms':>9} {'rules ms':>9} {'render ms':>10} {'findings':>9}")
    for count in (200, 2_000, 20_000):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "plan.json"
            document = pages(count)
            path.write_text(json.dumps(document, indent=4))
            size = path.stat().st_size / 1e6
            t0 = time.perf_counter()
            loaded = load([str(path)])
            t1 = time.perf_counter()
            results = engine.run(loaded.plans, rules)
            t2 = time.perf_counter()
            report = Report(results=results, rules=rules)
            text.render(report)
            t3 = time.perf_counter()
        assert not loaded.errors and len(loaded.plans[0].changes) == count
        print(
            f"{count:>8} {len(document):>6} {size:>6.1f} {(t1 - t0) * 1e3:>9.1f} {(t2 - t1) * 1e3:>9.1f} "
            f"{(t3 - t2) * 1e3:>10.1f} {len(report.findings):>9}"
        )


if __name__ == "__main__":
    main()
