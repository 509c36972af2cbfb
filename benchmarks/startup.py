"""Start-up of `planlint lint fixtures/demo.json` against the floor `python -c "import pydantic, typer"`.

Uses hyperfine (Debian package `hyperfine`) when it is on PATH, else a plain loop of runs.
Prints mean wall times and the ratio. Run from the repository root:

    python benchmarks/startup.py [--runs 40]
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLANLINT = [sys.executable, "-m", "planlint", "lint", "fixtures/demo.json"]
FLOOR = [sys.executable, "-c", "import pydantic, typer"]


def with_hyperfine(runs: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        subprocess.run(
            [
                "hyperfine",
                "-N",
                "-i",
                "--warmup",
                "5",
                "--runs",
                str(runs),
                "--export-json",
                str(out),
                shlex.join(PLANLINT),
                shlex.join(FLOOR),
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        results = json.loads(out.read_text())["results"]
    return results[0]["mean"], results[1]["mean"]


def with_loop(runs: int) -> tuple[float, float]:
    def mean(command: list[str]) -> float:
        times = []
        for _ in range(runs + 3):
            start = time.perf_counter()
            subprocess.run(command, cwd=ROOT, capture_output=True)
            times.append(time.perf_counter() - start)
        return statistics.mean(sorted(times[3:])[: max(1, runs * 9 // 10)])

    return mean(PLANLINT), mean(FLOOR)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    tool = "hyperfine" if shutil.which("hyperfine") else "loop"
    lint, floor = (with_hyperfine if tool == "hyperfine" else with_loop)(args.runs)
    print(f"timer: {tool}, runs: {args.runs}")
    print(f"planlint lint fixtures/demo.json   {lint * 1000:7.1f} ms")
    print(f"python -c 'import pydantic, typer' {floor * 1000:7.1f} ms")
    print(f"ratio                              {lint / floor:7.2f}x  (target <= 1.50x)")


if __name__ == "__main__":
    main()
