"""Fetching many plans: 100 plans of 3 pages each behind 50 ms of latency per request, with the
default --jobs, through a real boto3 client against the loopback fake of Service Catalog.

Prints the wall time next to the ideal (requests x latency / jobs). Run from the repository root:

    python benchmarks/fetch.py [--plans 100] [--latency 0.05] [--jobs 4]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planlint import aws  # noqa: E402
from planlint.testing import change, plan_document  # noqa: E402
from tests.fake_servicecatalog import FakeServiceCatalog  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--jobs", type=int, default=aws.DEFAULT_JOBS)
    args = parser.parse_args()

    fake = FakeServiceCatalog().start()
    ids = []
    for n in range(args.plans):
        changes = [change("MODIFY", f"Fn{i:02d}", "AWS::Lambda::Function") for i in range(50)]  # 3 pages
        ids.append(fake.add_plan(plan_document(*changes, plan_id=f"pl-bench{n:08d}")))
    fake.faults.latency = args.latency
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "config").write_text("")
        os.environ.update(
            AWS_ENDPOINT_URL_SERVICE_CATALOG=fake.url,
            AWS_ACCESS_KEY_ID="bench",
            AWS_SECRET_ACCESS_KEY="bench",
            AWS_DEFAULT_REGION="us-east-1",
            AWS_CONFIG_FILE=str(Path(tmp) / "config"),
            AWS_SHARED_CREDENTIALS_FILE=str(Path(tmp) / "credentials"),
            AWS_EC2_METADATA_DISABLED="true",
        )
        sc = aws.client()
        started = time.perf_counter()
        fetched = aws.fetch_many(sc, ids, jobs=args.jobs)
        wall = time.perf_counter() - started
    fake.stop()
    assert all(f.error is None for f in fetched) and all(len(f.document["ResourceChanges"]) == 50 for f in fetched)
    requests = len(fake.requests)
    ideal = requests * args.latency / args.jobs
    print(f"plans {args.plans}, requests {requests}, latency {args.latency * 1000:.0f} ms, jobs {args.jobs}")
    print(f"wall   {wall:6.2f} s")
    print(f"ideal  {ideal:6.2f} s  (requests x latency / jobs)")
    print(f"ratio  {wall / ideal:6.2f}x (target <= 1.30x)")


if __name__ == "__main__":
    main()
