"""Every number planlint takes has a range, the same on the command line and in configuration:
a value outside it is one line naming the option or key, never a crash deeper in."""

from __future__ import annotations

import inspect
import io
import math
import typing
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planlint.cli import app
from planlint.config.errors import ConfigError
from planlint.config.files import load
from planlint.support import bounds
from planlint.support.files import MIB, read_limited, read_regular
from tests.conftest import FIXTURES
from tests.test_usage_errors import refusal

# every number an option takes, and its range
OPTIONS = {
    "--rule-timeout": bounds.RULE_TIMEOUT,
    "--max-file-size": bounds.MAX_FILE_SIZE,
    "--timeout": bounds.TIMEOUT,
    "--request-timeout": bounds.REQUEST_TIMEOUT,
    "--poll-interval": bounds.POLL_INTERVAL,
    "--jobs": bounds.JOBS,
    "--execute-timeout": bounds.EXECUTE_TIMEOUT,
}
KEYS = {"rule-timeout": bounds.RULE_TIMEOUT, "max-file-size": bounds.MAX_FILE_SIZE}
# what makes each command stop right after reading its options, whatever their values


def _numeric_options() -> list[tuple[str, str, bool]]:
    """(command, option, whole numbers only) for every number-taking option of every command."""
    found = []
    for command in app.registered_commands:
        assert command.callback is not None
        name = command.name or command.callback.__name__
        for param in inspect.signature(command.callback).parameters.values():
            kind, *info = typing.get_args(param.annotation) or (param.annotation,)
            kind = next((k for k in typing.get_args(kind) if k is not type(None)), kind)  # Optional[X]: X
            options = [i for i in info if isinstance(i, typer.models.OptionInfo)]
            if kind in (int, float) and options:
                # in Annotated, typer takes the first name given for the default
                names = [options[0].default, *(options[0].param_decls or ())]
                declared = [d for d in names if isinstance(d, str) and d.startswith("--")]
                found.append((name, max(declared, key=len), kind is int))
    return found


NUMERIC = _numeric_options()


def test_every_numeric_option_has_a_range_and_a_command_that_stops():
    assert {option for _, option, _ in NUMERIC} == set(OPTIONS)
    assert {command for command, _, _ in NUMERIC} == {"lint", "fetch", "execute"}


values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, 1e14, 1e10, -1.0, 0.0, 30000.0, 65536.0, 65536.5, 86400.0, 86400.001, 0.001, 0.0001]),
    st.integers(-(2**70), 2**70),
)


@pytest.mark.parametrize(("command", "option", "whole"), NUMERIC, ids=[f"{c} {o}" for c, o, _ in NUMERIC])
@settings(max_examples=60, deadline=None)
@given(value=values)
def test_a_numeric_option_is_taken_within_its_range_and_refused_in_one_line_outside(
    command: str, option: str, whole: bool, value: float | int
):
    bound = OPTIONS[option]
    said = refusal(command, [option, repr(value)])
    if bound.low <= value <= bound.high and whole and isinstance(value, float) and value.is_integer():
        # ``1.0`` for a whole number: taken by a newer click, refused as not whole by an older one
        assert said is None or said.startswith(f"{option}: expected a whole number"), said
    elif bound.low <= value <= bound.high and (not whole or float(value).is_integer()):
        assert said is None
    else:
        assert said is not None and said.startswith(f"{option}: expected "), said
        assert "\n" not in said


@pytest.mark.parametrize("key", sorted(KEYS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(2**70), 2**70)))
def test_a_numeric_key_is_taken_within_the_same_range_and_refused_naming_the_file(
    tmp_path: Path, key: str, value: float | int
):
    config = tmp_path / "planlint.toml"
    text = "inf" if value == math.inf else "-inf" if value == -math.inf else "nan" if value != value else repr(value)
    config.write_text(f"{key} = {text}\n")
    bound = KEYS[key]
    if bound.low <= value <= bound.high:
        assert getattr(load(config), key.replace("-", "_")) == value
    else:
        with pytest.raises(ConfigError) as raised:
            load(config)
        assert str(raised.value).startswith(f"{config}: {key}: expected ")


@pytest.mark.parametrize("value", ["inf", "1e308", "1e14", "nan", "-1"])
def test_a_configured_bound_out_of_range_stops_show_config_and_lint_alike(cli, tmp_path: Path, value: str):
    config = tmp_path / "planlint.toml"
    config.write_text(f"max-file-size = {value}\n")
    for args in (["--show-config"], [str(FIXTURES / "demo.json")]):
        result = cli("lint", "--config", str(config), *args)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"planlint: error: {config}: max-file-size: expected ")
        assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("option", ["--rule-timeout", "--max-file-size"])
def test_the_largest_bounds_lint_as_usual(cli, option: str):
    result = cli("lint", str(FIXTURES / "demo.json"), option, f"{OPTIONS[option].high:g}")
    assert result.exit_code == 1
    assert "error:" not in result.stderr


def test_a_small_file_under_a_huge_limit_is_read_by_its_size(tmp_path: Path):
    plan = tmp_path / "small.json"
    plan.write_bytes(b"{}" * 5000)
    assert read_regular(str(plan), int(bounds.MAX_FILE_SIZE.high * MIB)) == b"{}" * 5000
    assert read_regular(str(plan), 10_000) == b"{}" * 5000
    with pytest.raises(Exception, match="larger than the 9999 bytes limit"):
        read_regular(str(plan), 9_999)


class _Asked(io.BytesIO):
    """A stream that remembers how much each read asked for."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.asked: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        self.asked.append(-1 if size is None else size)
        return super().read(size)


@settings(max_examples=30, deadline=None)
@given(length=st.integers(0, 3 * MIB), limit=st.sampled_from([2**40, 2**62, 3 * MIB, MIB + 1, 10]))
def test_a_stream_of_unknown_size_is_read_a_chunk_at_a_time(length: int, limit: int):
    stream = _Asked(b"x" * length)
    if length > limit:
        with pytest.raises(Exception, match="larger than"):
            read_limited(stream, limit)
    else:
        assert read_limited(stream, limit) == b"x" * length
    assert max(stream.asked) <= MIB + 1


@pytest.mark.parametrize("key", sorted(KEYS))
@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e14", "1e308", "0", "-1"])
def test_an_option_and_its_key_refuse_a_value_in_the_same_words(tmp_path: Path, key: str, value: str):
    config = tmp_path / "planlint.toml"
    config.write_text(f"{key} = {value if value.isalpha() or value.startswith('-i') else float(value)!r}\n")
    with pytest.raises(ConfigError) as raised:
        load(config)
    said = refusal("lint", [f"--{key}", value])
    assert said is not None
    assert raised.value.problem.split(", got")[0] == said.removeprefix(f"--{key}: ").split(", got")[0]
