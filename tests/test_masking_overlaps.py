"""Secrets that share characters (one overlapping another, one inside another, one overlapping
itself) are masked together: no format shows what one left of the other."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlint.masking import MASK, MIN_LENGTH, Masker, spellings
from planlint.support.safetext import CUT
from planlint.testing import change, change_set_document, plan_document
from tests.test_masking import _lint


def _removed(physical_id: str) -> dict:
    return change("Remove", "Db", "AWS::RDS::DBInstance", physical_id=physical_id)


@pytest.mark.parametrize(
    ("secrets", "shown", "masked"),
    [
        (("Alpha1Beta2", "Beta2ZetaQ9"), "id-Alpha1Beta2ZetaQ9-end", "id-****-end"),  # one overlaps the other
        (("Beta2ZetaQ9", "Alpha1Beta2"), "id-Alpha1Beta2ZetaQ9-end", "id-****-end"),  # in the other order
        (("xyxyxy", "qqqqqqq"), "id-xyxyxyxy-end", "id-****-end"),  # one overlapping itself
        (("Gamma7Delta", "Delta8Omega", "Omega9Sigma"), "id-Gamma7Delta8Omega9Sigma-end", "id-****-end"),  # a chain
        (("s3cret-é\u2028x", "\u2028x-tail9"), "id-s3cret-é\u2028x-tail9-end", "id-****-end"),  # escaped in a message
    ],
)
def test_overlapping_secrets_leave_nothing_of_either_in_any_format(secrets, shown, masked):
    parameters = {f"Secret{i}": value for i, value in enumerate(secrets)}
    report, outputs = _lint(plan_document(_removed(shown), parameters=parameters, product=f"stack-{shown}"))
    assert report.masked_values == len(secrets)
    for name, output in outputs.items():
        for secret in secrets:
            for spelled in spellings(secret):
                for piece in {spelled[:4], spelled[-4:]}:
                    assert piece not in output, (name, piece)
    assert f"physical id {masked}" in outputs["text"]
    assert f"for stack-{masked} (" in outputs["text"]


def test_overlapping_secrets_in_a_change_sets_context_are_masked_together():
    context = json.dumps({"Properties": {"Url": 'https://h/"Alpha1"Beta2"ZetaQ9"/end'}})
    topic = change("Modify", "Topic", "AWS::SNS::Topic", replacement="True")
    topic["AfterContext"] = context
    document = change_set_document(topic, parameters={"A": 'Alpha1"Beta2', "B": 'Beta2"ZetaQ9'})
    masked = Masker.of(['Alpha1"Beta2', 'Beta2"ZetaQ9'])(context)
    assert masked == json.dumps({"Properties": {"Url": 'https://h/"****"/end'}})
    _, outputs = _lint(document)
    for name, output in outputs.items():
        assert "Alpha1" not in output and "ZetaQ9" not in output, name


# Secrets are written with characters that no filler uses, so that every such character in a
# text is part of a secret embedded there: the masker must leave none of them, and change nothing else.
SECRET_ALPHABET = 'ab7"\\é\u2028'
SPELLED = set(SECRET_ALPHABET) | set("\\u0123456789abcdef")  # and what they are written with, escaped
FILLER = st.text(alphabet="xyz .-", max_size=8)
SECRET = st.text(alphabet=SECRET_ALPHABET, min_size=MIN_LENGTH, max_size=14)


@st.composite
def _secrets(draw: st.DrawFn) -> list[str]:
    """Secrets sharing characters: drawn alone, or cut from one text so that they overlap and nest."""
    alone = draw(st.lists(SECRET, min_size=1, max_size=4))
    base = draw(st.text(alphabet=SECRET_ALPHABET, min_size=MIN_LENGTH + 2, max_size=30))
    starts = draw(st.lists(st.integers(0, len(base) - MIN_LENGTH), max_size=4))
    cut = [base[i : i + draw(st.integers(MIN_LENGTH, len(base) - i))] for i in starts]
    return [s for s in alone + cut if s != MASK]


@st.composite
def _text(draw: st.DrawFn, secrets: list[str]) -> str:
    """Fillers and secrets, each in one of its spellings, whole, overlapping one another, or the
    start of one cut short."""
    spelled = sorted({s for secret in secrets for s in spellings(secret)})
    pieces = []
    for _ in range(draw(st.integers(1, 6))):
        pieces.append(draw(FILLER))
        first = draw(st.sampled_from(spelled))
        kind = draw(st.sampled_from(["whole", "overlap", "cut"]))
        if kind == "whole":
            pieces.append(first)
        elif kind == "cut":
            pieces.append(first[: draw(st.integers(1, len(first) - 1))] + CUT)
        else:
            second = draw(st.sampled_from(spelled))
            shared = [k for k in range(1, min(len(first), len(second))) if first.endswith(second[:k])]
            pieces.append(first + second[draw(st.sampled_from(shared)) :] if shared else first + second)
    pieces.append(draw(FILLER))
    return "".join(pieces)


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_no_character_of_any_secret_survives_and_nothing_else_changes(data):
    secrets = data.draw(_secrets())
    text = data.draw(_text(secrets))
    masked = Masker.of(secrets)(text)
    assert not set(masked) & SPELLED, (text, masked)
    assert masked.replace("*", "") == "".join(c for c in text if c not in SPELLED), text
    for secret in secrets:
        assert secret not in masked


@settings(max_examples=200, deadline=None)
@given(st.lists(SECRET, min_size=1, max_size=5), st.text(max_size=40))
def test_masking_twice_changes_nothing_more(secrets, text):
    mask = Masker.of(secrets)
    once = mask(text + "".join(secrets) + text)
    assert mask(once) == once
