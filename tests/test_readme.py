"""The README's examples are real: its rule module loads and runs, its test snippet passes."""

from __future__ import annotations

import re
from pathlib import Path

from planlint import engine
from planlint.testing import change, make_plan
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, re.DOTALL)


def test_first_lines_are_the_two_setup_commands():
    commands = re.findall(r"```sh\n(.*?)\n```", README, re.DOTALL)
    assert commands[0] == "python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/planlint lint fixtures/demo.json"
    assert commands[1] == "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci.splitlines()


def test_readme_rule_example_loads_and_runs(tmp_path: Path):
    rule_block = next(b for b in BLOCKS if "@rule(" in b)
    (tmp_path / "no_new_buckets.py").write_text(rule_block)
    rules, errors = engine.load_rules([(tmp_path, "path")])
    assert errors == []
    [found] = rules
    plan = make_plan(change("ADD", "Uploads", "AWS::S3::Bucket"), product="shop-prod")
    [result] = engine.run([plan], rules)
    findings = result.findings
    assert [(f.rule_code, f.logical_id) for f in findings] == [(found.code, "Uploads")]
    other = make_plan(change("ADD", "Uploads", "AWS::S3::Bucket"), product="shop-dev")
    assert engine.run([other], rules)[0].findings == []


def test_readme_testing_example_runs():
    snippet = next(b for b in BLOCKS if "planlint.testing" in b)
    exec(compile(snippet, "README.md", "exec"), {})
