"""What the hardening costs, and the figures its defaults rest on.

- the slowest built-in rule on a 58,000-change plan (the rule time budget, 30 s by default,
  must stay far above it);
- decoding that 34 MB document with and without the duplicate-key check;
- a deep copy of a 460-change plan for each of the 17 rules, which a frozen plan avoids.

    python benchmarks/hardening.py
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from corpus import plan_pages

from planlint.config.tables import Config
from planlint.engine.budget import DEFAULT_SECONDS
from planlint.gate import GateRequest, run
from planlint.read import jsonmap
from planlint.read.load import load


def best(function, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    config = Config.model_validate({"fail-on": "never", "rule-timeout": DEFAULT_SECONDS})
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.json"
        text = json.dumps(plan_pages(58_000), indent=2)
        big.write_text(text)
        report = run(GateRequest(paths=[str(big)], config=config))
        built_in = {rule.code for rule in report.rules if rule.origin == "built-in"}
        [result] = report.results
        seconds = {code: spent for code, spent in result.seconds.items() if code in built_in}
        code, slowest = max(seconds.items(), key=lambda item: item[1])
        print(
            f"58,000 changes, {len(text) / 1e6:.0f} MB: slowest rule {code} {slowest:.2f} s, all rules "
            f"{sum(seconds.values()):.2f} s; budget {DEFAULT_SECONDS:g} s = {DEFAULT_SECONDS / slowest:.0f}x"
        )
        plain, checked = [], []  # interleaved, so that neither is measured on a warmer or fuller heap
        for _ in range(5):
            plain.append(best(lambda: json.JSONDecoder().decode(text), runs=1))
            checked.append(best(lambda: jsonmap._decoder.decode(text), runs=1))
        plain, checked = statistics.median(plain), statistics.median(checked)
        print(f"decode without / with the duplicate-key check (medians of 5): {plain:.2f} s / {checked:.2f} s")

        small = Path(tmp) / "small.json"
        small.write_text(json.dumps(plan_pages(460)))
        [plan] = load([str(small)]).plans  # as the rules are given it
        copies = best(lambda: [plan.model_copy(deep=True) for _ in built_in])
        print(f"460 changes: a deep copy per rule ({len(built_in)} rules) {copies * 1000:.0f} ms; frozen plan 0 ms")


if __name__ == "__main__":
    main()
