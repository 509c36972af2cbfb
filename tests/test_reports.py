"""Reports every consumer accepts: SARIF for code scanning, JUnit for CI servers, JSON, GitHub
annotations and Markdown — and several of them in one run, written atomically."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from planlint.model.findings import Severity
from planlint.testing import change, detail, plan_document
from tests.conftest import CANARY, FIXTURES, ROOT, package_rule_count, write_json
from tests.reports import check_junit, check_report_json, check_sarif

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

DEMO = FIXTURES / "demo.json"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with the plan fixtures in it, as the working directory."""
    (tmp_path / ".git").mkdir()
    shutil.copytree(FIXTURES, tmp_path / "plans", ignore=shutil.ignore_patterns("real", "change-sets"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_crashing_rule(directory: Path, tags: set[str] | None = None) -> None:
    directory.mkdir()
    (directory / "crash.py").write_text(
        f'from planlint import rule\n\n@rule("ACME001", "crashes", tags={sorted(tags or [])!r})\n'
        'def crashes(plan):\n    """## What it flags\n    Nothing.\n    """\n    raise KeyError("x")\n'
    )


def sarif_of(cli, *args: str) -> tuple[dict, object]:
    result = cli("lint", *args, "--format", "sarif")
    return check_sarif(result.stdout), result


# --- SARIF ------------------------------------------------------------------------------


def test_sarif_for_every_fixture_is_valid_and_points_at_the_change(cli, repo: Path):
    log, result = sarif_of(cli, "plans", "--fail-on", "never")
    assert result.exit_code == 0 and result.stderr == ""
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "planlint"
    assert run["invocations"] == [{"executionSuccessful": True}]
    by_resource = {
        r["locations"][0]["logicalLocations"][0]["name"]: r for r in run["results"] if r["ruleId"] == "PL101"
    }
    db = by_resource["OrdersDatabase"]
    assert db["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "plans/demo.json"},
        "region": {"startLine": 59},
    }
    assert db["locations"][0]["logicalLocations"][0] == {
        "name": "OrdersDatabase",
        "fullyQualifiedName": "orders-prod/orders-release-42/OrdersDatabase",
        "kind": "resource",
    }
    assert db["level"] == "error"
    assert db["message"]["text"].endswith(
        "caused by parameter EncryptDatabase (--template would show its UpdateReplacePolicy)."
    )
    assert "automationDetails" not in run


def test_sarif_rules_carry_their_documentation(cli, repo: Path):
    log, _ = sarif_of(cli, "plans/demo.json")
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) == 17 + package_rule_count()
    rule = next(r for r in rules if r["id"] == "PL101")
    assert rule["name"] == "stateful-replacement"
    assert rule["shortDescription"]["text"].startswith("A resource that holds data")
    assert rule["help"]["markdown"].startswith("## What it flags")
    assert "How to fix:" in rule["help"]["text"] and "## " not in rule["help"]["text"]
    markdown, text = rule["help"]["markdown"], rule["help"]["text"]
    assert "## Example\n" in markdown and "```json\n" in markdown and '"Replacement": "TRUE"' in markdown
    assert "Example:\n" in text and "```" not in text and '"Replacement": "TRUE"' in text
    update_replace_policy = (
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-updatereplacepolicy.html"
    )
    assert f"- [UpdateReplacePolicy attribute]({update_replace_policy})" in markdown
    assert f"- UpdateReplacePolicy attribute ({update_replace_policy})" in text
    assert rule["defaultConfiguration"] == {"level": "error"}
    assert rule["properties"]["tags"] == ["data-loss"]
    assert "security-severity" not in rule["properties"]


def test_sarif_plan_level_finding_points_at_plan_details(cli, repo: Path):
    log, _ = sarif_of(cli, "plans/plan-failed.json")
    [result] = log["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
    assert result["locations"][0]["logicalLocations"][0]["kind"] == "module"


def test_sarif_paths_are_percent_encoded(cli, repo: Path):
    target = repo / "plans" / "café plans #1"
    target.mkdir()
    shutil.copy(repo / "plans" / "demo.json", target / "demo 100%.json")
    log, _ = sarif_of(cli, str(target / "demo 100%.json"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"plans/caf%C3%A9%20plans%20%231/demo%20100%25.json"}


def test_sarif_fingerprints_survive_a_new_plan_of_the_same_product_saved_to_the_same_file(cli, repo: Path):
    doc = json.loads((repo / "plans" / "demo.json").read_text())
    doc["ProvisionedProductPlanDetails"]["PlanId"] = "pl-nextweek000001"
    doc["ProvisionedProductPlanDetails"]["PlanName"] = "orders-release-43"
    doc["ResourceChanges"].insert(0, change("ADD", "NewTopic", "AWS::SNS::Topic"))
    first, _ = sarif_of(cli, "plans/demo.json")
    write_json(repo / "plans" / "demo.json", doc)
    second, _ = sarif_of(cli, "plans/demo.json")

    def prints(log):
        def target(result):
            logical = result["locations"][0]["logicalLocations"][0]
            return logical["name"] if logical["kind"] == "resource" else "(plan)"

        return {(r["ruleId"], target(r)): r["partialFingerprints"]["planlint/v1"] for r in log["runs"][0]["results"]}

    assert prints(first) == prints(second)
    assert len(set(prints(first).values())) == len(prints(first))


def test_sarif_category_sets_automation_details(cli, repo: Path):
    log, _ = sarif_of(cli, "plans/demo.json", "--sarif-category", "planlint-prod")
    assert log["runs"][0]["automationDetails"] == {"id": "planlint-prod/"}


def test_sarif_tool_failures_are_notifications(cli, repo: Path):
    write_crashing_rule(repo / "policies", tags={"security"})
    (repo / "broken.json").write_text("{")
    log, result = sarif_of(cli, "plans/demo.json", "broken.json", "--rules", "policies")
    assert result.exit_code == 2
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert texts == [
        "Could not read broken.json: line 1 column 2: invalid JSON: Expecting property name enclosed in double quotes.",
        "rule crashes on plan pl-6kxqz3vbw2jra: KeyError: 'x'.",
    ]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    crash = invocation["toolExecutionNotifications"][1]["associatedRule"]
    assert rules[crash["index"]]["id"] == crash["id"] == "ACME001"
    assert rules[crash["index"]]["properties"]["security-severity"] == "5.5"


def test_sarif_keeps_the_most_severe_results_within_code_scannings_limit(cli, repo: Path):
    from planlint.report.sarif import MAX_RESULTS

    changes = []
    for i in range(MAX_RESULTS + 500):
        if i % 5 == 0:  # 1,100 errors among 4,400 warnings, spread through the plan
            changes.append(change("REMOVE", f"Table{i:05d}", "AWS::DynamoDB::Table"))
        else:
            changes.append(change("MODIFY", f"Fn{i:05d}", "AWS::Lambda::Function", replacement="True"))
    write_json(repo / "huge.json", plan_document(*changes))
    log, result = sarif_of(cli, "huge.json")
    run = log["runs"][0]
    results = run["results"]
    assert len(results) == MAX_RESULTS
    assert sum(r["level"] == "error" for r in results) == 1100
    ids = [r["locations"][0]["logicalLocations"][0]["name"] for r in results]
    first = ids.count("test-plan")  # the plan's own findings come first, then the changes in their order
    assert ids[first : first + 3] == ["Table00000", "Fn00001", "Fn00002"]
    assert "Table05495" in ids and "Fn05499" not in ids
    texts = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert texts == ["503 less severe results left out: code scanning keeps 5,000 of a run; see the JSON report."]


def test_sarif_rule_tags_within_what_code_scanning_keeps(cli, repo: Path):
    (repo / "policies").mkdir()
    tags = sorted({f"tag{i:02d}" for i in range(25)} | {"security"})
    (repo / "policies" / "tagged.py").write_text(
        f'from planlint import rule\n\n@rule("ACME010", "tagged", tags={tags!r})\n'
        'def tagged(plan):\n    """Many tags."""\n    return []\n'
    )
    log, _ = sarif_of(cli, "plans/demo.json", "--rules", "policies")
    rule = next(r for r in log["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "ACME010")
    assert rule["properties"]["tags"] == ["security"] + [f"tag{i:02d}" for i in range(9)]


def test_sarif_from_stdin_is_refused_and_nothing_is_written(cli, repo: Path):
    result = cli("lint", "-", "--format", "sarif", "--output", "out.sarif", stdin=DEMO.read_bytes())
    assert result.exit_code == 2
    assert "stdin has no file in the repository: save it to a file first" in result.stderr
    assert not (repo / "out.sarif").exists()


def test_sarif_for_a_file_outside_the_source_root_is_refused(cli, repo: Path, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "plan.json"
    shutil.copy(DEMO, outside)
    result = cli("lint", str(outside), "--format", "sarif")
    assert result.exit_code == 2
    assert "is outside the source root" in result.stderr and result.stdout == ""
    ok = cli("lint", str(outside), "--format", "sarif", "--source-root", str(outside.parent))
    log = check_sarif(ok.stdout)
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "plan.json"


# --- JUnit ------------------------------------------------------------------------------


def test_junit_is_valid_against_both_schemas_with_right_counts(cli, repo: Path):
    result = cli("lint", "plans", "--format", "junit")
    root = check_junit(result.stdout)
    suites = root.findall("testsuite")
    assert len(suites) == 21
    demo = next(s for s in suites if "orders-release-42" in s.get("name"))
    cases = demo.findall("testcase")
    failures = [c for c in cases if c.find("failure") is not None]
    # only the two errors fail the gate (--fail-on error); the eight warnings pass, written as output
    assert sorted(c.get("name") for c in failures) == [
        "stateful-removal OrdersTable",
        "stateful-replacement OrdersDatabase",
    ]
    assert int(demo.get("failures")) == 2
    assert demo.find("system-out").text.count("\nwarning ") + demo.find("system-out").text.startswith("warning ") == 8
    # eight of the seventeen built-in rules found nothing, nor did any rule a package adds
    assert int(demo.get("tests")) == len(cases) == 10 + 8 + package_rule_count()
    assert demo.get("errors") == "0"
    names = [c.get("name") for c in cases]
    assert len(names) == len(set(names))
    assert "stateful-replacement OrdersDatabase" in names and "plan-status" in names
    assert {c.get("classname") for c in cases} == {"planlint.orders-prod.orders-release-42"}
    failure = next(c for c in cases if c.get("name") == "stateful-replacement OrdersDatabase").find("failure")
    assert failure.get("type") == "PL101"
    assert failure.get("message").startswith("OrdersDatabase (AWS::RDS::DBInstance) will be replaced")
    assert "cause: property DBInstanceClass changes" in failure.text
    report = check_report_json(cli("lint", "plans", "--format", "json").stdout)
    errors = [f for f in report["findings"] if f["severity"] == "error" and not f["waived"]]
    assert sum(int(s.get("failures")) for s in suites) == len(errors)
    never = check_junit(cli("lint", "plans", "--format", "junit", "--fail-on", "never").stdout)
    assert sum(int(s.get("failures")) for s in never.findall("testsuite")) == 0  # a gate that cannot fail


def test_junit_cases_never_collide_across_plans_of_one_product(cli, repo: Path):
    removed = change("REMOVE", "Table", "AWS::DynamoDB::Table")
    write_json(repo / "a.json", plan_document(removed, plan_id="pl-a", plan_name="release"))
    write_json(repo / "b.json", plan_document(removed, plan_id="pl-b", plan_name="release"))
    root = check_junit(cli("lint", "a.json", "b.json", "--format", "junit").stdout)
    keys = [(c.get("classname"), c.get("name")) for c in root.iter("testcase")]
    assert len(keys) == len(set(keys))
    assert {c for c, _ in keys} == {"planlint.test-product.release.pl-a", "planlint.test-product.release.pl-b"}
    again = check_junit(cli("lint", "a.json", "b.json", "--format", "junit").stdout)
    assert keys == [(c.get("classname"), c.get("name")) for c in again.iter("testcase")]  # stable across runs


def test_junit_unreadable_input_and_crash_are_errors(cli, repo: Path):
    write_crashing_rule(repo / "policies")
    (repo / "broken.json").write_text("[1,")
    root = check_junit(cli("lint", "plans/benign.json", "broken.json", "--rules", "policies", "-f", "junit").stdout)
    benign, broken = root.findall("testsuite")
    assert benign.get("errors") == "1" and benign.get("failures") == "0"
    assert benign.find("testcase[@name='crashes']/error").get("message") == "KeyError: 'x'"
    assert broken.get("name") == "input broken.json" and broken.get("errors") == "1"


def test_junit_names_are_unique_when_a_rule_fires_twice_on_one_resource(tmp_path: Path):
    from planlint import Finding
    from planlint.engine import run as engine
    from planlint.report import junit
    from planlint.report.result import Report
    from planlint.testing import make_plan

    (tmp_path / "twice.py").write_text(
        'from planlint import rule\n\n@rule("ACME002", "twice")\n'
        'def twice(plan):\n    """## What it flags\n    Twice.\n    """\n'
        '    for c in plan.changes:\n        yield c.finding("one")\n        yield c.finding("two")\n'
    )
    rules, _ = engine.load_rules([(tmp_path, "path")])
    plan = make_plan(change("ADD", "Topic", "AWS::SNS::Topic"))
    root = check_junit(junit.render(Report(results=engine.run([plan], rules), rules=rules)))
    assert [c.get("name") for c in root.iter("testcase")] == ["twice Topic", "twice Topic #2"]
    assert Finding  # the public type the rule yields


# --- JSON -------------------------------------------------------------------------------


def test_json_report_matches_its_schema_and_the_schema_command(cli, repo: Path):
    report = check_report_json(cli("lint", "plans", "--format", "json", "--fail-on", "never").stdout)
    assert report["schema"] == "planlint.report/1"
    assert report["summary"] == {"plans": 21, "changes": 168, "errors": 25, "warnings": 43, "notes": 2, "waived": 0}
    db = next(f for f in report["findings"] if f["logical_id"] == "OrdersDatabase")
    assert db == {
        "rule": "PL101",
        "rule_name": "stateful-replacement",
        "severity": "error",
        "message": db["message"],
        "plan_id": "pl-6kxqz3vbw2jra",
        "provisioned_product_id": "pp-x3jc5zbkoa4ms",
        "provisioned_product_name": "orders-prod",
        "logical_id": "OrdersDatabase",
        "subject": None,
        "physical_id": "orders-prod-db",
        "resource_type": "AWS::RDS::DBInstance",
        "action": "MODIFY",
        "replacement": "TRUE",
        "causes": db["causes"],
        "location": {"path": "plans/demo.json", "line": 59},
        "template_location": None,
        "waived": False,
        "waiver": None,
    }
    assert db["causes"][0] == {
        "attribute": "PROPERTIES",
        "property": "StorageEncrypted",
        "requires_recreation": "ALWAYS",
        "evaluations": ["DYNAMIC", "STATIC"],
        "caused_by": [{"name": "EncryptDatabase", "kind": "parameter"}],
        "text": "property StorageEncrypted requires recreation (ALWAYS), caused by parameter EncryptDatabase",
    }
    printed = cli("schema").stdout
    assert json.loads(printed) == json.loads((ROOT / "planlint" / "report" / "report.schema.json").read_text())


# --- GitHub annotations -----------------------------------------------------------------


def test_github_annotations_errors_first_with_file_and_line(cli, repo: Path):
    lines = cli("lint", "plans/demo.json", "--format", "github").stdout.splitlines()
    assert lines[0] == (
        "::error file=plans/demo.json,line=59,title=PL101 stateful-replacement::OrdersDatabase "
        "(AWS::RDS::DBInstance) will be replaced: property StorageEncrypted requires recreation (ALWAYS), "
        "caused by parameter EncryptDatabase (--template would show its UpdateReplacePolicy)"
    )
    kinds = [line.split(" ", 1)[0] for line in lines[:-1]]
    assert kinds == sorted(kinds, key=lambda k: k != "::error")
    assert lines[-1] == (
        "::error title=planlint::2 errors, 8 warnings in 1 plan (14 changes); 3 parameter values masked as **** "
        "wherever they appear; name the parameters that are not secret in public-parameters (configuration) to show them"
    )


def test_github_annotations_cannot_be_injected(cli, repo: Path):
    doc = plan_document(change("REMOVE", "A,B:C%0A\n::error::pwned\r::set-output name=x::y", "AWS::S3::Bucket"))
    write_json(repo / "evil.json", doc)
    out = cli("lint", "evil.json", "--format", "github").stdout
    lines = out.splitlines()
    # one line per finding plus the summary: the newline and CR in the id did not start a command
    assert len(lines) == 2
    for line in lines:
        assert line.startswith(("::error ", "::warning ", "::notice ")), line
    assert "::A,B:C%250A%0A::error::pwned%0D::set-output name=x::y (AWS::S3::Bucket)" in lines[0]


def test_github_annotations_within_what_a_step_shows(cli, repo: Path):
    # 30 removals of stateful resources (errors) and 25 replacements (warnings)
    changes = [change("REMOVE", f"Table{i:02d}", "AWS::DynamoDB::Table") for i in range(30)]
    changes += [change("MODIFY", f"Fn{i:02d}", "AWS::Lambda::Function", replacement="True") for i in range(25)]
    write_json(repo / "many.json", plan_document(*changes))
    lines = cli("lint", "many.json", "--format", "github").stdout.splitlines()
    commands = [line.split(" ", 1)[0] for line in lines if line.startswith("::") and "::group" not in line]
    assert commands.count("::error") == 10 and commands.count("::warning") == 10, commands
    assert lines[-1].startswith("::error title=planlint::30 errors, 27 warnings in 1 plan (55 changes); ")
    assert lines[-1].endswith("; 38 more in the log (GitHub shows 10 annotations of each kind per step)")
    start, end = lines.index("::group::planlint: 38 more"), lines.index("::endgroup::")
    rest = lines[start + 1 : end]
    assert len(rest) == 38 and all(line.startswith("planlint: ") for line in rest)
    assert rest[0].startswith("planlint: error many.json:")
    assert ": PL102 stateful-removal: Table" in rest[0]
    # every finding is somewhere: an annotation or a line of the log
    names = [f"Table{i:02d}" for i in range(30)] + [f"Fn{i:02d}" for i in range(25)]
    assert all(any(f"::{name} (" in line or f": {name} (" in line for line in lines) for name in names)


def test_github_summary_annotation_takes_its_own_slot(cli, repo: Path):
    write_json(
        repo / "ten.json", plan_document(*[change("REMOVE", f"T{i}", "AWS::DynamoDB::Table") for i in range(10)])
    )
    lines = cli("lint", "ten.json", "--format", "github", "--select", "PL102").stdout.splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10  # 9 findings and the summary
    assert (
        lines[-1]
        == "::error title=planlint::10 errors in 1 plan (10 changes); 1 more in the log (GitHub shows 10 annotations of each kind per step)"
    )


# --- Markdown ---------------------------------------------------------------------------


def test_markdown_summary(cli, repo: Path):
    out = cli("lint", "plans/demo.json", "plans/plan-no-changes.json", "--format", "markdown").stdout
    assert out.startswith("## planlint: :x: failed\n\n2 errors, 8 warnings, 1 note in 2 plans \\(14 changes\\)\n")
    assert "| :x: | OrdersDatabase | AWS::RDS::DBInstance | MODIFY | TRUE | property StorageEncrypted" in out
    assert "<details><summary>1 note</summary>" in out


def test_markdown_escapes_plan_text():
    from planlint.report.markdown import escape

    assert escape("[x](javascript:alert(1)) <img> @team | *b*") == (
        "\\[x\\]\\(javascript:alert\\(1\\)\\) &lt;img&gt; &#64;team \\| \\*b\\*"
    )


def test_markdown_stays_under_the_limit(cli, tmp_path: Path):
    from planlint.gate import lint
    from planlint.report import markdown
    from planlint.report.result import RenderOptions

    many = [change("REMOVE", f"Bucket{i:05d}" + "x" * 80, "AWS::S3::Bucket") for i in range(2500)]
    report = lint([str(write_json(tmp_path / "big.json", plan_document(*many)))])
    out = markdown.render(report)
    assert len(out.encode()) <= 64 * 1024
    shown = out.count("| :x: | Bucket")
    assert 0 < shown < 2500
    assert f"_{2500 - shown} more findings not shown: the summary is limited to 64 KiB. See the full report._" in out
    full = markdown.render(report, RenderOptions(markdown_limit=1024 * 1024))
    assert full.count("| :x: | Bucket") == 2500 and "not shown" not in full


def test_markdown_cut_inside_notes_closes_the_details_block(tmp_path: Path):
    from planlint.gate import lint
    from planlint.report import markdown
    from planlint.report.result import RenderOptions

    # a tag change is a note: 900 of them go in one <details> block
    tags = detail(attribute="TAGS")
    notes = [
        change("MODIFY", f"Queue{i:04d}" + "q" * 60, "AWS::SQS::Queue", scope=["TAGS"], details=[tags])
        for i in range(900)
    ]
    path = write_json(tmp_path / "notes.json", plan_document(*notes))
    report = lint([str(path)])
    assert report.count(Severity.NOTE) == 900, report.count(Severity.NOTE)
    for limit in (8 * 1024, 20 * 1024, 64 * 1024):
        out = markdown.render(report, RenderOptions(markdown_limit=limit))
        assert len(out.encode()) <= limit
        assert out.count("<details>") == out.count("</details>") == 1
        assert out.index("<details>") < out.index("</details>") < out.index("more findings not shown")
        shown = out.count("- **PL")
        assert f"_{900 - shown} more findings not shown" in out


def test_markdown_counts_plans_left_out_whole(tmp_path: Path):
    from planlint.gate import lint
    from planlint.report import markdown
    from planlint.report.result import RenderOptions

    paths = []
    for i in range(40):
        doc = plan_document(change("REMOVE", f"Bucket{i}", "AWS::S3::Bucket"))
        doc["ProvisionedProductPlanDetails"]["PlanId"] = f"pl-{i:04d}"
        paths.append(str(write_json(tmp_path / f"p{i:02d}.json", doc)))
    report = lint(paths)
    out = markdown.render(report, RenderOptions(markdown_limit=4 * 1024))
    headings, rows = out.count("\n### "), out.count("| :x: | Bucket")
    assert 0 < rows <= headings < 40
    assert f"_{40 - rows} more findings and {40 - headings} more plans not shown: " in out


# --- several reports in one run --------------------------------------------------------------


def test_several_formats_in_one_run_with_text_on_the_terminal(cli, repo: Path):
    result = cli(
        "lint",
        "plans/demo.json",
        "--format",
        "sarif",
        "--output",
        "out/r.sarif",
        "-f",
        "junit",
        "-o",
        "out/r.xml",
        "--format=json",
        "--output=out/r.json",
        "--format",
        "github",
        "--output",
        "out/gh.txt",
        "--format",
        "markdown",
        "--output",
        "out/summary.md",
    )
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "2 errors, 8 warnings in 1 plan (14 changes)"
    check_sarif((repo / "out" / "r.sarif").read_text())
    check_junit((repo / "out" / "r.xml").read_text())
    check_report_json((repo / "out" / "r.json").read_text())
    assert (repo / "out" / "gh.txt").read_text().startswith("::error file=plans/demo.json,line=59")
    assert (repo / "out" / "summary.md").read_text().startswith("## planlint")
    assert sorted(os.listdir(repo / "out")) == ["gh.txt", "r.json", "r.sarif", "r.xml", "summary.md"]


def test_a_format_on_stdout_replaces_the_text_report(cli, repo: Path):
    result = cli("lint", "plans/demo.json", "--format", "junit", "--output", "r.xml", "--format", "json")
    json.loads(result.stdout)  # nothing but JSON on stdout
    check_junit((repo / "r.xml").read_text())


@pytest.mark.parametrize(
    "args,message",
    [
        (["--output", "x.sarif"], "--output x.sarif: give --format before each --output"),
        (["--format", "json", "--format", "sarif"], "only one --format can go to stdout"),
        (["--format", "yaml"], "'yaml' is not one of 'text', 'json', 'sarif', 'junit', 'github', 'markdown'"),
    ],
)
def test_bad_format_pairs(cli, repo: Path, args, message):
    result = cli("lint", "plans/demo.json", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_failed_run_does_not_replace_an_existing_report(cli, repo: Path):
    (repo / "r.sarif").write_text("previous")
    result = cli("lint", "-", "--format", "sarif", "--output", "r.sarif", stdin=DEMO.read_bytes())
    assert result.exit_code == 2
    assert (repo / "r.sarif").read_text() == "previous"
    assert sorted(os.listdir(repo)) == sorted([".git", "plans", "r.sarif"])


def test_secret_value_is_in_no_report(cli, repo: Path):
    for fmt in ("text", "json", "sarif", "junit", "github", "markdown"):
        out = cli("lint", "plans/demo.json", "--format", fmt).stdout
        assert CANARY not in out and "hunter2" not in out, fmt


def test_security_rules_carry_security_severity(repo: Path):
    from planlint.engine import run as engine
    from planlint.report import sarif
    from planlint.report.result import RenderOptions, Report
    from planlint.testing import make_plan

    policies = repo / "policies"
    policies.mkdir()
    (policies / "iam.py").write_text(
        'from planlint import rule, Severity\n\n@rule("ACME003", "iam-anything", severity=Severity.ERROR, tags={"security"})\n'
        'def iam(plan):\n    """## What it flags\n    IAM.\n    """\n'
        '    for c in plan.changes:\n        yield c.finding("iam")\n'
    )
    rules, _ = engine.load_rules([(policies, "path")])
    plan = make_plan(change("MODIFY", "Role", "AWS::IAM::Role", details=[detail("Policies")]))
    # a plan built in memory has no file: SARIF says so instead of inventing a location
    with pytest.raises(ValueError, match="no source location"):
        sarif.render(Report(results=engine.run([plan], rules), rules=rules), RenderOptions(source_root=repo))
    path = write_json(repo / "iam.json", plan_document(change("MODIFY", "Role", "AWS::IAM::Role")))
    from planlint.read.load import load

    loaded = load([str(path)]).plans
    log = check_sarif(
        sarif.render(Report(results=engine.run(loaded, rules), rules=rules), RenderOptions(source_root=repo))
    )
    assert log["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["security-severity"] == "8.0"


# --- what a mutation of the reporters must not survive ------------------------------------------


def test_sarif_fingerprints_tell_subjects_and_products_apart(cli, repo: Path):
    def prints(product: str) -> dict[str, str]:
        doc = plan_document(change("REMOVE", "Db", "AWS::RDS::DBInstance"), product=product, tags={"Team": "x"})
        doc["ProvisionedProductPlanDetails"]["ProvisionProductId"] = f"pp-{product}"
        path = write_json(repo / f"{product}.json", doc)
        config = repo / "planlint.toml"
        config.write_text('[rules.required-tags]\nkeys = ["Owner", "CostCenter"]\n')
        log, _ = sarif_of(cli, str(path.name), "--config", str(config))
        return {
            r["message"]["text"].split(" has no ")[-1] if r["ruleId"] == "PL301" else r["ruleId"]: r[
                "partialFingerprints"
            ]["planlint/v1"]
            for r in log["runs"][0]["results"]
        }

    one, other = prints("orders"), prints("billing")
    assert one["Owner tag."] != one["CostCenter tag."]  # same rule, same plan, different subject
    assert one["PL102"] != other["PL102"]  # same rule and logical id, another product


def test_github_annotation_file_property_escapes_colon_and_comma(cli, repo: Path):
    odd = repo / "a:b,c"
    odd.mkdir()
    shutil.copy(DEMO, odd / "plan.json")
    first = cli("lint", "a:b,c/plan.json", "--format", "github").stdout.splitlines()[0]
    assert first.startswith("::error file=a%3Ab%2Cc/plan.json,line=59,title=PL101 stateful-replacement::")


def test_markdown_keeps_the_could_not_check_and_waiver_sections(cli, repo: Path):
    (repo / "broken.json").write_text("[1,")
    (repo / "planlint.toml").write_text(
        '[[waivers]]\nrule = "PL102"\nresource = "OrdersTable"\nreason = "migrated"\nexpires = "2999-01-01"\n'
    )
    out = cli("lint", "plans/demo.json", "broken.json", "--format", "markdown").stdout
    assert out.startswith("## planlint: :boom: could not finish")
    assert "### Could not check\n\n- broken.json: line 1 column 4: invalid JSON" in out
    assert "<details><summary>1 waived finding</summary>" in out and "migrated" in out
