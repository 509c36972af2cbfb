"""Parameter values are masked before anything is shortened, the same way in every field and
format, and a report says how many values it masked and how to show the ones that are not secret."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from planlint.config.tables import Config
from planlint.gate import lint
from planlint.masking import MASK, MIN_LENGTH, Masker, mask_saved_change_set
from planlint.report import github, gitlab, jsonreport, junit, markdown, sarif, text
from planlint.report.result import RenderOptions, Report
from planlint.support.safetext import CUT, clean
from planlint.testing import change, change_set_document, plan_document

FORMATS = {
    "text": text.render,
    "json": jsonreport.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "markdown": markdown.render,
    "github": github.render,
    "gitlab": gitlab.render,
}


def _lint(document: Mapping[str, Any], public: list[str] | None = None) -> tuple[Report, dict[str, str]]:
    """The report on ``document`` (saved as a file), and each format's rendering of it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "change-set.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        report = lint([str(path)], config=Config.model_validate({"public-parameters": public or []}))
        options = RenderOptions(source_root=Path(tmp))
        return report, {name: render(report, options) for name, render in FORMATS.items()}


def _value_change(name: str, before: str, after: str, path: str | None = "") -> dict[str, Any]:
    """A change set's replacement whose property ``name`` goes from ``before`` to ``after``."""
    target = {
        "Attribute": "Properties",
        "Name": name,
        "RequiresRecreation": "Always",
        "BeforeValue": before,
        "AfterValue": after,
    }
    if path is not None:
        target["Path"] = path or f"/Properties/{name}"
    return change(
        "Modify",
        "Topic",
        "AWS::SNS::Topic",
        replacement="True",
        details=[{"Target": target, "Evaluation": "Static", "ChangeSource": "DirectModification"}],
    )


LONG = "Server=db.internal;Database=orders;User Id=app;Password=Zq8vW3nT5yR1uP7sK2mB9xC4hL6jF0dG"


def test_a_long_value_is_not_shown_in_part_where_a_message_shortens_it():
    """A cause shows at most 80 characters of a value: what it keeps of a long secret is masked too."""
    document = change_set_document(
        _value_change("Description", "before", "prefix-" + LONG), parameters={"ConnectionInfo": LONG}
    )
    report, outputs = _lint(document)
    assert report.findings, "the change must be reported for the test to mean anything"
    for name, output in outputs.items():
        assert LONG[:30] not in output, name
        assert LONG[-30:] not in output, name


def test_a_value_cut_right_after_a_control_character_is_masked_as_the_message_spells_it():
    secret = "line-one\nline-two-of-a-private-key-" + "k" * 70
    document = change_set_document(_value_change("Description", "before", secret), parameters={"Key": secret})
    report, outputs = _lint(document)
    assert report.findings
    for name, output in outputs.items():
        assert "line-one\\x0aline-two" not in output, name
        assert "line-two-of-a-private" not in output, name


def test_a_secret_looking_property_without_a_path_shows_no_value():
    document = change_set_document(
        _value_change("MasterUserPassword", "old-password-1", "new-password-2", path=None),
    )
    report, outputs = _lint(document)
    assert report.findings
    for name, output in outputs.items():
        assert "old-password-1" not in output, name
        assert "new-password-2" not in output, name


def test_a_value_in_the_stack_name_is_masked_in_every_field_of_the_json_report():
    document = change_set_document(_value_change("Description", "a", "b"), parameters={"Environment": "test-stack"})
    assert "test-stack" not in _lint(document)[1]["json"]


def test_a_resolved_ssm_value_is_masked_wherever_it_is_repeated():
    resolved = "resolved-db-endpoint.internal"
    document = change_set_document(
        _value_change("Endpoint", "old-endpoint.internal", resolved),
        parameters={"EndpointName": "/prod/db/endpoint"},
        status_reason=f"resolved {resolved}",
    )
    document["Parameters"][0]["ResolvedValue"] = resolved
    for name, output in _lint(document)[1].items():
        assert resolved not in output, name
    saved = json.dumps(mask_saved_change_set(document))
    assert resolved not in saved


def test_a_saved_change_set_masks_a_value_that_a_context_spells_as_json():
    secret = 'pa"ss\\word-1234'
    document = change_set_document(_value_change("Description", "a", "b"), parameters={"DbPassword": secret})
    context = json.dumps({"Properties": {"MasterUserPassword": secret}})
    document["Changes"][0]["ResourceChange"]["AfterContext"] = context
    saved = json.dumps(mask_saved_change_set(document))
    assert "word-1234" not in saved


SECRET_CHARS = st.sampled_from(["a", "B", "7", "-", "/", " ", '"', "\\", "\n", "\t", "\x1b", "é", "😀", "\u202e"])
SECRETS = st.text(alphabet=SECRET_CHARS, min_size=MIN_LENGTH, max_size=40).filter(lambda s: s != MASK)


@settings(max_examples=300, deadline=None)
@given(SECRETS, st.text(max_size=60), st.text(max_size=20), st.integers(min_value=2, max_value=120))
def test_no_cut_leaves_a_start_of_a_secret(secret, before, after, limit):
    """Whatever comes before a secret and wherever ``clean`` cuts the text, the masker leaves no
    start of the secret (in the spelling the message uses) in front of the cut."""
    shown = Masker.of([secret])(clean(before + secret + after, limit))
    assert clean(secret) not in shown
    if shown.endswith(CUT):
        head = shown[: -len(CUT)]
        assert not any(head.endswith(clean(secret[:k])) for k in range(1, len(secret) + 1)), shown


@settings(max_examples=200, deadline=None)
@given(SECRETS)
def test_a_secret_is_masked_as_json_writes_it(secret):
    mask = Masker.of([secret])
    for ascii_only in (True, False):
        spelled = json.dumps({"Properties": {"Value": f"x{secret}y"}}, ensure_ascii=ascii_only)
        assert json.dumps(secret, ensure_ascii=ascii_only)[1:-1] not in mask(spelled)


def test_a_rule_error_cut_short_shows_no_start_of_a_secret(tmp_path: Path, cli):
    secret = "Zq8vW3nT5yR1uP7sK2mB9xC4hL6jF0dG-connection"
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "loud.py").write_text(
        "from planlint import rule\n\n\n"
        '@rule("LOUD001", "loud")\ndef loud(plan):\n    """## What it flags\n    Nothing.\n    """\n'
        "    value = plan.details.provisioning_parameters[0].value.get_secret_value()\n"
        "    raise ValueError('x' * 280 + value)\n"
    )
    (tmp_path / "plan.json").write_text(json.dumps(plan_document(parameters={"Connection": secret})))
    for form in ("text", "json", "sarif", "junit", "markdown", "github"):
        result = cli("lint", str(tmp_path / "plan.json"), "--rules", str(policies), "-f", form)
        assert result.exit_code == 2, result.stderr
        assert "ValueError: xxx" in result.stdout + result.stderr, form
        assert secret[:4] not in result.stdout + result.stderr, form


SECRET_VALUES = st.text(alphabet="QXZJ7", min_size=MIN_LENGTH, max_size=120)
PUBLIC_VALUES = st.text(alphabet="klmn", min_size=4, max_size=12).map(lambda s: f"pub-{s}")


def _everywhere(secret: str, public: str) -> dict[str, Any]:
    """A change set that repeats ``secret`` and ``public`` in every field a report or a saved file shows."""
    values = _value_change("Description", f"{public}-before-{secret}", "x" * 60 + secret)
    values["PhysicalResourceId"] = f"arn:aws:sns:us-east-1:123456789012:{public}-{secret}"
    values["AfterContext"] = json.dumps({"Properties": {"Description": secret, "Name": public}})
    values["Details"].append(
        {
            "Target": {"Attribute": "Properties", "Name": "MasterUserPassword", "RequiresRecreation": "Always"},
            "Evaluation": "Static",
            "ChangeSource": "ParameterReference",
            "CausingEntity": f"{secret}.Arn",
        }
    )
    document = change_set_document(
        values,
        parameters={"DbPassword": secret, "Environment": public},
        tags={"Owner": secret, "Stage": public},
        status_reason=f"{public}: " + "y" * 70 + secret,
    )
    document["StackName"] = f"{public}-{secret}"
    document["ChangeSetName"] = f"deploy-{public}-{secret}"
    document["ChangeSetId"] = document["ChangeSetId"].replace("test-change-set", document["ChangeSetName"])
    return document


@settings(max_examples=25, deadline=None)
@given(SECRET_VALUES, PUBLIC_VALUES)
def test_nothing_secret_shows_and_a_public_value_shows_everywhere(secret, public):
    document = _everywhere(secret, public)
    report, outputs = _lint(document, public=["Env*"])
    saved = json.dumps(mask_saved_change_set(document, ["Env*"]), ensure_ascii=False)
    pieces = {secret[i : i + 5] for i in range(len(secret) - 4)}
    for name, output in [*outputs.items(), ("saved", saved)]:
        assert not any(piece in output for piece in pieces), name
    for name in ("text", "json", "markdown", "saved"):
        where = outputs.get(name, saved)
        assert public in where, name
        assert f"{public}-****" in where or name in ("markdown", "saved"), name  # Markdown escapes the stars
    assert report.masked_values == 1  # the secret; not the public value
    assert "1 parameter value masked as ****" in outputs["text"].splitlines()[-2]
    assert json.loads(outputs["json"])["masked"] == {"parameter_values": 1, "shown_with": "public-parameters"}
    assert json.loads(outputs["sarif"])["runs"][0]["properties"]["maskedParameterValues"] == 1
    assert "public-parameters" in outputs["markdown"] and "public-parameters" in outputs["github"]
    assert '<property name="masked" value="1 parameter value masked as ****' in outputs["junit"]


def test_a_report_with_nothing_masked_says_nothing_of_masking():
    report, outputs = _lint(change_set_document(_value_change("Description", "a", "b"), parameters={"Size": "m5"}))
    assert report.masked_values == 0
    assert "masked" not in outputs["text"] and "public-parameters" not in outputs["markdown"]
    assert 'name="masked"' not in outputs["junit"] and "public-parameters" not in outputs["github"]
    assert json.loads(outputs["json"])["masked"]["parameter_values"] == 0


def test_a_saved_change_set_linted_again_counts_no_saved_mask_as_a_masked_value():
    document = change_set_document(_value_change("Description", "a", "b"), parameters={"DbPassword": "hunter2-long"})
    report, outputs = _lint(mask_saved_change_set(document))
    assert report.masked_values == 0 and "masked" not in outputs["text"]
    assert "**** (masked by planlint)" not in outputs["text"]  # the rule still says the value is not shown


def test_a_root_change_sets_value_is_masked_in_its_nested_change_sets_too():
    """A nested stack is named after its root's stack: a value masked in the root's name is masked
    in the child's, in the same report."""
    changes = Path(__file__).resolve().parent.parent / "fixtures" / "change-sets"
    root = json.loads((changes / "nested-root.json").read_text())
    child = json.loads((changes / "nested-child.json").read_text())
    root["StackName"] = "platform-7f3k9q"
    child["StackName"] = "platform-7f3k9q-NetworkStack-1Q2W3E4R5T6Y"
    root["Parameters"] = [{"ParameterKey": "Suffix", "ParameterValue": "platform-7f3k9q"}]
    with tempfile.TemporaryDirectory() as tmp:
        for name, document in (("root.json", root), ("child.json", child)):
            (Path(tmp) / name).write_text(json.dumps(document), encoding="utf-8")
        report = lint([str(Path(tmp) / "root.json"), str(Path(tmp) / "child.json")])
        shown = {name: render(report, RenderOptions(source_root=Path(tmp))) for name, render in FORMATS.items()}
    assert len(report.plans) == 2 and not report.input_errors
    for name, output in shown.items():
        assert "7f3k9q" not in output, name
    assert report.masked_values == 1
