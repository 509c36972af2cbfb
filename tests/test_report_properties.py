"""Whatever a plan contains — control characters, ANSI escapes, `]]>`, `</testcase>`, `::error::`,
`%0A`, emoji, lone surrogates, 5,000-character strings — every report stays valid and inert."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planlint.gate import lint
from planlint.report import github, jsonreport, junit, markdown, sarif
from planlint.report.result import RenderOptions
from planlint.testing import change, detail, plan_document
from tests.reports import check_junit, check_report_json, check_sarif

pytestmark = pytest.mark.slow  # hypothesis at length: not in the quick subset

NASTY = st.sampled_from(
    [
        "\x1b[31mred\x1b[0m",
        "\x00\x01\x07\x08\x0b\x0c\x7f\x9b",
        "]]>",
        "</testcase>",
        "<failure>",
        "::error::x",
        "%0A",
        "%25",
        "\r\n::warning::y",
        "😀🛑",
        "\ud800",
        "\udfff",
        "a,b:c",
        "\u202eevil",
        "&amp;",
        "\"'",
        "\\",
        "x" * 5000,
        "@everyone",
        "[link](http://x)",
        "| pipe |",
        "`code`",
    ]
)
TEXT = st.lists(st.one_of(NASTY, st.text(max_size=30)), min_size=1, max_size=4).map("".join)


@st.composite
def nasty_plans(draw):
    ids = draw(st.lists(TEXT, min_size=1, max_size=6, unique=True))
    changes = [
        change(
            # enum fields reject unpaired surrogates at load (a one-line error); free text keeps them
            draw(st.sampled_from(["ADD", "MODIFY", "REMOVE", draw(TEXT).encode("utf-8", "ignore").decode()])),
            logical_id,
            draw(st.one_of(st.sampled_from(["AWS::RDS::DBInstance", "AWS::Lambda::Function"]), TEXT)),
            replacement=draw(st.sampled_from([None, "TRUE", "CONDITIONAL"])),
        )
        for logical_id in ids
    ]
    return plan_document(
        *changes,
        plan_id=draw(TEXT),
        plan_name=draw(TEXT),
        product=draw(TEXT),
        status=draw(st.sampled_from(["CREATE_SUCCESS", "CREATE_FAILED"])),
        status_message=draw(TEXT),
        tags={draw(TEXT): draw(TEXT)},
        parameters={"DbPassword": "planlint-secret-" + draw(st.text(alphabet="abc", min_size=6, max_size=8))},
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(nasty_plans())
def test_every_format_stays_valid(doc):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / "plan.json"
        path.write_text(json.dumps(doc, indent=2), encoding="utf-8", errors="surrogatepass")
        report = lint([str(path)])
        assert report.input_errors == [] and report.rule_errors == []
        secret = doc["ProvisionedProductPlanDetails"]["ProvisioningParameters"][0]["Value"]
        findings = len(report.findings)

        log = check_sarif(_through_file(sarif.render(report, RenderOptions(source_root=root))))
        assert len(log["runs"][0]["results"]) == findings

        tree = check_junit(_through_file(junit.render(report)))
        failing = sum(1 for f in report.findings if report.fail_on.fails(f.level) and f.waived is None)
        assert sum(1 for _ in tree.iter("failure")) == failing

        check_report_json(_through_file(jsonreport.render(report)))

        annotations = _through_file(github.render(report, RenderOptions(source_root=root))).split("\n")
        assert annotations[-1] == ""
        lines = annotations[:-1]
        if "::endgroup::" in lines:  # past GitHub's 10 annotations of a kind, the rest are log lines in a group
            start = lines.index(next(line for line in lines if line.startswith("::group::")))
            end = lines.index("::endgroup::")
            assert start < end - 1
            for line in lines[start + 1 : end]:
                assert line.startswith("planlint: "), line
            lines = lines[:start] + lines[start + 1 : end] + lines[end + 1 :]
        assert len(lines) == findings + 1  # every finding, and the summary
        for line in lines:
            assert line.startswith(("::error ", "::warning ", "::notice ", "planlint: ")), line
            assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in line), repr(line)

        summary = _through_file(markdown.render(report))
        for text in (log, tree, summary):
            assert secret not in str(text)


def _through_file(text: str) -> str:
    """What a consumer reads back: the bytes planlint writes, decoded as UTF-8."""
    from planlint.report.delivery import encode

    return encode(text).decode("utf-8")


SECRET = st.text(
    alphabet=st.sampled_from(['"', "\\", "\n", "\t", "\x01", "\x7f", "é", "😀", "/", "<", "a", "B", "7", " "]),
    min_size=6,
    max_size=12,
).filter(lambda s: s.strip() == s and len(s) >= 6)


@settings(max_examples=80, deadline=None)
@given(SECRET, st.sampled_from(["physical", "status", "tag", "entity", "none"]))
def test_a_secret_with_any_characters_is_masked_wherever_the_plan_repeats_it(secret, where):
    """The masker's quick check (is a secret in the plan's JSON at all?) must never miss one: a
    secret made of characters JSON escapes, placed in one string of the plan, is masked there."""
    from planlint.masking import MASK

    physical = f"db-{secret}" if where == "physical" else "db-1"
    entity = secret if where == "entity" else "Stage"
    doc = plan_document(
        change(
            "MODIFY",
            "Db",
            "AWS::RDS::DBInstance",
            physical_id=physical,
            details=[detail("Name", causing_entity=entity)],
        ),
        status_message=f"made from {secret}" if where == "status" else "ok",
        tags={"Note": secret if where == "tag" else "plain"},
        parameters={"DbPassword": secret},
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.json"
        path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
        report = lint([str(path)])
    plan = report.results[0].plan
    texts = [
        plan.changes[0].physical_resource_id or "",
        plan.changes[0].details[0].causing_entity or "",
        plan.details.status_message or "",
        *(t.value for t in plan.details.tags),
        *(f.message for f in report.findings),
    ]
    assert all(secret not in text for text in texts), (where, texts)
    if where != "none":
        assert any(MASK in text for text in texts)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=60))
def test_escaping_finds_every_unsafe_character(text):
    """The escapers find unsafe characters with one regular expression: the same as looking up
    every character in the tables."""
    from planlint.support import safetext

    assert safetext.clean(text) == text.translate(safetext._TABLE)
    assert safetext.json_safe(text) == text.translate(safetext._JSON_TABLE)
    assert safetext.xml_safe(text) == text.translate(safetext._XML_TABLE)
