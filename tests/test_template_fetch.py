"""Downloading a plan's new template from its ``TemplateUrl``: the first URL and every redirect meet
the same rules — https on an AWS host (or loopback), at most five redirects, at most the size limit
— through the environment's proxy as it is. Real boto3 clients against the loopback fakes, and
small loopback HTTP servers for the URL, the redirects and the proxy."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlint.read.template import MAX_SIZE
from tests.template_servers import Body, Raw, Redirect
from tests.test_aws import repo  # noqa: F401 - the fixture
from tests.test_templates import DEMO_PLAN, FIXTURES, both  # noqa: F401 - the fixture with both fakes

pytestmark = pytest.mark.slow  # processes, loopback fakes, timeouts: not in the quick subset

TEMPLATE = (FIXTURES / "templates" / "orders.yaml").read_bytes()


def lint(cli):
    return cli("lint", "--plan-id", DEMO_PLAN, "--fetch-templates", "-q", "--poll-interval", "0.01")


def refused(why: str) -> str:
    return f"planlint: error: plan {DEMO_PLAN}: its template URL {why}; planlint does not download it\n"


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch):
    """A proxy for every scheme that would answer any request with a template — if it were asked."""
    with Body(TEMPLATE) as server:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            monkeypatch.setenv(name, server.url)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
        yield server


@pytest.mark.parametrize(
    "location,why",
    [
        ("http://templates.example.invalid/orders.yaml", "is not https (http://templates.example.invalid)"),
        ("HTTP://s3.amazonaws.com/bucket/orders.yaml", "is not https (http://s3.amazonaws.com)"),  # even to AWS
        ("//templates.example.invalid/orders.yaml", "is not https (http://templates.example.invalid)"),
        ("ftp://s3.amazonaws.com/orders.yaml", "is not https (ftp://s3.amazonaws.com)"),
        ("https://templates.example.invalid/orders.yaml", "is on templates.example.invalid, not an AWS host"),
        ("https://notamazonaws.com/orders.yaml", "is on notamazonaws.com, not an AWS host"),
        ("https://s3.amazonaws.com@templates.example.invalid/x", "is on templates.example.invalid, not an AWS host"),
        ("https://templates.example.invalid/.amazonaws.com", "is on templates.example.invalid, not an AWS host"),
        ("file:///etc/passwd", "is not https (file://)"),
        ("http://169.254.169.254/latest/meta-data/", "is not https (http://169.254.169.254)"),
        ("https://169.254.169.254/latest/meta-data/", "is on 169.254.169.254, not an AWS host"),
    ],
)
def test_a_redirect_meets_the_rules_of_the_first_url(cli, both, repo: Path, proxy, location: str, why: str):  # noqa: F811
    sc, _ = both
    with Redirect(location) as first:
        sc.faults.template_url = f"{first.url}/orders.yaml"
        result = lint(cli)
    assert result.exit_code == 2
    assert refused(f"redirects to a URL that {why}") in result.stderr
    assert proxy.paths == [] and first.paths == ["/orders.yaml"]  # asked once, and nothing else was


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_every_kind_of_redirect_is_checked(cli, both, repo: Path, proxy, status: int):  # noqa: F811
    sc, _ = both
    with Redirect("http://templates.example.invalid/orders.yaml", status) as first:
        sc.faults.template_url = f"{first.url}/orders.yaml"
        result = lint(cli)
    assert result.exit_code == 2 and refused("redirects to a URL that is not https") in result.stderr.replace(
        " (http://templates.example.invalid)", ""
    )
    assert proxy.paths == []


@pytest.mark.parametrize(
    "url,why",
    [
        ("https://templates.example.invalid/orders.yaml", "is on templates.example.invalid, not an AWS host"),
        ("http://s3.amazonaws.com/bucket/orders.yaml", "is not https (http://s3.amazonaws.com)"),
    ],
)
def test_a_first_url_off_the_rules_is_not_asked_for(cli, both, repo: Path, proxy, url: str, why: str):  # noqa: F811
    sc, _ = both
    sc.faults.template_url = url
    result = lint(cli)
    assert result.exit_code == 2 and refused(why) in result.stderr
    assert proxy.paths == []


def test_a_redirect_within_the_rules_is_followed(cli, both, repo: Path, proxy):  # noqa: F811
    sc, _ = both
    with Body(TEMPLATE) as target, Redirect(lambda path: f"{target.url}/moved{path}", 307) as first:
        sc.faults.template_url = f"{first.url}/orders.yaml"
        result = lint(cli)
    assert result.exit_code == 0, result.stderr
    assert target.paths == ["/moved/orders.yaml"] and proxy.paths == []


def test_redirects_are_limited_in_number(cli, both, repo: Path, proxy):  # noqa: F811
    sc, _ = both
    with Redirect(lambda path: f"/hop{int(path.removeprefix('/hop')) + 1}") as server:
        sc.faults.template_url = f"{server.url}/hop0"
        result = lint(cli)
    assert result.exit_code == 2 and refused("redirects more than 5 times") in result.stderr
    assert server.paths == [f"/hop{n}" for n in range(6)]


def test_a_redirected_body_meets_the_size_limit(cli, both, repo: Path, proxy):  # noqa: F811
    sc, _ = both
    with Body(b"#" * (MAX_SIZE + 1)) as target, Redirect(f"{target.url}/big.yaml") as first:
        sc.faults.template_url = f"{first.url}/orders.yaml"
        result = lint(cli)
    assert result.exit_code == 2
    assert f"its new template is larger than {MAX_SIZE // (1024 * 1024)} MiB" in result.stderr


LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(
    labels=st.lists(LABEL, min_size=1, max_size=4),
    suffix=st.sampled_from(["amazonaws.com", "amazonaws.com.cn", "c2s.ic.gov"]),  # in every botocore planlint takes
    scheme=st.sampled_from(["https", "HTTPS", "http", "ftp"]),
    upper=st.booleans(),
    elsewhere=st.sampled_from(["", "example.com", "amazonaws.com.example.com", "xamazonaws.com"]),
)
def test_one_check_allows_https_under_an_aws_domain_and_nothing_else(labels, suffix, scheme, upper, elsewhere):
    from planlint.aws.templates import _check_url, _Refused

    host = ".".join([*labels, suffix])
    if elsewhere:
        host = ".".join([*labels, elsewhere])
    url = f"{scheme}://{host.upper() if upper else host}/bucket/template.yaml?X-Amz-Signature=abc"
    allowed = scheme.lower() == "https" and not elsewhere
    try:
        _check_url(url)
        passed = True
    except _Refused as exc:
        passed = False
        assert "X-Amz-Signature" not in str(exc) and "bucket/template" not in str(exc)  # no more than the host
    assert passed == allowed, url


@pytest.mark.parametrize(
    "answer",
    [
        b"HELLO\r\n\r\n",  # no HTTP at all
        b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\nResources: {}\n",  # shorter than it says
        b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:99999/x\r\nContent-Length: 0\r\n\r\n",  # no port
        b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:port/x\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 302 Found\r\nLocation: https://[s3.amazonaws.com]/x\r\nContent-Length: 0\r\n\r\n",
    ],
)
def test_a_broken_answer_is_one_line(cli, both, repo: Path, answer: bytes):  # noqa: F811
    sc, _ = both
    with Raw(answer) as server:
        sc.faults.template_url = f"{server.url}/orders.yaml"
        result = lint(cli)
    assert result.exit_code == 2
    assert result.stderr.startswith("planlint: error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_a_template_cut_short_is_not_used(cli, both, repo: Path):  # noqa: F811
    sc, _ = both
    cut = b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + TEMPLATE[:200]
    with Raw(cut) as server:
        sc.faults.template_url = f"{server.url}/orders.yaml"
        result = lint(cli)
    assert result.exit_code == 2
    assert result.stderr == (
        f"planlint: error: plan {DEMO_PLAN}: its new template came cut short (200 of 5000 bytes); try again\n"
    )


@pytest.mark.parametrize(
    "url,why",
    [
        ("https://s3.amazonaws.com:99999/t.yaml", "has no valid port"),
        ("https://s3.amazonaws.com:x/t.yaml", "has no valid port"),
    ],
)
def test_a_template_url_that_cannot_be_read_is_one_line(cli, both, repo: Path, url: str, why: str):  # noqa: F811
    sc, _ = both
    sc.faults.template_url = url
    result = lint(cli)
    assert result.exit_code == 2 and refused(why) in result.stderr


def test_a_template_url_that_is_no_url_is_one_line(cli, both, repo: Path):  # noqa: F811
    sc, _ = both
    sc.faults.template_url = "https://[s3.amazonaws.com]/t.yaml"  # Python 3.11 refuses it; 3.10 reads the host
    result = lint(cli)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"planlint: error: plan {DEMO_PLAN}: ") and "internal error" not in result.stderr
